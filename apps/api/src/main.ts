import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '@rapport/event-store';
import { createApp } from './app.factory';
import { isLoopback } from './auth/loopback';
import { systemClock } from './clock';
import { configFromEnv, RapportConfig } from '@rapport/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadDemoMonth } from './demo/demo-month';

/** `npm start` serves the embedded default; `npm start -- --demo` first fills a demo store with a clinic month. */
async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  // Demo data never mixes with a clinic's own records: it gets its own folder unless DATA_DIR says otherwise.
  const config = configFromEnv(demo && !process.env.DATA_DIR ? { ...process.env, DATA_DIR: join('data', 'demo') } : process.env);
  const app = await createApp({ config, demo });
  if (demo) {
    const store = app.get<EventStore>(EVENT_STORE);
    if ((await store.headPosition()) === 0) {
      console.log('Loading a demo clinic month (seeded, about 2,000 events)…');
      const { events } = await loadDemoMonth(store, { until: systemClock.now() });
      console.log(`Demo clinic "demo-clinic" ready: ${events} events.`);
    } else {
      console.log(`Demo store in ${config.dataDir} already has events; not loading again (delete the folder for a fresh month).`);
    }
  }
  await app.listen({ port: config.port, host: config.host });
  console.log(`Rapport listening on http://${config.host}:${config.port} (events in ${config.dataDir}); API docs at /docs`);
  console.log(howToGetAToken(config, app));
}

/** Every endpoint but /health, /docs and the console needs a bearer token: say where one comes from. */
function howToGetAToken(config: RapportConfig, app: NestFastifyApplication): string {
  const localSignIn = app.getHttpAdapter().getInstance().hasRoute({ method: 'POST', url: '/v1/auth/local-sign-in' });
  if (config.auth.jwtPublicKey) return 'Tokens: bearer JWTs from your identity provider (AUTH_JWT_PUBLIC_KEY); roles caller, doctor, manager, auditor, admin, integration.';
  const mint = `npm run -s token -- --role manager --clinic c1${config.auth.jwtSecret ? ' (with the same AUTH_JWT_SECRET)' : ` (DATA_DIR=${config.dataDir})`}`;
  const reach = isLoopback(config.host) ? 'this machine only' : 'DEMO: anyone who reaches this address can sign in with any role';
  const browser = localSignIn ? `; or sign in on the console at http://${config.host}:${config.port}/ (local sign-in, ${reach})` : '';
  return `Tokens: ${mint}, then send "Authorization: Bearer <token>"${browser}.`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
