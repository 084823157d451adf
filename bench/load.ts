import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

/**
 * The load generator, run as its own process so that it never shares a core's time with the
 * server it measures. It lives for the whole benchmark: each line on stdin describes one autocannon
 * run (JSON), answered by one JSON line on stdout, so no run waits for a process to start.
 */

export interface LoadSpec {
  url: string;
  token: string;
  bodies: string[];
  connections: number;
  /** Seconds, or a number of requests when `amount` is given. */
  duration?: number;
  amount?: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  /**
   * Answers per second between the connections' first round of answers and their last: the rate
   * at full load, without the run's ramp up and wind down (NaN when there are too few answers).
   */
  steadyPerSecond: number;
  /** Latency percentiles in milliseconds, measured per response to the microsecond. */
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Answers per second from the `connections`-th answer to the `connections`-th before the last:
 * every connection has had an answer and sent again, and none has stopped yet.
 */
function steadyRate(answeredAt: number[], connections: number): number {
  const first = connections - 1;
  const last = answeredAt.length - connections;
  if (last - first < connections) return Number.NaN;
  return (last - first) / (answeredAt[last] - answeredAt[first]);
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  let next = 0;
  const latencies: number[] = [];
  const answered: number[] = [];
  const started = process.hrtime.bigint();
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        pipelining: 1,
        // 50 requests queued on a server that runs one at a time may wait many seconds: slow, but
        // answered. Only an answer that never comes is a failure.
        timeout: 120,
        ...(spec.amount ? { amount: spec.amount } : { duration: spec.duration ?? 1 }),
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${spec.token}` },
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              body: spec.bodies[next++ % spec.bodies.length],
            }),
          },
        ],
      },
      (error, result) => (error ? reject(error as Error) : resolve(result)),
    );
  });
  instance!.on('response', (_client, _status, _bytes, time) => {
    latencies.push(time);
    answered.push(Number(process.hrtime.bigint() - started) / 1e9);
  });
  const result = await finished;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    seconds,
    perSecond: result.requests.total / seconds,
    steadyPerSecond: steadyRate(answered, spec.connections),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function main(): Promise<void> {
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    const output = await run(JSON.parse(line) as LoadSpec);
    process.stdout.write(`${JSON.stringify(output)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
