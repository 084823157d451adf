/** The benchmark's command line: sizes, repeats and run lengths, and --help. */

export const USAGE = `npm run bench [-- --quick] [-- --size 10000|100000|1000000] [-- --repeats n]
npm run bench -- --growth [--sizes 10000,100000,1000000]

  --quick        10,000 meetings, 1 repeat, short runs; results go to bench/results/quick/
  --size n       meetings in the generated data set (default 100,000; 10,000 with --quick)
  --repeats n    measured rounds of every scenario, alternating the servers (default 3; 1 with --quick)
  --growth       one-connection p50 of every read scenario at each size, gateway and limit, into
                 bench/results/growth.{md,json} (bench/results/quick/ with --quick)
  --sizes a,b,c  the sizes of --growth (default 10,000, 100,000 and 1,000,000)
  --help         this text

BENCH_DATABASE_URL=postgres://... also runs the gateway on PostgreSQL, on a copy of the same data.`;

export interface Options {
  size: number;
  repeats: number;
  warmSeconds: number;
  loadSeconds: number;
  latencySeconds: number;
  deletes: { warm: number; load: number; latency: number };
  quick: boolean;
  growth: boolean;
  sizes: number[];
}

export function options(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  const sizes = argv.includes('--sizes')
    ? argv[argv.indexOf('--sizes') + 1].split(',').map(Number)
    : [10_000, 100_000, 1_000_000];
  return {
    quick,
    growth: argv.includes('--growth'),
    sizes,
    size: value('--size') ?? (quick ? 10_000 : 100_000),
    repeats: value('--repeats') ?? (quick ? 1 : 3),
    warmSeconds: quick ? 0.5 : 1,
    loadSeconds: quick ? 1 : 2,
    latencySeconds: 1,
    deletes: quick
      ? { warm: 100, load: 600, latency: 150 }
      : { warm: 200, load: 1500, latency: 300 },
  };
}

/**
 * Requests of each scenario whose statements are counted; the deletes among them take the last
 * meetings of the pool, which the timed deletes leave alone.
 */
export const STATEMENT_RUNS = 5;

/** Deletes per phase of one repeat. */
export type Deletes = Options['deletes'];

/** The fewest deletes a latency run at one connection is measured on. */
const FEWEST_LATENCY_DELETES = 20;

/**
 * The deletes of each phase, fitted to `available` waiting meetings over all repeats: as asked when
 * there are enough, else each phase shrunk in proportion (a delete takes a meeting of its own, and
 * a meeting deleted cannot be deleted again). Refuses a data set too small to measure deletes on.
 */
export function fitDeletes(asked: Deletes, repeats: number, available: number): Deletes {
  const perRepeat = asked.warm + asked.load + asked.latency;
  if (available >= repeats * perRepeat) return asked;
  const each = Math.floor(available / repeats);
  const fitted = {
    warm: Math.floor((asked.warm * each) / perRepeat),
    load: Math.floor((asked.load * each) / perRepeat),
    latency: Math.floor((asked.latency * each) / perRepeat),
  };
  if (fitted.latency < FEWEST_LATENCY_DELETES) {
    const needed = repeats * Math.ceil((perRepeat * FEWEST_LATENCY_DELETES) / asked.latency);
    throw new Error(
      `${available} waiting meetings to delete, ${repeats} repeats: too few to measure deletes ` +
        `(at least ${needed} needed); use a larger --size or fewer --repeats`,
    );
  }
  return fitted;
}
