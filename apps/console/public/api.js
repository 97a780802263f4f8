// The console talks to the same HTTP API as every other client; nothing here is privileged.
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
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

export async function api(method, path, body, extraHeaders = {}) {
  const current = session();
  const headers = { accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (current?.token) headers.authorization = `Bearer ${current.token}`;
  if (method !== 'GET') headers['idempotency-key'] = crypto.randomUUID();
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const parsed = await bodyOf(response);
  if (!response.ok) throw new ApiError(response.status, parsed);
  return { body: parsed, position: response.headers.get('x-rapport-position'), etag: response.headers.get('etag') };
}

/** The answer as JSON, or as text when it is not JSON. */
async function bodyOf(response) {
  const text = await response.text();
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
  const response = await fetch(path, { headers: current?.token ? { authorization: `Bearer ${current.token}` } : {} });
  if (!response.ok) throw new ApiError(response.status, await bodyOf(response));
  const blob = await response.blob();
  const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = named ?? filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}
