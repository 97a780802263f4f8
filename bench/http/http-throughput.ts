import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, ClientRequest, get } from 'node:http';
import autocannon from 'autocannon';
import { Principal, tokenKeysFor } from '@rapport/access';
import { BENCH_CLINIC, callBody, patientId } from '../in-process/seed-patients';
import type { BenchContext, Progress, RowMeasurement } from '../rows/row';
import { ServerChild } from './server-child';

export type HttpTarget = 'api' | 'bare';

/**
 * POST /v1/calls with autocannon (in the bench's own process, loopback) against a server in a
 * child process: the real api (dist/apps/api/src/main.js) or the bare Fastify baseline. A warm-up
 * run, then the timed run; throughput counts 2xx answers only.
 */
export async function measureHttp(context: BenchContext, progress: Progress, target: HttpTarget, options: { sseSubscribers?: number } = {}): Promise<RowMeasurement> {
  const { sizes } = context;
  const script =
    target === 'api'
      ? join(context.repoRoot, 'dist', 'apps', 'api', 'src', 'main.js')
      : join(context.repoRoot, 'dist', 'bench', 'http', 'bare-fastify-server.js');
  // A fresh data dir every time (with --repeat too): each pass starts from an empty store.
  const dataDir = mkdtempSync(join(context.workDir, `http-${target}-`));
  // The api wants a bearer token: signed with the data dir's own secret, which the server then reads.
  const keys = await tokenKeysFor({}, dataDir);
  const bearer = async (principal: Principal) => ({ authorization: `Bearer ${await keys.sign!(principal, 3600)}` });
  const auth: Record<string, string> = target === 'api' ? await bearer({ userId: 'bench', role: 'admin', clinics: ['*'] }) : {};
  const server = await ServerChild.start(script, { DATA_DIR: dataDir, SQLITE_SYNCHRONOUS: 'FULL' });
  const total = sizes.httpWarmupSeconds + sizes.httpSeconds;
  try {
    if (target === 'api') await seedOverHttp(server.url, auth, sizes.patients, (f) => progress(f * 0.1, `seeding ${sizes.patients} patients over HTTP`));
    // Idle feed clients: connected to the stream of a clinic that has no traffic during the run, so
    // each event reaches every subscriber's filter and none of them has anything to be sent.
    const subscribers = options.sseSubscribers
      ? await openSubscribers(server.url, await bearer({ userId: 'bench-feed', role: 'integration', clinics: ['quiet-clinic'] }), options.sseSubscribers)
      : undefined;
    let sent = 0;
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    const load = (seconds: number) =>
      autocannon({
        url: server.url,
        connections: sizes.httpConnections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/v1/calls',
            headers: { 'content-type': 'application/json', ...auth },
            setupRequest: (request) => ({ ...request, body: JSON.stringify(callBody(sent++, sizes.patients, startedAt)) }),
          },
        ],
      });
    const began = Date.now();
    const timer = setInterval(() => {
      const elapsed = (Date.now() - began) / 1000;
      progress(0.1 + 0.9 * Math.min(1, elapsed / total), `${target === 'api' ? 'api' : 'bare Fastify'}: ${Math.round(elapsed)}/${total} s of load`);
    }, 250);
    try {
      await load(sizes.httpWarmupSeconds);
      const result = await load(sizes.httpSeconds);
      const errors = result.non2xx + result.errors;
      return {
        count: result['2xx'],
        seconds: result.duration,
        unit: 'req/s',
        inFlight: `${sizes.httpConnections} conn`,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        peakRssMiB: server.peakRssMiB(),
        rssOf: 'the server process (VmHWM), load generator excluded',
        errors,
        notes: [
          `${sizes.httpSeconds} s after ${sizes.httpWarmupSeconds} s warm-up; autocannon in the bench process on the same cores`,
          ...(subscribers
            ? [`${subscribers.count} idle SSE subscribers on GET /v1/events/stream (a token for a clinic without traffic), connected throughout (${subscribers.open()} still open at the end), ${subscribers.bytes().toLocaleString('en-US')} bytes received in all (headers and heartbeats)`]
            : []),
          ...(errors > 0 ? [`${result.non2xx} non-2xx answers, ${result.errors} connection errors`] : []),
        ],
      };
    } finally {
      clearInterval(timer);
      subscribers?.close();
    }
  } finally {
    await server.stop();
  }
}

/**
 * `count` SSE clients of the feed, connecting at once from position 0 as new integrations do (no
 * Last-Event-ID): each pages through the seeded history (nothing of it is theirs to be sent), then
 * waits on the tail, reading (and dropping) what it is sent.
 */
async function openSubscribers(url: string, auth: Record<string, string>, count: number): Promise<{ count: number; open(): number; bytes(): number; close(): void }> {
  const agent = new Agent({ keepAlive: false, maxSockets: count });
  const requests: ClientRequest[] = [];
  let bytes = 0;
  let open = 0;
  await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<void>((resolve, reject) => {
        const request = get(`${url}/v1/events/stream`, { agent, headers: { accept: 'text/event-stream', ...auth } }, (response) => {
          if (response.statusCode !== 200) return reject(new Error(`an SSE subscriber got ${response.statusCode}`));
          open++;
          response.on('data', (chunk: Buffer) => (bytes += chunk.length));
          response.on('close', () => open--);
          resolve();
        });
        request.on('error', () => undefined);
        requests.push(request);
      }),
    ),
  );
  return { count, open: () => open, bytes: () => bytes, close: () => requests.forEach((r) => r.destroy()) };
}

/** The api needs a clinic and patients with a treatment before calls can be recorded. */
async function seedOverHttp(url: string, auth: Record<string, string>, patients: number, progress: (fraction: number) => void): Promise<void> {
  const post = (method: string, path: string, body: unknown) => send(url, auth, method, path, body);
  await post('PUT', `/v1/clinics/${BENCH_CLINIC}`, { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] });
  const completedAt = new Date(Date.now() - 2 * 3600_000).toISOString();
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < patients; i = next++) {
        await post('POST', '/v1/treatments', { treatmentId: `t-${i}`, patientId: patientId(i), clinicId: BENCH_CLINIC, doctorId: 'dr-1', procedure: 'other', completedAt });
        progress(++done / patients);
      }
    }),
  );
}

async function send(url: string, auth: Record<string, string>, method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
}
