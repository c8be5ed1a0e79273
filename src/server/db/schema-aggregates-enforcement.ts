/** Kysely table types of the enforcement pillar's maintained aggregates (migration 20261202100000_enforcement_aggregates). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EnforcementAggregateTables {}
