import type { INestApplication } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { INSTANT_PATTERN, TIME_ZONE_PATTERN, ZONED_INSTANT_PATTERN } from './validation';

/**
 * The request bodies' schemas as the validation pipe enforces them, read from the DTOs'
 * class-validator decorators (the nest-cli plugin's class-validator shim does this at build
 * time; this app builds with tsc): types, bounds, patterns, enums, instants, which fields are
 * required, and `additionalProperties: false` (the pipe refuses unknown fields). An optional
 * field may be sent as null, which counts as not sent.
 */

type Schema = SchemaObject & Partial<ReferenceObject>;

/** The shared schemas the bodies' instants refer to. */
export const INSTANT_SCHEMAS: Record<string, SchemaObject> = {
  Instant: {
    type: 'string',
    format: 'date-time',
    pattern: INSTANT_PATTERN,
    description: 'An instant: RFC 3339 with seconds and `Z` or an offset, the year written 1900–2199. Answers give instants in UTC.',
    example: '2026-11-24T02:30:00Z',
  },
  ZonedDateTime: {
    type: 'string',
    pattern: ZONED_INSTANT_PATTERN,
    description: 'A local time with its zone (RFC 9557): the instant with its offset, then the IANA zone in brackets. A zone the tz database does not know is a 422 `time_zone_unknown`.',
    example: '2026-11-24T10:30:00+08:00[Asia/Shanghai]',
  },
  LocalTime: {
    type: 'object',
    description: 'A local time with its zone: `at` is the instant, `timeZone` where it is local (a zone the tz database does not know is a 422 `time_zone_unknown`).',
    properties: {
      at: { $ref: '#/components/schemas/Instant' },
      timeZone: { type: 'string', pattern: TIME_ZONE_PATTERN, maxLength: 64, example: 'Asia/Shanghai' },
    },
    required: ['at', 'timeZone'],
    additionalProperties: false,
  },
  Null: { type: 'object', nullable: true, enum: [null], description: 'null: as if the field were not sent' },
};

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
const INSTANT_FORMS = [ref('Instant'), ref('ZonedDateTime'), ref('LocalTime')];

/** The class-validator decorators this file turns into schema keywords (anything else: `unmappedConstraints`). */
const MAPPED = new Set([
  'isInt', 'isString', 'isBoolean', 'isArray', 'isObject', 'min', 'max', 'matches', 'hasText', 'isIn', 'maxLength', 'minLength',
  'arrayMaxSize', 'arrayMinSize', 'arrayUnique', 'isInstant', 'isWeekdayWindows',
]);

/** Every class with class-validator decorators of its own, and the given ones (a subclass that adds none), by name. */
function validatedClasses(extra: readonly Function[] = []): Map<string, Function> {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function | string, ValidationMetadata[]> };
  const classes = new Map<string, Function>();
  for (const target of [...storage.validationMetadatas.keys(), ...extra]) if (typeof target === 'function') classes.set(target.name, target);
  return classes;
}

/** The classes of every @Body() parameter of the app's controllers. */
export function bodyTypesOf(app: INestApplication): Function[] {
  const types = new Set<Function>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Function | undefined;
      if (!controller?.prototype) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { index: number }>;
        const paramTypes = (Reflect.getMetadata('design:paramtypes', controller.prototype, method) ?? []) as Function[];
        for (const [key, arg] of Object.entries(args)) {
          if (Number(key.split(':')[0]) === RouteParamtypes.BODY && paramTypes[arg.index]) types.add(paramTypes[arg.index]!);
        }
      }
    }
  }
  return [...types];
}

function metadataOf(target: Function): Map<string, ValidationMetadata[]> {
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of getMetadataStorage().getTargetValidationMetadatas(target, '', true, false)) {
    byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  }
  return byProperty;
}

/** The component schemas a request body can reach. */
export function requestSchemaNames(document: OpenAPIObject): Set<string> {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const found = new Set<string>();
  const visit = (schema: unknown): void => {
    if (!schema || typeof schema !== 'object') return;
    const reference = (schema as ReferenceObject).$ref;
    if (typeof reference === 'string') {
      const name = reference.replace('#/components/schemas/', '');
      if (!found.has(name)) {
        found.add(name);
        visit(schemas[name]);
      }
      return;
    }
    for (const value of Object.values(schema)) visit(value);
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Record<string, { requestBody?: unknown }>)) visit(operation?.requestBody);
  }
  return found;
}

/** Decorators on request DTOs that this file does not describe (the contract test expects none). */
export function unmappedConstraints(document: OpenAPIObject, bodyTypes: readonly Function[] = []): string[] {
  const classes = validatedClasses(bodyTypes);
  const unmapped: string[] = [];
  for (const name of requestSchemaNames(document)) {
    const target = classes.get(name);
    if (!target) continue;
    for (const [property, ms] of metadataOf(target)) {
      for (const m of ms) {
        if (m.type === ValidationTypes.CUSTOM_VALIDATION && !MAPPED.has(m.name ?? '')) unmapped.push(`${name}.${property}: ${m.name}`);
      }
    }
  }
  return unmapped;
}

/** Rewrites the request bodies' component schemas from their DTOs' validation decorators. */
export function describeRequestBodies(document: OpenAPIObject, bodyTypes: readonly Function[]): void {
  document.components ??= {};
  const schemas = (document.components.schemas ??= {}) as Record<string, Schema>;
  const classes = validatedClasses(bodyTypes);
  const names = requestSchemaNames(document);
  let instants = false;
  for (const name of names) {
    const target = classes.get(name);
    const schema = schemas[name];
    if (!target || !schema) continue;
    const properties = (schema.properties ??= {}) as Record<string, Schema>;
    const required: string[] = [];
    const validated = metadataOf(target);
    for (const [property, ms] of validated) {
      const optional = ms.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION);
      let described = constrained(properties[property] ?? {}, ms);
      if (ms.some((m) => m.name === 'isInstant')) instants = true;
      if (optional) described = nullable(described);
      else required.push(property);
      properties[property] = described;
    }
    // The whitelist refuses a field without a validator: the document must not offer it.
    for (const property of Object.keys(properties)) if (!validated.has(property)) delete properties[property];
    schema.type = 'object';
    schema.additionalProperties = false;
    if (required.length > 0) schema.required = required;
    else delete schema.required;
  }
  if (instants) Object.assign(schemas, INSTANT_SCHEMAS);
}

function constrained(original: Schema, ms: ValidationMetadata[]): Schema {
  // A request field's default is the server's when it is left out; client generators read
  // `default` as "always present" (openapi-typescript makes the field required), so it is told in words.
  const { default: fallback, ...rest } = original;
  let schema: Schema = fallback === undefined ? rest : { ...rest, description: [rest.description, `default ${JSON.stringify(fallback)}`].filter(Boolean).join('; ') };
  for (const m of ms) {
    if (m.name === 'isInstant') {
      const { description, example } = schema;
      const instant: Schema = { oneOf: INSTANT_FORMS };
      if (m.each) schema = { ...schema, type: 'array', items: instant };
      else schema = { ...(description ? { description } : {}), ...(example !== undefined ? { example } : {}), ...instant };
    }
  }
  for (const m of ms) {
    const target: Schema = m.each ? ((schema.items ??= {}) as Schema) : schema;
    const c = m.constraints ?? [];
    switch (m.name) {
      case 'isInt':
        target.type = 'integer';
        delete target.format;
        break;
      case 'isString':
        target.type = 'string';
        break;
      case 'isBoolean':
        target.type = 'boolean';
        break;
      case 'isArray':
        schema.type = 'array';
        break;
      case 'isObject':
        target.type = 'object';
        break;
      case 'min':
        target.minimum = Number(c[0]);
        break;
      case 'max':
        target.maximum = Number(c[0]);
        break;
      case 'matches':
        addPattern(target, (c[0] as RegExp).source);
        target.type ??= 'string';
        break;
      case 'hasText':
        addPattern(target, '\\S');
        target.type ??= 'string';
        break;
      case 'isIn':
        target.enum = [...(c[0] as unknown[])];
        target.type ??= typeof (c[0] as unknown[])[0] === 'number' ? 'number' : 'string';
        break;
      case 'maxLength':
        target.maxLength = Number(c[0]);
        break;
      case 'minLength':
        target.minLength = Number(c[0]);
        break;
      case 'arrayMaxSize':
        schema.maxItems = Number(c[0]);
        break;
      case 'arrayMinSize':
        schema.minItems = Number(c[0]);
        break;
      case 'arrayUnique':
        schema.uniqueItems = true;
        break;
    }
  }
  return schema;
}

/** JSON Schema has one `pattern` per schema: a second one goes in an allOf beside it. */
function addPattern(schema: Schema, pattern: string): void {
  if (schema.pattern === undefined || schema.pattern === pattern) {
    schema.pattern = pattern;
    return;
  }
  if (schema.allOf?.some((s: Schema) => s.pattern === pattern)) return;
  schema.allOf = [...(schema.allOf ?? []), { pattern }];
}

/** An optional field: null is taken as not sent. */
function nullable(schema: Schema): Schema {
  if (schema.oneOf) return { ...schema, oneOf: [...schema.oneOf, ref('Null')] };
  if (schema.$ref || (schema.allOf && !schema.type)) {
    const { $ref, allOf, ...rest } = schema;
    const value = $ref ? [{ $ref }] : allOf!;
    return { ...rest, anyOf: [...value, ref('Null')] };
  }
  // Without a type any JSON value is taken, null too.
  return schema.type ? { ...schema, nullable: true } : schema;
}
