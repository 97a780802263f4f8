import type { Comparison, RowResult } from '../rows/row';

/** The results as Markdown tables, so the output pastes into the README as it is. */
export function formatReport(results: RowResult[], comparisons: Comparison[]): string {
  const header = ['row', 'measures', 'in flight', 'throughput', 'p50 ms', 'p99 ms', 'peak RSS MiB', 'ratio'];
  const lines = results.map((r) => [
    r.id,
    r.title,
    r.inFlight ?? '',
    r.status === 'ok' ? `${integer(r.opsPerSec!)} ${r.unit}` : r.status === 'todo' ? 'TODO' : r.status,
    ms(r.p50Ms),
    ms(r.p99Ms),
    r.peakRssMiB === undefined ? '' : integer(r.peakRssMiB),
    r.ratio === undefined ? '' : `${ratio(r.ratio)} ${r.baseline}`,
  ]);
  const ratios = comparisons.map((c) => {
    const value = ratioOf(results, c);
    const verdict = value === undefined || c.goal === undefined ? '' : value >= c.goal ? 'met' : 'not met';
    return [c.label, value === undefined ? 'n/a' : ratio(value), c.goal === undefined ? '' : `≥ ${c.goal}×`, verdict];
  });
  const notes = results.flatMap((r) => {
    if (r.status === 'todo' || r.status === 'not run' || r.status === 'failed') return [`- ${r.id}: ${r.status.toUpperCase()}: ${r.reason ?? ''}`];
    const passes = r.passes ? [`- ${r.id}: passes ${r.passes.map((p) => (Number.isNaN(p) ? 'failed' : integer(p))).join(' / ')} ${r.unit} (median shown)`] : [];
    return (r.notes ?? []).map((n) => `- ${r.id}: ${n}`).concat(passes);
  });
  return [markdown(header, lines), '', markdown(['ratio (same run)', 'value', 'goal', ''], ratios), '', ...notes].join('\n');
}

export function ratioOf(results: RowResult[], comparison: Comparison): number | undefined {
  const a = results.find((r) => r.id === comparison.numerator)?.opsPerSec;
  const b = results.find((r) => r.id === comparison.denominator)?.opsPerSec;
  return a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
}

function markdown(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c + ' '.repeat(widths[i]! - width(c))).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Display width: the box-drawing and Greek signs used here are one column each. */
function width(text: string): number {
  return [...text].length;
}

function integer(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function ms(n: number | undefined): string {
  if (n === undefined) return '';
  return n >= 100 ? String(Math.round(n)) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

function ratio(n: number): string {
  return `${n >= 10 ? n.toFixed(1) : n.toFixed(2)}×`;
}
