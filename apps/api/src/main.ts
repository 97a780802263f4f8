import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '../../../libs/event-store/src';
import { createApp } from './app.factory';
import { systemClock } from './clock';
import { configFromEnv } from './config';
import { loadDemoMonth } from './demo/demo-month';

/** `npm start` serves the embedded default; `npm start -- --demo` first fills a demo store with a clinic month. */
async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  // Demo data never mixes with a clinic's own records: it gets its own folder unless DATA_DIR says otherwise.
  const config = configFromEnv(demo && !process.env.DATA_DIR ? { ...process.env, DATA_DIR: join('data', 'demo') } : process.env);
  const app = await createApp({ config });
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
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
