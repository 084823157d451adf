import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { nonLoopbackAddress } from '../support/addresses';
import { describeInBrowser, launchChromium } from '../support/browser';
import { CREATE_MEETING, meetingInput, smallDirectory } from '../support/fixtures';
import { TEST_AUDIENCE, TEST_ISSUER, TestGateway } from '../support/gateway';

/**
 * GraphiQL in Chromium, as a person uses it on a first run: the page loads from the gateway alone,
 * the token is already in the headers, and the README's first example query runs.
 */

const ARTIFACTS = path.join(__dirname, '..', 'artifacts');

/** The first ```graphql block of the README: the example a reader runs first. */
function readmeExampleQuery(): string {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = /```graphql\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no graphql example');
  return block[1];
}

/** A page expression: the text of the CodeMirror editor at `selector` ('' when there is none). */
function editorText(selector: string): string {
  return `(document.querySelector(${JSON.stringify(selector)})?.CodeMirror.getValue() ?? '')`;
}

/**
 * A page script: `window.__queryParsed` settles once the query editor holds `text` and GraphiQL
 * has parsed it (its document's source is that text) and selected the operation `name`. GraphiQL
 * parses an edit after a debounce and then signals 'change' on the editors of the tools pane: the
 * check runs on that signal. One expression, as page.evaluate sends it (the page's
 * Content-Security-Policy refuses the eval a polled predicate, waitForFunction, would need); its
 * value is undefined, so that evaluating it does not wait for the promise.
 */
const parsedListener = (
  text: string,
  name: string,
) => `(window.__queryParsed = new Promise((resolve, reject) => {
  const query = document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror;
  const tools = [...document.querySelectorAll('.graphiql-editor-tool .CodeMirror')].map((e) => e.CodeMirror);
  const parsed = () => query.getValue() === ${JSON.stringify(text)} &&
    query.documentAST?.loc?.source.body === query.getValue() && query.operationName === ${JSON.stringify(name)};
  const settle = (outcome) => { tools.forEach((t) => t.off('change', check)); clearTimeout(timer); outcome(); };
  const check = () => { if (parsed()) settle(resolve); };
  const timer = setTimeout(() => settle(() => reject(new Error('GraphiQL did not parse the pasted query within 10 s: ' + query.getValue()))), 10000);
  tools.forEach((t) => t.on('change', check));
}), undefined)`;

/** A gateway as on a first run: no JWT setting, so it makes a secret and a development token. */
function developmentRun(options: { demoData?: boolean; host?: string }): Promise<TestGateway> {
  return TestGateway.start({
    ...options,
    auth: {
      keys: { kind: 'secret', secret: randomBytes(32), generated: true },
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      officesClaim: 'offices',
    },
  });
}

describeInBrowser('GraphiQL in a real browser', () => {
  let gw: TestGateway;
  let browser: Browser;

  let dir: Awaited<ReturnType<typeof smallDirectory>>;

  beforeAll(async () => {
    gw = await developmentRun({ demoData: true });
    browser = await launchChromium();
    dir = await smallDirectory(gw);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it('runs the README example query with the filled-in token, loading nothing from outside', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const offsite: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
      if (!local && url.protocol !== 'data:' && url.protocol !== 'blob:') offsite.push(url.href);
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(gw.url);
    const editor = page.locator('.graphiql-query-editor .CodeMirror');
    await editor.waitFor({ timeout: 20_000 });
    // The header editor holds the token of this run.
    const headers = await page.evaluate<string>(
      editorText('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror'),
    );
    expect(headers).toContain(`Bearer ${gw.app.developmentToken}`);

    const query = readmeExampleQuery();
    // Listened for before the paste: GraphiQL reads the operation names of an edit after a debounce.
    const name = /^\s*(?:query|mutation)\s+(\w+)/m.exec(query)![1];
    await page.evaluate(parsedListener(query, name));
    // Typed in as a person pastes it: select all in the editor, then the README's text.
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(query);
    await page.evaluate('window.__queryParsed');
    await page.click('.graphiql-execute-button');
    // The response pane fills in when the answer has come: a JSON object, so its first line is "{".
    await page
      .locator('.graphiql-response .CodeMirror-code', { hasText: '{' })
      .waitFor({ timeout: 20_000 });
    const text = (await page.evaluate<string>(editorText('.graphiql-response .CodeMirror'))).trim();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'graphiql.png') });
    const result = JSON.parse(text) as {
      data?: { meetings: { totalCount: number; meetings: { meetingId: string }[] } };
      errors?: unknown[];
    };
    expect(result.errors).toBeUndefined();
    expect(result.data!.meetings.totalCount).toBeGreaterThan(0);
    expect(result.data!.meetings.meetings.length).toBeGreaterThan(0);

    expect(offsite).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it('runs a subscription: a meeting created in another request appears in the response pane', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(gw.url);
    const editor = page.locator('.graphiql-query-editor .CodeMirror');
    await editor.waitFor({ timeout: 20_000 });
    const subscription =
      'subscription Watch { meetingChanged { op meetingId version meeting { notes } } }';
    await page.evaluate(parsedListener(subscription, 'Watch'));
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(subscription);
    await page.evaluate('window.__queryParsed');
    await page.click('.graphiql-execute-button');
    // Running once the gateway counts it: GraphiQL's socket came from the page's own origin.
    await gw.app.live.running(1);

    const created = await gw.gql<{ createMeeting: { meetingId: string } }>(CREATE_MEETING, {
      input: meetingInput(dir.parties, dir.agents, { notes: 'seen in GraphiQL' }),
    });
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data!.createMeeting.meetingId;
    await page
      .locator('.graphiql-response .CodeMirror-code', { hasText: id })
      .waitFor({ timeout: 10_000 });
    const text = (await page.evaluate<string>(editorText('.graphiql-response .CodeMirror'))).trim();
    expect(JSON.parse(text)).toEqual({
      data: {
        meetingChanged: {
          op: 'CREATED',
          meetingId: id,
          version: 1,
          meeting: { notes: 'seen in GraphiQL' },
        },
      },
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'graphiql-subscription.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
    await gw.app.live.running(0);
  }, 60_000);
});

describeInBrowser('GraphiQL opened from another address than loopback', () => {
  let gw: TestGateway;
  let browser: Browser;
  let spare: { address: string; release: () => void };

  beforeAll(async () => {
    spare = nonLoopbackAddress();
    // Listening on every address, as HOST=0.0.0.0 does.
    gw = await developmentRun({ host: '0.0.0.0' });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    spare?.release();
  });

  it('does not fill in the development token', async () => {
    const page = await browser.newPage();
    const port = new URL(gw.url).port;
    await page.goto(`http://${spare.address}:${port}/graphql`);
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ timeout: 20_000 });
    const headers = await page.evaluate<string>(
      editorText('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror'),
    );
    expect(gw.app.developmentToken).toBeDefined();
    expect(headers).not.toContain(gw.app.developmentToken!);
    expect(headers).toContain('Bearer <token>');
    await page.close();
  }, 60_000);
});
