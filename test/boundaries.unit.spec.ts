import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The architecture's boundaries, checked on every import of the tree (docs/architecture.md):
 * dependencies point inward, libs never import apps, one app never imports another, and a unit
 * reaches another unit only through its `@rapport/<lib>` alias, never by a relative path.
 */
const ROOT = resolve(__dirname, '..');

/** Which libs each lib may import. A new edge is a design decision: add it here on purpose. */
const LIB_DEPENDENCIES: Record<string, readonly string[]> = {
  domain: [],
  config: [],
  'event-store': ['domain'],
  access: ['config', 'event-store'],
  audit: ['domain', 'event-store'],
  projections: ['audit', 'config', 'domain', 'event-store'],
};
/** Outside packages the pure domain may use: time as a value, and property tests in its specs. */
const DOMAIN_PACKAGES = ['temporal-polyfill'];
const DOMAIN_SPEC_PACKAGES = ['fast-check', '@jest/globals'];

export interface ImportEdge {
  from: string; // repo-relative file
  specifier: string;
}

/** The unit a repo-relative path belongs to: `libs/<name>`, `apps/<name>`, or its top folder. */
export function unitOf(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'libs' || parts[0] === 'apps' ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** What is wrong with one import, or undefined when it keeps to the boundaries. */
export function boundaryProblem({ from, specifier }: ImportEdge): string | undefined {
  const unit = unitOf(from);
  const isSpec = /\.spec\.ts$|\/test\//.test(from);
  if (specifier.startsWith('.')) {
    const target = relative(ROOT, resolve(ROOT, dirname(from), specifier)).split(sep).join('/');
    const targetUnit = unitOf(target);
    if (targetUnit === unit) return undefined;
    if (isSpec && target.startsWith('test/support/')) return undefined; // shared test fixtures
    if (target.startsWith('libs/') && (unit.startsWith('libs/') || unit.startsWith('apps/'))) return `reaches ${targetUnit} by a relative path; import '@rapport/${targetUnit.slice(5)}'`;
    if (target.startsWith('apps/') && unit.startsWith('libs/')) return `a lib imports an app (${target})`;
    if (target.startsWith('apps/') && unit.startsWith('apps/')) return `one app imports another (${target})`;
    if (unit.startsWith('libs/') || unit.startsWith('apps/')) return `reaches outside apps/ and libs/ (${target})`;
    return undefined; // test/ and bench/ are harnesses: they may drive any unit
  }
  const alias = /^@rapport\/([a-z-]+)/.exec(specifier);
  if (alias) {
    const lib = alias[1]!;
    if (!(lib in LIB_DEPENDENCIES)) return `no lib named ${lib}`;
    if (!unit.startsWith('libs/')) return undefined;
    const own = unit.slice(5);
    if (lib === own) return isSpec ? undefined : `libs/${own} imports itself through its alias; use a relative path`;
    if (!(LIB_DEPENDENCIES[own] ?? []).includes(lib)) return `libs/${own} may not depend on libs/${lib}`;
    return undefined;
  }
  // The application layer is what the API, the demo and the bench share: no framework in it.
  if (from.startsWith('apps/api/src/application/') && !isSpec && /^@nestjs\//.test(specifier)) return `the application layer is framework-free: it may not import ${specifier}`;
  if (unit === 'libs/domain') {
    const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
    const allowed = isSpec ? [...DOMAIN_PACKAGES, ...DOMAIN_SPEC_PACKAGES] : DOMAIN_PACKAGES;
    if (!allowed.includes(pkg)) return `the domain is pure: it may not import ${specifier}`;
  }
  return undefined;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'peer') return [];
    return statSync(path).isDirectory() ? tsFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(file, 'utf8');
  const from = relative(ROOT, file).split(sep).join('/');
  const pattern = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|\bjest\.mock\s*\(\s*)['"]([^'"]+)['"]/g;
  return [...text.matchAll(pattern)].map((m) => ({ from, specifier: m[1]! }));
}

describe('the boundaries of the architecture', () => {
  const edges = ['apps', 'libs', 'test', 'bench'].flatMap((dir) => tsFiles(join(ROOT, dir))).flatMap(importsOf);

  it('reads the whole tree', () => {
    expect(edges.filter((e) => e.specifier.startsWith('@rapport/')).length).toBeGreaterThan(50);
  });

  it('holds for every import in apps/, libs/, test/ and bench/', () => {
    const broken = edges.flatMap((edge) => {
      const problem = boundaryProblem(edge);
      return problem ? [`${edge.from}: '${edge.specifier}' — ${problem}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it.each<[ImportEdge, RegExp]>([
    [{ from: 'libs/domain/src/x.ts', specifier: '@rapport/event-store' }, /may not depend/],
    [{ from: 'libs/domain/src/x.ts', specifier: '@nestjs/common' }, /domain is pure/],
    [{ from: 'libs/domain/src/x.ts', specifier: 'node:fs' }, /domain is pure/],
    [{ from: 'libs/event-store/src/x.ts', specifier: '@rapport/projections' }, /may not depend/],
    [{ from: 'libs/projections/src/x.ts', specifier: '../../../apps/api/src/config' }, /lib imports an app/],
    [{ from: 'apps/projector/src/main.ts', specifier: '../../api/src/config' }, /one app imports another/],
    [{ from: 'apps/api/src/x.ts', specifier: '../../../libs/domain/src' }, /relative path/],
    [{ from: 'apps/api/src/x.ts', specifier: '@rapport/nowhere' }, /no lib named/],
    [{ from: 'apps/api/src/application/recording.ts', specifier: '@nestjs/common' }, /framework-free/],
  ])('refuses %o', (edge, problem) => {
    expect(boundaryProblem(edge)).toMatch(problem);
  });

  it.each<ImportEdge>([
    { from: 'apps/api/src/x.ts', specifier: '@rapport/domain' },
    { from: 'apps/api/src/a/x.ts', specifier: '../b/y' },
    { from: 'libs/projections/src/x.ts', specifier: '@rapport/event-store' },
    { from: 'libs/domain/src/x.ts', specifier: 'temporal-polyfill' },
    { from: 'test/e2e/x.spec.ts', specifier: '../../apps/api/src/demo/demo-month' },
  ])('allows %o', (edge) => {
    expect(boundaryProblem(edge)).toBeUndefined();
  });
});
