import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type GatewayApp, createApp } from '../../src/app';
import { type TokenClaims, mintToken } from '../../src/auth/tokens';
import type { Config } from '../../src/config';
import type { AuthConfig } from '../../src/config/auth-settings';
import type { LimitsConfig } from '../../src/config/limit-settings';
import type { ObservabilityConfig } from '../../src/config/observability-settings';
import { LIMIT_SETTINGS } from '../../src/config/limit-settings';
import { LIVE_SETTINGS, type LiveConfig } from '../../src/config/live-settings';
import { query } from '../../src/db/sql';
import { createLogger } from '../../src/logger';
import { createSchema, dropSchema, onPostgres, schemaUrl, testDatabaseUrl } from './postgres';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: {
      message: string;
      path?: (string | number)[];
      extensions: Record<string, unknown> & {
        code: string;
        status?: number;
        errors?: { target: string; errorCode: string; message: string }[];
        requestId?: string;
      };
    }[];
    /** The operation's cost: in every answer of an operation that was costed. */
    extensions?: { cost?: { requested: number; limit: number } };
  };
}

export const TEST_SECRET = 'test-secret-of-at-least-32-bytes!!';
export const TEST_ISSUER = 'https://auth.example.test/';
export const TEST_AUDIENCE = 'meetings-gateway-test';
const DEFAULT_LIMITS = Object.fromEntries(
  Object.entries(LIMIT_SETTINGS).map(([key, setting]) => [key, setting.default]),
) as unknown as LimitsConfig;
const DEFAULT_LIVE = Object.fromEntries(
  Object.entries(LIVE_SETTINGS).map(([key, setting]) => [key, setting.default]),
) as unknown as LiveConfig;

/** The test secret's settings, for minting even where the gateway checks a remote key set. */
function testSecretAuth(auth: AuthConfig): AuthConfig {
  return auth.keys.kind === 'secret'
    ? auth
    : {
        ...auth,
        keys: { kind: 'secret', secret: new TextEncoder().encode(TEST_SECRET), generated: false },
      };
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * A gateway over real HTTP on a fresh database, with its log lines kept for assertions: a new
 * SQLite file, or, in the "postgres" Jest project, a new schema on the test server.
 */
export class TestGateway {
  private constructor(
    readonly logLines: string[],
    readonly app: GatewayApp,
    readonly url: string,
    readonly dir: string,
    readonly config: Config,
    /** Sent with every gql() call that names no Authorization of its own. */
    readonly adminToken: string,
    /** The PostgreSQL schema of this gateway, dropped at stop. */
    readonly schema: string | null,
    /** The time the gateway checks tokens against; the real time when undefined. */
    private readonly tokenNow: (() => Date) | undefined,
  ) {}

  static async start(
    options: {
      demoData?: boolean;
      busyTimeoutMs?: number;
      now?: () => Date;
      /** The time the gateway checks tokens against, and mints its own at; the real time by default. */
      tokenNow?: () => Date;
      limits?: Partial<LimitsConfig>;
      live?: Partial<LiveConfig>;
      introspection?: boolean;
      auth?: AuthConfig;
      production?: boolean;
      /** The address to listen on; 127.0.0.1 by default. */
      host?: string;
      corsOrigins?: string[];
      /** PostgreSQL: connect through this URL (a proxy, say) to the test server. */
      postgresUrl?: string;
      /** PostgreSQL: how long a new connection may take. */
      connectTimeoutMs?: number;
      /** Where the database file goes: a fresh folder under this one. */
      parentDir?: string;
      /** Metrics and traces; none by default. In this object a metrics port of 0 is any free port. */
      observability?: ObservabilityConfig;
    } = {},
  ): Promise<TestGateway> {
    const dir = mkdtempSync(path.join(options.parentDir ?? tmpdir(), 'meetings-gateway-'));
    const schema = onPostgres() ? await createSchema() : null;
    const database: Config['database'] =
      schema !== null
        ? {
            type: 'postgres',
            url: options.postgresUrl ?? testDatabaseUrl(),
            schema,
            poolSize: 10,
            statementTimeoutMs: 10_000,
            connectTimeoutMs: options.connectTimeoutMs ?? 5000,
          }
        : {
            type: 'sqlite',
            path: path.join(dir, 'meetings.sqlite'),
            busyTimeoutMs: options.busyTimeoutMs ?? 5000,
          };
    const config: Config = {
      port: 0,
      host: options.host ?? '127.0.0.1',
      databaseUrl:
        schema !== null ? schemaUrl(schema) : `sqlite:${path.join(dir, 'meetings.sqlite')}`,
      database,
      demoData: options.demoData ?? false,
      logLevel: 'info',
      production: options.production ?? false,
      auth: options.auth ?? {
        keys: { kind: 'secret', secret: new TextEncoder().encode(TEST_SECRET), generated: false },
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
        officesClaim: 'offices',
      },
      introspection: options.introspection ?? true,
      corsOrigins: options.corsOrigins ?? [],
      // Generous by default so that tests of other things are not cut short; limit tests set them.
      limits: {
        ...DEFAULT_LIMITS,
        maxCost: 1_000_000,
        maxBodyBytes: 2 * 1024 * 1024,
        rateLimitPerSecond: 100_000,
        rateLimitBurst: 100_000,
        ...options.limits,
      },
      live: { ...DEFAULT_LIVE, ...options.live },
      observability: options.observability,
    };
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    let app: GatewayApp;
    try {
      app = await createApp(config, {
        logger: createLogger('debug', sink),
        clock: options.now,
        tokenClock: options.tokenNow,
      });
    } catch (error) {
      if (schema !== null) await dropSchema(schema);
      throw error;
    }
    const url = await app.listen();
    const adminToken = await mintToken(testSecretAuth(config.auth), {
      subject: 'test-admin',
      name: 'Testi Ylläpitäjä',
      admin: true,
      issuedAt: options.tokenNow?.(),
    });
    return new TestGateway(lines, app, url, dir, config, adminToken, schema, options.tokenNow);
  }

  /** A token this gateway accepts, with the given claims. */
  token(claims: TokenClaims): Promise<string> {
    return mintToken(testSecretAuth(this.config.auth), { issuedAt: this.tokenNow?.(), ...claims });
  }

  get origin(): string {
    return this.url.replace(/\/graphql$/, '');
  }

  /** The log lines, parsed. */
  logs(): Record<string, unknown>[] {
    return this.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Sends one GraphQL operation as a JSON POST. */
  async gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<T>> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${this.adminToken}`,
        ...lowerKeys(headers),
      },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: res.status,
      headers: res.headers,
      body: (await res.json()) as GraphQLResponse<T>['body'],
    };
  }

  /** Sends a raw HTTP request to a path of the gateway; /graphql requests carry the admin token. */
  fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (pathname.startsWith('/graphql') && !headers.has('authorization')) {
      headers.set('authorization', `Bearer ${this.adminToken}`);
    }
    return fetch(`${this.origin}${pathname}`, { ...init, headers });
  }

  /** The number a `SELECT count(...) AS n` statement (with `?` placeholders) gives. */
  async count(sql: string, params: unknown[] = []): Promise<number> {
    const rows = await this.app.db.read((m) => query<{ n: number | string }>(m, sql, params));
    return Number(rows[0].n);
  }

  /** Statements sent to the database while `fn` ran. */
  async countStatements(fn: () => Promise<unknown>): Promise<number> {
    const before = this.app.db.statementCount;
    await fn();
    return this.app.db.statementCount - before;
  }

  async stop(): Promise<void> {
    await this.app.stop();
    rmSync(this.dir, { recursive: true, force: true });
    if (this.schema !== null) await dropSchema(this.schema);
  }
}
