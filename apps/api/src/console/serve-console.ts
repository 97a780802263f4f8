import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { NOT_THIS_MACHINE } from '../auth/local-sign-in.controller';
import { isLoopbackRequest } from '../auth/loopback';

/**
 * The caller console: plain HTML, CSS and ES modules in apps/console/public, served as they are,
 * so `npm start` needs no front-end build. `/` is the console; its assets live under `/console/`.
 * `thisMachineOnly`: the page offers one-click local sign-in, so like that route it answers only
 * requests whose Host and Origin are loopback names (a DNS-rebound page gets a 403).
 */
export async function serveConsole(app: NestFastifyApplication, { thisMachineOnly }: { thisMachineOnly: boolean }): Promise<void> {
  const root = join(repositoryRoot(), 'apps', 'console', 'public');
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(fastifyStatic, { root, prefix: '/console/', decorateReply: false, index: false });
  const index = readFileSync(join(root, 'index.html'));
  fastify.get('/', (request, reply) => {
    if (thisMachineOnly && !isLoopbackRequest(request.headers)) {
      return reply.code(403).type('text/plain; charset=utf-8').send(`403: ${NOT_THIS_MACHINE}\n`);
    }
    return reply.type('text/html; charset=utf-8').send(index);
  });
}

/** The folder with package.json, found from this file whether it runs from src/ (tests) or dist/. */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}
