import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
// fastify comes with @nestjs/platform-fastify (same version the api runs on).
import fastify from 'fastify';
import { configureConnection, createSchema } from '@rapport/event-store/sqlite/sqlite-schema';

/**
 * The HTTP baseline: Fastify with nothing else, POST /v1/calls doing one INSERT of the event row
 * into the store's schema (WAL, synchronous=FULL, its own transaction). No validation beyond
 * "patientId is a string", no read, no decision, no revision check against the database.
 */
async function main(): Promise<void> {
  const dataDir = process.env.DATA_DIR ?? '.';
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'bare.sqlite'));
  configureConnection(db, 'FULL', 5000);
  createSchema(db);
  const insert = db.prepare('INSERT INTO events (stream, revision, event_id, type, data, metadata, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const revisions = new Map<string, number>();

  const app = fastify({ bodyLimit: 1_048_576 });
  app.get('/health', async () => ({ status: 'ok' }));
  app.post('/v1/calls', async (request, reply) => {
    const body = request.body as { patientId?: unknown } | null;
    if (typeof body?.patientId !== 'string') return reply.code(400).send({ statusCode: 400, message: 'patientId must be a string' });
    const stream = `patient-${body.patientId}`;
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    const eventId = randomUUID();
    const now = new Date().toISOString();
    insert.run(stream, revision, eventId, 'CallAttempted', JSON.stringify(body), JSON.stringify({ eventId, recordedAt: now }), now);
    return reply.code(201).send({ callId: `${body.patientId}.call${revision}` });
  });
  const close = async () => {
    await app.close();
    db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void close());
  await app.listen({ port: Number(process.env.PORT ?? 3001), host: process.env.HOST ?? '127.0.0.1' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
