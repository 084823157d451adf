import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

// The gateway as an operator runs it: a process with settings in its environment.
const ROOT = path.join(__dirname, '..', '..');

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const running: ChildProcess[] = [];

/** Kills every gateway process a test started and left running (after a failure, say). */
export function killGateways(): void {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}

export function startGateway(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', 'src/index.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** The admin token a development run prints for its user (stderr may come after stdout). */
export async function printedToken(run: Running): Promise<string> {
  for (let waited = 0; waited < 5000; waited += 20) {
    const match = /Authorization: Bearer (\S+)\n/.exec(run.output());
    if (match) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no token printed:\n${run.output()}`);
}

export async function waitForReady(run: Running): Promise<string> {
  for (;;) {
    const match = /meetings gateway ready at (http:\/\/[^"\s]+)/.exec(run.output());
    if (match) return match[1];
    const early = await Promise.race([
      run.exited.then(() => 'exited'),
      new Promise((r) => setTimeout(r, 50, 'wait')),
    ]);
    if (early === 'exited') throw new Error(`gateway exited:\n${run.output()}`);
  }
}
