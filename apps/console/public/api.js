// The console talks to the same HTTP API as every other client; nothing here is privileged.
export class ApiError extends Error {
  /** `status` 0: no answer came (the network failed, or the request was cut off). */
  constructor(status, body) {
    super(body?.message ?? (status ? `HTTP ${status}` : 'network'));
    this.status = status;
    this.body = body;
  }
}

export function session() {
  try {
    return JSON.parse(localStorage.getItem('rapport.session') ?? 'null');
  } catch {
    return null;
  }
}

export function saveSession(value) {
  if (value) localStorage.setItem('rapport.session', JSON.stringify(value));
  else localStorage.removeItem('rapport.session');
}

/** A random UUID; crypto.randomUUID where the page is a secure context, else made from random bytes. */
export function newKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One request. A command (not GET) carries an `Idempotency-Key`: the one given (a form sends the
 * same key again when it retries the same body, so a repeat records nothing twice), else a new one.
 */
export async function api(method, path, body, extraHeaders = {}, { idempotencyKey, token } = {}) {
  const current = session();
  const headers = { accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const bearer = token ?? current?.token;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (method !== 'GET') headers['idempotency-key'] = idempotencyKey ?? newKey();
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, { error: 'network', message: String(error?.message ?? error) });
  }
  const parsed = await bodyOf(response);
  if (!response.ok) throw new ApiError(response.status, parsed);
  return {
    body: parsed,
    position: response.headers.get('x-rapport-position'),
    etag: response.headers.get('etag'),
    replayed: response.headers.get('idempotent-replayed') === 'true',
  };
}

/** The answer as JSON, or as text when it is not JSON. */
async function bodyOf(response) {
  const text = await response.text().catch(() => '');
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** Read-your-writes: the next query waits until the projections have seen this position. */
export function withPosition(path, position) {
  if (!position) return path;
  return `${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`;
}

/**
 * Downloads an export (a CSV) with the bearer token: fetched, then handed to the browser as a file
 * named as the server says (Content-Disposition), else `filename`. A refusal throws an ApiError.
 */
export async function download(path, filename) {
  const current = session();
  let response;
  try {
    response = await fetch(path, { headers: current?.token ? { authorization: `Bearer ${current.token}` } : {} });
  } catch (error) {
    throw new ApiError(0, { error: 'network', message: String(error?.message ?? error) });
  }
  if (!response.ok) throw new ApiError(response.status, await bodyOf(response));
  const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  saveBlob(await response.blob(), named ?? filename);
}

/** Hands a file the page made (a CSV built from the JSON reports) to the browser. */
export function saveText(filename, text, type = 'text/csv;charset=utf-8') {
  saveBlob(new Blob([text], { type }), filename);
}

function saveBlob(blob, filename) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}
