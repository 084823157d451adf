import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printGatewaySchema } from '../src/schema-printer';

// Writes schema.graphql, the reviewed contract, from the code.
printGatewaySchema()
  .then((sdl) => {
    writeFileSync(path.join(__dirname, '..', 'schema.graphql'), sdl);
    process.stdout.write('schema.graphql written\n');
  })
  .catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
