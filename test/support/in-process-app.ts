import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/app.factory';
import { TOKEN_KEYS } from '../../apps/api/src/auth/auth.guard';
import type { Principal } from '@rapport/access';
import type { TokenKeys } from '@rapport/access';
import { configFromEnv, RapportConfig } from '@rapport/config';
import { makeTempDir } from './temp-dir';
import { TestClock } from './test-clock';

export interface RunningApp {
  app: NestFastifyApplication;
  url: string;
  clock: TestClock;
  dataDir: string;
  /** Sends an admin token for every clinic unless told otherwise (`api.as(token)`, `api.anonymous()`). */
  api: Api;
  /** A token signed with the app's own keys. */
  token(principal: Principal): Promise<string>;
  close(): Promise<void>;
}

/** The token the test clients send by default: an admin for every clinic. */
export const TEST_ADMIN: Principal = { userId: 'test-admin', role: 'admin', clinics: ['*'] };

/**
 * The real app over real HTTP on a fresh embedded store in a temp dir, with a clock the test sets
 * (`now: 'live'` follows the machine's clock, for browser tests).
 */
/** `config`: settings over the embedded default's (the app still listens on 127.0.0.1; `host` only changes what it thinks). */
export async function startApp(options: { now?: string | 'live'; dataDir?: string; keepData?: boolean; config?: Partial<RapportConfig> } = {}): Promise<RunningApp> {
  const temp = options.dataDir ? undefined : makeTempDir();
  const dataDir = options.dataDir ?? temp!.path;
  const clock = options.now === 'live' ? TestClock.live() : TestClock.at(options.now ?? '2026-11-24T03:00:00Z');
  const config = { ...configFromEnv({}), dataDir, port: 0, ...options.config };
  const app = await createApp({ config, clock, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = await app.getUrl();
  const base = url.replace('[::1]', '127.0.0.1');
  const keys = app.get<TokenKeys>(TOKEN_KEYS);
  const token = (principal: Principal) => {
    if (!keys.sign) throw new Error('this app checks tokens with a public key: sign them with the private key');
    return keys.sign(principal, 8 * 3600);
  };
  return {
    app,
    url: base,
    clock,
    dataDir,
    api: new Api(base, keys.sign ? await token(TEST_ADMIN) : undefined),
    token,
    close: async () => {
      await app.close();
      if (!options.keepData) temp?.remove();
    },
  };
}

/** A client for an app a test built itself (createApp + listen): an admin for every clinic. */
export async function adminApi(app: NestFastifyApplication): Promise<Api> {
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return new Api(base, await app.get<TokenKeys>(TOKEN_KEYS).sign!(TEST_ADMIN, 8 * 3600));
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A thin HTTP client for tests: JSON in, status + JSON out. It sends `Authorization: Bearer
 * <token>` when it has a token, unless a request names its own authorization header.
 */
export class Api {
  constructor(
    readonly baseUrl: string,
    public token?: string,
  ) {}

  /** The same server, another token. */
  as(token: string): Api {
    return new Api(this.baseUrl, token);
  }

  /** The same server, no token. */
  anonymous(): Api {
    return new Api(this.baseUrl);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const auth: Record<string, string> = this.token && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization') ? { authorization: `Bearer ${this.token}` } : {};
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...auth, ...headers },
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
