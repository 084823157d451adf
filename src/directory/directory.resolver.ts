import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { lengthOf, listCost } from '../limits/list-cost';
import { MeetingAgent, MeetingParty } from '../meetings/meeting.types';
import type { DirectoryService } from './directory.service';
import { Agent, Party } from './directory.types';

const rowsCost = listCost(lengthOf('input'));

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
    return this.directory.upsertParties(ctx.caller, input);
  }

  @Mutation(() => [Agent], {
    complexity: rowsCost,
    description: 'Creates or replaces agents by agentId, all or none. 1 to 1,000 rows a call.',
  })
  upsertAgents(
    @Arg('input', () => [Agent]) input: Agent[],
    @Ctx() ctx: GatewayContext,
  ): Promise<Agent[]> {
    return this.directory.upsertAgents(ctx.caller, input);
  }
}

@Resolver(() => MeetingParty)
export class MeetingPartyResolver {
  @FieldResolver(() => String, { nullable: true })
  async partyName(@Root() party: MeetingParty, @Ctx() ctx: GatewayContext): Promise<string | null> {
    return (await ctx.loaders.party.load(party.partyId))?.partyName ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  async emailAddress(
    @Root() party: MeetingParty,
    @Ctx() ctx: GatewayContext,
  ): Promise<string | null> {
    return (await ctx.loaders.party.load(party.partyId))?.emailAddress ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  async phoneNumber(
    @Root() party: MeetingParty,
    @Ctx() ctx: GatewayContext,
  ): Promise<string | null> {
    return (await ctx.loaders.party.load(party.partyId))?.phoneNumber ?? null;
  }
}

@Resolver(() => MeetingAgent)
export class MeetingAgentResolver {
  @FieldResolver(() => String, { nullable: true })
  async firstName(@Root() agent: MeetingAgent, @Ctx() ctx: GatewayContext): Promise<string | null> {
    return (await ctx.loaders.agent.load(agent.agentId))?.firstName ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  async lastName(@Root() agent: MeetingAgent, @Ctx() ctx: GatewayContext): Promise<string | null> {
    return (await ctx.loaders.agent.load(agent.agentId))?.lastName ?? null;
  }
}
