/** Organisation sectors, kinds and account roles. Shared by the server, the access policy and the web forms. */
export const SECTORS = ['enforcement', 'health', 'oversight', 'education'] as const;
export type Sector = (typeof SECTORS)[number];

export const ORG_KINDS = [
  'police_unit',
  'national_committee',
  'state_treatment_centre',
  'private_treatment_centre',
  'ngo_treatment_centre',
  'community_treatment_centre',
  'prison_health_service',
  'ngo',
  'health_centre',
  'education_office',
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** Which kinds belong to which sector: a police unit is never a health organisation. */
export const KINDS_BY_SECTOR: Record<Sector, readonly OrgKind[]> = {
  enforcement: ['police_unit'],
  health: [
    'state_treatment_centre',
    'private_treatment_centre',
    'ngo_treatment_centre',
    'community_treatment_centre',
    'prison_health_service',
    'ngo',
    'health_centre',
  ],
  oversight: ['national_committee'],
  education: ['education_office'],
};

export const ROLES = [
  'administrator',
  'enforcement_clerk',
  'enforcement_supervisor',
  'treatment_staff',
  'outreach_worker',
  'programme_manager',
  'education_officer',
  'analyst',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** The sectors an account of each role may belong to. Client-level health roles only exist in health organisations. */
export const SECTORS_BY_ROLE: Record<Role, readonly Sector[]> = {
  administrator: ['oversight'],
  enforcement_clerk: ['enforcement'],
  enforcement_supervisor: ['enforcement'],
  treatment_staff: ['health'],
  outreach_worker: ['health'],
  programme_manager: ['health'],
  education_officer: ['education'],
  analyst: ['oversight'],
  auditor: ['oversight'],
};

export function roleFitsSector(role: Role, sector: Sector): boolean {
  return SECTORS_BY_ROLE[role].includes(sector);
}

export const LOCALES = ['en', 'km'] as const;
export type Locale = (typeof LOCALES)[number];
