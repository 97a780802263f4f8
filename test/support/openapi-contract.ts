import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Requests and answers checked against the OpenAPI document the app serves, with ajv (OpenAPI 3.0
 * schemas: `nullable` is ajv's own keyword; `example` is ignored). Answers are checked closed: an
 * object schema with properties takes no other field, so a field the server sends and the document
 * does not name is found (the document itself stays open for answers, so clients may be extended).
 */

type Json = Record<string, any>;

export interface Operation {
  /** `POST /v1/calls` */
  key: string;
  method: string;
  path: string;
  operation: Json;
}

export function operationsOf(document: Json): Operation[] {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, operation: operation as Json })),
  );
}

/** A deep copy whose every object schema with properties and no word on others refuses others. */
function closed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(closed);
  if (!value || typeof value !== 'object') return value;
  const copy: Json = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closed(v)]));
  if (copy.properties && typeof copy.properties === 'object' && copy.additionalProperties === undefined && !copy.allOf && !copy.anyOf && !copy.oneOf) copy.additionalProperties = false;
  return copy;
}

/** The same schema with its `#/components/...` references pointing into the document added to ajv as `doc`. */
function rooted(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rooted);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `doc${v}` : rooted(v)]));
}

function validatorFor(components: unknown): (schema: unknown) => ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'doc', components }, undefined, undefined, false);
  const cache = new Map<string, ValidateFunction>();
  return (schema) => {
    const key = JSON.stringify(schema);
    let validate = cache.get(key);
    if (!validate) cache.set(key, (validate = ajv.compile(rooted(schema) as object)));
    return validate;
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  /** The body as received. */
  text: string;
}

export class Contract {
  private readonly requestSchema: (schema: unknown) => ValidateFunction;
  private readonly responseSchema: (schema: unknown) => ValidateFunction;

  constructor(readonly document: Json) {
    this.requestSchema = validatorFor(document.components);
    this.responseSchema = validatorFor(closed(document.components));
  }

  /** Why a JSON body is not one the operation's request body allows ([] when it is). */
  bodyProblems(op: Operation, body: unknown): string[] {
    const schema = op.operation.requestBody?.content?.['application/json']?.schema;
    if (!schema) return body === undefined ? [] : ['the operation takes no body'];
    const validate = this.requestSchema(schema);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || 'body'} ${e.message} ${JSON.stringify(e.params)}`);
  }

  /** Why a query value is not one the operation's parameter allows ([] when it is). */
  parameterProblems(op: Operation, where: 'query' | 'path' | 'header', name: string, value: string): string[] {
    const parameter = (op.operation.parameters as Json[] | undefined)?.find((p) => p.in === where && p.name.toLowerCase() === name.toLowerCase());
    if (!parameter) return [`${where} parameter ${name} is not in the document`];
    const validate = this.requestSchema(parameter.schema ?? {});
    return validate(coerce(value, parameter.schema)) ? [] : (validate.errors ?? []).map((e) => `${name} ${e.message}`);
  }

  /** Everything about an answer the document does not allow: its status, content type, body, headers. */
  answerProblems(op: Operation, answer: Answer): string[] {
    const declared = op.operation.responses?.[String(answer.status)] as Json | undefined;
    if (!declared) return [`${op.key}: status ${answer.status} is not declared (declared: ${Object.keys(op.operation.responses ?? {}).join(', ')}); body ${answer.text.slice(0, 200)}`];
    const problems: string[] = [];
    for (const [name, header] of Object.entries((declared.headers ?? {}) as Record<string, Json>)) {
      const value = answer.headers.get(name);
      if (value === null) {
        if (header.required) problems.push(`${op.key} ${answer.status}: header ${name} is required and missing`);
        continue;
      }
      const validate = this.responseSchema(header.schema ?? {});
      if (!validate(coerce(value, header.schema))) problems.push(`${op.key} ${answer.status}: header ${name}: ${JSON.stringify(value)} ${validate.errors?.map((e) => e.message).join('; ')}`);
    }
    const content = declared.content as Record<string, Json> | undefined;
    if (!content) {
      if (answer.text !== '') problems.push(`${op.key} ${answer.status}: a body the document does not declare`);
      return problems;
    }
    const type = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const media = content[type];
    if (!media) return [...problems, `${op.key} ${answer.status}: content type ${type} is not declared (${Object.keys(content).join(', ')})`];
    if (type !== 'application/json') {
      const validate = this.responseSchema(media.schema ?? {});
      if (!validate(answer.text)) problems.push(`${op.key} ${answer.status} ${type}: ${validate.errors?.map((e) => e.message).join('; ')}`);
      return problems;
    }
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      return [...problems, `${op.key} ${answer.status}: not JSON: ${answer.text.slice(0, 100)}`];
    }
    const validate = this.responseSchema(media.schema ?? {});
    if (!validate(body)) {
      problems.push(...(validate.errors ?? []).map((e) => `${op.key} ${answer.status}: body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
    }
    return problems;
  }
}

/** A header or query value (always a string on the wire) as the type its schema names. */
function coerce(value: string, schema: Json | undefined): unknown {
  const type = schema?.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
