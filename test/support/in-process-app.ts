import { UrgentExpiry } from '../../apps/api/src/follow-ups/urgent-expiry';
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
  /**
   * Sends an admin token for every clinic unless told otherwise (`api.as(principal)`,
   * `api.as(token)`, `api.anonymous()`), signed for each request on the app's clock.
   */
  api: Api;
  /** A token signed with the app's own keys, at the app's clock's now, valid for 8 hours of it. */
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
  // Tests expire urgent calls by asking (app.get(UrgentExpiry).sweep()), not on the minute timer:
  // a test that outlives a minute must not see calls expire under it.
  app.get(UrgentExpiry).stop();
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
    api: keys.sign ? await Api.signing(base, token, TEST_ADMIN) : new Api(base),
    token,
    close: async () => {
      await app.close();
      if (!options.keepData) temp?.remove();
    },
  };
}

/**
 * A client for an app a test built itself (createApp + listen): an admin for every clinic, its
 * token signed for each request with the app's keys, on the app's clock.
 */
export async function adminApi(app: NestFastifyApplication): Promise<Api> {
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const keys = app.get<TokenKeys>(TOKEN_KEYS);
  return Api.signing(base, (principal) => keys.sign!(principal, 8 * 3600), TEST_ADMIN);
}

/** Signs a token for a principal: the app's keys, which sign on the app's (test) clock. */
export type TokenSigner = (principal: Principal) => Promise<string>;

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A thin HTTP client for tests: JSON in, status + JSON out. It sends `Authorization: Bearer
 * <token>` when it has a token, unless a request names its own authorization header.
 *
 * Made with a signer (`Api.signing`, `api.as(principal)`), it signs its principal's token afresh
 * for every request, with the app's keys on the app's clock: a test that moves its clock (days
 * on, or back) is never refused for a token signed at another time. `token` is then the last
 * token it signed; `bearer()` signs one now, for a request a test builds itself.
 */
export class Api {
  constructor(
    readonly baseUrl: string,
    public token?: string,
    private readonly signer?: { sign: TokenSigner; principal: Principal },
  ) {}

  /** A client that signs `principal`'s token for each request (and has signed one already, in `token`). */
  static async signing(baseUrl: string, sign: TokenSigner, principal: Principal): Promise<Api> {
    const api = new Api(baseUrl, undefined, { sign, principal });
    await api.bearer();
    return api;
  }

  /** The same server, another token; or another principal, signed for each request like this one's. */
  as(who: string | Principal): Api {
    if (typeof who === 'string') return new Api(this.baseUrl, who);
    if (!this.signer) throw new Error('this client has a fixed token and cannot sign one for another principal');
    return new Api(this.baseUrl, undefined, { sign: this.signer.sign, principal: who });
  }

  /** The same server, no token. */
  anonymous(): Api {
    return new Api(this.baseUrl);
  }

  /** The token the next request sends: signed now (on the app's clock) when this client signs its own. */
  async bearer(): Promise<string | undefined> {
    if (this.signer) this.token = await this.signer.sign(this.signer.principal);
    return this.token;
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const named = Object.keys(headers).some((h) => h.toLowerCase() === 'authorization');
    const token = named ? undefined : await this.bearer();
    const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
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
  patch<T = any>(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request<T>('PATCH', path, body, headers);
  }

  async headPosition(): Promise<number> {
    const health = await this.get<{ eventStore: { headPosition: number } }>('/health');
    return health.body.eventStore.headPosition;
  }
}
