import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AgentEntity } from '../../directory/storage/agent.entity';
import { MeetingEntity } from './meeting.entity';

/** An agent of a meeting, in the order the meeting lists them. */
@Entity({ name: 'meeting_agent' })
@Index('IDX_meeting_agent_agent', ['agentId', 'meetingId'])
export class MeetingAgentEntity {
  @PrimaryColumn({ name: 'meeting_id', type: 'varchar', length: 36 })
  meetingId!: string;

  @PrimaryColumn({ name: 'position', type: 'integer' })
  position!: number;

  @Column({ name: 'agent_id', type: 'varchar', length: 36 })
  agentId!: string;

  @ManyToOne(() => MeetingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meeting_id' })
  meeting?: MeetingEntity;

  @ManyToOne(() => AgentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agent_id' })
  agent?: AgentEntity;
}
