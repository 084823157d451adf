import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({
  description: 'An object with a global id (Relay Global Object Identification).',
  // Meetings are the only nodes so far.
  resolveType: () => 'Meeting',
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque and global: use it with `node` and `nodes`.' })
  id!: string;
}
