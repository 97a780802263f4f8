/** Stops the testcontainers PostgreSQL that global-setup started, if it started one. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { rapportPostgresContainer?: { stop(): Promise<unknown> } }).rapportPostgresContainer?.stop();
}
