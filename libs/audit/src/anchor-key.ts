import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateFile, ensureSecretFile } from '@rapport/event-store';

/**
 * The key the audit anchor's running head is an HMAC under. It lives neither in the events file
 * nor in the anchor file: AUDIT_ANCHOR_KEY when set (keep it off the disk), else a local secret
 * `<dataDir>/anchor-secret` (mode 0600, made once). The key is the text's UTF-8 bytes either way,
 * so the file's content can be moved into the environment without changing the key.
 */
export const ANCHOR_KEY_ENV = 'AUDIT_ANCHOR_KEY';
export const ANCHOR_SECRET_FILE = 'anchor-secret';
const MIN_KEY_BYTES = 32;

export interface AnchorKeyOptions {
  env?: NodeJS.ProcessEnv;
  /** Make the local secret when it is missing (the anchorer does; verification never does). */
  create?: boolean;
}

export function anchorKeyFor(dataDir: string, options: AnchorKeyOptions & { create: true }): Buffer;
export function anchorKeyFor(dataDir: string, options?: AnchorKeyOptions): Buffer | undefined;
export function anchorKeyFor(dataDir: string, { env = process.env, create = false }: AnchorKeyOptions = {}): Buffer | undefined {
  const fromEnv = env[ANCHOR_KEY_ENV];
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'utf8');
    if (key.length < MIN_KEY_BYTES) throw new Error(`${ANCHOR_KEY_ENV} must be at least ${MIN_KEY_BYTES} bytes`);
    return key;
  }
  const file = join(dataDir, ANCHOR_SECRET_FILE);
  if (!existsSync(file)) {
    if (!create) return undefined;
    ensureSecretFile(file);
  }
  // An older copy or a restore from backup may have left it readable by others.
  if (create) ensurePrivateFile(file);
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
}

/** A fingerprint of the key (not the key): tells "made with another key" from "edited". */
export function anchorKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('rapport audit anchor key id').digest('hex').slice(0, 16);
}
