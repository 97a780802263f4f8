import { EsdbStandIn } from '../../libs/event-store/test/esdb-stand-in/esdb-stand-in';

/**
 * The EventStoreDB STAND-IN (tests only) as a process of its own, so the API and projector
 * processes of a multi-process test reach the events over the network as they would a real node.
 * Prints its connection string on the first line of stdout; stops on SIGTERM.
 */
async function main(): Promise<void> {
  const standIn = await EsdbStandIn.start();
  process.stdout.write(`${standIn.connectionString}\n`);
  process.once('SIGTERM', () => {
    void standIn.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
