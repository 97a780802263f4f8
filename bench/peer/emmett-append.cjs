'use strict';
/**
 * The peer row: the rows Rapport's commands stored, appended through Emmett's SQLite event store
 * (@event-driven-io/emmett-sqlite on the sqlite3 driver), ONE append in flight: Emmett's file
 * connections are not safe with more (SQLITE_BUSY, or a hang on the default pool; TOOLCHAIN.md).
 * Plain JavaScript in its own package so the root project never depends on Emmett.
 *
 * Protocol: argv[2] is the JSON config; progress and the result go to the parent over IPC
 * (bench/worker-protocol.ts).
 */
const { mkdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const { getSQLiteEventStore, sqliteConnection } = require('@event-driven-io/emmett-sqlite');

/** @type {{ dataDir: string, rowsFile: string, limit: number, mode: 'shipped' | 'singleton' }} */
const config = JSON.parse(process.argv[2]);

async function main() {
  const { setup, measured } = JSON.parse(readFileSync(config.rowsFile, 'utf8'));
  mkdirSync(config.dataDir, { recursive: true });
  const fileName = join(config.dataDir, 'emmett.sqlite');
  const toEvent = (row) => ({ type: row.type, data: JSON.parse(row.data), metadata: JSON.parse(row.metadata) });

  // Setup (not timed): the same clinic and treatment events, one append per stream.
  const versions = new Map();
  {
    const connection = sqliteConnection({ fileName });
    const store = getSQLiteEventStore({ fileName, connectionOptions: { singleton: true, connection } });
    const byStream = new Map();
    for (const row of setup) byStream.set(row.stream, [...(byStream.get(row.stream) ?? []), row]);
    for (const [stream, rows] of byStream) {
      await store.appendToStream(stream, rows.map(toEvent), { expectedStreamVersion: 0n });
      versions.set(stream, BigInt(rows.length));
    }
    connection.close();
  }

  const connection = config.mode === 'singleton' ? sqliteConnection({ fileName }) : undefined;
  const store = connection
    ? getSQLiteEventStore({ fileName, connectionOptions: { singleton: true, connection } })
    : getSQLiteEventStore({ fileName });
  const rows = measured.slice(0, config.limit);
  const latencies = [];
  const failures = new Map();
  let lastReport = 0;
  const started = performance.now();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const t0 = performance.now();
    try {
      // With the expected version, as Rapport appends with the revision it read.
      const result = await store.appendToStream(row.stream, [toEvent(row)], { expectedStreamVersion: versions.get(row.stream) ?? 0n });
      latencies.push(performance.now() - t0);
      versions.set(row.stream, result.nextExpectedStreamVersion);
    } catch (error) {
      // Counted, not timed: the row reports how many appends failed and why.
      failures.set(error.code ?? error.message, (failures.get(error.code ?? error.message) ?? 0) + 1);
    }
    if (Date.now() - lastReport > 100 || i === rows.length - 1) {
      lastReport = Date.now();
      process.send({ kind: 'progress', fraction: (i + 1) / rows.length, detail: `Emmett ${config.mode}: appends ${i + 1}/${rows.length}` });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  connection?.close();

  const probe = sqliteConnection({ fileName });
  const { synchronous } = await probe.querySingle('PRAGMA synchronous');
  const { journal_mode: journalMode } = await probe.querySingle('PRAGMA journal_mode');
  probe.close();
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length, Math.max(1, Math.ceil((p / 100) * latencies.length))) - 1];
  const version = JSON.parse(readFileSync(join(__dirname, 'node_modules/@event-driven-io/emmett-sqlite/package.json'), 'utf8')).version;
  const errors = [...failures.values()].reduce((a, b) => a + b, 0);
  return {
    count: latencies.length,
    errors,
    seconds,
    unit: 'appends/s',
    inFlight: '1',
    p50Ms: at(50),
    p99Ms: at(99),
    notes: [
      `emmett-sqlite ${version}, ${config.mode === 'singleton' ? 'one singleton connection' : 'as shipped: a new connection per append'}`,
      `synchronous=${['OFF', 'NORMAL', 'FULL', 'EXTRA'][synchronous]} (sqlite3's default; Emmett does not set it), journal_mode=${journalMode}`,
      'append only: no read, no decision',
      ...(errors > 0 ? [`${errors} of ${rows.length} appends failed (${[...failures].map(([why, n]) => `${n}× ${why}`).join(', ')})`] : []),
    ],
  };
}

main().then(
  (result) => process.send({ kind: 'result', result, maxRssKiB: process.resourceUsage().maxRSS }, () => process.exit(0)),
  (error) => {
    console.error(error && error.stack ? error.stack : error);
    process.exit(1);
  },
);
