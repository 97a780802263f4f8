import type { BenchSizes } from '../bench-options';

/** What a measured row reports. */
export interface RowMeasurement {
  /** Operations completed in the timed part. */
  count: number;
  seconds: number;
  /** e.g. commands/s, rows/s, appends/s, req/s. */
  unit: string;
  /** How many operations were outstanding at once (or the HTTP connections). */
  inFlight: string;
  p50Ms?: number;
  p99Ms?: number;
  /** Peak resident set size, MiB, of the process named in rssOf. */
  peakRssMiB?: number;
  rssOf?: string;
  /** Operations that failed in the timed part (they are not counted in `count`). */
  errors?: number;
  notes: string[];
}

export interface BenchContext {
  sizes: BenchSizes;
  repoRoot: string;
  /** A temp dir for this run; removed at the end. */
  workDir: string;
  /** Written by the 16-in-flight command row: the rows the raw and peer rows insert. */
  rowsFile: string;
  /** Why the Emmett peer cannot run, when it cannot. */
  peerProblem?: string;
}

export type Progress = (fraction: number, detail?: string) => void;

/** One line of the table. A row without `run` is a reserved slot, printed as TODO. */
export interface BenchRow {
  id: string;
  title: string;
  /** The row this one's ratio is taken against in the table. */
  baseline?: string;
  /** Expected share of the run, for the progress bar. */
  weight: number;
  run?: (context: BenchContext, progress: Progress) => Promise<RowMeasurement>;
  /** For a reserved slot: what it will measure and what it waits for. */
  todo?: string;
  /** Runs only with --scale (printed as "not run" otherwise). */
  scaleOnly?: boolean;
}

/** A ratio printed under the table: numerator row ÷ denominator row, with the goal if there is one. */
export interface Comparison {
  numerator: string;
  denominator: string;
  label: string;
  /** A target for the code; never asserted. */
  goal?: number;
  /** What is divided: throughput (default) or p99 latency. */
  metric?: 'opsPerSec' | 'p99Ms';
}

/** A target in absolute terms for one row (events/s, ms), printed under the ratios; never asserted. */
export interface Goal {
  row: string;
  label: string;
  metric: 'opsPerSec' | 'p99Ms';
  /** Met when the value is at least this (throughput)... */
  atLeast?: number;
  /** ...or below this (latency). */
  below?: number;
  unit: string;
}

export type RowStatus = 'ok' | 'todo' | 'not run' | 'failed';

export interface RowResult extends Partial<RowMeasurement> {
  id: string;
  title: string;
  status: RowStatus;
  /** count / seconds. */
  opsPerSec?: number;
  baseline?: string;
  ratio?: number;
  reason?: string;
  /** With --repeat: every pass's throughput; the row shows the median pass. */
  passes?: number[];
}
