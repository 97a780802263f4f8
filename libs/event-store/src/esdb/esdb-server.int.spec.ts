import { spawnSync } from 'node:child_process';
import type { StartedTestContainer } from 'testcontainers';
import { eventStoreContract } from '../../test/event-store.contract';
import { EsdbEventStore } from './esdb-event-store';

/**
 * The contract suite, unchanged, against a REAL EventStoreDB: the server at EVENTSTORE_URL when it
 * is set, else one started by testcontainers when a container runtime answers. Where neither
 * exists the run says so loudly and the suite shows as skipped — never as passed.
 *
 * The contract writes fresh streams and filters the log down to them, so a shared server is fine.
 */
const IMAGE = process.env.EVENTSTORE_IMAGE ?? 'eventstore/eventstore:23.10.1-bookworm-slim';

type Target = { kind: 'url'; url: string } | { kind: 'container' } | { kind: 'none'; reason: string };

const target = findTarget();

if (target.kind === 'none') {
  // Straight to stderr: Jest drops the console output of a suite whose tests are all skipped.
  process.stderr.write(
    [
      '',
      '!!! The EventStore contract suite did NOT run against a real EventStoreDB.',
      `!!! Why: ${target.reason}`,
      '!!! It ran against the in-repo gRPC stand-in only (esdb-stand-in.int.spec.ts), which is evidence',
      '!!! about our use of @eventstore/db-client, not about EventStoreDB.',
      '!!! To run it: set EVENTSTORE_URL=esdb://host:2113?tls=false, or run where Docker works.',
      '',
    ].join('\n') + '\n',
  );
  describe.skip(`EventStore contract: esdb adapter on a real EventStoreDB — not run: ${target.reason}`, () => {
    it('needs EVENTSTORE_URL or a container runtime', () => undefined);
  });
} else {
  let container: StartedTestContainer | undefined;
  let url = target.kind === 'url' ? target.url : '';

  beforeAll(async () => {
    if (target.kind === 'container') {
      const { GenericContainer, Wait } = await import('testcontainers');
      container = await new GenericContainer(IMAGE)
        .withEnvironment({
          EVENTSTORE_INSECURE: 'true',
          EVENTSTORE_MEM_DB: 'true',
          EVENTSTORE_RUN_PROJECTIONS: 'All',
          EVENTSTORE_START_STANDARD_PROJECTIONS: 'true',
        })
        .withExposedPorts(2113)
        .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCode(204))
        .withStartupTimeout(180_000)
        .start();
      url = `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
    }
    console.log(`EventStore contract suite: running against a real EventStoreDB at ${redact(url)}`);
  }, 240_000);
  afterAll(async () => {
    await container?.stop();
  }, 60_000);

  eventStoreContract(`esdb adapter on a real EventStoreDB (${target.kind === 'url' ? 'EVENTSTORE_URL' : IMAGE})`, async () => {
    let current = new EsdbEventStore({ connectionString: url });
    return {
      store: current,
      reopen: async () => {
        await current.close();
        current = new EsdbEventStore({ connectionString: url });
        return current;
      },
      cleanup: () => current.close(),
    };
  });
}

/**
 * Decided while Jest collects the tests, so a run without a server shows skipped tests rather than
 * passed ones. The container probe runs in a child process (testcontainers' probe is async).
 */
function findTarget(): Target {
  const url = process.env.EVENTSTORE_URL;
  if (url) return { kind: 'url', url };
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      "require('testcontainers').getContainerRuntimeClient().then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); })",
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (probe.status === 0) return { kind: 'container' };
  const why = (probe.stderr || probe.error?.message || 'the probe gave no reason').trim().split('\n').pop();
  return { kind: 'none', reason: `EVENTSTORE_URL is not set and testcontainers found no container runtime (${why})` };
}

function redact(connectionString: string): string {
  return connectionString.replace(/\/\/[^@/]*@/, '//***@');
}
