import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as an OTLP/HTTP collector receives it, decoded. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  status: { code?: number };
  /** The resource's attributes (service.name…). */
  resource: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
type OtlpAttributes = { key: string; value: OtlpValue }[] | undefined;

function attributesOf(list: OtlpAttributes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) {
    out[key] =
      value.stringValue ??
      (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
      value.doubleValue ??
      value.boolValue;
  }
  return out;
}

/**
 * A trace collector for tests: takes OTLP/HTTP JSON exports at POST /v1/traces (as the gateway's
 * exporter sends them), keeps their spans, and tells waiters as soon as what they wait for came.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Exports answered with an error status. */
  refused = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly server = http.createServer((req, res) => this.take(req, res));

  /** `refuseWith`: the HTTP status every export is answered with, as a failing collector would. */
  private constructor(private readonly refuseWith?: number) {}

  static async start(options: { refuseWith?: number } = {}): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver(options.refuseWith);
    receiver.server.listen(0, '127.0.0.1');
    await once(receiver.server, 'listening');
    return receiver;
  }

  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The spans that satisfy `ready`, once some do (checked after each export). */
  async waitFor(ready: (spans: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
    while (!ready(this.spans)) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.spans;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private take(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.statusCode = 404;
        return res.end();
      }
      if (this.refuseWith !== undefined) {
        this.refused += 1;
        res.statusCode = this.refuseWith;
        return res.end();
      }
      if (!/^application\/json/.test(req.headers['content-type'] ?? '')) {
        // The gateway's exporter sends JSON: anything else is a failure of the test's premise.
        res.statusCode = 415;
        return res.end();
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: {
          resource?: { attributes?: OtlpAttributes };
          scopeSpans: {
            spans: (Omit<ReceivedSpan, 'attributes' | 'resource'> & {
              attributes?: OtlpAttributes;
            })[];
          }[];
        }[];
      };
      for (const resourceSpans of body.resourceSpans) {
        const resource = attributesOf(resourceSpans.resource?.attributes);
        for (const scope of resourceSpans.scopeSpans) {
          for (const span of scope.spans) {
            this.spans.push({
              ...span,
              parentSpanId: span.parentSpanId ?? '',
              attributes: attributesOf(span.attributes),
              status: span.status ?? {},
              resource,
            });
          }
        }
      }
      res.setHeader('Content-Type', 'application/json');
      res.end('{}');
      for (const wake of this.waiters.splice(0)) wake();
    });
  }
}
