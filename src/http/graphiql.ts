import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Router, type Request } from 'express';
import { isLoopbackAddress } from '../auth/development-token';
import { FAVICON } from './favicon';

/**
 * GraphiQL, served by the gateway itself from npm packages: nothing is loaded from a CDN, so it
 * works on a closed network. React and GraphiQL come as UMD builds; the page script is ours.
 */

const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': {
    pkg: 'react-dom',
    file: 'umd/react-dom.production.min.js',
    type: 'text/javascript',
  },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

export const EXAMPLE_QUERY = `# Welcome to the meetings gateway.
# Run this with the play button, or press Ctrl-Enter.
query WaitingMeetings {
  meetings(filter: { statusCode: [WAITING] }, size: 5) {
    totalCount
    meetings {
      meetingId
      visitTime
      typeCode
      address { addressLine1 locality }
      parties { partyName phoneNumber }
      agents { firstName lastName }
    }
  }
}
`;

const PLACEHOLDER_HEADERS = { Authorization: 'Bearer <token>' };

// Told to a browser on another machine of a run whose token stays on the gateway's machine.
const TOKEN_KEPT_NOTE = `# This run's development token is filled in only for browsers on the
# gateway's own machine: ask whoever started it for a token, or open GraphiQL there.
`;

function initScript(headers: Record<string, string>, note = ''): string {
  const filled = Object.keys(headers).length > 0;
  const editor = JSON.stringify(JSON.stringify(filled ? headers : PLACEHOLDER_HEADERS, null, 2));
  return `(function () {
  // Subscriptions go over a WebSocket to the same path; the header editor's Authorization becomes
  // the connection_init payload.
  var socketUrl = (window.location.protocol === 'https:' ? 'wss://' : 'ws://') +
    window.location.host + window.location.pathname;
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname, subscriptionUrl: socketUrl });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: ${JSON.stringify(note + EXAMPLE_QUERY)},
    headers: ${editor},
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: 'headers'
  }));
})();
`;
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Meetings gateway · GraphiQL</title>
  <link rel="icon" href="/favicon.ico">
  <link rel="stylesheet" href="/graphiql/graphiql.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/react.js"></script>
  <script src="/graphiql/react-dom.js"></script>
  <script src="/graphiql/graphiql.js"></script>
  <script src="/graphiql/init.js"></script>
</body>
</html>
`;

// Scripts only from the gateway itself; GraphiQL's editor sets inline styles and data: images.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Whether a GET of /graphql is a browser asking for a page rather than a GraphQL request. */
export function wantsGraphiql(req: Request): boolean {
  return (
    req.method === 'GET' &&
    req.query.query === undefined &&
    req.accepts(['application/json', 'text/html']) === 'text/html'
  );
}

/**
 * The page at GET /graphql (for browsers), its assets under /graphiql/ and /favicon.ico.
 * `localHeaders` are filled into GraphiQL's header editor for a browser on a loopback address only
 * (the development token: anyone else who can reach the port would get an admin token).
 */
export function graphiqlRouter(localHeaders: Record<string, string> = {}): Router {
  const router = Router();
  const files = new Map(
    Object.entries(ASSETS).map(([name, asset]) => [
      name,
      { body: readFileSync(path.join(packageRoot(asset.pkg), asset.file)), type: asset.type },
    ]),
  );
  const local = Buffer.from(initScript(localHeaders));
  const remote =
    Object.keys(localHeaders).length > 0 ? Buffer.from(initScript({}, TOKEN_KEPT_NOTE)) : local;

  router.get('/graphql', (req, res, next) => {
    if (!wantsGraphiql(req)) return next();
    res.setHeader('Content-Security-Policy', CSP);
    res.type('html').send(PAGE);
  });
  router.get('/graphiql/init.js', (req, res) => {
    // It may carry a token of this run: never cached. The socket's address decides, never a
    // forwarded header: a proxy on this machine makes every caller local, so none is trusted.
    res.setHeader('Cache-Control', 'no-store');
    res.type('text/javascript').send(isLoopbackAddress(req.socket.remoteAddress) ? local : remote);
  });
  router.get('/graphiql/:file', (req, res, next) => {
    const file = files.get(req.params.file);
    if (!file) return next();
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type(file.type).send(file.body);
  });
  router.get('/favicon.ico', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('image/x-icon').send(FAVICON);
  });
  return router;
}

function packageRoot(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (!existsSync(path.join(dir, 'package.json')) || readPackageName(dir) !== name) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the package ${name}`);
    dir = parent;
  }
  return dir;
}

function readPackageName(dir: string): string | undefined {
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string })
    .name;
}
