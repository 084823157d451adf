import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GatewayContext } from '../../context';
import { lengthOf, listCost } from '../../limits/list-cost';
import { DIRECTORY_LIMITS, type DirectoryService } from '../domain/directory.service';
import { Agent, Party } from './directory.types';

const rowsCost = listCost(lengthOf('input', DIRECTORY_LIMITS.rowsPerCall));

@Resolver()
export class DirectoryResolver {
  constructor(private readonly directory: DirectoryService) {}

  @Mutation(() => [Party], {
    complexity: rowsCost,
    description: 'Creates or replaces parties by partyId, all or none. 1 to 1,000 rows a call.',
  })
  upsertParties(
    @Arg('input', () => [Party]) input: Party[],
    @Ctx() ctx: GatewayContext,
  ): Promise<Party[]> {
    return this.directory.upsertParties(ctx.caller, input, ctx.idempotency);
  }

  @Mutation(() => [Agent], {
    complexity: rowsCost,
    description: 'Creates or replaces agents by agentId, all or none. 1 to 1,000 rows a call.',
  })
  upsertAgents(
    @Arg('input', () => [Agent]) input: Agent[],
    @Ctx() ctx: GatewayContext,
  ): Promise<Agent[]> {
    return this.directory.upsertAgents(ctx.caller, input, ctx.idempotency);
  }
}
