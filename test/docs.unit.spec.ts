import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { accessStream, clinicStream, EVENT_SCHEMA_VERSIONS, EVENT_SHAPES, eventShapeProblems, patientStream } from '@rapport/domain';
import * as access from '@rapport/access';

/**
 * The documentation against the code it describes: README.md starts a newcomer in under 200
 * lines; no doc names a file or links a page that is not there; docs/EVENTS.md has every event
 * type with exactly the fields of its shape and an example that passes it; the README's
 * configuration table has every variable the code reads; docs/api.md has exactly the routes the
 * controllers serve, with their roles and fields. Plain files and regular expressions: no build,
 * no server, no network.
 */
const ROOT = resolve(__dirname, '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

// ---------------------------------------------------------------------------------------------
// Markdown helpers

/** The text without fenced code blocks (their content is code, not prose with links and paths). */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```\s*$/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  return new Set([...prose(markdown).matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

/** A table's rows as cells (the header and separator dropped); `\|` inside a cell is not a border. */
function tableRows(lines: string[]): string[][] {
  return lines.slice(2).map((line) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim()),
  );
}

/** Every table in a piece of markdown: its header's first cell and its rows. */
function tablesOf(markdown: string): { header: string; rows: string[][] }[] {
  const tables: { header: string; rows: string[][] }[] = [];
  let current: string[] = [];
  for (const line of [...markdown.split('\n'), '']) {
    if (line.trim().startsWith('|')) current.push(line);
    else if (current.length > 0) {
      tables.push({ header: current[0]!.replace(/^\s*\|/, '').split('|')[0]!.trim(), rows: tableRows(current) });
      current = [];
    }
  }
  return tables;
}

const unticked = (cell: string) => cell.replace(/`/g, '').trim();

/** Sections of a markdown text that start at `### <title>` and end at the next heading of level 1–3. */
function sections(markdown: string, title: RegExp): { match: RegExpMatchArray; text: string }[] {
  const lines = markdown.split('\n');
  const found: { match: RegExpMatchArray; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = /^### (.+)$/.exec(lines[i]!)?.[1]?.match(title);
    if (!match) continue;
    let end = i + 1;
    while (end < lines.length && !/^#{1,3} /.test(lines[end]!)) end++;
    found.push({ match, text: lines.slice(i, end).join('\n') });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Files and links

/** Relative links of a doc that lead nowhere: a missing file, or a missing heading for `#anchor`. */
function brokenLinks(doc: string, markdown: string): string[] {
  const broken: string[] = [];
  for (const [, target] of prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target!)) continue; // http:, https:, mailto:
    const [path, anchor] = target!.split('#') as [string, string | undefined];
    const file = path === '' ? join(ROOT, doc) : resolve(dirname(join(ROOT, doc)), path);
    if (!existsSync(file)) broken.push(`${target} (no ${relative(ROOT, file)})`);
    else if (anchor && file.endsWith('.md') && !anchorsOf(readFileSync(file, 'utf8')).has(anchor)) broken.push(`${target} (no heading #${anchor})`);
  }
  return broken;
}

const REPO_PATH = /(?:^|[\s(=])((?:apps|libs|test|bench|docker|docs|scripts|\.ci)\/[A-Za-z0-9_.\-/<>*]*)/g;

/**
 * Repository paths named in inline code (`libs/domain/src/events.ts`, `bench/results/<timestamp>.json`);
 * a placeholder or a glob is checked up to the folder before it.
 */
function repoPathsIn(markdown: string): string[] {
  const paths: string[] = [];
  for (const [, span] of prose(markdown).matchAll(/`([^`\n]+)`/g)) {
    for (const [, raw] of span!.matchAll(REPO_PATH)) {
      const path = raw!.replace(/[.,:;]+$/, '');
      const wild = path.search(/[<*]/);
      paths.push(wild === -1 ? path : path.slice(0, path.lastIndexOf('/', wild) + 1));
    }
  }
  return paths;
}

describe('README.md and docs/', () => {
  it('README.md has fewer than 200 lines', () => {
    expect(read('README.md').replace(/\n$/, '').split('\n').length).toBeLessThan(200);
  });

  it('links the documents in docs/', () => {
    const readme = read('README.md');
    for (const doc of DOCS.filter((d) => d !== 'README.md')) expect(readme).toContain(`](${doc})`);
  });

  it.each(DOCS)('%s: every relative link leads to a file (and heading) that exists', (doc) => {
    expect(brokenLinks(doc, read(doc))).toEqual([]);
  });

  it.each(DOCS)('%s: every repository path it names in `code` exists', (doc) => {
    const paths = repoPathsIn(read(doc));
    expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('finds the paths and links it checks', () => {
    expect(repoPathsIn(read('README.md')).length).toBeGreaterThan(15);
    expect(repoPathsIn('`libs/nowhere/x.ts`, `npx jest test/docs.unit.spec.ts`, `bench/results/<timestamp>.json`')).toEqual([
      'libs/nowhere/x.ts',
      'test/docs.unit.spec.ts',
      'bench/results/',
    ]);
    expect(brokenLinks('README.md', 'see [x](docs/nothing-here.md) and [y](docs/api.md#no-such-heading)')).toHaveLength(2);
  });
});

// ---------------------------------------------------------------------------------------------
// docs/EVENTS.md

const catalogue = read('docs/EVENTS.md');
const eventSections = sections(catalogue, /^(\w+) \(v(\d+)\)$/).map(({ match, text }) => ({ type: match[1]!, version: Number(match[2]), text }));

/** The field table of an event's section, as `name` or `name ✓`, sorted. */
function documentedFields(section: string): string[] {
  const table = tablesOf(section).find((t) => t.header === 'field');
  if (!table) return [];
  return table.rows.map(([name, required]) => `${unticked(name!)}${required === '✓' ? ' ✓' : ''}`).sort();
}

/** The fields of a type's shape in the code, the same way. */
function shapeFields(type: string): string[] {
  const shape = EVENT_SHAPES[type as keyof typeof EVENT_SHAPES];
  return Object.keys(shape)
    .map((spec) => (spec.endsWith('?') ? spec.slice(0, -1) : `${spec} ✓`))
    .sort();
}

function exampleOf(section: string): unknown {
  const block = /```json\n([\s\S]*?)\n```/.exec(section);
  return block ? JSON.parse(block[1]!) : undefined;
}

describe('docs/EVENTS.md, the event catalogue', () => {
  it.each(Object.entries(EVENT_SCHEMA_VERSIONS))('has a section for %s at schema version %i', (type, version) => {
    expect(eventSections.filter((s) => s.type === type).map((s) => s.version)).toEqual([version]);
  });

  it('documents no event type the code does not have', () => {
    expect(eventSections.map((s) => s.type).filter((type) => !(type in EVENT_SCHEMA_VERSIONS))).toEqual([]);
  });

  it.each(Object.keys(EVENT_SHAPES))('%s: its field table lists exactly the fields of its shape, required ones with ✓', (type) => {
    const section = eventSections.find((s) => s.type === type);
    expect(documentedFields(section?.text ?? '')).toEqual(shapeFields(type));
  });

  it.each(Object.keys(EVENT_SHAPES))('%s: its JSON example parses and passes the shape check', (type) => {
    const section = eventSections.find((s) => s.type === type);
    const example = exampleOf(section?.text ?? '');
    expect(example).toEqual(expect.any(Object));
    expect(eventShapeProblems(type, example)).toEqual([]);
  });

  it('says which stream and category each event lands in', () => {
    const streams = /Stream `(patient-<patientId>|clinic-<clinicId>|access-<clinicId>)`[^.]*, category `(patient|clinic|access)`/;
    for (const { type, text } of eventSections) {
      const match = streams.exec(text);
      expect({ type, stream: match?.[1] }).toEqual({ type, stream: expect.any(String) });
      expect(match![1]!.split('-')[0]).toBe(match![2]);
    }
  });

  it('names the streams as the code builds them', () => {
    expect(patientStream('<patientId>')).toBe('patient-<patientId>');
    expect(clinicStream('<clinicId>')).toBe('clinic-<clinicId>');
    expect(accessStream('<clinicId>')).toBe('access-<clinicId>');
    expect(catalogue).toContain('| `patient-<patientId>` | `patient` |');
    expect(catalogue).toContain('| `clinic-<clinicId>` | `clinic` |');
    expect(catalogue).toContain('| `access-<clinicId>` | `access` |');
  });

  it('would notice a missing field, a wrong ✓ and a bad example', () => {
    const section = eventSections.find((s) => s.type === 'CallAttempted')!.text;
    expect(documentedFields(section.replace(/^\| notes \|.*\n/m, ''))).not.toEqual(shapeFields('CallAttempted'));
    expect(documentedFields(section.replace('| callerId | ✓ |', '| callerId | |'))).not.toEqual(shapeFields('CallAttempted'));
    expect(eventShapeProblems('CallAttempted', { ...(exampleOf(section) as object), outcome: 'maybe' })).not.toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The configuration table

/** Every `env.NAME`, `env['NAME']` and `fn('NAME', …)` in a file (config.ts reads some through a helper). */
function variablesIn(text: string): string[] {
  const pattern = /\benv\.([A-Z][A-Z0-9_]*)\b|\benv\[['"]([A-Z][A-Z0-9_]*)['"]\]|\b\w+\(\s*'([A-Z][A-Z0-9_]{2,})'\s*,|_ENV\s*=\s*'([A-Z][A-Z0-9_]*)'/g;
  return [...text.matchAll(pattern)].map((m) => (m[1] ?? m[2] ?? m[3] ?? m[4])!);
}

/** The non-test TypeScript of a folder. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'test' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

function configurationTable(readme: string): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Configuration')) ?? '';
  const table = tablesOf(section).find((t) => t.header === 'variable');
  return (table?.rows ?? []).map(([name]) => unticked(name!));
}

describe("README.md's configuration table", () => {
  const configVariables = [...new Set(variablesIn(read('libs/config/src/config.ts')))];
  const codeVariables = new Set([...configVariables, ...['apps', 'libs'].flatMap((dir) => sourceFiles(join(ROOT, dir))).flatMap((f) => variablesIn(readFileSync(f, 'utf8')))]);
  const documented = configurationTable(read('README.md'));

  it('finds the variables libs/config/src/config.ts reads', () => {
    expect(configVariables).toEqual(expect.arrayContaining(['PORT', 'HOST', 'DATA_DIR', 'EVENT_STORE', 'IDLE_TIMEOUT_MS', 'MAX_CONNECTIONS']));
    expect(configVariables.length).toBeGreaterThanOrEqual(18);
  });

  it('lists every variable libs/config/src/config.ts reads', () => {
    expect(configVariables.filter((name) => !documented.includes(name))).toEqual([]);
  });

  it('lists only variables the code reads, each once', () => {
    expect(documented.filter((name) => !codeVariables.has(name))).toEqual([]);
    expect(documented.filter((name, i) => documented.indexOf(name) !== i)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// docs/api.md against the controllers

interface Access {
  public: boolean;
  roles: string[];
  self?: string;
}

interface ControllerRoute {
  route: string; // "GET /v1/calls"
  file: string;
  access: Access;
  body?: string; // DTO class name
  query?: string;
}

const ROUTE_DECORATOR = /^\s+@(Get|Post|Put|Delete|Patch)\(\s*(?:'([^']*)')?\s*\)\s*$/;

function joinPath(prefix: string, path: string): string {
  const joined = `/${prefix}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** @Public, @Allow(...ROLE_LISTS or 'role'), @AllowSelf('param') in some decorator text; undefined when none is there. */
function accessIn(decorators: string): Access | undefined {
  const isPublic = /@Public\(\)/.test(decorators);
  const allow = /@Allow\(([^)]*)\)/.exec(decorators);
  const self = /@AllowSelf\(\s*'([^']+)'\s*\)/.exec(decorators)?.[1];
  if (!isPublic && !allow && !self) return undefined;
  const roles = (allow?.[1] ?? '').split(',').flatMap((arg) => {
    const spread = /^\s*\.\.\.(\w+)\s*$/.exec(arg);
    if (spread) {
      const list = (access as unknown as Record<string, unknown>)[spread[1]!];
      if (!Array.isArray(list)) throw new Error(`@Allow(...${spread[1]}): no such role list in @rapport/access`);
      return list as string[];
    }
    const literal = /^\s*'([^']+)'\s*$/.exec(arg);
    return literal ? [literal[1]!] : [];
  });
  return { public: isPublic, roles: [...new Set(roles)].sort(), ...(self ? { self } : {}) };
}

/** Every route of every controller under apps/api/src: method and path, access, body and query DTOs. */
function controllerRoutes(): ControllerRoute[] {
  const files = sourceFiles(join(ROOT, 'apps', 'api', 'src')).filter((f) => f.endsWith('.controller.ts'));
  return files.flatMap((file) => {
    const lines = readFileSync(file, 'utf8').split('\n');
    // The controller class: the first class after @Controller (a DTO may come before it in the file),
    // and its own decorators, the lines from the first decorator above @Controller down to the class.
    const controllerLine = lines.findIndex((l) => /^@Controller\(/.test(l));
    const classLine = lines.findIndex((l, i) => i > controllerLine && /^export class /.test(l));
    let headStart = controllerLine;
    while (headStart > 0 && lines[headStart - 1]!.startsWith('@')) headStart--;
    const head = lines.slice(headStart, classLine).join('\n');
    const prefix = /@Controller\(\s*(?:'([^']*)')?\s*\)/.exec(head)?.[1] ?? '';
    const classAccess = accessIn(head);
    const routes: ControllerRoute[] = [];
    for (let i = classLine; i < lines.length; i++) {
      const decorator = ROUTE_DECORATOR.exec(lines[i]!);
      if (!decorator) continue;
      // The method's decorators: single-line ones right above the route decorator, and all below it.
      let start = i;
      while (/^\s+@\w+\(.*\)\s*$/.test(lines[start - 1] ?? '') && !ROUTE_DECORATOR.test(lines[start - 1]!)) start--;
      let line = i + 1;
      let depth = 0;
      while (line < lines.length && (depth > 0 || lines[line]!.trim().startsWith('@'))) {
        depth += (lines[line]!.match(/[({[]/g) ?? []).length - (lines[line]!.match(/[)}\]]/g) ?? []).length;
        line++;
      }
      const decorators = lines.slice(start, line).join('\n');
      let end = line;
      while (end < lines.length && !/\{\s*$/.test(lines[end]!)) end++;
      const signature = lines.slice(line, end + 1).join('\n');
      const body = /@Body\(\)\s*\w+:\s*(\w+)/.exec(signature)?.[1];
      const query = /@Query\(\)\s*\w+:\s*(\w+)/.exec(signature)?.[1];
      routes.push({
        route: `${decorator[1]!.toUpperCase()} ${joinPath(prefix, decorator[2] ?? '')}`,
        file: relative(ROOT, file).split(sep).join('/'),
        access: accessIn(decorators) ?? classAccess ?? { public: false, roles: [] },
        ...(body ? { body } : {}),
        ...(query ? { query } : {}),
      });
    }
    return routes;
  });
}

/** The DTO classes of apps/api/src: their own fields (`name` or `name ✓`) and the class they extend. */
function dtoClasses(): Map<string, { fields: string[]; parent?: string }> {
  const classes = new Map<string, { fields: string[]; parent?: string }>();
  for (const file of sourceFiles(join(ROOT, 'apps', 'api', 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^export class (\w+)(?:\s+extends\s+(\w+))?\s*\{\n([\s\S]*?)^\}/gm)) {
      const fields = match[3]!
        .split('\n')
        .flatMap((line) => {
          const found = [...line.matchAll(/(?:^|\s)(\w+)([!?]):\s[^;]*;\s*$/g)].at(-1);
          return found ? [`${found[1]}${found[2] === '!' ? ' ✓' : ''}`] : [];
        });
      classes.set(match[1]!, { fields, ...(match[2] ? { parent: match[2] } : {}) });
    }
  }
  return classes;
}

function fieldsOf(dto: string, classes: Map<string, { fields: string[]; parent?: string }>): string[] {
  const found = classes.get(dto);
  if (!found) throw new Error(`no class ${dto} in apps/api/src`);
  return [...(found.parent ? fieldsOf(found.parent, classes) : []), ...found.fields].sort();
}

interface DocumentedRoute {
  route: string;
  roles: string[];
  public: boolean;
  self?: string;
  body?: string[];
  query?: string[];
}

/** The `### METHOD /path` sections of docs/api.md: the roles of their `Roles:` line, their field tables. */
function documentedRoutes(markdown: string): DocumentedRoute[] {
  return sections(markdown, /^(GET|POST|PUT|DELETE|PATCH) (\/\S*)$/).map(({ match, text }) => {
    // The clause after "Roles:", up to the end of its sentence (it may wrap) or its paragraph.
    const at = text.search(/^Roles: /m);
    const rolesClause = at === -1 ? '' : text.slice(at + 'Roles: '.length).split(/\.\s|\.$|\n\n/)[0]!;
    const ticked = [...rolesClause.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const fields = (header: string) => {
      const table = tablesOf(text).find((t) => t.header === header);
      return table ? table.rows.map(([name, required]) => `${unticked(name!)}${required === '✓' ? ' ✓' : ''}`).sort() : undefined;
    };
    const body = fields('body field');
    const query = fields('query parameter');
    const self = ticked.find((t) => t.startsWith(':'))?.slice(1);
    return {
      route: `${match[1]} ${match[2]}`,
      roles: ticked.filter((t) => (access.ROLES as readonly string[]).includes(t)).sort(),
      public: /^public\b/.test(rolesClause),
      ...(self ? { self } : {}),
      ...(body ? { body } : {}),
      ...(query ? { query } : {}),
    };
  });
}

/** What docs/api.md gets wrong about the code's routes (empty when nothing). */
function apiDocProblems(documented: DocumentedRoute[], routes: ControllerRoute[], classes: Map<string, { fields: string[]; parent?: string }>): string[] {
  const problems: string[] = [];
  const byRoute = new Map(documented.map((d) => [d.route, d]));
  for (const route of routes) {
    const doc = byRoute.get(route.route);
    if (!doc) {
      problems.push(`${route.route} (${route.file}) is not in docs/api.md`);
      continue;
    }
    const want = { public: route.access.public, roles: route.access.roles, self: route.access.self };
    const got = { public: doc.public, roles: doc.roles, self: doc.self };
    if (JSON.stringify(want) !== JSON.stringify(got)) problems.push(`${route.route}: roles ${JSON.stringify(got)} in docs/api.md, ${JSON.stringify(want)} in ${route.file}`);
    for (const part of ['body', 'query'] as const) {
      const dto = route[part];
      const wantFields = dto ? fieldsOf(dto, classes) : undefined;
      if (JSON.stringify(wantFields) !== JSON.stringify(doc[part])) {
        problems.push(`${route.route}: ${part} fields ${JSON.stringify(doc[part] ?? 'none')} in docs/api.md, ${JSON.stringify(wantFields ?? 'none')} in ${dto ?? route.file}`);
      }
    }
  }
  const served = new Set(routes.map((r) => r.route));
  for (const doc of documented) if (!served.has(doc.route)) problems.push(`${doc.route} is in docs/api.md but no controller serves it`);
  for (const [i, doc] of documented.entries()) if (documented.findIndex((d) => d.route === doc.route) !== i) problems.push(`${doc.route} is in docs/api.md twice`);
  return problems;
}

describe('docs/api.md, the HTTP contract', () => {
  const routes = controllerRoutes();
  const classes = dtoClasses();
  const documented = documentedRoutes(read('docs/api.md'));

  it('reads the controllers', () => {
    expect(routes.length).toBeGreaterThanOrEqual(25);
    expect(routes).toContainEqual({
      route: 'POST /v1/calls',
      file: 'apps/api/src/recording/recording.controller.ts',
      access: { public: false, roles: ['admin', 'caller', 'doctor', 'manager'] },
      body: 'RecordCallDto',
    });
    expect(routes.find((r) => r.route === 'GET /v1/doctors/:doctorId/queue')?.access).toEqual({ public: false, roles: ['admin', 'auditor', 'manager'], self: 'doctorId' });
    expect(routes.find((r) => r.route === 'GET /health')?.access.public).toBe(true);
    expect(fieldsOf('QueueQueryDto', classes)).toEqual(['at', 'callerId', 'limit', 'minPosition', 'role']);
  });

  it('gives every route a role line the code agrees with, and every route with a body or query its fields', () => {
    expect(routes.filter((r) => !r.access.public && r.access.roles.length === 0).map((r) => r.route)).toEqual([]);
    expect(apiDocProblems(documented, routes, classes)).toEqual([]);
  });

  it('would notice a route, a role or a field out of step', () => {
    const fake: ControllerRoute = { route: 'POST /v1/nowhere', file: 'x.controller.ts', access: { public: false, roles: ['admin'] } };
    expect(apiDocProblems(documented, [...routes, fake], classes)).toEqual([expect.stringContaining('POST /v1/nowhere')]);
    expect(apiDocProblems(documented.slice(1), routes, classes)).toHaveLength(1);
    const calls = documented.find((d) => d.route === 'POST /v1/calls')!;
    const tampered = documented.map((d) => (d === calls ? { ...d, roles: ['admin'], body: calls.body!.slice(1) } : d));
    expect(apiDocProblems(tampered, routes, classes)).toHaveLength(2);
  });
});
