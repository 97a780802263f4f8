import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importSPKI, jwtVerify, SignJWT, type JWTPayload } from 'jose';
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

export async function tokenKeysFromEnv(env: NodeJS.ProcessEnv, dataDir: string): Promise<TokenKeys> {
  if (env.AUTH_JWT_PUBLIC_KEY) {
    const pem = env.AUTH_JWT_PUBLIC_KEY.replace(/\\n/g, '\n');
    const alg = env.AUTH_JWT_ALGORITHM ?? 'RS256';
    if (!(ALGORITHMS as readonly string[]).includes(alg)) throw new Error(`AUTH_JWT_ALGORITHM must be one of ${ALGORITHMS.join(', ')}`);
    const key = await importSPKI(pem, alg);
    return { local: false, verify: (token) => verifyWith(token, key, [alg]) };
  }
  const secret = env.AUTH_JWT_SECRET ? Buffer.from(env.AUTH_JWT_SECRET, 'utf8') : localSecret(dataDir);
  if (secret.length < 32) throw new Error('AUTH_JWT_SECRET must be at least 32 bytes');
  return {
    local: !env.AUTH_JWT_SECRET,
    verify: (token) => verifyWith(token, secret, ['HS256']),
    sign: (principal, ttlSeconds) =>
      new SignJWT({ role: principal.role, clinics: principal.clinics })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(principal.userId)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(secret),
  };
}

/** The embedded default's own secret, made once and kept with the data it protects (mode 0600). */
export function localSecret(dataDir: string): Buffer {
  const file = join(dataDir, 'auth-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
}

async function verifyWith(token: string, key: Parameters<typeof jwtVerify>[1], algorithms: string[]): Promise<Principal> {
  const { payload } = await jwtVerify(token, key as Uint8Array, { issuer: ISSUER, algorithms });
  return principalOf(payload);
}

function principalOf(payload: JWTPayload): Principal {
  const role = payload.role as Role;
  const clinics = payload.clinics;
  if (typeof payload.sub !== 'string' || !payload.sub) throw new Error('token has no subject');
  if (!ROLES.includes(role)) throw new Error('token has no known role');
  if (!Array.isArray(clinics) || !clinics.every((c) => typeof c === 'string')) throw new Error('token names no clinics');
  return { userId: payload.sub, role, clinics };
}
