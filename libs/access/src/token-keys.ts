import { readFileSync } from 'node:fs';
import { ensureSecretFile } from '@rapport/event-store';
import { join } from 'node:path';
import { importSPKI, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { AuthSettings } from '@rapport/config';
import { Principal, ROLES, Role } from './roles';

/**
 * How tokens are checked: a shared secret (HS256, AUTH_JWT_SECRET), or an issuer's public key
 * (RS256/ES256, AUTH_JWT_PUBLIC_KEY in PEM). With neither, the embedded default makes a local
 * secret in DATA_DIR/auth-secret, and `npm run token` signs with the same file.
 */
export interface TokenKeys {
  verify(token: string): Promise<Principal>;
  /** Only with a secret: a public key cannot sign. */
  sign?(principal: Principal, ttlSeconds: number): Promise<string>;
  /** True when the secret is the machine's own local file (local sign-in may be offered). */
  local: boolean;
}

export const ISSUER = 'rapport';
const ALGORITHMS = ['RS256', 'ES256'] as const;

/** What time it is, for expiry and lifetime checks and for signing: the app passes its injected Clock. */
export type TokenClock = () => Date;
const systemTime: TokenClock = () => new Date();

export async function tokenKeysFor(auth: AuthSettings, dataDir: string, now: TokenClock = systemTime): Promise<TokenKeys> {
  if (auth.jwtPublicKey) {
    const pem = auth.jwtPublicKey.replace(/\\n/g, '\n');
    const alg = auth.jwtAlgorithm ?? 'RS256';
    if (!(ALGORITHMS as readonly string[]).includes(alg)) throw new Error(`AUTH_JWT_ALGORITHM must be one of ${ALGORITHMS.join(', ')}`);
    const key = await importSPKI(pem, alg);
    return { local: false, verify: remembered((token) => verifyWith(token, key, [alg], now), now) };
  }
  const secret = auth.jwtSecret ? Buffer.from(auth.jwtSecret, 'utf8') : localSecret(dataDir);
  if (secret.length < 32) throw new Error('AUTH_JWT_SECRET must be at least 32 bytes');
  return {
    local: !auth.jwtSecret,
    verify: remembered((token) => verifyWith(token, secret, ['HS256'], now), now),
    sign: (principal, ttlSeconds) => {
      if (ttlSeconds > MAX_TOKEN_LIFETIME_SECONDS) throw new Error(`a token may be valid for at most ${MAX_TOKEN_LIFETIME_SECONDS / 3600} hours`);
      const issuedAt = Math.floor(now().getTime() / 1000);
      return new SignJWT({ role: principal.role, clinics: principal.clinics })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(principal.userId)
        .setIssuer(ISSUER)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .sign(secret);
    },
  };
}

/** The embedded default's own secret, made once and kept with the data it protects (mode 0600). */
export function localSecret(dataDir: string): Buffer {
  const file = join(dataDir, 'auth-secret');
  ensureSecretFile(file);
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
}

interface Verified {
  principal: Principal;
  /** Epoch ms the token stops being valid (its exp), if it has one. */
  expiresAt?: number;
}

const REMEMBERED_TOKENS = 10_000;

/**
 * A client sends the same token with every request: checking its signature once (about 0.1 ms)
 * is enough until it expires. Only tokens that passed are remembered, never longer than their exp.
 */
function remembered(verify: (token: string) => Promise<Verified>, now: TokenClock): (token: string) => Promise<Principal> {
  const known = new Map<string, Verified>();
  return async (token) => {
    const hit = known.get(token);
    if (hit && (hit.expiresAt === undefined || now().getTime() < hit.expiresAt)) return hit.principal;
    known.delete(token);
    const verified = await verify(token);
    if (known.size >= REMEMBERED_TOKENS) known.clear();
    known.set(token, verified);
    return verified.principal;
  };
}

/** The longest a token may be valid: a lost one opens the records for no longer than this. */
export const MAX_TOKEN_LIFETIME_SECONDS = 7 * 24 * 3600;
/** How far the issuer's clock may run ahead of ours. */
const CLOCK_SKEW_SECONDS = 60;

async function verifyWith(token: string, key: Parameters<typeof jwtVerify>[1], algorithms: string[], now: TokenClock): Promise<Verified> {
  const currentDate = now();
  // A token that never expires is not taken: a lost one would open the records for good.
  const { payload } = await jwtVerify(token, key as Uint8Array, { issuer: ISSUER, algorithms, requiredClaims: ['exp'], currentDate });
  const exp = payload.exp!;
  const nowSeconds = Math.floor(currentDate.getTime() / 1000);
  // iat is optional (some issuers leave it out); when present it must not lie about the lifetime.
  const iat = payload.iat;
  if (iat !== undefined && iat > nowSeconds + CLOCK_SKEW_SECONDS) throw new Error('it was issued in the future (iat)');
  if ((iat !== undefined && exp - iat > MAX_TOKEN_LIFETIME_SECONDS) || exp > nowSeconds + MAX_TOKEN_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
    throw new Error(`it is valid for longer than ${MAX_TOKEN_LIFETIME_SECONDS / 3600} hours, the most this server accepts`);
  }
  return { principal: principalOf(payload), expiresAt: exp * 1000 };
}

function principalOf(payload: JWTPayload): Principal {
  const role = payload.role as Role;
  const clinics = payload.clinics;
  if (typeof payload.sub !== 'string' || !payload.sub) throw new Error('token has no subject');
  if (!ROLES.includes(role)) throw new Error('token has no known role');
  if (!Array.isArray(clinics) || !clinics.every((c) => typeof c === 'string')) throw new Error('token names no clinics');
  return { userId: payload.sub, role, clinics };
}
