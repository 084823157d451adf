import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where the readiness check commits (and removes) a row to find out whether writes are taken. */
@Entity({ name: 'health_probe' })
export class HealthProbeEntity {
  @PrimaryColumn({ name: 'probe_id', type: 'varchar', length: 36 })
  probeId!: string;

  @Column({ name: 'data', type: 'text' })
  data!: string;
}
