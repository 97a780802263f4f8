import { showsPersonalData } from '@rapport/audit';
import type { RecordedEvent } from '@rapport/event-store';
import type { LiveLog } from './live-log';

/** Which events a reader may see: those of its token's clinics; undefined when it covers them all. */
export type ClinicScope = readonly string[] | undefined;

export function inScope(event: RecordedEvent, clinics: ClinicScope): boolean {
  return clinics === undefined || clinics.includes(String(event.data.clinicId));
}

/** The most of the log one page request scans for a reader whose clinics are few. */
const MAX_SCAN = 10_000;

/**
 * One page of the feed: up to `limit` events after `after` that the reader may see. `next` is the
 * last position looked at, seen or skipped, so a reader limited to some clinics still moves on
 * through stretches that hold nothing for it; it is at the head when `next` stops moving.
 */
export async function readFeedPage(
  log: Pick<LiveLog, 'read'>,
  after: number,
  limit: number,
  clinics: ClinicScope,
): Promise<{ events: RecordedEvent[]; next: number }> {
  const events: RecordedEvent[] = [];
  let next = after;
  let scanned = 0;
  while (events.length < limit && scanned < MAX_SCAN) {
    const want = clinics === undefined ? limit - events.length : Math.min(MAX_SCAN - scanned, 1000);
    const page = await log.read(next, want);
    for (const event of page) {
      if (events.length === limit) break;
      next = event.position;
      if (inScope(event, clinics)) events.push(event);
    }
    scanned += page.length;
    if (page.length < want) break;
  }
  return { events, next };
}

/** The patients whose names or phones these events show, by clinic: what the access log records of a feed read. */
export function patientsShown(events: readonly RecordedEvent[]): Map<string, string[]> {
  const byClinic = new Map<string, string[]>();
  for (const event of events) {
    if (!showsPersonalData(event)) continue;
    const clinicId = String(event.data.clinicId);
    byClinic.set(clinicId, [...(byClinic.get(clinicId) ?? []), String(event.data.patientId)]);
  }
  return byClinic;
}
