import type { Logger as TypeOrmLogger } from 'typeorm';
import type { Logger } from '../logger';

/**
 * TypeORM's logger: counts every statement sent (tests and benchmarks read the count) and logs
 * statements at trace level, failures and slow statements at debug and warn. Bound parameters
 * are never logged: they carry customer data and door codes.
 */
export class SqlLogger implements TypeOrmLogger {
  statementCount = 0;

  constructor(private readonly out: Logger) {}

  logQuery(query: string): void {
    this.statementCount += 1;
    if (this.out.isLevelEnabled('trace')) this.out.trace({ sql: query }, 'sql');
  }

  logQueryError(error: string | Error, query: string): void {
    this.out.debug(
      { sql: query, reason: error instanceof Error ? error.message : error },
      'sql failed',
    );
  }

  logQuerySlow(time: number, query: string): void {
    this.out.warn({ sql: query, durationMs: time }, 'slow sql');
  }

  logSchemaBuild(message: string): void {
    this.out.debug(message);
  }

  logMigration(message: string): void {
    this.out.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.out.warn(String(message));
    else this.out.debug(String(message));
  }
}
