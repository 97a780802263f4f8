import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/app.factory';
import { configFromEnv } from '../../apps/api/src/config';
import { makeTempDir } from './temp-dir';
import { TestClock } from './test-clock';

export interface RunningApp {
  app: NestFastifyApplication;
  url: string;
  clock: TestClock;
  dataDir: string;
  api: Api;
  close(): Promise<void>;
}

/**
 * The real app over real HTTP on a fresh embedded store in a temp dir, with a clock the test sets
 * (`now: 'live'` follows the machine's clock, for browser tests).
 */
export async function startApp(options: { now?: string | 'live'; dataDir?: string; keepData?: boolean } = {}): Promise<RunningApp> {
  const temp = options.dataDir ? undefined : makeTempDir();
  const dataDir = options.dataDir ?? temp!.path;
  const clock = options.now === 'live' ? TestClock.live() : TestClock.at(options.now ?? '2026-11-24T03:00:00Z');
  const config = { ...configFromEnv({}), dataDir, port: 0 };
  const app = await createApp({ config, clock, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = await app.getUrl();
  const base = url.replace('[::1]', '127.0.0.1');
  return {
    app,
    url: base,
    clock,
    dataDir,
    api: new Api(base),
    close: async () => {
      await app.close();
      if (!options.keepData) temp?.remove();
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A thin HTTP client for tests: JSON in, status + JSON out. */
export class Api {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }
  post<T = any>(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
  put<T = any>(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request<T>('PUT', path, body, headers);
  }

  async headPosition(): Promise<number> {
    const health = await this.get<{ eventStore: { headPosition: number } }>('/health');
    return health.body.eventStore.headPosition;
  }
}
