import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AnchorRow } from './audit-anchor';

/**
 * A small signed statement of how far the log reached: the anchor's head at one position. A clinic
 * keeps it off the machine (mail it, print it); `npm run verify -- --anchor FILE` later checks the
 * log and the anchor still hold that exact prefix, which catches cutting the tail of both files.
 */
export interface AnchorExport {
  position: number;
  eventId: string;
  head: string;
  anchoredAt: string;
  /** HMAC-SHA256 under the anchor key over the four fields above. */
  mac: string;
}

export function signAnchorExport(key: Buffer, row: Pick<AnchorRow, 'position' | 'eventId' | 'head' | 'anchoredAt'>): AnchorExport {
  const fields = { position: row.position, eventId: row.eventId, head: row.head, anchoredAt: row.anchoredAt };
  return { ...fields, mac: macOf(key, fields) };
}

export function anchorExportMacValid(key: Buffer, exported: AnchorExport): boolean {
  const expected = Buffer.from(macOf(key, exported), 'hex');
  const given = Buffer.from(exported.mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Reads an export file's text; names what is wrong with it. */
export function parseAnchorExport(text: string): AnchorExport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('the anchor export is not JSON');
  }
  const v = value as Partial<AnchorExport> | null;
  const valid =
    v !== null &&
    typeof v === 'object' &&
    Number.isSafeInteger(v.position) &&
    (v.position as number) > 0 &&
    typeof v.eventId === 'string' &&
    typeof v.head === 'string' &&
    /^[0-9a-f]{64}$/.test(v.head) &&
    typeof v.anchoredAt === 'string' &&
    typeof v.mac === 'string' &&
    /^[0-9a-f]{64}$/.test(v.mac);
  if (!valid) throw new Error('the anchor export needs { position, eventId, head, anchoredAt, mac } as `npm run verify -- --export-anchor FILE` writes them');
  return { position: v.position!, eventId: v.eventId!, head: v.head!, anchoredAt: v.anchoredAt!, mac: v.mac! };
}

function macOf(key: Buffer, e: Omit<AnchorExport, 'mac'>): string {
  return createHmac('sha256', key).update(JSON.stringify(['rapport anchor export', e.position, e.eventId, e.head, e.anchoredAt])).digest('hex');
}
