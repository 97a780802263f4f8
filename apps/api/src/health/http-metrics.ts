import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Request counts and total seconds by method, route and status, for GET /metrics. */
export class HttpMetrics {
  private readonly counts = new Map<string, { count: number; seconds: number }>();

  /** Counts every answered request; the route is Fastify's pattern, so ids never become labels. */
  attach(app: NestFastifyApplication): void {
    const fastify = app.getHttpAdapter().getInstance();
    fastify.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions?.url ?? 'unmatched';
      const key = `${request.method} ${route} ${reply.statusCode}`;
      const entry = this.counts.get(key) ?? { count: 0, seconds: 0 };
      entry.count += 1;
      entry.seconds += reply.elapsedTime / 1000;
      this.counts.set(key, entry);
    });
  }

  lines(): string[] {
    const lines = [
      '# HELP rapport_http_requests_total HTTP requests answered, by method, route and status.',
      '# TYPE rapport_http_requests_total counter',
    ];
    const seconds = ['# HELP rapport_http_request_seconds_total Time spent answering, by method, route and status.', '# TYPE rapport_http_request_seconds_total counter'];
    for (const [key, { count, seconds: s }] of this.counts) {
      const [method, route, status] = key.split(' ');
      const labels = `method="${method}",route="${escapeLabel(route!)}",status="${status}"`;
      lines.push(`rapport_http_requests_total{${labels}} ${count}`);
      seconds.push(`rapport_http_request_seconds_total{${labels}} ${s.toFixed(6)}`);
    }
    return [...lines, ...seconds];
  }
}

export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
