import { configFromEnv } from '@rapport/config';
import { ROLES, Role } from '@rapport/access';
import { tokenKeysFor } from '@rapport/access';
import { parseArgs } from './args';

/**
 * `npm run token -- --role manager --clinic c1 [--clinic c2] [--user li] [--ttl 8h]`
 * Mints a token with the same secret the server checks (AUTH_JWT_SECRET, or DATA_DIR/auth-secret).
 * Roles: caller, doctor, manager, auditor, admin, integration (see libs/access/src/roles.ts).
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const role = args.get('role')?.[0] as Role | undefined;
  if (!role || !ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const clinics = args.get('clinic') ?? [];
  if (clinics.length === 0) throw new Error("--clinic is required (repeat it for several clinics, or '*' for all)");
  const userId = args.get('user')?.[0] ?? `${role}-local`;
  const ttlSeconds = durationSeconds(args.get('ttl')?.[0] ?? '8h');
  const config = configFromEnv();
  const keys = await tokenKeysFor(config.auth, config.dataDir);
  if (!keys.sign) throw new Error('AUTH_JWT_PUBLIC_KEY is set: tokens come from your identity provider, not from here');
  process.stdout.write(`${await keys.sign({ userId, role, clinics }, ttlSeconds)}\n`);
}

function durationSeconds(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text);
  if (!match) throw new Error('--ttl is a number with s, m, h or d (e.g. 8h)');
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

main().catch((error: Error) => {
  process.stderr.write(`token: ${error.message}\n`);
  process.exit(2);
});
