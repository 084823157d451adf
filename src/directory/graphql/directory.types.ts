import { Field, InputType, ObjectType } from 'type-graphql';
import { PartyTypeCode } from '../domain/directory.model';
import { UUIDScalar } from '../../scalars';

// A directory row reads and writes the same fields: one class is both the output and the input type.

@ObjectType({ simpleResolvers: true, description: 'A customer, as the directory knows them.' })
@InputType('PartyInput', { description: 'A party to create or replace, by partyId.' })
export class Party {
  @Field(() => UUIDScalar)
  partyId!: string;
  @Field(() => PartyTypeCode)
  partyTypeCode!: PartyTypeCode;
  @Field(() => String, { description: 'At most 255 characters.' })
  partyName!: string;
  @Field(() => String, { nullable: true, description: 'An e-mail address.' })
  emailAddress!: string | null;
  @Field(() => String, { nullable: true, description: 'Digits, spaces, ( ) - and a leading +.' })
  phoneNumber!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'An agent, as the directory knows them.' })
@InputType('AgentInput', { description: 'An agent to create or replace, by agentId.' })
export class Agent {
  @Field(() => UUIDScalar)
  agentId!: string;
  @Field(() => String, { description: 'At most 255 characters.' })
  firstName!: string;
  @Field(() => String, { description: 'At most 255 characters.' })
  lastName!: string;
}
