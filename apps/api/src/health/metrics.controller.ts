import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, EventStore } from '@rapport/event-store';
import { Public } from '../auth/access.decorators';
import { READ_SIDE, ReadSide } from '../queries/read-side';
import { escapeLabel, HttpMetrics } from './http-metrics';
import { StorageStatus } from './storage-status';

/** Prometheus text exposition: the log head, each projection's position and lag, HTTP and process figures. No patient data. */
@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_SIDE) private readonly readSide: ReadSide,
    private readonly http: HttpMetrics,
    private readonly storage: StorageStatus,
  ) {}

  @Get()
  @Public()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    description:
      'Prometheus text exposition (version 0.0.4): the log’s head, each projection’s position, lag and whether it stopped, whether storage refuses writes, HTTP request ' +
      'figures, process memory and uptime. No token and no patient data: it is for the scraper; keep /metrics on a network you trust.',
    security: [],
  })
  @ApiResponse({
    status: 200,
    description: 'The metrics, as `text/plain; version=0.0.4; charset=utf-8`.',
    content: { 'text/plain': { schema: { type: 'string', example: '# HELP rapport_event_store_head_position Global position of the last stored event.\n# TYPE rapport_event_store_head_position gauge\nrapport_event_store_head_position 42\n' } } },
  })
  async metrics(): Promise<string> {
    const [head, projections] = await Promise.all([this.store.headPosition(), this.readSide.status.read()]);
    const gauge = (name: string, help: string, rows: [string, number][]) => [
      `# HELP ${name} ${help}`,
      `# TYPE ${name} gauge`,
      ...rows.map(([labels, value]) => `${name}${labels} ${value}`),
    ];
    const perProjection = (pick: (p: (typeof projections)[number]) => number): [string, number][] =>
      projections.map((p) => [`{projection="${escapeLabel(p.name)}"}`, pick(p)]);
    const memory = process.memoryUsage();
    return [
      ...gauge('rapport_event_store_head_position', 'Global position of the last stored event.', [['', head]]),
      ...gauge('rapport_storage_failing', '1 while storage refuses writes (disk full, I/O error, store unreachable) and commands get 503.', [['', this.storage.health().status === 'failing' ? 1 : 0]]),
      ...gauge('rapport_projection_position', 'Last position each projection has applied.', perProjection((p) => p.position)),
      ...gauge('rapport_projection_lag_events', 'Events recorded but not yet applied, per projection.', perProjection((p) => p.lag)),
      ...gauge('rapport_projection_stopped', '1 when a projection stopped on an event it could not apply.', perProjection((p) => (p.status === 'stopped' ? 1 : 0))),
      ...this.http.lines(),
      ...gauge('process_resident_memory_bytes', 'Resident memory of this process.', [['', memory.rss]]),
      ...gauge('process_uptime_seconds', 'Seconds since this process started.', [['', Math.round(process.uptime())]]),
      '',
    ].join('\n');
  }
}
