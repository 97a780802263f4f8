import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
let staleness: string | undefined | null = null;

/** The first source under apps/ and libs/ (specs and test folders aside) whose dist/ output is missing or older. */
function staleSource(): string | undefined {
  if (staleness !== null) return staleness;
  const walk = (dir: string): string | undefined => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || entry.name === 'test') continue;
        const found = walk(path);
        if (found) return found;
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.spec.ts')) {
        const output = join(ROOT, 'dist', relative(ROOT, path)).replace(/\.ts$/, '.js');
        if (!existsSync(output)) return `${relative(ROOT, output)} is missing (from ${relative(ROOT, path)})`;
        if (statSync(output).mtimeMs < statSync(path).mtimeMs) return `${relative(ROOT, output)} is older than ${relative(ROOT, path)}`;
      }
    }
    return undefined;
  };
  const found = ['apps', 'libs'].map((top) => walk(join(ROOT, top))).find(Boolean);
  return (staleness = found);
}

/**
 * The path of a built entry point under dist/ (e.g. 'apps/api/src/main.js'), after checking that
 * every source under apps/ and libs/ has its compiled file there, no older than the source: a test
 * that spawns dist/ must run the code as it is now, not an older build. `npm test` builds first; a
 * lone `npx jest test/fault/…` needs `npm run build` first, and fails saying so.
 */
export function builtEntryPoint(entry: string): string {
  const file = join(ROOT, 'dist', entry);
  if (!existsSync(file)) throw new Error(`${relative(ROOT, file)} is missing: run npm run build first (npm test builds it)`);
  const stale = staleSource();
  if (stale) throw new Error(`dist/ is not built from the current sources (${stale}): run npm run build first (npm test builds it)`);
  return file;
}
