import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { configFromEnv } from '@rapport/config';

/**
 * docker/docker-compose.yml against the code: the services and ports are there, every variable the
 * compose file sets for our processes is one the code reads, and every variable the code requires
 * in this configuration is set. No Docker is needed: the file is read, not run.
 */
const ROOT = join(__dirname, '..');
const compose = parseYaml(readFileSync(join(ROOT, 'docker', 'docker-compose.yml'), 'utf8')) as Compose;
const dockerfile = readFileSync(join(ROOT, 'docker', 'Dockerfile'), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: string };
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const services = compose.services;
const api = services.api;
const projector = services.projector;

describe('docker/docker-compose.yml', () => {
  it('runs EventStoreDB, PostgreSQL, the API and the projector', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'eventstore', 'postgres', 'projector']);
    expect(services.eventstore.image).toMatch(/^eventstore\/eventstore:\d+\.\d+/);
    expect(services.postgres.image).toMatch(/^postgres:\d+/);
    for (const service of Object.values(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) expect(Object.keys(services)).toContain(dependency);
    }
  });

  it('starts EventStoreDB with its system projections, so $ce-patient and $ce-clinic exist', () => {
    expect(services.eventstore.environment).toMatchObject({
      EVENTSTORE_RUN_PROJECTIONS: 'All',
      EVENTSTORE_START_STANDARD_PROJECTIONS: 'true',
      EVENTSTORE_INSECURE: 'true',
    });
    expect(services.eventstore.ports).toContain('2113:2113');
  });

  it('runs two replicas of the API and of the projector (issue 18)', () => {
    expect([api.deploy?.replicas, projector.deploy?.replicas]).toEqual(['2', '2']);
  });

  it('publishes each API replica on a host port of its own, from the port it listens on, on all interfaces', () => {
    const config = configFromEnv(api.environment);
    expect(config.host).toBe('0.0.0.0');
    const replicas = Number(api.deploy!.replicas);
    expect(api.ports).toEqual([`${config.port}-${config.port + replicas - 1}:${config.port}`]);
  });

  it('points the API at EventStoreDB and PostgreSQL as the compose file runs them', () => {
    const config = configFromEnv(api.environment);
    expect(config).toMatchObject({ eventStore: 'esdb', readStore: 'postgres', projector: 'external' });
    const eventStoreUrl = new URL(config.eventStoreUrl!);
    expect(eventStoreUrl.protocol).toBe('esdb:');
    expect(eventStoreUrl.hostname).toBe('eventstore');
    expect(services.eventstore.ports!.map((p) => p.split(':')[1])).toContain(eventStoreUrl.port);
    // EventStoreDB runs insecure here, so the client must not try TLS.
    expect(eventStoreUrl.searchParams.get('tls')).toBe('false');

    const databaseUrl = new URL(config.databaseUrl!);
    const postgres = services.postgres.environment!;
    expect(databaseUrl.hostname).toBe('postgres');
    expect(databaseUrl.port).toBe('5432');
    expect([databaseUrl.username, databaseUrl.password, databaseUrl.pathname]).toEqual([
      postgres.POSTGRES_USER,
      postgres.POSTGRES_PASSWORD,
      `/${postgres.POSTGRES_DB}`,
    ]);
    expect(Object.keys(api.depends_on!).sort()).toEqual(['eventstore', 'postgres']);
  });

  it('runs the projector from the same image on the same stores', () => {
    expect(projector.image).toBe(api.image);
    expect(projector.build).toEqual(api.build);
    expect(projector.command).toBe('node dist/apps/projector/src/main.js');
    expect(existsSync(join(ROOT, 'apps', 'projector', 'src', 'main.ts'))).toBe(true);
    for (const name of ['EVENT_STORE', 'EVENTSTORE_URL', 'READ_STORE', 'DATABASE_URL', 'KEY_STORE', 'KEY_ENCRYPTION_KEY', 'DATA_DIR']) {
      expect([name, projector.environment![name]]).toEqual([name, api.environment![name]]);
    }
    expect(() => configFromEnv(projector.environment)).not.toThrow();
  });

  it("shares no DATA_DIR between replicas: the patients' keys are in PostgreSQL, the token secret and master key in the environment", () => {
    const dataDir = api.environment!.DATA_DIR;
    // An anonymous volume: each replica's own (a shared one would hold one data-dir lock for all).
    expect(api.volumes).toEqual([dataDir]);
    expect(projector.volumes).toEqual([projector.environment!.DATA_DIR]);
    expect(dockerfile).toContain(`mkdir -p ${dataDir} && chown node:node ${dataDir}`);
    expect(configFromEnv(api.environment)).toMatchObject({ keyStore: 'postgres', keyDatabaseUrl: api.environment!.DATABASE_URL });
    for (const env of [api.environment!, projector.environment!]) expect(env.KEY_ENCRYPTION_KEY).toMatch(/^\$\{KEY_ENCRYPTION_KEY:\?.+\}$/);
    expect(api.environment!.AUTH_JWT_SECRET).toMatch(/^\$\{AUTH_JWT_SECRET:\?.+\}$/);
  });

  it('sets only variables the code reads', () => {
    const read = variablesTheCodeReads();
    for (const [service, env] of [['api', api.environment!], ['projector', projector.environment!]] as const) {
      const unknown = Object.keys(env).filter((name) => !read.has(name));
      expect({ service, unknown }).toEqual({ service, unknown: [] });
    }
  });

  it('sets every variable the code requires in this configuration, for both processes', () => {
    // A variable is required when leaving it out makes the configuration refuse to start.
    const required = Object.keys(api.environment!).filter((name) => {
      const { [name]: _left, ...rest } = api.environment!;
      try {
        configFromEnv(rest);
        return false;
      } catch {
        return true;
      }
    });
    expect(required.sort()).toEqual(['DATABASE_URL', 'EVENTSTORE_URL', 'KEY_ENCRYPTION_KEY']);
    for (const name of required) expect(projector.environment).toHaveProperty(name);
  });

  it('builds the image the compose file runs: Node 20, npm ci, the build, and the entry points it starts', () => {
    expect(api.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    expect(dockerfile).toMatch(/^FROM node:20\S* AS build$/m);
    expect(dockerfile).toMatch(/^RUN npm ci$/m);
    expect(dockerfile).toMatch(/^RUN npm run build/m);
    expect(dockerfile).toContain('CMD ["node", "dist/apps/api/src/main.js"]');
    expect(api.command).toBe('node dist/apps/api/src/main.js');
    expect(existsSync(join(ROOT, 'apps', 'api', 'src', 'main.ts'))).toBe(true);
    // `npm run build` is what puts apps/*/src/main.ts at dist/apps/*/src/main.js.
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    // tsc-alias turns the @rapport/<lib> imports into relative requires, so node runs dist/ as it is.
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.build.json && tsc-alias -p tsconfig.build.json');
    expect(JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
  });
});

describe('the minimal YAML reader used above', () => {
  it('reads the block subset the compose file is written in', () => {
    expect(
      parseYaml(
        [
          '# comment',
          'name: x',
          'a:',
          '  b: "quoted # not a comment"',
          "  c: 'single'",
          '  list:',
          '    - one',
          '    - "two: 2"',
          '  empty: {}',
          '  nothing:',
          'd: 5 # trailing comment',
        ].join('\n'),
      ),
    ).toEqual({ name: 'x', a: { b: 'quoted # not a comment', c: 'single', list: ['one', 'two: 2'], empty: {}, nothing: null }, d: '5' });
  });

  it('refuses what it does not understand rather than misread it', () => {
    expect(() => parseYaml('a: &anchor 1')).toThrow(/not supported/);
    expect(() => parseYaml('a:\n  - b: 1')).toThrow(/not supported/);
    expect(() => parseYaml('a: [1, 2]')).toThrow(/not supported/);
  });
});

/** Every `env.NAME` / `process.env.NAME` / `env['NAME']` in the application and library sources. */
function variablesTheCodeReads(): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'apps')).concat(sourceFiles(join(ROOT, 'libs')))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b|\benv\[['"]([A-Z][A-Z0-9_]*)['"]\]/g)) names.add(match[1] ?? match[2]);
  }
  return names;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'test' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * The block-style YAML subset docker-compose.yml is kept in: nested maps by indentation, lists of
 * scalars, quoted or plain scalars (all read as strings), `{}`, comments. Anything else throws, so
 * the file cannot drift into something this reader would misread.
 */
function parseYaml(text: string): unknown {
  const lines = text
    .split('\n')
    .map((raw) => ({ indent: raw.length - raw.trimStart().length, content: stripComment(raw.trim()) }))
    .filter((line) => line.content !== '');
  let index = 0;

  const block = (indent: number): unknown => {
    if (lines[index].content.startsWith('- ')) {
      const list: string[] = [];
      while (index < lines.length && lines[index].indent === indent && lines[index].content.startsWith('- ')) {
        const item = lines[index].content.slice(2).trim();
        if (/^[^"']*:(\s|$)/.test(item)) throw new Error(`YAML: maps inside lists are not supported: ${item}`);
        list.push(scalar(item) as string);
        index++;
      }
      return list;
    }
    const map: Record<string, unknown> = {};
    while (index < lines.length && lines[index].indent === indent) {
      const { content } = lines[index];
      const colon = content.indexOf(':');
      if (colon <= 0) throw new Error(`YAML: expected "key: value", got: ${content}`);
      const key = content.slice(0, colon).trim();
      const rest = content.slice(colon + 1).trim();
      index++;
      if (rest !== '') map[key] = scalar(rest);
      else if (index < lines.length && lines[index].indent > indent) map[key] = block(lines[index].indent);
      else map[key] = null;
    }
    if (index < lines.length && lines[index].indent > indent) throw new Error(`YAML: unexpected indentation at: ${lines[index].content}`);
    return map;
  };

  const result = block(0);
  if (index !== lines.length) throw new Error(`YAML: could not read from: ${lines[index].content}`);
  return result;
}

function scalar(value: string): unknown {
  if (value === '{}') return {};
  if (value === '[]') return [];
  const quoted = /^"(.*)"$/.exec(value) ?? /^'(.*)'$/.exec(value);
  if (quoted) return quoted[1];
  if (/^[&*!|>[{]/.test(value)) throw new Error(`YAML: ${value} is not supported by this reader`);
  return value;
}

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ')) return line.slice(0, i).trimEnd();
  }
  return line;
}
