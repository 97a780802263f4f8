import { createApp } from './app.factory';
import { configFromEnv } from './config';

async function main(): Promise<void> {
  const config = configFromEnv();
  const app = await createApp({ config });
  await app.listen({ port: config.port, host: config.host });
  console.log(`Rapport listening on http://${config.host}:${config.port} (events in ${config.dataDir}); API docs at /docs`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
