import { verifyChain } from '../../../libs/audit/src';
import { describeEventStore, openEventStore } from '../../../libs/event-store/src';
import { configFromEnv } from '../../api/src/config';

/**
 * `npm run verify`: checks every stream's hash chain in the configured store (DATA_DIR, or
 * EVENT_STORE=esdb with EVENTSTORE_URL), as stored; exit 1 names the first broken event.
 */
async function main(): Promise<void> {
  const config = configFromEnv();
  const store = openEventStore(config);
  try {
    const report = await verifyChain(store);
    if (report.ok) {
      process.stdout.write(`verified: ${report.events} events in ${report.streams} streams (${describeEventStore(config)}); every hash chain is intact\n`);
      return;
    }
    const first = report.firstBroken!;
    process.stdout.write(
      `BROKEN: ${report.broken.length} stream(s). First: ${first.stream} revision ${first.revision} ` +
        `(position ${first.position}, event ${first.eventId}, ${first.type}): ${first.reason}\n`,
    );
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`verify: ${error.message}\n`);
  process.exit(2);
});
