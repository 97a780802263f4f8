// CSV files the console makes from the JSON reports, so that times are the clinic's own (the
// server's CSVs are in UTC) and headers and labels can be Chinese: UTF-8 with a byte-order mark
// (Excel opens it as UTF-8), RFC 4180 quoting, CRLF. A cell a spreadsheet would run as a formula
// (=, +, -, @ before text) is written with a leading apostrophe.
import { clinicZone } from './context.js';
import { zonedIso } from './local-dates.js';

export function toCsv(header, rows) {
  const lines = [header, ...rows].map((row) => row.map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function cell(value) {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'number' ? String(Math.round(value * 10_000) / 10_000) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** An instant in the clinic's zone: with its offset for machines, as a plain wall clock in a Chinese file. */
export function csvTime(iso, chinese) {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : zonedIso(ms, clinicZone(), { forPeople: chinese });
}
