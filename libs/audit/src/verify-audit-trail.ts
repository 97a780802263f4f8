import { join } from 'node:path';
import type { EventStore, RecordedEvent } from '@rapport/event-store';
import { anchorExportMacValid, signAnchorExport, type AnchorExport } from './anchor-export';
import { anchorKeyFor, anchorKeyId, ANCHOR_KEY_ENV, ANCHOR_SECRET_FILE } from './anchor-key';
import { ANCHOR_FILE, AuditAnchor, runningHead, type AnchorRow } from './audit-anchor';
import { chainOf } from './hash-chain';
import { StreamChains, type BrokenLink, type ChainReport } from './verify-chain';

/**
 * What the anchor finds: `missing` an anchored event is not in the log (deleted, or the tail cut);
 * `added` an event the anchor never saw at a position it covers; `replaced` another event at an
 * anchored position (moved or swapped); `rewritten` the event's hash is not the anchored one;
 * `anchor-edited` a row's running head does not match; `anchor-missing` no (readable) anchor file
 * while the log holds events; `key-missing` no key to check the heads with; `export-mismatch` an
 * export that does not match the anchor; `cut-back` the anchor ends before an export's position.
 */
export type AnchorFindingKind =
  | 'missing'
  | 'added'
  | 'replaced'
  | 'rewritten'
  | 'anchor-edited'
  | 'anchor-missing'
  | 'key-missing'
  | 'export-mismatch'
  | 'cut-back';

export interface AnchorFinding {
  kind: AnchorFindingKind;
  position: number;
  eventId: string;
  stream?: string;
  revision?: number;
  type?: string;
  reason: string;
}

/** The first problem of the report: a broken hash chain, or what the anchor found. */
export type AuditFinding = (BrokenLink & { kind: 'chain' }) | AnchorFinding;

export interface AnchorCheck {
  /** Whether `<dataDir>/audit-anchor.sqlite` was there and readable. */
  present: boolean;
  /** The last position the anchor covers (0: none); the log was compared up to it. */
  anchoredThrough: number;
  rows: number;
  /** Events past the anchor's last row: not broken, only not covered yet (0 after a graceful close). */
  notYetAnchored: number;
  createdAt?: string;
  /** The anchor's first finding in global order. */
  problem?: AnchorFinding;
  /** With an export given: whether the log and the anchor still hold its prefix. */
  export?: { position: number; eventId: string; anchoredAt: string; ok: boolean };
}

export interface AuditReport extends Omit<ChainReport, 'firstBroken'> {
  /** The first problem in global order, hash chain or anchor. */
  firstBroken?: AuditFinding;
  anchor: AnchorCheck;
}

export interface VerifyAuditTrailOptions {
  /** Where `audit-anchor.sqlite` (and, without AUDIT_ANCHOR_KEY, `anchor-secret`) live. */
  dataDir: string;
  /** An export kept off the machine: the log and the anchor must still hold its exact prefix. */
  exported?: AnchorExport;
  env?: NodeJS.ProcessEnv;
  pageSize?: number;
}

/**
 * Walks the log as stored and the anchor rows together, by position, once: every stream's hash
 * chain (verifyChain) and every anchored event's id, stream, revision and hash, every row's
 * running head, and an export's prefix. Reads only: it makes neither the anchor nor its key.
 */
export async function verifyAuditTrail(log: EventStore, options: VerifyAuditTrailOptions): Promise<AuditReport> {
  return (await walkWithAnchorFile(log, options)).report;
}

/**
 * The signed export of the anchor's last row, made only when the whole trail verifies (an
 * export vouches for what it covers). Without `exported`: the report says why.
 */
export async function exportAuditAnchor(log: EventStore, options: VerifyAuditTrailOptions): Promise<{ report: AuditReport; exported?: AnchorExport }> {
  const { report, lastRow, key } = await walkWithAnchorFile(log, options);
  if (!report.ok || !lastRow || !key) return { report };
  return { report, exported: signAnchorExport(key, lastRow) };
}

async function walkWithAnchorFile(log: EventStore, options: VerifyAuditTrailOptions): Promise<Walked> {
  const key = anchorKeyFor(options.dataDir, { env: options.env ?? process.env });
  const file = join(options.dataDir, ANCHOR_FILE);
  let anchor: AuditAnchor | undefined;
  let absence = `the anchor file ${file} is missing`;
  try {
    anchor = AuditAnchor.openForReading(options.dataDir);
  } catch (error) {
    absence = `the anchor file ${file} cannot be read (${(error as Error).message})`;
  }
  try {
    return await walk(log, { anchor, absence, key, exported: options.exported, pageSize: options.pageSize ?? 5000, keyPlace: `${ANCHOR_KEY_ENV} is not set and ${join(options.dataDir, ANCHOR_SECRET_FILE)} is missing` });
  } finally {
    anchor?.close();
  }
}

interface Walked {
  report: AuditReport;
  lastRow?: AnchorRow;
  key?: Buffer;
}

interface WalkInput {
  anchor: AuditAnchor | undefined;
  absence: string;
  key: Buffer | undefined;
  keyPlace: string;
  exported: AnchorExport | undefined;
  pageSize: number;
}

async function walk(log: EventStore, { anchor, absence, key, keyPlace, exported, pageSize }: WalkInput): Promise<Walked> {
  // Rows past this bound may be written while we walk: they are compared next time.
  const bound = anchor?.last()?.position ?? 0;
  const meta = anchor?.meta() ?? {};
  const otherKey = key !== undefined && meta.keyId !== undefined && meta.keyId !== anchorKeyId(key);
  let finding: AnchorFinding | undefined;
  const consider = (f: AnchorFinding) => {
    if (!finding || f.position < finding.position) finding = f;
  };

  let exportSeen = false;
  if (exported && key && !anchorExportMacValid(key, exported)) {
    consider({ kind: 'export-mismatch', position: exported.position, eventId: exported.eventId, reason: 'the export’s signature does not verify with this installation’s anchor key: it was edited, or it comes from another key' });
  }

  // The anchor rows, paged like the log.
  let page: AnchorRow[] = [];
  let index = 0;
  let rowsAfter = 0;
  let rows = 0;
  let prevHead = '';
  let lastRow: AnchorRow | undefined;
  const peek = (): AnchorRow | undefined => {
    if (!anchor) return undefined;
    if (index >= page.length) {
      page = anchor.rowsBetween(rowsAfter, bound, pageSize);
      index = 0;
    }
    return page[index];
  };
  const take = (row: AnchorRow): void => {
    index++;
    rowsAfter = row.position;
    rows++;
    lastRow = row;
    const named = { position: row.position, eventId: row.eventId, stream: row.stream, revision: row.revision };
    if (!key) {
      if (rows === 1) consider({ kind: 'key-missing', ...named, reason: `the anchor’s running heads cannot be checked: ${keyPlace}` });
    } else if (runningHead(key, prevHead, row) !== row.head) {
      consider({
        kind: 'anchor-edited',
        ...named,
        reason: otherKey
          ? `the anchor row does not match its running head: the anchor was made with another key (${ANCHOR_KEY_ENV} or the anchor secret changed), or the anchor file was edited`
          : 'the anchor row does not match its running head: the anchor file was edited',
      });
    }
    // The next row chains to this one as stored: one edited row is named, not every row after it.
    prevHead = row.head;
    if (exported && row.position === exported.position) {
      exportSeen = true;
      if (row.eventId !== exported.eventId || row.head !== exported.head) {
        consider({
          kind: 'export-mismatch',
          ...named,
          reason:
            `the export of ${exported.anchoredAt} recorded event ${exported.eventId} with head ${short(exported.head)} here, the anchor now holds ` +
            `event ${row.eventId} with head ${short(row.head)}: the log and its anchor were redone up to this position`,
        });
      }
    }
  };

  const chains = new StreamChains();
  let events = 0;
  let notYetAnchored = 0;
  let logEnd = 0;
  for (let after = 0; ; ) {
    const batch = await log.readAll({ after, limit: pageSize });
    if (batch.length === 0) break;
    for (const event of batch) {
      events++;
      chains.check(event);
      if (!anchor && events === 1) consider({ kind: 'anchor-missing', ...nameOf(event), reason: `${absence} while the log holds events: it was deleted, or no anchoring version has run on this log` });
      let row = peek();
      while (row && row.position < event.position) {
        take(row);
        consider({ kind: 'missing', ...namedRow(row), reason: `the anchor recorded event ${row.eventId} (stream ${row.stream} revision ${row.revision}) here; it is missing from the log: it was deleted` });
        row = peek();
      }
      if (row && row.position === event.position) {
        take(row);
        const mismatch = compare(event, row);
        if (mismatch) consider(mismatch);
      } else if (event.position <= bound) {
        consider({ kind: 'added', ...nameOf(event), reason: 'the anchor has no row for this event at a position it covers: it was put into the log afterwards, or its anchor row was removed' });
      } else {
        notYetAnchored++;
      }
      logEnd = event.position;
    }
    after = batch[batch.length - 1]!.position;
  }
  // Anchored events past the log's end: its tail was cut.
  const firstCut = peek();
  if (firstCut) {
    consider({
      kind: 'missing',
      ...namedRow(firstCut),
      reason: `the log ends at position ${logEnd} but the anchor recorded up to ${bound}; first missing: event ${firstCut.eventId}, stream ${firstCut.stream} revision ${firstCut.revision}`,
    });
    for (let row: AnchorRow | undefined = firstCut; row; row = peek()) take(row);
  }
  if (exported && !exportSeen) {
    consider(
      exported.position > bound
        ? {
            kind: 'cut-back',
            position: exported.position,
            eventId: exported.eventId,
            reason:
              `the anchor ends at position ${bound} but the export of ${exported.anchoredAt} recorded up to position ${exported.position} (event ${exported.eventId}): ` +
              `events after position ${bound} were cut from the anchor${logEnd < exported.position ? ' and from the log' : ''}`,
          }
        : { kind: 'export-mismatch', position: exported.position, eventId: exported.eventId, reason: `the anchor has no row at position ${exported.position}, where the export recorded event ${exported.eventId}` },
    );
  }

  const chain = chains.report(events);
  const chainFirst: AuditFinding | undefined = chain.firstBroken ? { kind: 'chain', ...chain.firstBroken } : undefined;
  const first = chainFirst && (!finding || chainFirst.position <= finding.position) ? chainFirst : finding;
  const report: AuditReport = {
    ok: chain.ok && !finding,
    streams: chain.streams,
    events: chain.events,
    broken: chain.broken,
    ...(first ? { firstBroken: first } : {}),
    anchor: {
      present: anchor !== undefined,
      anchoredThrough: bound,
      rows,
      notYetAnchored: anchor ? notYetAnchored : events,
      ...(meta.createdAt ? { createdAt: meta.createdAt } : {}),
      ...(finding ? { problem: finding } : {}),
      ...(exported ? { export: { position: exported.position, eventId: exported.eventId, anchoredAt: exported.anchoredAt, ok: prefixHeld(exported, finding, chain.firstBroken) } } : {}),
    },
  };
  return { report, ...(lastRow ? { lastRow } : {}), ...(key ? { key } : {}) };
}

function compare(event: RecordedEvent, row: AnchorRow): AnchorFinding | undefined {
  if (row.eventId !== event.eventId || row.stream !== event.stream || row.revision !== event.revision) {
    return {
      kind: 'replaced',
      ...nameOf(event),
      reason: `the anchor recorded event ${row.eventId} (stream ${row.stream} revision ${row.revision}) at this position: events were moved or replaced`,
    };
  }
  if (row.chainHash !== (chainOf(event.metadata)?.hash ?? null)) {
    return { kind: 'rewritten', ...nameOf(event), reason: 'its hash is not the one anchored: it was rewritten after it was anchored (recomputing its stream’s hash chain does not hide that)' };
  }
  return undefined;
}

/** Whether nothing is wrong at or before the export's position, nor with the export itself. */
function prefixHeld(exported: AnchorExport, finding: AnchorFinding | undefined, chainBroken: BrokenLink | undefined): boolean {
  if (chainBroken && chainBroken.position <= exported.position) return false;
  if (!finding) return true;
  return finding.kind !== 'export-mismatch' && finding.kind !== 'cut-back' && finding.position > exported.position;
}

function nameOf(event: RecordedEvent) {
  return { position: event.position, eventId: event.eventId, stream: event.stream, revision: event.revision, type: event.type };
}

function namedRow(row: AnchorRow) {
  return { position: row.position, eventId: row.eventId, stream: row.stream, revision: row.revision };
}

function short(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}
