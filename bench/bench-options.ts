/** How big each row is. Small by default (a few minutes on 2 cores); --scale for the large sizes. */
export interface BenchSizes {
  label: 'small' | 'scale';
  patients: number;
  commandsOneInFlight: number;
  commandsConcurrent: number;
  concurrency: number;
  emmettShipped: number;
  emmettSingleton: number;
  httpConnections: number;
  httpWarmupSeconds: number;
  httpSeconds: number;
  /** Queue queries timed per size of the call queue. */
  queueQueries: number;
  /** Commands timed until each shows in the queue. */
  commandsToQueue: number;
  /** Report queries timed (all reports in turn). */
  reportQueries: number;
}

const SMALL: BenchSizes = {
  label: 'small',
  patients: 1_000,
  commandsOneInFlight: 2_000,
  commandsConcurrent: 10_000,
  concurrency: 16,
  emmettShipped: 500,
  emmettSingleton: 2_000,
  httpConnections: 16,
  httpWarmupSeconds: 2,
  httpSeconds: 10,
  queueQueries: 2_000,
  reportQueries: 550,
  commandsToQueue: 300,
};

const SCALE: BenchSizes = {
  label: 'scale',
  patients: 10_000,
  commandsOneInFlight: 10_000,
  commandsConcurrent: 100_000,
  concurrency: 16,
  emmettShipped: 2_000,
  emmettSingleton: 10_000,
  httpConnections: 16,
  httpWarmupSeconds: 3,
  httpSeconds: 30,
  queueQueries: 5_000,
  reportQueries: 2_200,
  commandsToQueue: 2_000,
};

export interface BenchOptions {
  sizes: BenchSizes;
  /** Only these row ids (and the rows they need). */
  only?: string[];
  /** Passes over every row; each row reports its median pass. */
  repeat: number;
  help: boolean;
}

export const USAGE = `npm run bench [-- --scale] [-- --only=<row id>,...] [-- --http-seconds=<n>]

  --scale            large sizes (10k patients, 100k commands, 30 s HTTP runs) and the
                     1M rows (a rebuild of 1M events, a queue of 1M open follow-ups)
  --only=a,b         run only these rows (ids as in the JSON); the rows they need run too
  --http-seconds=n   length of each timed HTTP run
  --repeat=n         n passes over the rows (interleaved); each row reports its median pass`;

export function parseOptions(argv: string[]): BenchOptions {
  let sizes = { ...SMALL };
  let only: string[] | undefined;
  let help = false;
  let httpSeconds: number | undefined;
  let repeat = 1;
  for (const arg of argv) {
    if (arg === '--scale') sizes = { ...SCALE };
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length).split(',').filter(Boolean);
    else if (arg.startsWith('--http-seconds=')) httpSeconds = positive(arg, arg.slice('--http-seconds='.length));
    else if (arg.startsWith('--repeat=')) repeat = Math.ceil(positive(arg, arg.slice('--repeat='.length)));
    else throw new Error(`unknown option ${arg}\n\n${USAGE}`);
  }
  if (httpSeconds !== undefined) sizes.httpSeconds = httpSeconds;
  return { sizes, only, repeat, help };
}

function positive(arg: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${arg}: expected a positive number`);
  return n;
}
