import fc from 'fast-check';

/**
 * Hostile request bodies: what a broken client, a fuzzer or an attacker sends. Most start from a
 * valid body and break one to three things in it, so they get past the first check and reach the
 * deeper ones; the rest are wholly wrong. Bodies are JSON text (some deliberately not JSON).
 */

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

const oddCharacter = fc.constantFrom(
  '\u0000', '\u0007', '\ud800', '\udfff', '\ud83d', '\u202e', '\u200b', '\ufeff', '\uffff', '\u0301', '\u2028',
  '𝕏', '👩‍👩‍👧', '王', '\n', '\r', '\t', '"', '\\', '/', '<', '%', '$', '{', '.', '-', '_', ' ', 'A', '9',
);

/** Lone surrogates, bidi overrides, NULs, combining marks, emoji, quotes and escapes. */
export const oddUnicode = fc.string({ unit: oddCharacter, maxLength: 80 });

/** Mostly long-but-allowed, sometimes past every field limit, rarely past the 1 MiB body limit. */
export const hugeString = fc
  .tuple(fc.constantFrom(65, 141, 501, 2_001, 4_001, 20_000, 300_000, 1_100_000), fc.constantFrom('x', '王', '\ud800', '9'))
  .map(([length, unit]) => unit.repeat(length));

export const numberAsString = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('NaN', 'Infinity', '-0', '1e309', '0x10', '3', '1', '5', ' 3 ', '3.0', ''),
);

export const oddNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(-1, 0, -0, 0.5, 1e308, -1e308, 2 ** 53 + 1, 86_401, 6, 1e-300),
);

/** JSON text already serialized (deep nesting is written as text, not built as objects). */
class Fragment {
  constructor(readonly json: string) {}
}

/** An object whose members are written in this order, duplicates and `__proto__` included. */
class Members {
  constructor(readonly members: [string, unknown][]) {}
}

/** `[[[[…]]]]` / `{"a":{"a":…}}` nested `depth` deep, as a JSON fragment. */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const deepValue = fc
  .tuple(fc.integer({ min: 20, max: 20_000 }), fc.constantFrom<'array' | 'object'>('array', 'object'))
  .map(([depth, kind]) => new Fragment(deepJson(depth, kind)));

const protoObject = fc.dictionary(fc.constantFrom(...PROTO_KEYS), fc.oneof(fc.constant({ polluted: true }), fc.anything({ maxDepth: 2 })), { minKeys: 1 });

/** One field's value. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(null, true, false, {}, [], '', ' '), weight: 3 },
  { arbitrary: oddNumber, weight: 2 },
  { arbitrary: numberAsString, weight: 2 },
  { arbitrary: oddUnicode, weight: 3 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }), weight: 2 },
  { arbitrary: fc.object({ maxDepth: 2 }), weight: 2 },
  { arbitrary: fc.anything({ maxDepth: 3, withBoxedValues: false }), weight: 2 },
  { arbitrary: protoObject, weight: 2 },
  { arbitrary: deepValue, weight: 1 },
);

/** JSON text for a value: fragments as they are, member lists in their order, the rest by JSON.stringify. */
function toJson(value: unknown): string {
  if (value instanceof Fragment) return value.json;
  if (value instanceof Members) return `{${value.members.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  if (Array.isArray(value) && value.some((v) => v instanceof Fragment || v instanceof Members)) return `[${value.map(toJson).join(',')}]`;
  if (value && typeof value === 'object' && Object.values(value).some((v) => v instanceof Fragment || v instanceof Members)) {
    return toJson(new Members(Object.entries(value)));
  }
  return JSON.stringify(value) ?? 'null';
}

type Template = Record<string, unknown>;

/** Paths to every field of a template, nested ones too (`patient.phone`, `callWindows.0`). */
function fieldPaths(value: unknown, prefix: string[] = []): string[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => fieldPaths(v, [...prefix, String(i)]))].filter((p) => p.length > 0);
  if (value && typeof value === 'object') {
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => fieldPaths(v, [...prefix, k]))].filter((p) => p.length > 0);
  }
  return [prefix].filter((p) => p.length > 0);
}

type Edit = { kind: 'set'; path: string[]; value: unknown } | { kind: 'delete'; path: string[] } | { kind: 'add'; path: string[]; key: string; value: unknown };

/** Applies edits to a copy of the template and writes it as JSON text. */
function edited(template: Template, edits: Edit[]): string {
  const write = (value: unknown, path: string[], edit: Edit): unknown => {
    if (path.length === 0) {
      if (edit.kind === 'set') return new Fragment(toJson(edit.value));
      if (edit.kind === 'add' && value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Fragment)) {
        const members = value instanceof Members ? value.members : Object.entries(value);
        return new Members([[edit.key, edit.value], ...members]);
      }
      return value;
    }
    const [head, ...rest] = path;
    if (Array.isArray(value)) {
      const copy = [...value];
      if (rest.length === 0 && edit.kind === 'delete') copy.splice(Number(head), 1);
      else copy[Number(head)] = write(copy[Number(head)], rest, edit);
      return copy;
    }
    if (value instanceof Members || (value && typeof value === 'object' && !(value instanceof Fragment))) {
      const members = value instanceof Members ? value.members : Object.entries(value);
      const kept = members.filter(([k]) => !(rest.length === 0 && edit.kind === 'delete' && k === head));
      return new Members(kept.map(([k, v]) => [k, k === head ? write(v, rest, edit) : v]));
    }
    return value;
  };
  return toJson(edits.reduce<unknown>((value, edit) => write(value, edit.path, edit), template));
}

function editArbitrary(template: Template): fc.Arbitrary<Edit> {
  const paths = fieldPaths(template);
  const objectPaths: string[][] = [[], ...paths.filter((p) => {
    const v = p.reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], template);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  })];
  const add = fc.record({
    kind: fc.constant('add' as const),
    path: fc.constantFrom(...objectPaths),
    key: fc.oneof(fc.constantFrom(...PROTO_KEYS), oddUnicode, fc.string()),
    value: hostileValue,
  });
  // An endpoint without a template (one added since this test was written) gets unknown fields only.
  if (paths.length === 0) return add;
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...paths), value: hostileValue }), weight: 6 },
    { arbitrary: fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...paths) }), weight: 1 },
    { arbitrary: add, weight: 2 },
  );
}

/** Whole bodies that are wrong from the first byte. */
const wholeBody: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '', 'null', 'true', '0', '"text"', '[]', '{}', '[{}]', '{', '{"a":', '{"a":1,}', "{'a':1}", '\ufeff{}', 'NaN', '{"a":1}{"b":2}',
    '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"a":{"__proto__":{"polluted":true}}}',
  ),
  hostileValue.map(toJson),
  fc.string({ maxLength: 200 }),
  fc.integer({ min: 1_000, max: 60_000 }).map((depth) => deepJson(depth, 'array')),
);

export interface HostileRequest {
  /** JSON text, or not. */
  payload: string;
  contentType: string;
  /** Hostile path parameter values replace the valid ones in a few requests. */
  pathValue?: string;
  headers: Record<string, string>;
}

export function hostileRequest(template: Template, hasPathParameter: boolean): fc.Arbitrary<HostileRequest> {
  const payload = fc.oneof(
    { arbitrary: fc.array(editArbitrary(template), { minLength: 1, maxLength: 3 }).map((edits) => edited(template, edits)), weight: 7 },
    { arbitrary: wholeBody, weight: 3 },
  );
  const contentType = fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 18 },
    { arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data'), weight: 1 },
  );
  const pathValue = hasPathParameter
    ? fc.option(fc.oneof(oddUnicode, fc.constantFrom('..', '%2e%2e', 'a'.repeat(65), '__proto__', 'constructor', 'c 1')), { freq: 9 })
    : fc.constant(null);
  const headers = fc.record(
    {
      'idempotency-key': fc.oneof(fc.constantFrom('k1', 'k2', 'a'.repeat(300)), fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s))),
      'x-correlation-id': fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
    },
    { requiredKeys: [] },
  );
  return fc.record({ payload, contentType, pathValue, headers }).map(({ pathValue: p, ...rest }) => {
    const request: HostileRequest = { ...rest, ...(p === null ? {} : { pathValue: p }) };
    // fast-check prints a counterexample with this: keep megabyte bodies out of the test output.
    Object.defineProperty(request, fc.toStringMethod, { value: () => describeRequest(request), enumerable: false });
    return request;
  });
}

function describeRequest(request: HostileRequest): string {
  const payload = request.payload.length > 400 ? `${JSON.stringify(request.payload.slice(0, 400))}… (${request.payload.length} chars)` : JSON.stringify(request.payload);
  return `{ payload: ${payload}, contentType: ${JSON.stringify(request.contentType)}, pathValue: ${JSON.stringify(request.pathValue)}, headers: ${JSON.stringify(request.headers)} }`;
}

/** A path segment for any string, lone surrogates included (encodeURIComponent throws on those). */
export function pathSegment(value: string): string {
  return encodeURIComponent(value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}
