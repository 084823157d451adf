import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../../context';
import type { MeetingAgentRef, MeetingPartyRef } from '../domain/meeting.model';
import { MeetingAgent, MeetingParty } from './meeting.types';

/**
 * A directory detail of a meeting's party or agent. Reads join the details into the meeting (no
 * promise, no extra statement); a meeting built from a write's input has none, and its details come
 * through the request's loader.
 */
function detail<D, K extends keyof D>(
  joined: D | undefined,
  load: () => Promise<D | null>,
  field: K,
): D[K] | null | Promise<D[K] | null> {
  return joined ? joined[field] : load().then((row) => row?.[field] ?? null);
}

@Resolver(() => MeetingParty)
export class MeetingPartyResolver {
  @FieldResolver(() => String, { nullable: true })
  partyName(@Root() party: MeetingPartyRef, @Ctx() ctx: GatewayContext) {
    return detail(party.directory, () => ctx.loaders.party.load(party.partyId), 'partyName');
  }

  @FieldResolver(() => String, { nullable: true })
  emailAddress(@Root() party: MeetingPartyRef, @Ctx() ctx: GatewayContext) {
    return detail(party.directory, () => ctx.loaders.party.load(party.partyId), 'emailAddress');
  }

  @FieldResolver(() => String, { nullable: true })
  phoneNumber(@Root() party: MeetingPartyRef, @Ctx() ctx: GatewayContext) {
    return detail(party.directory, () => ctx.loaders.party.load(party.partyId), 'phoneNumber');
  }
}

@Resolver(() => MeetingAgent)
export class MeetingAgentResolver {
  @FieldResolver(() => String, { nullable: true })
  firstName(@Root() agent: MeetingAgentRef, @Ctx() ctx: GatewayContext) {
    return detail(agent.directory, () => ctx.loaders.agent.load(agent.agentId), 'firstName');
  }

  @FieldResolver(() => String, { nullable: true })
  lastName(@Root() agent: MeetingAgentRef, @Ctx() ctx: GatewayContext) {
    return detail(agent.directory, () => ctx.loaders.agent.load(agent.agentId), 'lastName');
  }
}
