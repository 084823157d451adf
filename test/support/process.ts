import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

// The gateway as an operator runs it: a process with settings in its environment.
const ROOT = path.join(__dirname, '..', '..');

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Settles once the process has exited and its output has all been read. */
  closed: Promise<void>;
}

const running: ChildProcess[] = [];

/** Kills every gateway process a test started and left running (after a failure, say). */
export function killGateways(): void {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}

export function startGateway(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', 'src/index.ts'], {
    cwd: ROOT,
    // No metrics listener unless a test asks for one: gateways of parallel tests would share 9464.
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return { child, output: () => output, exited, closed };
}

/**
 * The first match of `pattern` in the process's output, as soon as a chunk of stdout or stderr
 * completes it; rejects with the output when the process closes without printing it, or, given
 * `withinMs`, when that long has passed.
 */
export function printed(
  run: Running,
  pattern: RegExp,
  withinMs?: number,
): Promise<RegExpExecArray> {
  const streams = [run.child.stdout!, run.child.stderr!];
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      for (const stream of streams) stream.off('data', check);
      clearTimeout(timer);
      outcome();
    };
    // Registered after startGateway's own listeners, so the output already holds the chunk.
    function check(): boolean {
      const match = pattern.exec(run.output());
      if (match) settle(() => resolve(match));
      return match !== null;
    }
    for (const stream of streams) stream.on('data', check);
    void run.closed.then(() => {
      if (!check())
        settle(() => reject(new Error(`exited without printing ${pattern}:\n${run.output()}`)));
    });
    if (withinMs !== undefined) {
      timer = setTimeout(() => {
        settle(() =>
          reject(new Error(`${pattern} not printed within ${withinMs} ms:\n${run.output()}`)),
        );
      }, withinMs);
    }
    check();
  });
}

/** The admin token a development run prints for its user (stderr may come after stdout). */
export async function printedToken(run: Running): Promise<string> {
  return (await printed(run, /Authorization: Bearer (\S+)\n/, 5000))[1];
}

/**
 * The URL of the gateway once it has printed that it is ready and answered a request; rejects if it
 * exits first. The answer means the process went back to its event loop after printing, so the rest
 * of its start (the signal handlers) ran too: a SIGTERM sent now is handled, not fatal.
 */
export async function waitForReady(run: Running): Promise<string> {
  const url = (await printed(run, /meetings gateway ready at (http:\/\/[^"\s]+)/))[1];
  const live = await fetch(new URL('/health/live', url));
  await live.arrayBuffer();
  if (live.status !== 200)
    throw new Error(`/health/live answered ${live.status}:\n${run.output()}`);
  return url;
}
