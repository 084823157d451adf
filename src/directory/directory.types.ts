import { Field, InputType, ObjectType } from 'type-graphql';
import { PartyTypeCode } from '../meetings/meeting-codes';
import { UUIDScalar } from '../scalars';

@ObjectType({ description: 'A customer, as the directory knows them.' })
export class Party {
  @Field(() => UUIDScalar)
  partyId!: string;
  @Field(() => PartyTypeCode)
  partyTypeCode!: PartyTypeCode;
  @Field(() => String)
  partyName!: string;
  @Field(() => String, { nullable: true })
  emailAddress!: string | null;
  @Field(() => String, { nullable: true })
  phoneNumber!: string | null;
}

@ObjectType({ description: 'An agent, as the directory knows them.' })
export class Agent {
  @Field(() => UUIDScalar)
  agentId!: string;
  @Field(() => String)
  firstName!: string;
  @Field(() => String)
  lastName!: string;
}

@InputType({ description: 'A party to create or replace, by partyId.' })
export class PartyInput {
  @Field(() => UUIDScalar)
  partyId!: string;
  @Field(() => PartyTypeCode)
  partyTypeCode!: PartyTypeCode;
  @Field(() => String, { description: 'At most 255 characters.' })
  partyName!: string;
  @Field(() => String, { nullable: true })
  emailAddress!: string | null;
  @Field(() => String, { nullable: true, description: 'Digits, spaces, ( ) - and a leading +.' })
  phoneNumber!: string | null;
}

@InputType({ description: 'An agent to create or replace, by agentId.' })
export class AgentInput {
  @Field(() => UUIDScalar)
  agentId!: string;
  @Field(() => String)
  firstName!: string;
  @Field(() => String)
  lastName!: string;
}
