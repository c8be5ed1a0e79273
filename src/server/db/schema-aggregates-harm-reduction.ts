/** Kysely table types of the harm-reduction pillar's maintained aggregates (migration 20261202130000_harm_reduction_aggregates). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface HarmReductionAggregateTables {}
