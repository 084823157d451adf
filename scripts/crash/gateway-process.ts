import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const READY = /meetings gateway ready at (http:\/\/[^"\s]+)/;
// Enough of the output to explain a failed start; the rest (access logs) is dropped as it comes.
const KEEP_OUTPUT = 16_384;

/** A gateway started as an operator starts it: a process with its settings in the environment. */
export interface GatewayProcess {
  /** The GraphQL endpoint, as the ready line printed it. */
  url: string;
  /** SIGKILL: no draining, no closing of the database. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful stop; fails unless the process exits with 0. */
  stop(): Promise<void>;
}

/** Starts `src/index.ts` and resolves once it prints its ready line (on port 0: a free port). */
export function startGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', 'src/index.ts'], {
    cwd: ROOT,
    env: { PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let output = '';
  return new Promise((resolve, reject) => {
    let ready = false;
    const take = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-KEEP_OUTPUT);
      if (ready) return;
      const match = READY.exec(output);
      if (!match) return;
      ready = true;
      resolve(handle(child, match[1], exited, () => output));
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    void exited.then((code) => {
      if (!ready) reject(new Error(`gateway exited with ${code} before it was ready:\n${output}`));
    });
  });
}

function handle(
  child: ChildProcess,
  url: string,
  exited: Promise<number | null>,
  output: () => string,
): GatewayProcess {
  return {
    url,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`gateway stopped with exit code ${code}:\n${output()}`);
    },
  };
}
