import { Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ProjectionNotReadyError, UnknownClinicError } from '@rapport/projections';
import { READ_SIDE, ReadSide } from './read-side';

/**
 * Runs a query once the projections it reads have reached `?minPosition=` (503 when they cannot
 * in time, or are stopped), and turns the read side's "unknown clinic" into a 404.
 */
@Injectable()
export class QueryRunner {
  constructor(@Inject(READ_SIDE) private readonly readSide: ReadSide) {}

  get db() {
    return this.readSide.models.reader;
  }

  /** The lowest position the given projections have applied (their status, from the runtime or the checkpoints). */
  async projectedPosition(projections: readonly string[]): Promise<number> {
    const status = await this.readSide.status.read();
    return Math.min(...projections.map((name) => status.find((p) => p.name === name)?.position ?? 0));
  }

  async run<T>(projections: readonly string[], minPosition: string | undefined, query: () => Promise<T>): Promise<T> {
    if (minPosition !== undefined) {
      try {
        await this.readSide.waiter.waitFor(projections, Number(minPosition));
      } catch (error) {
        if (error instanceof ProjectionNotReadyError) throw new ServiceUnavailableException(error.message);
        throw error;
      }
    }
    await this.readSide.waiter.requireBuilt(projections);
    try {
      return await query();
    } catch (error) {
      if (error instanceof UnknownClinicError) throw new NotFoundException(error.message);
      throw error;
    }
  }
}
