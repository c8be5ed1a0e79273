/** Kysely table types of the education pillar's maintained aggregates (migration 20261202120000_education_aggregates). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EducationAggregateTables {}
