import { randomUUID } from 'node:crypto';
import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { LOCAL_OPERATOR } from '@rapport/access';
import { readExpiryCandidates, type ReadModelDb } from '@rapport/projections';
import type { CommandPorts } from '../application/command-ports';
import { expireFollowUp } from '../application/recording';
import type { Clock } from '../clock';

/** How often the server looks for urgent calls past their expiry. */
const SWEEP_EVERY_MS = 60_000;
/** No urgent rule expires sooner than this after it falls due (a clinic's expiryHours is 1–720). */
const SHORTEST_EXPIRY_MS = 3_600_000;

/**
 * Urgent calls expire (issue 15; DOMAIN.md "after a day they expire, recorded"): once a minute the
 * server asks the domain to expire each open urgent follow-up that fell due at least an hour ago;
 * the domain closes those past their rule's expiry (FollowUpClosed `expired`, by the server) and
 * refuses the others. Two servers sweeping at once expire a follow-up once: the second finds it closed.
 */
export class UrgentExpiry implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private readonly logger = new Logger('UrgentExpiry');

  constructor(
    private readonly ports: CommandPorts,
    private readonly reader: Kysely<ReadModelDb>,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep().catch((error: unknown) => this.logger.warn(`urgent expiry sweep failed: ${String(error)}`)), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop();
    await this.running?.catch(() => undefined);
  }

  /** No more sweeps on the timer (a sweep asked for still runs). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One sweep at the clock's now; answers how many follow-ups it expired. */
  sweep(): Promise<number> {
    this.running ??= this.sweepOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepOnce(): Promise<number> {
    const candidates = await readExpiryCandidates(this.reader, this.clock.now().epochMilliseconds - SHORTEST_EXPIRY_MS);
    let expired = 0;
    for (const candidate of candidates) {
      const context = { commandId: randomUUID(), correlationId: randomUUID(), principal: LOCAL_OPERATOR, requestHash: `expire ${candidate.followUpId}` };
      if ((await expireFollowUp(this.ports, candidate, context)) === 'expired') expired++;
    }
    if (expired > 0) this.logger.log(`expired ${expired} urgent call(s) past their rule's expiry`);
    return expired;
  }
}
