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
    expect(loadConfig({}, '/srv/gateway')).toEqual({
      port: 4000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/meetings.sqlite',
      database: { type: 'sqlite', path: '/srv/gateway/data/meetings.sqlite', busyTimeoutMs: 5000 },
      demoData: true,
      logLevel: 'info',
    });
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
    expect(config.database.path).toBe('/var/lib/m.sqlite');
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

  it('says PostgreSQL is not supported yet', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://u@h/db' })).toEqual([
      'DATABASE_URL: PostgreSQL is not supported yet; use sqlite:<path>',
    ]);
  });

  it('wants a database file, not an in-memory database', () => {
    expect(problemsOf({ DATABASE_URL: 'sqlite::memory:' })[0]).toMatch(
      /^DATABASE_URL must name a database file/,
    );
  });
});
