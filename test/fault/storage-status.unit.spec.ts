import { Logger } from '@nestjs/common';
import { storageFailureOf } from '@rapport/event-store';
import { StorageStatus } from '../../apps/api/src/health/storage-status';

/** Issue 11 item 9: a full disk is said once, then at most once a minute, however many requests fail or it flaps. */
describe('StorageStatus', () => {
  const full = storageFailureOf(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))!;
  let lines: string[];

  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2026-11-24T03:00:00Z') });
    lines = [];
    for (const level of ['log', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((message: unknown, ..._rest: unknown[]) => void lines.push(`${level}: ${String(message)}`));
    }
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('logs the first refusal, a count a minute later, and the recovery; /health follows', () => {
    const status = new StorageStatus();
    status.answered(10);
    for (let i = 0; i < 1000; i++) status.failed(full);
    expect(lines).toEqual([expect.stringMatching(/^error: storage failing: SQLITE_FULL database or disk is full/)]);
    expect(status.health()).toMatchObject({ status: 'failing', kind: 'full', code: 'SQLITE_FULL', refusedRequests: 1000, since: '2026-11-24T03:00:00.000Z' });

    jest.advanceTimersByTime(61_000);
    status.failed(full);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^error: storage still failing since 2026-11-24T03:00:00.000Z: SQLITE_FULL ×1000 refused/);

    // A replay or a no-op answers an old position: not a write.
    status.answered(10);
    expect(status.health().status).toBe('failing');
    status.answered(11);
    expect(status.health()).toEqual({ status: 'ok' });
    expect(lines[2]).toMatch(/^log: storage takes writes again .*1001 requests refused/);
  });

  it('says little when it flaps', () => {
    const status = new StorageStatus();
    for (let position = 1; position <= 200; position++) {
      status.failed(full);
      status.answered(position);
    }
    expect(lines).toHaveLength(2); // the first failure, its end; the 199 after fall in the quiet minute
    jest.advanceTimersByTime(61_000);
    status.failed(full);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/still failing/);
  });
});
