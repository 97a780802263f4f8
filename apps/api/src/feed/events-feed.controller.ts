import { Controller, Get, Headers, Inject, Logger, Query, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiRead } from '../http/openapi';
import { EventsPage } from '../events/event.responses';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RecordedEvent } from '@rapport/event-store';
import { Allow } from '../auth/access.decorators';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { clinicScope, FEED_READERS, Principal } from '@rapport/access';
import { RAPPORT_CONFIG, RapportConfig } from '@rapport/config';
import { InvalidInputException } from '../http/errors';
import { DEFAULT_PAGE, EventsPageQuery, EventsStreamQuery, MAX_PAGE, parseWholeNumber } from './feed-query.dto';
import { FeedConnections } from './feed-connections';
import { inScope, patientsShown, readFeedPage } from './feed-reader';
import { AccessLog } from '../audit/access-log';
import { LiveLog } from './live-log';
import { SseConnection } from './sse-connection';

/**
 * The global log for downstream subscribers, on any event store: a page at a time, or as
 * Server-Sent Events that go on live. Positions are the store's global positions (on EventStoreDB
 * they are increasing but not consecutive): resume from the last one seen, never from a guess.
 * A token limited to some clinics sees only their events.
 */
@ApiTags('events')
@Controller('v1/events')
export class EventsFeedController {
  private readonly logger = new Logger('EventFeed');

  constructor(
    private readonly log: LiveLog,
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
    private readonly connections: FeedConnections,
    private readonly accessLog: AccessLog,
  ) {}

  @Get()
  @Allow(...FEED_READERS)
  @ApiRead({
    operationId: 'getEvents',
    summary: 'A page of the global event log',
    description:
      'The events with position > `after`, oldest first; ask again with after=next (at the head when next stops moving). A token limited to some clinics sees only ' +
      'their events. Read from the log itself, so never behind: `minPosition` is taken and has nothing to wait for.',
    response: EventsPage,
    errors: [400, 401, 403],
  })
  async page(@Query() query: EventsPageQuery, @CurrentPrincipal() principal: Principal): Promise<{ events: RecordedEvent[]; next: number }> {
    const after = parseWholeNumber(query.after, 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const limit = parseWholeNumber(query.limit, 1, MAX_PAGE) ?? DEFAULT_PAGE;
    const page = await readFeedPage(this.log, after, limit, clinicScope(principal));
    await this.recordShown(principal, page.events);
    return page;
  }

  /** Events with names and phones: who received them is recorded before they are sent. */
  private async recordShown(principal: Principal, events: readonly RecordedEvent[]): Promise<void> {
    for (const [clinicId, patientIds] of patientsShown(events)) await this.accessLog.recordListed(principal, { clinicId, what: 'feed', patientIds });
  }

  @Get('stream')
  @Allow(...FEED_READERS)
  @ApiOperation({
    operationId: 'streamEvents',
    summary: 'The global event log, live (Server-Sent Events)',
    description:
      'Server-Sent Events going on live: `id` the position, `event` the type, `data` the recorded event as one line of JSON; a `: heartbeat` comment every ' +
      'FEED_HEARTBEAT_MS. A client that stops reading is cut off once FEED_MAX_BUFFERED_BYTES wait for it; it resumes with Last-Event-ID. Past MAX_FEED_CONNECTIONS ' +
      'open streams a new one is a 503 with Retry-After.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this position (browsers send it when they reconnect); wins over `after`', schema: { type: 'integer', minimum: 0 } })
  @ApiResponse({
    status: 200,
    description: 'The stream, until the client goes.',
    content: { 'text/event-stream': { schema: { type: 'string', description: 'id: <position>\nevent: <type>\ndata: <RecordedEvent as JSON>\n\n, and `: heartbeat` comments' } } },
  })
  @ApiErrors(400, 401, 403, [503, 'Too many open streams (MAX_FEED_CONNECTIONS): try again after Retry-After, or page with GET /v1/events.'])
  stream(
    @Query() query: EventsStreamQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    const resumeFrom = parseWholeNumber(lastEventId?.trim(), 0, Number.MAX_SAFE_INTEGER);
    if (Number.isNaN(resumeFrom)) {
      throw new InvalidInputException([{ field: 'Last-Event-ID', message: 'Last-Event-ID must be a position the feed sent' }]);
    }
    const after = resumeFrom ?? parseWholeNumber(query.after, 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const scope = clinicScope(principal);
    if (this.connections.size >= this.config.maxFeedConnections) {
      void reply.header('retry-after', '5');
      throw new ServiceUnavailableException(`the event feed is at its limit of ${this.config.maxFeedConnections} open streams; try again shortly, or page with GET /v1/events`);
    }
    // From here on the response is ours, not Fastify's.
    reply.hijack();
    const connection = new SseConnection(request.raw, reply.raw, {
      log: this.log,
      after,
      heartbeatMs: this.config.feedHeartbeatMs,
      maxBufferedBytes: this.config.feedMaxBufferedBytes,
      accept: (event) => inScope(event, scope),
      ...(scope ? { clinics: scope } : {}),
      beforeSend: (events) => this.recordShown(principal, events),
      onError: (error) => this.logger.error(`event feed after ${after} failed: ${error instanceof Error ? error.stack : String(error)}`),
    });
    this.connections.add(connection);
    connection.start();
  }
}
