import type { FastifyReply } from 'fastify';

/** What a command handler gives its controller: the body and the log position of its last event. */
export interface CommandResponse<Body> {
  body: Body;
  position: number;
  replayed: boolean;
}

/** `X-Rapport-Position` lets the client read its own writes (`?minPosition=`). */
export function sendCommandResponse<Body>(reply: FastifyReply, response: CommandResponse<Body>): Body {
  void reply.header('X-Rapport-Position', String(response.position));
  if (response.replayed) void reply.header('Idempotent-Replayed', 'true');
  return response.body;
}
