import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An agent of the agency, as the directory an operator loads knows them. */
@Entity({ name: 'agent' })
export class AgentEntity {
  @PrimaryColumn({ name: 'agent_id', type: 'varchar', length: 36 })
  agentId!: string;

  @Column({ name: 'first_name', type: 'varchar', length: 255 })
  firstName!: string;

  @Column({ name: 'last_name', type: 'varchar', length: 255 })
  lastName!: string;

  /** Lower-cased first and last name, for free-text search of meetings. */
  @Column({ name: 'search_text', type: 'text' })
  searchText!: string;

  @Column({ name: 'creation_time', type: 'varchar', length: 24 })
  creationTime!: string;

  @Column({ name: 'modification_time', type: 'varchar', length: 24 })
  modificationTime!: string;
}
