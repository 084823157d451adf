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
  @Field(() => String, {
    description:
      'Opaque: where to continue after this change, with meetingChanges(after:) or meetingChanged(after:) (its edge cursor, in a page).',
  })
  cursor!: string;
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

@ArgsType()
export class MeetingChangedArgs {
  @Field(() => [UUIDScalar], {
    nullable: true,
    description:
      'From 1 to 100 of your offices (another is UNAUTHORIZED); none: all of them. A meeting moved out of these is DELETED.',
  })
  agencyOfficeIds?: string[] | null;
  @Field(() => String, {
    nullable: true,
    description:
      'A cursor of the feed (a change, an edge, endCursor or latestChangeCursor): the changes after it first, then live, none skipped or repeated. None: from now.',
  })
  after?: string | null;
}
