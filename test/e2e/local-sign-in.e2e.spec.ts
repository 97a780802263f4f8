import { request } from 'node:http';
import { RunningApp, startApp } from '../support/in-process-app';

/**
 * DNS rebinding: a web page at evil.example rebinds its name to 127.0.0.1 and posts to the local
 * server. The browser sends `Host: evil.example:3000` and `Origin: http://evil.example:3000`, so
 * local sign-in (and the console page that offers it) must answer only loopback names.
 */
function send(url: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; text: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { host: '127.0.0.1', port: Number(port), method, path, headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('local sign-in answers only pages of this machine', () => {
  let running: RunningApp;
  let port: string;
  const admin = { role: 'admin', clinicId: '*', userId: 'mallory' };

  beforeAll(async () => {
    running = await startApp();
    port = new URL(running.url).port;
  });
  afterAll(() => running.close());

  it.each([
    ['a rebound name', { host: 'evil.example:3000' }],
    ['a rebound name with its origin', { host: 'evil.example', origin: 'http://evil.example' }],
    ['a loopback Host but a foreign Origin', { host: '127.0.0.1', origin: 'http://evil.example' }],
    ['a loopback Host and Origin null', { host: 'localhost', origin: 'null' }],
    ['a name that only starts like localhost', { host: 'localhost.evil.example' }],
  ])('refuses %s with 403 and no token', async (_what, headers) => {
    const response = await send(running.url, 'POST', '/v1/auth/local-sign-in', headers as Record<string, string>, admin);
    expect(response.status).toBe(403);
    expect(response.text).not.toContain('token":"');
    expect(JSON.parse(response.text).message).toMatch(/this machine/);
  });

  it.each([
    ['127.0.0.1 with its port', () => ({ host: `127.0.0.1:${port}` })],
    ['localhost with a loopback origin', () => ({ host: `localhost:${port}`, origin: `http://localhost:${port}` })],
    ['[::1]', () => ({ host: `[::1]:${port}`, origin: `http://[::1]:${port}` })],
  ])('signs in from %s', async (_what, headers) => {
    const response = await send(running.url, 'POST', '/v1/auth/local-sign-in', headers(), admin);
    expect(response.status).toBe(201);
    expect(JSON.parse(response.text).token).toEqual(expect.stringMatching(/^ey/));
  });

  it('serves the console page (which offers local sign-in) only to loopback names', async () => {
    expect((await send(running.url, 'GET', '/', { host: `evil.example:${port}` })).status).toBe(403);
    const page = await send(running.url, 'GET', '/', { host: `127.0.0.1:${port}` });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
  });
});
