/** Subscriptions over WebSocket: the settings of the live side and their defaults. */
import { type Env, parseWholeNumbers } from './setting-values';

/** What the WebSocket side of /graphql allows, and how it keeps connections and changes moving. */
export interface LiveConfig {
  /** Open WebSocket connections per instance: one more is refused with 503. */
  maxConnections: number;
  /** Subscriptions running at once on one connection. */
  maxSubscriptionsPerConnection: number;
  /** How often an idle connection is pinged; one that has not answered by the next ping is cut. */
  keepAliveMs: number;
  /**
   * PostgreSQL: how often an instance with subscribers reads the feed unannounced, besides the
   * notices of commits (which a lost connection or a transaction ending late can leave unsaid).
   */
  pollIntervalMs: number;
}

export const LIVE_SETTINGS: Record<
  keyof LiveConfig,
  { variable: string; default: number; min: number }
> = {
  maxConnections: { variable: 'LIVE_MAX_CONNECTIONS', default: 1000, min: 0 },
  maxSubscriptionsPerConnection: {
    variable: 'LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION',
    default: 10,
    min: 1,
  },
  keepAliveMs: { variable: 'LIVE_KEEP_ALIVE_MS', default: 12000, min: 1000 },
  pollIntervalMs: { variable: 'LIVE_POLL_INTERVAL_MS', default: 1000, min: 100 },
};

export function parseLive(env: Env, problems: string[]): LiveConfig {
  return parseWholeNumbers(env, LIVE_SETTINGS, problems);
}
