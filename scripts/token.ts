import { parseArgs } from 'node:util';
import { isUUID } from 'class-validator';
import { mintToken } from '../src/auth/tokens';
import { ConfigError, loadConfig } from '../src/config';

// npm run token -- --office <uuid> [--office <uuid>] [--name "Maija Meikäläinen"] [--admin] [--sub id] [--hours 8]
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      office: { type: 'string', multiple: true, default: [] },
      name: { type: 'string' },
      admin: { type: 'boolean', default: false },
      sub: { type: 'string' },
      hours: { type: 'string', default: '8' },
    },
  });
  const offices = values.office ?? [];
  const bad = offices.filter((o) => !isUUID(o, 'loose'));
  if (bad.length > 0) throw new Error(`--office must be a UUID (got ${bad.join(', ')})`);
  if (offices.length === 0 && !values.admin)
    throw new Error('Give at least one --office <uuid>, or --admin');
  const hours = Number(values.hours);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error('--hours must be a positive number');

  const config = loadConfig();
  if (config.auth.keys.kind !== 'secret' || config.auth.keys.generated) {
    throw new Error(
      'Set JWT_SECRET, JWT_ISSUER and JWT_AUDIENCE: tokens are minted for the configured secret',
    );
  }
  const token = await mintToken(config.auth, {
    subject: values.sub ?? (values.admin ? 'admin' : `agent-${offices[0]}`),
    name: values.name,
    offices,
    admin: values.admin,
    ttlSeconds: Math.round(hours * 3600),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
