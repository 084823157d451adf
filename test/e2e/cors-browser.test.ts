import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { describeInBrowser, launchChromium } from '../support/browser';
import { COSTED } from '../support/cost';
import { meetingInput, smallDirectory } from '../support/fixtures';
import { TestGateway } from '../support/gateway';

/**
 * A frontend on another origin, as a team develops one: a page served by its own development
 * server (another port) calls the gateway with fetch, and Chromium applies CORS.
 */

const CREATE = `mutation ($input: MeetingInput!) {
  createMeeting(input: $input) { meetingId meeting { notes } }
}`;

/** What the page's `callGateway` resolves to. */
type PageResult =
  | {
      status: number;
      requestId: string | null;
      replayed: string | null;
      body: {
        data?: { createMeeting: { meetingId: string; meeting: { notes: string } } };
        errors?: { extensions: { code: string; requestId: string } }[];
      };
    }
  | { error: string };

// The page's own script: one fetch, as a frontend makes it, and what the page can read of the answer.
const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A frontend</title></head>
<body>
<script>
async function callGateway(url, headers, body) {
  try {
    const res = await fetch(url, { method: 'POST', headers: headers, body: JSON.stringify(body) });
    return {
      status: res.status,
      requestId: res.headers.get('request-id'),
      replayed: res.headers.get('idempotent-replayed'),
      body: await res.json(),
    };
  } catch (error) {
    return { error: error.name + ': ' + error.message };
  }
}
</script>
</body>
</html>
`;

/** A development server of a frontend: serves the page at / on 127.0.0.1, on a port of its own. */
async function startPageServer(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url !== '/') return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function callGateway(
  page: Page,
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<PageResult> {
  return page.evaluate(
    ([url, headers, body]) =>
      (
        globalThis as unknown as {
          callGateway(url: string, headers: unknown, body: unknown): Promise<PageResult>;
        }
      ).callGateway(url, headers, body),
    [url, headers, body] as const,
  );
}

/** The methods of the requests to /graphql the gateway has answered, in order. */
function gatewayRequests(gw: TestGateway): unknown[] {
  return gw
    .logs()
    .filter((line) => line.msg === 'request' && line.path === '/graphql')
    .map((line) => line.method);
}

describeInBrowser('a page on another origin calling the gateway in Chromium', () => {
  let browser: Browser;
  let development: TestGateway;
  let production: TestGateway;
  let allowedPages: Awaited<ReturnType<typeof startPageServer>>;
  let otherPages: Awaited<ReturnType<typeof startPageServer>>;
  const pages: Page[] = [];

  beforeAll(async () => {
    [browser, allowedPages, otherPages] = await Promise.all([
      launchChromium(),
      startPageServer(),
      startPageServer(),
    ]);
    // Outside production any loopback port may call; in production only CORS_ORIGINS.
    [development, production] = await Promise.all([
      TestGateway.start(),
      TestGateway.start({ production: true, corsOrigins: [allowedPages.origin] }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([
      development?.stop(),
      production?.stop(),
      allowedPages?.close(),
      otherPages?.close(),
    ]);
  });

  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });

  async function openPage(origin: string): Promise<Page> {
    const page = await browser.newPage();
    pages.push(page);
    await page.goto(`${origin}/`);
    return page;
  }

  it('creates a meeting with a token and an Idempotency-Key, reading Request-ID and Idempotent-Replayed', async () => {
    const dir = await smallDirectory(development);
    const page = await openPage(allowedPages.origin);
    const requestId = randomUUID();
    const headers = {
      Authorization: `Bearer ${development.adminToken}`,
      'Content-Type': 'application/json',
      'Idempotency-Key': randomUUID(),
      'Request-ID': requestId,
    };
    const body = {
      query: CREATE,
      variables: { input: meetingInput(dir.parties, dir.agents, { notes: 'from a browser' }) },
    };

    const first = await callGateway(page, development.url, headers, body);
    expect(first).toEqual({
      status: 200,
      requestId,
      replayed: null,
      body: {
        data: {
          createMeeting: { meetingId: expect.any(String), meeting: { notes: 'from a browser' } },
        },
        extensions: COSTED,
      },
    });
    // The same write again, as a frontend retries it: answered as the first was, and said so.
    const again = await callGateway(
      page,
      development.url,
      { ...headers, 'Request-ID': randomUUID() },
      body,
    );
    expect(again).toMatchObject({ status: 200, replayed: 'true' });
    expect(!('error' in again) && again.body).toEqual(!('error' in first) && first.body);
  });

  it('reads a refusal: the status, the error code and the request id', async () => {
    const page = await openPage(allowedPages.origin);
    const result = await callGateway(
      page,
      development.url,
      { 'Content-Type': 'application/json' },
      { query: '{ meetings { totalCount } }' },
    );
    expect(result).toMatchObject({
      status: 401,
      body: { errors: [{ extensions: { code: 'UNAUTHORIZED' } }] },
    });
    expect(!('error' in result) && result.requestId).toBe(
      !('error' in result) && result.body.errors![0].extensions.requestId,
    );
  });

  it('lets a page of a configured origin call a gateway in production', async () => {
    const page = await openPage(allowedPages.origin);
    const result = await callGateway(
      page,
      production.url,
      { Authorization: `Bearer ${production.adminToken}`, 'Content-Type': 'application/json' },
      { query: '{ meetings { totalCount } }' },
    );
    expect(result).toMatchObject({ status: 200, body: { data: { meetings: { totalCount: 0 } } } });
  });

  it('is blocked by the browser on an origin the gateway does not allow, before the request is sent', async () => {
    const page = await openPage(otherPages.origin);
    const before = gatewayRequests(production);
    const blocked = page.waitForEvent('console', (message) =>
      message.text().includes('CORS policy'),
    );

    const result = await callGateway(
      page,
      production.url,
      { Authorization: `Bearer ${production.adminToken}`, 'Content-Type': 'application/json' },
      { query: '{ meetings { totalCount } }' },
    );

    expect(result).toEqual({ error: 'TypeError: Failed to fetch' });
    expect((await blocked).text()).toContain("No 'Access-Control-Allow-Origin' header");
    // Only the preflight reached the gateway.
    expect(gatewayRequests(production).slice(before.length)).toEqual(['OPTIONS']);
  });
});
