import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Emmett peer lives in bench/peer with its own package.json and lock (it needs
 * --legacy-peer-deps, which the root project must not). Installed on first use; its sqlite3
 * driver compiles with node-gyp, which takes a minute or two once.
 * Returns why the peer cannot run, or undefined when it can.
 */
export function ensurePeer(repoRoot: string, log: (message: string) => void): string | undefined {
  const peerDir = join(repoRoot, 'bench', 'peer');
  if (!existsSync(join(peerDir, 'node_modules', '@event-driven-io', 'emmett-sqlite'))) {
    log('Installing the Emmett peer: npm ci in bench/peer (sqlite3 compiles with node-gyp the first time, ~2 min)…');
    const install = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: peerDir,
      stdio: ['ignore', 2, 2],
    });
    if (install.status !== 0) return `npm ci in bench/peer failed (exit ${install.status ?? install.signal}); see the output above`;
  }
  const probe = spawnSync(process.execPath, ['-e', "require('sqlite3'); require('@event-driven-io/emmett-sqlite')"], { cwd: peerDir, encoding: 'utf8' });
  if (probe.status !== 0) return `the peer does not load (sqlite3 native module?): ${probe.stderr.trim().split('\n')[0]}`;
  return undefined;
}
