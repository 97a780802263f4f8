import { join } from 'node:path';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { DataDirInUseError, EVENT_STORE, EventStore } from '@rapport/event-store';
import { createApp } from './app.factory';
import { isLoopback } from './auth/loopback';
import { systemClock } from './clock';
import { configFromEnv, RapportConfig } from '@rapport/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DEMO_CALLERS, DEMO_CLINIC, loadDemoMonth } from './demo/demo-month';

/**
 * Nest's own start-up chatter — "Starting Nest application", a line per module, a line per
 * controller and per route — tells a person nothing they need; the lines below main() say where
 * to go instead. Only those `log` lines are dropped (and Nest's own EADDRINUSE error, which main()
 * says better): warnings and errors, from Nest or from us, show.
 */
const NEST_START_UP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

class StartUpQuietLogger extends ConsoleLogger {
  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && NEST_START_UP_CONTEXTS.has(context)) return;
    super.log(message, ...rest);
  }

  /** A port in use is said once, by main() below, in words that say what to do. */
  override error(message: unknown, ...rest: unknown[]): void {
    if (rest.at(-1) === 'NestApplication' && String(message).includes('EADDRINUSE')) return;
    super.error(message, ...rest);
  }
}

/** `npm start` serves the embedded default; `npm start -- --demo` first fills a demo store with a clinic month. */
async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  // Demo data never mixes with a clinic's own records: it gets its own folder unless DATA_DIR says otherwise.
  const config = configFromEnv(demo && !process.env.DATA_DIR ? { ...process.env, DATA_DIR: join('data', 'demo') } : process.env);
  // Installed before the app is made: NestFactory then only sets its levels (log, warn, error) on it.
  Logger.overrideLogger(new StartUpQuietLogger());
  const app = await createApp({ config, demo });
  if (demo) {
    const store = app.get<EventStore>(EVENT_STORE);
    if ((await store.headPosition()) === 0) {
      console.log('Loading a demo clinic month (seeded, about 2,000 events)…');
      const { events } = await loadDemoMonth(store, { until: systemClock.now() });
      console.log(`Demo clinic "${DEMO_CLINIC.clinicId}" ready: ${events} events.`);
    } else {
      console.log(`Demo store in ${config.dataDir} already has events; not loading again (delete the folder for a fresh month).`);
    }
  }
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await app.close().catch(() => undefined);
    console.error(`port ${config.port} is taken (something already listens on ${config.host}:${config.port}): set PORT=<a free port>, e.g. PORT=${config.port + 1} npm start`);
    process.exit(1);
  }
  for (const line of startUpLines(config, app, demo)) console.log(line);
}

/** What a person needs once the server is up: where it is, how to sign in, and for the demo whom to sign in as. */
function startUpLines(config: RapportConfig, app: NestFastifyApplication, demo: boolean): string[] {
  const base = `http://${displayHost(config.host)}:${config.port}`;
  const localSignIn = app.getHttpAdapter().getInstance().hasRoute({ method: 'POST', url: '/v1/auth/local-sign-in' });
  const where = isWildcard(config.host) ? `${config.host}:${config.port} (every address)` : base;
  const lines = [`Rapport listening on ${where} (events in ${config.dataDir}); API docs at ${base}/docs`];
  if (localSignIn) {
    const reach = isLoopback(config.host) ? 'this machine only' : 'DEMO: anyone who reaches this address can sign in with any role';
    lines.push(`Console: ${base}/ — sign in with one click per role (local sign-in, ${reach})`);
  } else {
    lines.push(`Console: ${base}/ — paste a bearer token to sign in`);
  }
  if (demo) {
    lines.push(`Demo: clinic ${DEMO_CLINIC.clinicId} (${DEMO_CLINIC.name}); sign in as ${DEMO_CALLERS[0]} (caller), dr-chen (doctor), or any user id as manager or auditor`);
  }
  lines.push(howToGetAToken(config, localSignIn, base, demo));
  return lines;
}

/** Every endpoint but /health, /metrics, /docs and the console needs a bearer token: say where one comes from. */
function howToGetAToken(config: RapportConfig, localSignIn: boolean, base: string, demo: boolean): string {
  if (config.auth.jwtPublicKey) return 'Tokens: bearer JWTs from your identity provider (AUTH_JWT_PUBLIC_KEY); roles caller, doctor, manager, auditor, admin, integration.';
  const clinic = demo ? DEMO_CLINIC.clinicId : 'c1';
  const mint = `npm run -s token -- --role manager --clinic ${clinic}${config.auth.jwtSecret ? ' (with the same AUTH_JWT_SECRET)' : ` (with DATA_DIR=${config.dataDir})`}`;
  const curl = localSignIn ? `, or POST ${base}/v1/auth/local-sign-in {"role","clinicId","userId"}` : '';
  return `Tokens for curl: ${mint}${curl}; then send "Authorization: Bearer <token>".`;
}

/** A wildcard address is not one to type into a browser; an IPv6 address needs brackets in a URL. */
function displayHost(host: string): string {
  if (isWildcard(host)) return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

main().catch((error: unknown) => {
  // A second server on the same DATA_DIR: the message says who holds it and what to do; no stack.
  if (error instanceof DataDirInUseError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
