import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSubgraph } from '../src/federation/subgraph';
import { printGatewaySchema } from '../src/schema-printer';

// Writes the reviewed contracts from the code: schema.graphql (/graphql) and subgraph.graphql
// (/subgraph, what a federation router composes).
async function main(): Promise<void> {
  const root = path.join(__dirname, '..');
  writeFileSync(path.join(root, 'schema.graphql'), await printGatewaySchema());
  writeFileSync(path.join(root, 'subgraph.graphql'), await printSubgraph());
  process.stdout.write('schema.graphql and subgraph.graphql written\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
