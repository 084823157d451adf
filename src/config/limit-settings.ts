/** What one request may ask of the gateway: the limits' variables, defaults and minimums. */
import { type Env, parseWholeNumbers } from './setting-values';

/** What one request may ask of the gateway. */
export interface LimitsConfig {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxCost: number;
  maxTokens: number;
  maxBodyBytes: number;
  maxQueryLength: number;
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  operationTimeoutMs: number;
  /** How long a write's Idempotency-Key is kept: a repeat within it is answered from the first. */
  idempotencyKeyTtlHours: number;
  /** How long the change feed keeps a change: an older cursor is SYNC_CURSOR_EXPIRED. */
  changeRetentionDays: number;
}

/** The limits' settings and defaults. */
export const LIMIT_SETTINGS: Record<
  keyof LimitsConfig,
  { variable: string; default: number; min: number }
> = {
  maxDepth: { variable: 'MAX_QUERY_DEPTH', default: 8, min: 1 },
  maxAliases: { variable: 'MAX_ALIASES', default: 15, min: 0 },
  maxDirectives: { variable: 'MAX_DIRECTIVES', default: 10, min: 0 },
  maxCost: { variable: 'MAX_QUERY_COST', default: 2000, min: 1 },
  maxTokens: { variable: 'MAX_QUERY_TOKENS', default: 1000, min: 10 },
  maxBodyBytes: { variable: 'MAX_BODY_BYTES', default: 65536, min: 1024 },
  maxQueryLength: { variable: 'MAX_QUERY_LENGTH', default: 15000, min: 100 },
  rateLimitPerSecond: { variable: 'RATE_LIMIT_PER_SECOND', default: 20, min: 1 },
  rateLimitBurst: { variable: 'RATE_LIMIT_BURST', default: 40, min: 1 },
  operationTimeoutMs: { variable: 'OPERATION_TIMEOUT_MS', default: 10000, min: 10 },
  idempotencyKeyTtlHours: { variable: 'IDEMPOTENCY_KEY_TTL_HOURS', default: 24, min: 1 },
  changeRetentionDays: { variable: 'CHANGE_RETENTION_DAYS', default: 30, min: 1 },
};

export function parseLimits(env: Env, problems: string[]): LimitsConfig {
  return parseWholeNumbers(env, LIMIT_SETTINGS, problems);
}
