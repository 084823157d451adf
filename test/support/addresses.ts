import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { networkInterfaces } from 'node:os';

// A TEST-NET-2 address (RFC 5737) this helper puts on the loopback device when the machine has no
// address of its own besides loopback: the device does not matter, the source address does.
const SPARE = '198.51.100.7';

/**
 * An IPv4 address of this machine that is not a loopback address, for a client socket to bind:
 * the gateway then sees a caller from another address, as it would a browser on another machine.
 * A machine with none gets SPARE added (root needed; CI runs as root); `release` removes it.
 */
export function nonLoopbackAddress(): { address: string; release: () => void } {
  for (const list of Object.values(networkInterfaces())) {
    const found = list?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return { address: found.address, release: () => undefined };
  }
  try {
    execFileSync('ip', ['addr', 'add', `${SPARE}/32`, 'dev', 'lo'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `This machine has no IPv4 address besides loopback, and ${SPARE} could not be added ` +
        `(ip addr add needs root): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return {
    address: SPARE,
    release: () => execFileSync('ip', ['addr', 'del', `${SPARE}/32`, 'dev', 'lo']),
  };
}

/** GET `path` from `host`:`port` over a socket bound to `localAddress`: status, headers, text. */
export function getFrom(
  localAddress: string,
  host: string,
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path, headers, localAddress, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
