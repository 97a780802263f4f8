import type { FastifyReply } from 'fastify';
import type { CommandResult } from '../application/command-context';

/** `X-Rapport-Position` lets the client read its own writes (`?minPosition=`). */
export function sendCommandResponse<Body>(reply: FastifyReply, response: CommandResult<Body>): Body {
  void reply.header('X-Rapport-Position', String(response.position));
  // The record's revision after the command: send it back as If-Match to change it only if nobody else has.
  if (response.revision !== undefined) void reply.header('ETag', `"${response.revision}"`);
  if (response.replayed) void reply.header('Idempotent-Replayed', 'true');
  return response.body;
}
