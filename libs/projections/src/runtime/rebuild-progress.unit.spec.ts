import { startRebuildProgress } from './rebuild-progress';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream, written };
}

describe('rebuild progress on stderr', () => {
  it('prints nothing for a short rebuild', () => {
    const { stream, written } = fakeStream(true);
    const progress = startRebuildProgress('call-queue', 0, 9_999, { stream });
    progress.update(5_000);
    progress.done(9_999);
    expect(written).toEqual([]);
  });

  it('redraws a bar on a terminal', () => {
    const { stream, written } = fakeStream(true);
    let now = 0;
    const progress = startRebuildProgress('call-queue', 0, 100_000, { stream, now: () => now });
    now = 1000;
    progress.update(50_000);
    now = 1050; // within 100 ms: not redrawn
    progress.update(51_000);
    now = 2000;
    progress.done(100_000);
    expect(written).toEqual([
      `\rrebuilding projection call-queue: [${'#'.repeat(15)}${'-'.repeat(15)}] 50.0% (50000/100000 events, 50000 events/s)`,
      `\rrebuilding projection call-queue: [${'#'.repeat(30)}] 100.0% (100000/100000 events, 50000 events/s)\n`,
    ]);
  });

  it('writes a log line every 5 seconds elsewhere', () => {
    const { stream, written } = fakeStream(false);
    let now = 0;
    const progress = startRebuildProgress('patient-timeline', 0, 20_000, { stream, now: () => now });
    now = 5000;
    progress.update(10_000);
    now = 6000;
    progress.update(12_000);
    now = 10_000;
    progress.done(20_000);
    expect(written).toEqual([
      'rebuilding projection patient-timeline: 50.0% (10000/20000 events, 2000 events/s)\n',
      'rebuilding projection patient-timeline: 100.0% (20000/20000 events, 2000 events/s) done\n',
    ]);
  });
});
