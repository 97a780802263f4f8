import { eventStoreContract } from '../../test/event-store.contract';
import { EsdbStandIn } from '../../test/esdb-stand-in/esdb-stand-in';
import { EsdbEventStore } from './esdb-event-store';

/**
 * The contract suite, unchanged, through the real @eventstore/db-client over real gRPC — against
 * the in-repo STAND-IN, not EventStoreDB (see libs/event-store/test/esdb-stand-in). It shows that
 * the adapter uses the client and the protocol as the contract needs; esdb-server.int.spec.ts runs
 * the same suite against a real EventStoreDB where one is reachable.
 */
for (const batchAppend of [true, false]) {
  const label = batchAppend ? 'BatchAppend, as EventStoreDB 21.10+' : 'Append, as a server without ServerFeatures';
  eventStoreContract(`esdb adapter on the gRPC stand-in (${label})`, async () => {
    const standIn = await EsdbStandIn.start({ batchAppend });
    let current = new EsdbEventStore({ connectionString: standIn.connectionString });
    return {
      store: current,
      reopen: async () => {
        await current.close();
        current = new EsdbEventStore({ connectionString: standIn.connectionString });
        return current;
      },
      cleanup: async () => {
        await current.close();
        await standIn.stop();
        const expected = batchAppend ? 'BatchAppend' : 'Append';
        // The run must have gone down the path it is named after.
        if (!standIn.calls[expected]) throw new Error(`the client never called ${expected} on the stand-in`);
      },
    };
  });
}
