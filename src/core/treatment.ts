/**
 * The treatment pillar's domain (BRIEF "Treatment and rehabilitation", issue 5): the centre register, admissions and
 * discharges after the EMCDDA Treatment Demand Indicator. Codes and strict Zod schemas shared by the server and the
 * web forms (docs/treatment-api.md). An admission names its client by the UIC only (computed in the browser as in
 * the outreach pillar); no field holds a name, phone number, address, ID number or free text about a person.
 */
import { z } from 'zod';
import { AGE_BANDS, DRUGS, pastDate } from './enforcement.js';
import { CLIENT_SEXES, ROUTES } from './harm-reduction.js';
import { checkPlace, districtCode, label, provinceCode, uuid } from './schemas.js';
import { DEFAULT_UIC_FORMAT, uicPattern } from './uic.js';

export const CENTRE_KINDS = ['state', 'private', 'ngo', 'community', 'prison_health'] as const;
export const MODALITIES = ['residential', 'outpatient', 'community'] as const;
export const ADMISSION_POLICIES = ['voluntary', 'compulsory', 'mixed'] as const;
/** `planned`: a proposed centre (not yet taking clients; its capacity is shown apart as planned capacity). */
export const CENTRE_STATUSES = ['open', 'planned', 'closed'] as const;

export const REFERRAL_SOURCES = ['self', 'family', 'outreach_ngo', 'health_facility', 'police', 'court', 'other'] as const;
export const LEGAL_BASES = ['voluntary', 'compulsory_administrative', 'court_ordered'] as const;
export const INJECTING = ['never', 'ever_not_last_30_days', 'last_30_days', 'unknown'] as const;
export const PREVIOUS_TREATMENT = ['never', 'yes', 'unknown'] as const;
export const DISCHARGE_REASONS = ['completed', 'left_against_advice', 'transferred', 'moved', 'died', 'other'] as const;
export const TREATMENT_SEXES = CLIENT_SEXES;
export const TREATMENT_AGE_BANDS = AGE_BANDS;
export const TREATMENT_DRUGS = DRUGS.filter((d) => d !== 'precursors' && d !== 'cannabis_plants') as readonly (typeof DRUGS)[number][];

export type CentreKind = (typeof CENTRE_KINDS)[number];
export type Modality = (typeof MODALITIES)[number];
export type AdmissionPolicy = (typeof ADMISSION_POLICIES)[number];
export type CentreStatus = (typeof CENTRE_STATUSES)[number];
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];
export type LegalBasis = (typeof LEGAL_BASES)[number];
export type DischargeReason = (typeof DISCHARGE_REASONS)[number];

export const MAX_CAPACITY = 100_000;
export const MAX_SECONDARY_DRUGS = 3;

const capacity = z
  .number({ message: 'must be a number' })
  .int({ message: 'must be a whole number' })
  .min(0, { message: 'must be 0 or more' })
  .max(MAX_CAPACITY, { message: `must be at most ${MAX_CAPACITY}` });

/** The register entry of a centre. `organisationId`: the health organisation that runs it (its staff record admissions). */
export const createCentreBody = z
  .strictObject({
    name: label(200),
    nameKm: label(200).nullable().optional(),
    organisationId: uuid,
    kind: z.enum(CENTRE_KINDS),
    modality: z.enum(MODALITIES),
    admissionPolicy: z.enum(ADMISSION_POLICIES),
    capacity,
    provinceCode,
    districtCode: districtCode.nullable().optional(),
    status: z.enum(CENTRE_STATUSES).default('open'),
  })
  .superRefine(checkPlace);

export const updateCentreBody = z
  .strictObject({
    version: z.number({ message: 'must be a number' }).int().positive({ message: 'must be the version you loaded' }),
    name: label(200).optional(),
    nameKm: label(200).nullable().optional(),
    kind: z.enum(CENTRE_KINDS).optional(),
    modality: z.enum(MODALITIES).optional(),
    admissionPolicy: z.enum(ADMISSION_POLICIES).optional(),
    capacity: capacity.optional(),
    provinceCode: provinceCode.optional(),
    districtCode: districtCode.nullable().optional(),
    status: z.enum(CENTRE_STATUSES).optional(),
  })
  .superRefine(checkPlace);

export type CreateCentre = z.output<typeof createCentreBody>;
export type UpdateCentre = z.output<typeof updateCentreBody>;

/** A register entry as the API returns it (to every signed-in user: the register holds no client data). */
export interface CentreDto {
  id: string;
  name: string;
  nameKm: string | null;
  organisationId: string;
  organisationName: string;
  kind: CentreKind;
  modality: Modality;
  admissionPolicy: AdmissionPolicy;
  capacity: number;
  provinceCode: string;
  districtCode: string | null;
  status: CentreStatus;
  version: number;
}

/**
 * An admission. Built per request: dates must not be in the future (Cambodia's today) and the UIC must match the
 * configured format. Voluntary admissions need the client's consent recorded; the secondary drugs differ from the
 * primary one and from each other.
 */
export function admissionInput(today: string, uicFormat: string = DEFAULT_UIC_FORMAT) {
  const pattern = uicPattern(uicFormat);
  return z
    .strictObject({
      centreId: uuid,
      uic: z
        .string()
        .trim()
        .transform((s) => s.toUpperCase())
        .pipe(z.string().regex(pattern, { message: `does not match the UIC format ${uicFormat}` })),
      admittedOn: pastDate(today),
      referralSource: z.enum(REFERRAL_SOURCES),
      legalBasis: z.enum(LEGAL_BASES),
      consentRecorded: z.boolean({ message: 'must be true or false' }),
      primaryDrug: z.enum(TREATMENT_DRUGS as [string, ...string[]]),
      secondaryDrugs: z
        .array(z.enum(TREATMENT_DRUGS as [string, ...string[]]))
        .max(MAX_SECONDARY_DRUGS, { message: `must list at most ${MAX_SECONDARY_DRUGS} drugs` })
        .default([]),
      route: z.enum(ROUTES),
      injecting: z.enum(INJECTING),
      previousTreatment: z.enum(PREVIOUS_TREATMENT),
      sex: z.enum(TREATMENT_SEXES),
      ageBand: z.enum(TREATMENT_AGE_BANDS),
    })
    .superRefine((v, ctx) => {
      if (v.legalBasis === 'voluntary' && !v.consentRecorded) {
        ctx.addIssue({ code: 'custom', path: ['consentRecorded'], message: 'must be recorded for a voluntary admission' });
      }
      if (v.secondaryDrugs.includes(v.primaryDrug)) {
        ctx.addIssue({ code: 'custom', path: ['secondaryDrugs'], message: 'must not repeat the primary drug' });
      }
      if (new Set(v.secondaryDrugs).size !== v.secondaryDrugs.length) {
        ctx.addIssue({ code: 'custom', path: ['secondaryDrugs'], message: 'must not list a drug twice' });
      }
      if (v.route === 'inject' && v.injecting === 'never') {
        ctx.addIssue({ code: 'custom', path: ['injecting'], message: 'cannot be never when the route is injecting' });
      }
    });
}

export type AdmissionInput = z.output<ReturnType<typeof admissionInput>>;

/** A discharge of an open stay; `version` is the admission's version as loaded (409 when it changed meanwhile). */
export function dischargeInput(today: string) {
  return z.strictObject({
    version: z.number({ message: 'must be a number' }).int().positive({ message: 'must be the version you loaded' }),
    dischargedOn: pastDate(today),
    reason: z.enum(DISCHARGE_REASONS),
  });
}
export type DischargeInput = z.output<ReturnType<typeof dischargeInput>>;

/** Why a record entered in error is voided (it then leaves every list, figure and rule; it is never deleted). */
export const VOID_REASONS = ['entered_in_error', 'duplicate'] as const;
export type VoidReason = (typeof VOID_REASONS)[number];

/** Voiding an admission: the version as loaded (409 when it changed meanwhile) and the reason. */
export const voidAdmissionInput = z.strictObject({
  version: z.number({ message: 'must be a number' }).int().positive({ message: 'must be the version you loaded' }),
  reason: z.enum(VOID_REASONS, { message: 'choose a reason' }),
});
export type VoidAdmissionInput = z.output<typeof voidAdmissionInput>;

/** An admission (one stay) as the API returns it — to the staff of the recording organisation only. */
export interface AdmissionDto {
  id: string;
  centreId: string;
  uic: string;
  admittedOn: string;
  referralSource: ReferralSource;
  legalBasis: LegalBasis;
  consentRecorded: boolean;
  primaryDrug: string;
  secondaryDrugs: string[];
  route: string;
  injecting: (typeof INJECTING)[number];
  previousTreatment: (typeof PREVIOUS_TREATMENT)[number];
  sex: string;
  ageBand: string;
  dischargedOn: string | null;
  dischargeReason: DischargeReason | null;
  /** Days in care up to the discharge, or up to today while in care. */
  daysInCare: number;
  /** When the stay was voided (ISO timestamp), or null; a voided stay leaves every list, figure and rule. */
  voidedAt: string | null;
  voidReason: VoidReason | null;
  version: number;
}

/** In care on a day: admitted on or before it, not discharged on or before it (a discharge day is not a day in care). */
export function inCareOn(stay: { admittedOn: string; dischargedOn: string | null }, day: string): boolean {
  return stay.admittedOn <= day && (stay.dischargedOn === null || stay.dischargedOn > day);
}

/**
 * Stays of one UIC in one centre must not overlap. A new (open) stay from `admittedOn` overlaps every stay that is
 * still open or that ends after `admittedOn`; a stay that ended on that very day does not (discharged and readmitted
 * the same day). Returns the first conflicting stay, if any.
 */
export function overlappingStay<T extends { admittedOn: string; dischargedOn: string | null }>(existing: readonly T[], admittedOn: string): T | null {
  return existing.find((s) => s.dischargedOn === null || s.dischargedOn > admittedOn) ?? null;
}

/** Completion rate: completed ÷ discharges that ended the episode here (transfers continue care elsewhere). */
export function completionRate(discharges: Partial<Record<DischargeReason, number>>): number | null {
  const all = DISCHARGE_REASONS.reduce((n, r) => n + (discharges[r] ?? 0), 0) - (discharges.transferred ?? 0);
  return all > 0 ? (discharges.completed ?? 0) / all : null;
}
