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
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return { body: parsed, position: response.headers.get('x-rapport-position') };
}

/** Read-your-writes: the next query waits until the projections have seen this position. */
export function withPosition(path, position) {
  if (!position) return path;
  return `${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`;
}
