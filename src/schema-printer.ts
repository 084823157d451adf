import { printSchema } from 'graphql';
import type { Services } from './context';
import { buildGatewaySchema } from './schema';

/** The SDL of the schema the code builds: what schema.graphql must hold. */
export async function printGatewaySchema(): Promise<string> {
  // Printing never runs a resolver, so no service is needed.
  const schema = await buildGatewaySchema({} as Services);
  return `${printSchema(schema)}\n`;
}
