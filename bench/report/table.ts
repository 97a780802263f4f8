import type { Comparison, Goal, RowResult } from '../rows/row';

/** The results as Markdown tables, so the output pastes into the README as it is. */
export function formatReport(results: RowResult[], comparisons: Comparison[], goals: Goal[] = []): string {
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
  const goalLines = goals.map((g) => {
    const value = valueOf(results, g);
    const target = g.atLeast !== undefined ? `≥ ${integer(g.atLeast)} ${g.unit}` : `< ${g.below} ${g.unit}`;
    const verdict = value === undefined ? 'not measured' : goalMet(g, value) ? 'met' : 'not met';
    const shown = value === undefined ? 'n/a' : g.metric === 'p99Ms' ? `${ms(value)} ${g.unit}` : `${integer(value)} ${g.unit}`;
    return [g.label, shown, target, verdict];
  });
  const notes = results.flatMap((r) => {
    if (r.status === 'todo' || r.status === 'not run' || r.status === 'failed') return [`- ${r.id}: ${r.status.toUpperCase()}: ${r.reason ?? ''}`];
    const passes = r.passes ? [`- ${r.id}: passes ${r.passes.map((p) => (Number.isNaN(p) ? 'failed' : integer(p))).join(' / ')} ${r.unit} (median shown)`] : [];
    return (r.notes ?? []).map((n) => `- ${r.id}: ${n}`).concat(passes);
  });
  const goalTable = goals.length > 0 ? [markdown(['goal (absolute, same run)', 'value', 'goal', ''], goalLines), ''] : [];
  return [markdown(header, lines), '', markdown(['ratio (same run)', 'value', 'goal', ''], ratios), '', ...goalTable, ...notes].join('\n');
}

/** A goal's row value, when the row was measured. */
export function valueOf(results: RowResult[], goal: Goal): number | undefined {
  const row = results.find((r) => r.id === goal.row);
  return row?.status === 'ok' ? row[goal.metric] : undefined;
}

export function goalMet(goal: Goal, value: number): boolean {
  return goal.atLeast !== undefined ? value >= goal.atLeast : value < goal.below!;
}

export function ratioOf(results: RowResult[], comparison: Comparison): number | undefined {
  const metric = comparison.metric ?? 'opsPerSec';
  const a = results.find((r) => r.id === comparison.numerator)?.[metric];
  const b = results.find((r) => r.id === comparison.denominator)?.[metric];
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
