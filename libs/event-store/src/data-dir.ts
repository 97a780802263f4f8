import { chmodSync, closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * DATA_DIR holds health records and the keys that open them: only the account that runs Rapport
 * may read it. The folder is 0700 and every file in it 0600, whatever the process's umask.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * Creates the file empty with mode 0600 if it does not exist, and narrows it if it does. SQLite
 * gives its -wal and -shm files the mode of the database file, so doing this before opening a
 * database covers them too; those that already exist are narrowed here as well.
 */
export function ensurePrivateFile(file: string): void {
  ensurePrivateDir(dirname(file));
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) if (existsSync(path)) chmodSync(path, 0o600);
}

/** Data dirs this process holds the lock of: the same process asking twice is refused too. */
const heldHere = new Set<string>();

export class DataDirInUseError extends Error {}

export interface DataDirLock {
  release(): void;
}

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  purpose: string;
}

/**
 * One process at a time runs the projections of a DATA_DIR (the embedded default's server, or
 * `npm run projector`): two would both write the read models. `<dataDir>/rapport.lock` names the
 * owner; a lock whose process is gone (killed, crashed) is taken over, so no one has to clean up
 * after a SIGKILL. The file is written whole under another name and linked into place, so two
 * processes starting at the same moment cannot both win.
 */
export function lockDataDir(dataDir: string, purpose: string, startedAt: string): DataDirLock {
  const dir = resolve(dataDir);
  ensurePrivateDir(dir);
  const file = join(dir, 'rapport.lock');
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt, purpose };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryLink(file, me)) {
      heldHere.add(dir);
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          heldHere.delete(dir);
          if (ownerOf(file)?.pid === process.pid) unlinkSync(file);
        },
      };
    }
    const owner = ownerOf(file);
    if (owner && isAlive(owner, dir)) {
      throw new DataDirInUseError(
        `DATA_DIR ${dir} is in use by another Rapport process (${owner.purpose}, pid ${owner.pid} on ${owner.host}, since ${owner.startedAt}). ` +
          'Stop it, or give this one another DATA_DIR. Several API processes may share one store only with PROJECTOR=external and one `npm run projector`.',
      );
    }
    // Stale (its process is gone) or unreadable: remove it and try again.
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new DataDirInUseError(`could not take ${file}: other processes keep taking it`);
}

function tryLink(file: string, owner: LockOwner): boolean {
  const draft = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(draft, JSON.stringify(owner), { mode: 0o600 });
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    unlinkSync(draft);
  }
}

function ownerOf(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(owner: LockOwner, dir: string): boolean {
  // Another machine's process (a shared volume) cannot be checked: it counts as alive.
  if (owner.host !== hostname()) return true;
  // Our own pid: held by this process only if we took it (a container restarts as pid 1 every time).
  if (owner.pid === process.pid) return heldHere.has(dir);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Makes `<dataDir>/<name>` with a random secret unless it is there, then keeps it 0600 (an older
 * version or a restore may have left it readable). Written whole under another name and linked
 * into place: two processes starting together agree on one secret, neither reads half a file.
 */
export function ensureSecretFile(file: string): void {
  if (!existsSync(file)) {
    ensurePrivateDir(dirname(file));
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, randomBytes(48).toString('base64'), { mode: 0o600 });
    try {
      linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(draft);
    }
  }
  ensurePrivateFile(file);
}
