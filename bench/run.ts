import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseOptions, USAGE } from './bench-options';
import { ensurePeer } from './peer-install';
import { machineInfo } from './report/machine';
import { ProgressBar } from './report/progress-bar';
import { formatReport, goalMet, ratioOf, valueOf } from './report/table';
import { COMPARISONS, GOALS, NotRun, ROWS } from './rows/registry';
import type { BenchContext, BenchRow, RowResult } from './rows/row';

/** Rows whose input is the rows "commands-16" stored. */
const NEEDS_STORED_ROWS = /^(raw-|emmett-)/;

/** `npm run bench`: every row in one run, each in its own process, then the table and a JSON file. */
async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const repoRoot = join(__dirname, '..', '..');
  if (!existsSync(join(repoRoot, 'dist', 'apps', 'api', 'src', 'main.js'))) {
    throw new Error('dist/apps/api/src/main.js is missing: run it as `npm run bench` (it builds first)');
  }
  const rows = selectRows(options.only);
  const weightOf = (row: BenchRow) => (row.run && (!row.scaleOnly || options.sizes.label === 'scale') ? row.weight : 0);
  const bar = new ProgressBar(Math.max(1, options.repeat * rows.reduce((sum, r) => sum + weightOf(r), 0)));
  const workDir = mkdtempSync(join(tmpdir(), 'rapport-bench-'));
  const context: BenchContext = { sizes: options.sizes, repoRoot, workDir, rowsFile: join(workDir, 'stored-rows.json') };
  if (rows.some((r) => r.id.startsWith('emmett-'))) context.peerProblem = ensurePeer(repoRoot, (m) => bar.log(m));

  const startedAt = new Date();
  // Passes interleave the rows, so a slow minute on a shared machine does not land on one row only.
  const passes: RowResult[][] = [];
  let doneWeight = 0;
  try {
    for (let pass = 1; pass <= options.repeat; pass++) {
      const results: RowResult[] = [];
      for (const row of rows) {
        const label = options.repeat > 1 ? ` (pass ${pass}/${options.repeat})` : '';
        rmSync(join(workDir, row.id), { recursive: true, force: true });
        results.push(await runRow(row, context, bar, doneWeight, label));
        doneWeight += weightOf(row);
      }
      passes.push(results);
    }
  } finally {
    bar.finish();
    rmSync(workDir, { recursive: true, force: true });
  }
  const results = rows.map((_, i) => medianPass(passes.map((p) => p[i]!)));
  for (const result of results) {
    const baseline = results.find((r) => r.id === result.baseline);
    if (result.opsPerSec !== undefined && baseline?.opsPerSec) result.ratio = result.opsPerSec / baseline.opsPerSec;
  }

  const machine = machineInfo();
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const passNote = options.repeat > 1 ? `; each row is the median of ${options.repeat} passes` : '';
  const took = Math.round((Date.now() - startedAt.getTime()) / 1000);
  console.log(`Rapport bench (${options.sizes.label}${passNote}), ${startedAt.toISOString()}, ${Math.floor(took / 60)} min ${took % 60} s: \`${command}\``);
  console.log(`${machine.nproc} × ${machine.cpuModel} (nproc ${machine.nproc}), ${machine.totalMemoryGiB} GiB, Node ${machine.node}, ${machine.platform}\n`);
  console.log(formatReport(results, COMPARISONS, GOALS));

  const resultsDir = join(repoRoot, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const comparisons = COMPARISONS.map((c) => ({ ...c, value: ratioOf(results, c) }));
  const goals = GOALS.map((g) => {
    const value = valueOf(results, g);
    return { ...g, value, met: value === undefined ? undefined : goalMet(g, value) };
  });
  const report = { startedAt, finishedAt: new Date(), command, machine, sizes: options.sizes, repeat: options.repeat, rows: results, comparisons, goals };
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`\nJSON: ${relative(process.cwd(), file)}`);
  if (results.some((r) => r.status === 'failed')) process.exitCode = 1;
}

function selectRows(only: string[] | undefined): BenchRow[] {
  if (!only) return ROWS;
  const unknown = only.filter((id) => !ROWS.some((r) => r.id === id));
  if (unknown.length > 0) throw new Error(`unknown row ${unknown.join(', ')}; rows: ${ROWS.map((r) => r.id).join(', ')}`);
  const wanted = new Set(only);
  if (only.some((id) => NEEDS_STORED_ROWS.test(id))) wanted.add('commands-16');
  return ROWS.filter((r) => wanted.has(r.id));
}

/** The pass with the median throughput (all passes' throughputs kept); the first pass when none measured. */
function medianPass(results: RowResult[]): RowResult {
  const measured = results.filter((r) => r.opsPerSec !== undefined).sort((a, b) => a.opsPerSec! - b.opsPerSec!);
  if (measured.length === 0) return results[0]!;
  const median = measured[Math.floor((measured.length - 1) / 2)]!;
  return results.length > 1 ? { ...median, passes: results.map((r) => r.opsPerSec ?? NaN) } : median;
}

async function runRow(row: BenchRow, context: BenchContext, bar: ProgressBar, doneWeight: number, label: string): Promise<RowResult> {
  const base = { id: row.id, title: row.title, ...(row.baseline ? { baseline: row.baseline } : {}) };
  if (!row.run) return { ...base, status: 'todo', reason: row.todo };
  if (row.scaleOnly && context.sizes.label !== 'scale') return { ...base, status: 'not run', reason: 'only with --scale' };
  bar.log(`▶ ${row.id}: ${row.title}${label}`);
  bar.update(doneWeight, row.id, true);
  try {
    const measured = await row.run(context, (fraction, detail) => bar.update(doneWeight + fraction * row.weight, `${row.id}: ${detail ?? ''}`));
    const result: RowResult = { ...base, status: 'ok', ...measured, opsPerSec: measured.count / measured.seconds };
    bar.log(`  ${Math.round(result.opsPerSec!).toLocaleString('en-US')} ${measured.unit} (${measured.count.toLocaleString('en-US')} in ${measured.seconds.toFixed(1)} s)`);
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof NotRun) {
      bar.log(`  NOT RUN: ${message}`);
      return { ...base, status: 'not run', reason: message };
    }
    bar.log(`  FAILED: ${message}`);
    return { ...base, status: 'failed', reason: summary(message) };
  }
}

/** The line of a worker's output that says what went wrong. */
function summary(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.slice(1).find((l) => /error/i.test(l)) ?? lines[0] ?? 'failed';
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
