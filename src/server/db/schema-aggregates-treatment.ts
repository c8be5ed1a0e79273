/** Kysely table types of the treatment pillar's maintained aggregates (migration 20261202110000_treatment_aggregates). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TreatmentAggregateTables {}
