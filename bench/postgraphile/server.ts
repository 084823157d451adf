import './with-resolvers';
import http from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

/**
 * PostGraphile 5 (preset amber, grafserv on node:http) over the bench's PostgreSQL copy: the
 * schema it derives from the tables, no plugins, no authentication. The bench compares the
 * gateway on PostgreSQL with it on the queries PostGraphile can express.
 *
 * Usage: node postgraphile/server.js <database url> <port>
 */

const [connectionString, port] = process.argv.slice(2);
const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  // PostGraphile offers ordering and conditions on indexed columns only, and counts none of the
  // gateway's partial indexes: without this plugin, every column may order and filter.
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [makePgService({ connectionString, schemas: ['public'], poolConfig: { max: 10 } })],
  grafserv: { graphqlPath: '/graphql', graphiql: false },
  grafast: { explain: false },
});
const server = http.createServer();
// The pool is the gateway's size on PostgreSQL (10), so that both have as many connections.
Promise.resolve(pgl.getSchema())
  .then(async () => {
    await pgl.createServ(grafserv).addTo(server);
    server.keepAliveTimeout = 60_000;
    server.listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\n'));
  })
  .catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
process.on('SIGTERM', () => {
  server.close();
  void pgl.release();
});
