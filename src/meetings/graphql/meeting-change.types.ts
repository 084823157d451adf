import { ArgsType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar, UUIDScalar } from '../../scalars';
import type { MeetingChangeOp as Op } from '../domain/meeting-changes';
import { PageInfo } from './meeting.types';

/** The kinds of change, as the schema names them. */
export const MeetingChangeOp: { [K in Op]: K } = {
  CREATED: 'CREATED',
  UPDATED: 'UPDATED',
  DELETED: 'DELETED',
};
registerEnumType(MeetingChangeOp, {
  name: 'MeetingChangeOp',
  description:
    'What happened to a meeting, as the caller sees it: a meeting moved out of their offices is DELETED, one moved into them CREATED.',
});

@ObjectType({ description: 'One create, update or delete of a meeting.' })
export class MeetingChange {
  @Field(() => MeetingChangeOp)
  op!: Op;
  @Field(() => UUIDScalar)
  meetingId!: string;
  @Field(() => UUIDScalar, {
    description:
      "The meeting's office after the change (for DELETED after a move: the office it left).",
  })
  agencyOfficeId!: string;
  @Field(() => Int, { description: "The meeting's version after the change." })
  version!: number;
  @Field(() => DateTimeScalar)
  changedAt!: Date;
}

@ObjectType({ simpleResolvers: true })
export class MeetingChangeEdge {
  @Field(() => String, { description: 'Opaque: where to continue with meetingChanges(after:).' })
  cursor!: string;
  @Field(() => MeetingChange)
  node!: MeetingChange;
}

@ObjectType({
  simpleResolvers: true,
  description: 'A page of the change feed.',
})
export class MeetingChangeConnection {
  @Field(() => [MeetingChangeEdge])
  edges!: MeetingChangeEdge[];
  @Field(() => PageInfo, {
    description:
      'endCursor is where to continue; on an empty page it is `after` issued anew, so a polling client keeps a fresh cursor.',
  })
  pageInfo!: PageInfo;
}

@ArgsType()
export class MeetingChangesArgs {
  @Field(() => String, {
    nullable: true,
    description:
      'A cursor of this feed (an edge, endCursor or latestChangeCursor); none: the oldest change kept.',
  })
  after?: string | null;
  @Field(() => Int, { nullable: true, defaultValue: 100, description: 'From 1 to 100.' })
  first?: number | null;
}
