import type { FastifyReply } from 'fastify';

/**
 * CSV as the exports write it (RFC 4180: comma-separated, CRLF line ends, a field with a comma,
 * quote or line break in double quotes, a quote doubled), UTF-8 with a byte-order mark so
 * spreadsheet programs read Chinese text as written. Free text that begins with = + - @ (a formula
 * to a spreadsheet) gets a leading apostrophe.
 */
export type CsvValue = string | number | boolean | null | undefined;

export function csvField(value: CsvValue, freeText = false): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (freeText && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and a line per row, in the columns' order; `freeText` columns are guarded. */
export function csvTable<C extends string>(columns: readonly C[], rows: readonly Partial<Record<C, CsvValue>>[], freeText: ReadonlySet<string> = new Set()): string {
  return csvDocument([columns.join(','), ...rows.map((row) => columns.map((c) => csvField(row[c], freeText.has(c))).join(','))]);
}

export function csvDocument(lines: readonly string[]): string {
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Sets the headers of a CSV download and hands back its body. */
export function sendCsv(reply: FastifyReply, filename: string, body: string): string {
  void reply.header('content-type', 'text/csv; charset=utf-8');
  void reply.header('content-disposition', `attachment; filename="${filename}"`);
  return body;
}
