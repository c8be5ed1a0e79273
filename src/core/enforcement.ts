/**
 * The enforcement pillar's domain: one case = one police operation, with anonymous persons, seizures and assets.
 * No field can hold a name, phone number, address, photo, ID number or free text about a person: persons are
 * rows of codes only. Shared by the server (validation, CSV import, indicators) and the web forms.
 */
import { z } from 'zod';
import { COUNTRY_SET } from './countries.js';
import { communeCode, districtCode, pastDate, provinceCode } from './schemas.js';

export const CASE_TYPES = ['trafficking', 'possession', 'use', 'cultivation_production'] as const;
export const PERSON_ROLES = ['suspected_trafficker', 'alleged_user', 'other'] as const;
export const SEXES = ['male', 'female', 'unknown'] as const;
export const AGE_BANDS = ['under_15', '15_17', '18_24', '25_34', '35_49', '50_plus', 'unknown'] as const;
export const DISPOSITIONS = [
  'pending',
  'educated_released',
  'sent_to_court',
  'referred_treatment_voluntary',
  'referred_treatment_compulsory',
  'released',
] as const;
export const DRUGS = [
  'crystal_meth',
  'meth_tablets',
  'heroin',
  'cocaine',
  'ketamine',
  'mdma',
  'cannabis_herb',
  'cannabis_plants',
  'precursors',
  'other',
] as const;
export const QUANTITY_UNITS = ['g', 'kg', 'tablets', 'plants', 'ml', 'l'] as const;
export const ASSET_FIELDS = ['vehicles', 'motorcycles', 'phones', 'cashKhr', 'cashUsd', 'weapons'] as const;

export type CaseType = (typeof CASE_TYPES)[number];
export type PersonRole = (typeof PERSON_ROLES)[number];
export type Sex = (typeof SEXES)[number];
export type AgeBand = (typeof AGE_BANDS)[number];
export type Disposition = (typeof DISPOSITIONS)[number];
export type Drug = (typeof DRUGS)[number];
export type QuantityUnit = (typeof QUANTITY_UNITS)[number];

/** Kilograms for a quantity when the unit is a mass; null when the unit does not allow it (tablets, plants, volumes). */
export function toKilograms(quantity: number, unit: QuantityUnit): number | null {
  if (unit === 'kg') return quantity;
  if (unit === 'g') return quantity / 1000;
  return null;
}

export const MAX_PERSONS_PER_CASE = 500;
export const MAX_SEIZURES_PER_CASE = 100;

/** A unit's own case reference: letters, digits and / . _ - only, with at least one digit — never a name. */
export const unitReference = z
  .string()
  .trim()
  .min(1, { message: 'is required' })
  .max(40, { message: 'must be at most 40 characters' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9/._-]*$/, { message: 'use letters, digits and / . _ - only' })
  .refine((s) => /\d/.test(s), { message: 'must contain a number (a reference, not a name)' });

/** A date that exists, not before 2000-01-01 and not after `today` (one check for every date: src/core/schemas.ts). */
export { pastDate };

export const nationality = z
  .string()
  .trim()
  .toUpperCase()
  .refine((c) => COUNTRY_SET.has(c), { message: 'must be an ISO 3166-1 country code such as KH' });

export const personInput = z.strictObject({
  /** Present when editing an existing person row (so that a disposition update keeps the row). */
  id: z.string().uuid().optional(),
  role: z.enum(PERSON_ROLES),
  sex: z.enum(SEXES),
  ageBand: z.enum(AGE_BANDS),
  nationality,
  disposition: z.enum(DISPOSITIONS),
});

export const seizureInput = z.strictObject({
  drug: z.enum(DRUGS),
  quantity: z
    .number({ message: 'must be a number' })
    .positive({ message: 'must be more than 0' })
    .max(1e9, { message: 'is too large' }),
  unit: z.enum(QUANTITY_UNITS),
});

const count = z.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).min(0, { message: 'must be 0 or more' }).max(1_000_000, { message: 'is too large' });
const cash = z.number({ message: 'must be a number' }).min(0, { message: 'must be 0 or more' }).max(1e13, { message: 'is too large' });

export const assetsInput = z.strictObject({
  vehicles: count.default(0),
  motorcycles: count.default(0),
  phones: count.default(0),
  cashKhr: cash.default(0),
  cashUsd: cash.default(0),
  weapons: count.default(0),
});
export type Assets = z.output<typeof assetsInput>;

export function caseInput(today: string) {
  return z
    .strictObject({
      unitReference,
      occurredOn: pastDate(today),
      reportedOn: pastDate(today),
      provinceCode,
      districtCode: districtCode.nullable().optional(),
      communeCode: communeCode.nullable().optional(),
      caseType: z.enum(CASE_TYPES),
      persons: z.array(personInput).max(MAX_PERSONS_PER_CASE, { message: `at most ${MAX_PERSONS_PER_CASE} persons per case` }),
      seizures: z.array(seizureInput).max(MAX_SEIZURES_PER_CASE, { message: `at most ${MAX_SEIZURES_PER_CASE} seizures per case` }),
      assets: assetsInput.default({ vehicles: 0, motorcycles: 0, phones: 0, cashKhr: 0, cashUsd: 0, weapons: 0 }),
    })
    .superRefine((v, ctx) => {
      if (v.reportedOn < v.occurredOn) ctx.addIssue({ code: 'custom', path: ['reportedOn'], message: 'must not be before the date the case occurred' });
      if (v.communeCode && !v.districtCode) ctx.addIssue({ code: 'custom', path: ['districtCode'], message: 'is required when a commune is given' });
      if (v.districtCode && v.communeCode && !v.communeCode.startsWith(v.districtCode))
        ctx.addIssue({ code: 'custom', path: ['communeCode'], message: 'is not in the district' });
    });
}
export type CaseInput = z.output<ReturnType<typeof caseInput>>;
export type PersonInput = z.output<typeof personInput>;
export type SeizureInput = z.output<typeof seizureInput>;

export const voidInput = z.strictObject({
  reason: z.enum(['duplicate', 'entered_in_error', 'not_a_drug_case', 'other'], { message: 'choose a reason' }),
});

/** Khmer digits ០–៩ and Latin digits both accepted in number fields; returns the Latin-digit string. */
export function normaliseDigits(s: string): string {
  return s.replace(/[\u17E0-\u17E9]/g, (d) => String(d.charCodeAt(0) - 0x17e0)).replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}

/** Parse a number typed by a person: Khmer or Latin digits, optional thousands separators (, or space), decimal point. */
export function parseTypedNumber(s: string): number | null {
  const t = normaliseDigits(s).replace(/[\s,\u00a0]/g, '').trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/** A case as the API returns it (server and web share this shape). */
export interface CaseDto extends Omit<CaseInput, 'persons'> {
  id: string;
  organisationId: string;
  organisationName: string;
  persons: (PersonInput & { id: string })[];
  version: number;
  voided: boolean;
  voidReason: string | null;
  voidedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A row of the cases list. */
export interface CaseListItem {
  id: string;
  unitReference: string;
  organisationName: string;
  occurredOn: string;
  provinceCode: string;
  caseType: string;
  persons: number;
  voided: boolean;
}
