import type { Server } from 'node:http';
import type { FastifyHttpOptions } from 'fastify';
import type { RapportConfig } from '@rapport/config';

/**
 * Bounds on what a slow or idle client holds (issue 11): one byte of body every 5 s used to keep a
 * connection, before authentication, forever. Node cuts a request whose headers and body have not
 * all arrived within requestTimeout (408, connection closed), checking every connectionsCheckingInterval.
 */
export function serverTimeouts(config: RapportConfig): Pick<FastifyHttpOptions<Server>, 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout' | 'http'> {
  return {
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.idleTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: {
      requestTimeout: config.requestTimeoutMs,
      // Node's default is 60 s for headers alone, and it checks only every 30 s: the bound would be 40 s past the timeout.
      headersTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(config.requestTimeoutMs / 4))),
    },
  };
}
