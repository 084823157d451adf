import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type GatewayApp, createApp } from '../../src/app';
import type { Config } from '../../src/config';
import { createLogger } from '../../src/logger';

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
  };
}

/** A gateway over real HTTP on a fresh SQLite file, with its log lines kept for assertions. */
export class TestGateway {
  private constructor(
    readonly logLines: string[],
    readonly app: GatewayApp,
    readonly url: string,
    readonly dir: string,
    readonly config: Config,
  ) {}

  static async start(
    options: { demoData?: boolean; busyTimeoutMs?: number; now?: () => Date } = {},
  ): Promise<TestGateway> {
    const dir = mkdtempSync(path.join(tmpdir(), 'meetings-gateway-'));
    const config: Config = {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: `sqlite:${path.join(dir, 'meetings.sqlite')}`,
      database: {
        type: 'sqlite',
        path: path.join(dir, 'meetings.sqlite'),
        busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      },
      demoData: options.demoData ?? false,
      logLevel: 'info',
    };
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const app = await createApp(config, {
      logger: createLogger('debug', sink),
      clock: options.now,
    });
    const url = await app.listen();
    return new TestGateway(lines, app, url, dir, config);
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
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: res.status,
      headers: res.headers,
      body: (await res.json()) as GraphQLResponse<T>['body'],
    };
  }

  /** Sends a raw HTTP request to a path of the gateway. */
  fetch(pathname: string, init?: RequestInit): Promise<Response> {
    return fetch(`${this.origin}${pathname}`, init);
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
  }
}
