import { parseArgs } from 'node:util';
import { isUUID } from 'class-validator';
import { mintToken } from '../src/auth/tokens';
import { ConfigError, loadConfig } from '../src/config';

const USAGE = `Mints a bearer token the gateway accepts, signed with the configured JWT_SECRET.

Usage:
  npm run token -- --office <uuid> [--office <uuid> ...] [--name "Maija Meikäläinen"] [--sub <id>] [--hours 8]
  npm run token -- --admin [--name <name>] [--sub <id>] [--hours 8]

Options:
  --office <uuid>  an agency office the caller may access (repeat for several)
  --admin          every office, and the directory upserts (roles: ["admin"])
  --name <text>    the caller's display name: becomes createdByName
  --sub <id>       the caller's id (default: admin, or agent-<first office>)
  --hours <n>      lifetime in hours (default 8)
  --help           this text

Needs JWT_SECRET (at least 32 bytes), JWT_ISSUER and JWT_AUDIENCE in the environment, as the
gateway has them. A secret: node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"
`;

class UsageError extends Error {}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        office: { type: 'string', multiple: true, default: [] },
        name: { type: 'string' },
        admin: { type: 'boolean', default: false },
        sub: { type: 'string' },
        hours: { type: 'string', default: '8' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const offices = values.office ?? [];
  const bad = offices.filter((o) => !isUUID(o, 'loose'));
  if (bad.length > 0) throw new UsageError(`--office must be a UUID (got ${bad.join(', ')})`);
  if (offices.length === 0 && !values.admin)
    throw new UsageError('Give at least one --office <uuid>, or --admin');
  const hours = Number(values.hours);
  if (!Number.isFinite(hours) || hours <= 0)
    throw new UsageError('--hours must be a positive number');

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
  if (error instanceof UsageError) process.stderr.write(`\n${USAGE}`);
  process.exitCode = error instanceof UsageError ? 64 : 1; // EX_USAGE
});
