/** The servers under test as child processes: start, probe, stop, and what /proc tells of them. */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';

// Servers still running when the run ends (by an error too) are stopped with it.
export const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export const log = (line: string) => process.stderr.write(`${line}\n`);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type ServerName = 'gateway' | 'limit' | 'postgres' | 'postgraphile';

export interface Server {
  name: ServerName;
  url: string;
  process: ChildProcess;
  coldStartMs: number;
}

export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

export async function post(
  url: string,
  token: string,
  body: string,
): Promise<{ status: number; json: { data?: unknown; errors?: unknown; extensions?: unknown } }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  return {
    status: res.status,
    json: (await res.json()) as { data?: unknown; errors?: unknown; extensions?: unknown },
  };
}

/** An answer without its `extensions` (the gateway's cost). */
export function withoutExtensions(json: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...json };
  delete rest.extensions;
  return rest;
}

/** Starts a server and times it from spawn to its first answer of `probe`. */
export async function start(
  name: Server['name'],
  command: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  token: string,
  probe: string,
): Promise<Server> {
  const url = `http://127.0.0.1:${port}/graphql`;
  const started = performance.now();
  const child = spawn(process.execPath, command, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${stderr}`);
    try {
      const res = await post(url, token, probe);
      if (res.status === 200 && res.json.data) break;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  return { name, url, process: child, coldStartMs: performance.now() - started };
}

export async function stop(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.process.once('exit', resolve));
  server.process.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (server.process.exitCode === null) server.process.kill('SIGKILL');
}

export function copyDatabase(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${to}${suffix}`, { force: true });
  copyFileSync(from, to);
}
