import { ConfigError, loadConfig } from '../../src/config';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env, '/srv/gateway');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({}, '/srv/gateway');
    expect(config).toMatchObject({
      production: false,
      port: 4000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/meetings.sqlite',
      database: { type: 'sqlite', path: '/srv/gateway/data/meetings.sqlite', busyTimeoutMs: 5000 },
      demoData: true,
      logLevel: 'info',
      introspection: true,
      limits: {
        maxDepth: 8,
        maxAliases: 15,
        maxDirectives: 10,
        maxCost: 2000,
        maxTokens: 1000,
        maxBodyBytes: 65536,
        maxQueryLength: 15000,
        rateLimitPerSecond: 20,
        rateLimitBurst: 40,
        operationTimeoutMs: 10000,
      },
    });
    // No JWT setting outside production: a random secret for this run.
    expect(config.auth.keys).toMatchObject({ kind: 'secret', generated: true });
    expect(config.auth.officesClaim).toBe('offices');
  });

  it('makes a new development secret on every start', () => {
    const a = loadConfig({}).auth.keys;
    const b = loadConfig({}).auth.keys;
    expect(
      a.kind === 'secret' &&
        b.kind === 'secret' &&
        Buffer.from(a.secret).equals(Buffer.from(b.secret)),
    ).toBe(false);
  });

  it('takes a JWT secret with its issuer and audience', () => {
    const config = loadConfig({
      JWT_SECRET: 's'.repeat(32),
      JWT_ISSUER: 'https://login.example.fi/',
      JWT_AUDIENCE: 'meetings',
      JWT_OFFICES_CLAIM: 'https://crm.example.fi/offices',
    });
    expect(config.auth).toMatchObject({
      keys: { kind: 'secret', generated: false },
      issuer: 'https://login.example.fi/',
      audience: 'meetings',
      officesClaim: 'https://crm.example.fi/offices',
    });
  });

  it('takes a JWKS URL', () => {
    const config = loadConfig({
      JWT_JWKS_URL: 'https://login.example.fi/.well-known/jwks.json',
      JWT_ISSUER: 'i',
      JWT_AUDIENCE: 'a',
    });
    expect(config.auth.keys).toEqual({
      kind: 'jwks',
      url: new URL('https://login.example.fi/.well-known/jwks.json'),
    });
  });

  it('refuses a short secret, both key settings at once, and a missing issuer or audience', () => {
    expect(problemsOf({ JWT_SECRET: 'short', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' })).toEqual([
      'JWT_SECRET must be at least 32 bytes long',
    ]);
    expect(
      problemsOf({
        JWT_SECRET: 's'.repeat(32),
        JWT_JWKS_URL: 'https://x/jwks',
        JWT_ISSUER: 'i',
        JWT_AUDIENCE: 'a',
      }),
    ).toEqual(['JWT_SECRET and JWT_JWKS_URL: set one of them, not both']);
    expect(problemsOf({ JWT_SECRET: 's'.repeat(32) })).toEqual([
      'JWT_ISSUER must be set with JWT_SECRET or JWT_JWKS_URL',
      'JWT_AUDIENCE must be set with JWT_SECRET or JWT_JWKS_URL',
    ]);
    expect(problemsOf({ JWT_JWKS_URL: 'ftp://x', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' })).toEqual([
      'JWT_JWKS_URL must be an http(s) URL (got "ftp://x")',
    ]);
  });

  it('refuses to start in production without JWT settings, saying what to set', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'JWT_SECRET (HS256, at least 32 bytes) or JWT_JWKS_URL must be set in production, with JWT_ISSUER and JWT_AUDIENCE',
    ]);
  });

  it('turns introspection off in production unless INTROSPECTION=true', () => {
    const jwt = {
      JWT_SECRET: 's'.repeat(32),
      JWT_ISSUER: 'i',
      JWT_AUDIENCE: 'a',
      NODE_ENV: 'production',
    };
    expect(loadConfig(jwt).introspection).toBe(false);
    expect(loadConfig({ ...jwt, INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(loadConfig({ INTROSPECTION: 'false' }).introspection).toBe(false);
  });

  it('reads the limits and refuses bad ones', () => {
    expect(loadConfig({ MAX_QUERY_DEPTH: '12', RATE_LIMIT_PER_SECOND: '5' }).limits).toMatchObject({
      maxDepth: 12,
      rateLimitPerSecond: 5,
    });
    expect(problemsOf({ MAX_QUERY_DEPTH: '0', MAX_BODY_BYTES: '1k' })).toEqual([
      'MAX_QUERY_DEPTH must be a whole number of at least 1 (got "0")',
      'MAX_BODY_BYTES must be a whole number of at least 1024 (got "1k")',
    ]);
  });

  it('reads the subscription settings, with their defaults, and refuses bad ones', () => {
    expect(loadConfig({}).live).toEqual({
      maxConnections: 1000,
      maxSubscriptionsPerConnection: 10,
      keepAliveMs: 12000,
      pollIntervalMs: 1000,
    });
    expect(
      loadConfig({ LIVE_MAX_CONNECTIONS: '0', LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3' }).live,
    ).toMatchObject({ maxConnections: 0, maxSubscriptionsPerConnection: 3 });
    expect(
      problemsOf({
        LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: '0',
        LIVE_KEEP_ALIVE_MS: '10',
        LIVE_POLL_INTERVAL_MS: 'often',
      }),
    ).toEqual([
      'LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION must be a whole number of at least 1 (got "0")',
      'LIVE_KEEP_ALIVE_MS must be a whole number of at least 1000 (got "10")',
      'LIVE_POLL_INTERVAL_MS must be a whole number of at least 100 (got "often")',
    ]);
  });

  it('reads CORS_ORIGINS as exact origins, none by default', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(
      loadConfig({ CORS_ORIGINS: ' https://crm.example.fi, http://10.0.0.5:8080 ,' }).corsOrigins,
    ).toEqual(['https://crm.example.fi', 'http://10.0.0.5:8080']);
  });

  it('refuses a CORS origin that a browser would never send, suggesting the one it would', () => {
    expect(
      problemsOf({
        CORS_ORIGINS: 'https://crm.example.fi/, *, https://CRM.example.fi, ftp://files.example.fi',
      }),
    ).toEqual([
      'CORS_ORIGINS must list origins as a browser sends them, scheme://host[:port] separated by commas (got "https://crm.example.fi/"; did you mean "https://crm.example.fi"?)',
      'CORS_ORIGINS must list origins as a browser sends them, scheme://host[:port] separated by commas (got "*")',
      'CORS_ORIGINS must list origins as a browser sends them, scheme://host[:port] separated by commas (got "https://CRM.example.fi"; did you mean "https://crm.example.fi"?)',
      'CORS_ORIGINS must list origins as a browser sends them, scheme://host[:port] separated by commas (got "ftp://files.example.fi")',
    ]);
  });

  it('reads every setting', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_URL: 'sqlite:/var/lib/m.sqlite',
        DEMO_DATA: 'false',
        LOG_LEVEL: 'debug',
      },
      '/srv/gateway',
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      demoData: false,
      logLevel: 'debug',
    });
    expect(config.database).toEqual({
      type: 'sqlite',
      path: '/var/lib/m.sqlite',
      busyTimeoutMs: 5000,
    });
  });

  it('names each bad setting, all at once', () => {
    const problems = problemsOf({
      PORT: '80a',
      DATABASE_URL: 'mysql://x',
      DEMO_DATA: 'yes',
      LOG_LEVEL: 'loud',
    });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^PORT /);
    expect(problems[1]).toMatch(/^DATABASE_URL /);
    expect(problems[2]).toMatch(/^DEMO_DATA /);
    expect(problems[3]).toMatch(/^LOG_LEVEL /);
  });

  it('rejects ports out of range', () => {
    expect(problemsOf({ PORT: '65536' })[0]).toMatch(/^PORT/);
    expect(problemsOf({ PORT: '-1' })[0]).toMatch(/^PORT/);
  });

  it('selects PostgreSQL with a postgres:// or postgresql:// URL, with pool and timeout settings', () => {
    const config = loadConfig(
      { DATABASE_URL: 'postgres://gw:s3cret@db.internal:6432/crm?schema=meetings&sslmode=require' },
      '/srv/gateway',
    );
    expect(config.database).toEqual({
      type: 'postgres',
      url: 'postgres://gw:s3cret@db.internal:6432/crm?sslmode=require',
      schema: 'meetings',
      poolSize: 10,
      statementTimeoutMs: 10000,
      connectTimeoutMs: 5000,
    });
    // The password never reaches a log line.
    expect(config.databaseUrl).toBe(
      'postgres://gw:***@db.internal:6432/crm?schema=meetings&sslmode=require',
    );
    const tuned = loadConfig(
      {
        DATABASE_URL: 'postgresql://gw@db/crm',
        DATABASE_POOL_SIZE: '40',
        DATABASE_STATEMENT_TIMEOUT_MS: '2500',
        DATABASE_CONNECT_TIMEOUT_MS: '800',
      },
      '/srv/gateway',
    );
    expect(tuned.database).toEqual({
      type: 'postgres',
      url: 'postgresql://gw@db/crm',
      schema: 'public',
      poolSize: 40,
      statementTimeoutMs: 2500,
      connectTimeoutMs: 800,
    });
  });

  it('names bad PostgreSQL settings, without the password', () => {
    expect(
      problemsOf({
        DATABASE_URL: 'postgres://gw:s3cret@db/?schema=Bad-Name',
        DATABASE_POOL_SIZE: '0',
        DATABASE_STATEMENT_TIMEOUT_MS: 'soon',
      }),
    ).toEqual([
      'DATABASE_POOL_SIZE must be a whole number of at least 1 (got "0")',
      'DATABASE_STATEMENT_TIMEOUT_MS must be a whole number of at least 1 (got "soon")',
      'DATABASE_URL: schema must be a lower-case SQL name (letters, digits, _), got "Bad-Name"',
      'DATABASE_URL must name a host and a database, as postgres://user:password@host:port/database (got "postgres://gw:***@db/?schema=Bad-Name")',
    ]);
  });

  it('wants a database file, not an in-memory database', () => {
    expect(problemsOf({ DATABASE_URL: 'sqlite::memory:' })[0]).toMatch(
      /^DATABASE_URL must name a database file/,
    );
  });

  it('keeps state in memory without REDIS_URL, and takes redis:// or rediss:// with its settings', () => {
    expect(loadConfig({}).redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://:s3cret@cache.internal:6380/2' }).redis).toEqual({
      url: 'redis://:s3cret@cache.internal:6380/2',
      // The password never reaches a log line.
      displayUrl: 'redis://:***@cache.internal:6380/2',
      keyPrefix: 'meetings-gateway:',
      commandTimeoutMs: 500,
      connectTimeoutMs: 2000,
    });
    expect(
      loadConfig({
        REDIS_URL: 'rediss://gw:s3cret@cache.internal',
        REDIS_KEY_PREFIX: 'crm-staging:gateway:',
        REDIS_COMMAND_TIMEOUT_MS: '100',
        REDIS_CONNECT_TIMEOUT_MS: '500',
      }).redis,
    ).toEqual({
      url: 'rediss://gw:s3cret@cache.internal',
      displayUrl: 'rediss://gw:***@cache.internal',
      keyPrefix: 'crm-staging:gateway:',
      commandTimeoutMs: 100,
      connectTimeoutMs: 500,
    });
  });

  it('refuses a bad REDIS_URL and its settings at start, without the password', () => {
    expect(problemsOf({ REDIS_URL: 'http://:s3cret@cache:6379' })).toEqual([
      'REDIS_URL must have the form redis://[[user]:password@]host[:port][/db] or rediss://… (got "http://:***@cache:6379")',
    ]);
    expect(problemsOf({ REDIS_URL: 'cache.internal:6379' })[0]).toMatch(/^REDIS_URL must have/);
    expect(problemsOf({ REDIS_URL: 'redis://:s3cret@cache/x' })).toEqual([
      'REDIS_URL: the path must be a database number, as /0 (got "redis://:***@cache/x")',
    ]);
    expect(problemsOf({ REDIS_URL: 'redis://cache?db=1' })).toEqual([
      'REDIS_URL takes no parameters (got "redis://cache?db=1")',
    ]);
    expect(
      problemsOf({
        REDIS_URL: 'redis://cache',
        REDIS_KEY_PREFIX: 'with space',
        REDIS_COMMAND_TIMEOUT_MS: '0',
      }),
    ).toEqual([
      'REDIS_KEY_PREFIX must be 1 to 100 letters, digits or _ . : { } - (got "with space")',
      'REDIS_COMMAND_TIMEOUT_MS must be a whole number of at least 10 (got "0")',
    ]);
  });

  it('serves metrics on 127.0.0.1:9464 and sends no traces by default', () => {
    expect(loadConfig({}).observability).toEqual({
      metrics: { port: 9464, host: '127.0.0.1' },
      traces: null,
    });
    expect(loadConfig({ METRICS_PORT: '0' }).observability?.metrics).toBeNull();
    expect(
      loadConfig({ METRICS_PORT: '9100', METRICS_HOST: '0.0.0.0' }).observability?.metrics,
    ).toEqual({ port: 9100, host: '0.0.0.0' });
    expect(problemsOf({ METRICS_PORT: '70000' })).toEqual([
      'METRICS_PORT must be a whole number from 0 to 65535 (got "70000")',
    ]);
  });

  it('sends traces when an OTLP endpoint is set, under the service name', () => {
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).observability?.traces,
    ).toEqual({
      url: 'http://collector:4318/v1/traces',
      serviceName: 'meetings-gateway',
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
    const traces = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example.fi/base/',
      OTEL_SERVICE_NAME: 'gateway-eu',
      OTEL_RESOURCE_ATTRIBUTES:
        'deployment.environment.name=prod,service.name=ignored,team=crm%20core',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    }).observability?.traces;
    expect(traces).toEqual({
      url: 'https://otlp.example.fi/base/v1/traces',
      serviceName: 'gateway-eu',
      resourceAttributes: { 'deployment.environment.name': 'prod', team: 'crm core' },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
    });
    // The signal's own endpoint is taken as it is; service.name may come from the attributes.
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom/traces',
        OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes',
      }).observability?.traces,
    ).toMatchObject({
      url: 'http://collector:4318/custom/traces',
      serviceName: 'from-attributes',
    });
  });

  it('sends no traces when the SDK or the exporter is turned off', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(loadConfig({ ...endpoint, OTEL_SDK_DISABLED: 'true' }).observability?.traces).toBeNull();
    expect(
      loadConfig({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).observability?.traces,
    ).toBeNull();
  });

  it('refuses trace settings it cannot honour', () => {
    expect(
      problemsOf({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_TRACES_EXPORTER: 'zipkin',
        OTEL_RESOURCE_ATTRIBUTES: 'team',
        OTEL_TRACES_SAMPLER: 'sometimes',
        OTEL_TRACES_SAMPLER_ARG: '2',
      }),
    ).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL (got "collector:4317")',
      'OTEL_EXPORTER_OTLP_PROTOCOL: the gateway sends OTLP over HTTP (http/json), not "grpc"',
      'OTEL_TRACES_EXPORTER must be otlp or none (got "zipkin")',
      'OTEL_RESOURCE_ATTRIBUTES must be key=value pairs separated by commas, values percent-encoded (got "team")',
      'OTEL_TRACES_SAMPLER must be one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio (got "sometimes")',
      'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (got "2")',
    ]);
  });
});
