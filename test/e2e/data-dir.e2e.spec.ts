import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../apps/api/src/app.factory';
import { configFromEnv } from '@rapport/config';
import { DataDirInUseError } from '@rapport/event-store';
import { startApp } from '../support/in-process-app';
import { ServerProcess } from '../support/server-process';
import { makeTempDir } from '../support/temp-dir';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('DATA_DIR is private to the account that runs Rapport', () => {
  it('is created 0700, and every file in it 0600, under the usual umask', async () => {
    const temp = makeTempDir();
    const dataDir = join(temp.path, 'data');
    const umask = process.umask(0o022);
    try {
      const running = await startApp({ dataDir, keepData: true });
      await running.api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30'] });
      await running.api.post('/v1/treatments', { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'd', procedure: 'scaling', completedAt: '2026-11-23T06:00:00Z', patient: { name: '王伟', phone: '+86 138 0013 8000' } });
      expect(modeOf(dataDir).toString(8)).toBe('700');
      const files = readdirSync(dataDir);
      expect(files).toEqual(expect.arrayContaining(['events.sqlite', 'keys.sqlite', 'read-models.sqlite', 'auth-secret']));
      // While running (the -wal and -shm files exist) and after closing.
      const open = files.map((f) => [f, modeOf(join(dataDir, f)).toString(8)]);
      await running.close();
      const closed = readdirSync(dataDir).map((f) => [f, modeOf(join(dataDir, f)).toString(8)]);
      expect(open.filter(([, mode]) => mode !== '600')).toEqual([]);
      expect(closed.filter(([, mode]) => mode !== '600')).toEqual([]);
    } finally {
      process.umask(umask);
      temp.remove();
    }
  });

  it('narrows a DATA_DIR an older version left 0755 with 0644 files', async () => {
    const temp = makeTempDir();
    try {
      const first = await startApp({ dataDir: temp.path, keepData: true });
      await first.close();
      const { chmodSync } = await import('node:fs');
      chmodSync(temp.path, 0o755);
      for (const f of readdirSync(temp.path)) chmodSync(join(temp.path, f), 0o644);
      const again = await startApp({ dataDir: temp.path, keepData: true });
      await again.close();
      expect(modeOf(temp.path).toString(8)).toBe('700');
      expect(readdirSync(temp.path).filter((f) => modeOf(join(temp.path, f)) !== 0o600)).toEqual([]);
    } finally {
      temp.remove();
    }
  });
});

describe('one server per DATA_DIR unless configured for several processes', () => {
  it('refuses a second server in the same process with a message that says what to do', async () => {
    const temp = makeTempDir();
    const running = await startApp({ dataDir: temp.path, keepData: true });
    try {
      const second = createApp({ config: { ...configFromEnv({}), dataDir: temp.path, port: 0 }, logger: false });
      await expect(second).rejects.toThrow(DataDirInUseError);
      await expect(createApp({ config: { ...configFromEnv({}), dataDir: temp.path, port: 0 }, logger: false })).rejects.toThrow(/in use by another Rapport process.*PROJECTOR=external/);
    } finally {
      await running.close();
      temp.remove();
    }
  });

  it('two servers started at the same moment: one runs, the other exits saying why (no raw SQLITE_BUSY); after a SIGKILL the next one starts', async () => {
    const temp = makeTempDir();
    const servers = [await ServerProcess.create(temp.path), await ServerProcess.create(temp.path)];
    try {
      const results = await Promise.allSettled(servers.map((s) => s.start()));
      const started = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect({ started: started.length, refused: refused.length }).toEqual({ started: 1, refused: 1 });
      const reason = String(refused[0]!.reason);
      expect(reason).toMatch(/is in use by another Rapport process/);
      expect(reason).not.toMatch(/SQLITE_BUSY/);
      const winner = servers[results.findIndex((r) => r.status === 'fulfilled')]!;
      expect((await winner.api.get('/health')).status).toBe(200);
      // A killed owner leaves its lock behind; the next server sees its process is gone and takes over.
      await winner.kill();
      const next = servers[results.findIndex((r) => r.status === 'rejected')]!;
      await next.start();
      expect((await next.api.get('/health')).status).toBe(200);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      temp.remove();
    }
  });
});
