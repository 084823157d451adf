import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mintToken } from '../src/auth/tokens';
import { loadConfig } from '../src/config';
import { DEMO_OFFICES } from '../src/demo/demo-data';
import { startGateway } from './crash/gateway-process';

// npm run example:typed-client: runs examples/typed-client against a gateway of its own (a
// temporary SQLite file with the demo data and a JWT secret made here), then stops the gateway.
// The example must be installed and generated first: npm ci && npm run codegen in its folder.
const EXAMPLE = path.join(__dirname, '..', 'examples', 'typed-client');
const TIME_LIMIT_MS = 120_000;

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  const child = spawn(command, args, { cwd: EXAMPLE, env, stdio: 'inherit' });
  const timer = setTimeout(() => child.kill('SIGKILL'), TIME_LIMIT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function main(): Promise<void> {
  if (
    !existsSync(path.join(EXAMPLE, 'node_modules')) ||
    !existsSync(path.join(EXAMPLE, 'src/gql'))
  ) {
    throw new Error(
      'Install and generate the example first: cd examples/typed-client && npm ci && npm run codegen',
    );
  }
  const folder = mkdtempSync(path.join(tmpdir(), 'typed-client-'));
  const jwt = {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    JWT_ISSUER: 'https://login.example.test/',
    JWT_AUDIENCE: 'meetings-gateway',
  };
  try {
    const gateway = await startGateway({
      ...jwt,
      DATABASE_URL: `sqlite:${path.join(folder, 'meetings.sqlite')}`,
      DEMO_DATA: 'true',
    });
    try {
      await runExample(gateway.url, jwt);
    } finally {
      await gateway.stop();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function runExample(url: string, jwt: Record<string, string>): Promise<void> {
  // An agent of one demo office, as a frontend's user would be.
  const token = await mintToken(loadConfig(jwt).auth, {
    subject: 'typed-client-example',
    name: 'Typed Client Example',
    offices: [DEMO_OFFICES[1].id],
    admin: false,
    ttlSeconds: 600,
  });
  // npm needs the PATH and the rest of the caller's environment; the Node.js running this comes
  // first on the PATH, so the example runs on it too.
  // eslint-disable-next-line no-restricted-syntax
  const PATH = [path.dirname(process.execPath), process.env.PATH].join(path.delimiter);
  // eslint-disable-next-line no-restricted-syntax
  const env = { ...process.env, PATH, GATEWAY_URL: url, GATEWAY_TOKEN: token };
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  for (const script of ['build', 'start']) {
    const code = await run(npm, ['run', '--silent', script], env);
    if (code !== 0)
      throw new Error(`npm run ${script} in examples/typed-client exited with ${code}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
