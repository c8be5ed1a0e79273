/**
 * Zod schemas at every boundary, shared by the server routes and the web forms.
 * Every object schema is strict: an unknown field is an error, never stored.
 */
import { z } from 'zod';
import { PROVINCE_CODES } from './geography.js';
import { KINDS_BY_SECTOR, LOCALES, ORG_KINDS, ROLES, SECTORS } from './roles.js';
import { isValidDate, todayInCambodia } from './dates.js';
import { dateBoundsProblem, EARLIEST_DATE } from './periods.js';

export const uuid = z.string().uuid({ message: 'must be an id' });
export const idParams = z.strictObject({ id: uuid });

export const PASSWORD_MIN = 12;
export const password = z
  .string()
  .min(PASSWORD_MIN, { message: `must be at least ${PASSWORD_MIN} characters` })
  .max(200, { message: 'must be at most 200 characters' });

export const username = z
  .string()
  .trim()
  .min(3, { message: 'must be at least 3 characters' })
  .max(64, { message: 'must be at most 64 characters' })
  .regex(/^[a-z0-9._-]+$/, { message: 'use lower-case letters, digits, dot, dash or underscore' });

export const loginBody = z.strictObject({
  username: z.string().trim().toLowerCase().min(1, { message: 'is required' }).max(64),
  password: z.string().min(1, { message: 'is required' }).max(200),
});

export const changePasswordBody = z
  .strictObject({ currentPassword: z.string().min(1, { message: 'is required' }).max(200), newPassword: password })
  .refine((v) => v.currentPassword !== v.newPassword, {
    path: ['newPassword'],
    message: 'must differ from the current password',
  });

export const updateMeBody = z.strictObject({ locale: z.enum(LOCALES) });

// ---------------------------------------------------------------------------------------------------------- dates

export const DATE_MESSAGE = 'must be a date YYYY-MM-DD';
export const EARLIEST_DATE_MESSAGE = `must be ${EARLIEST_DATE} or later`;

/**
 * Why a string is not a date a request may name, or null. Every date in a query, path or body is a real calendar
 * date between 2000-01-01 and today + 1 year (today in Cambodia); with `notAfterToday` (dates of things that have
 * happened) the last one is today. The one check behind `boundedDate` and `pastDate`.
 */
export function dateProblem(s: string, today: string, notAfterToday = false): string | null {
  if (!isValidDate(s)) return DATE_MESSAGE;
  if (s < EARLIEST_DATE) return EARLIEST_DATE_MESSAGE;
  if (notAfterToday) return s > today ? 'must not be in the future' : null;
  return dateBoundsProblem(s, today);
}

function checkedDate(today: () => string, notAfterToday: boolean) {
  return z.string({ message: DATE_MESSAGE }).superRefine((s, ctx) => {
    const problem = dateProblem(s, today(), notAfterToday);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/**
 * A date YYYY-MM-DD between 2000-01-01 and today + 1 year. Today (Cambodia) is read each time a value is parsed, so
 * one schema serves every request; `boundedDateOn(() => today)` fixes it (tests, the web form's clock).
 */
export const boundedDateOn = (today: () => string) => checkedDate(today, false);
export const boundedDate = boundedDateOn(() => todayInCambodia());

/** A date that exists, not before 2000-01-01 and not after `today` (the caller's today, Cambodia time). */
export const pastDate = (today: string) => checkedDate(() => today, true);

/** A moment (ISO 8601 with an offset) whose date in Cambodia is 2000-01-01 or later. */
export const EARLIEST_MOMENT_MS = Date.parse(`${EARLIEST_DATE}T00:00:00+07:00`);

export const provinceCode = z.enum(PROVINCE_CODES, { message: 'must be a province code such as KH-12' });
export const districtCode = z.string().regex(/^\d{4}$/, { message: 'must be a 4-digit district code' });
export const communeCode = z.string().regex(/^\d{6}$/, { message: 'must be a 6-digit commune code' });

/** A plain-text label for an organisation (not a person). Control characters and markup are refused. */
export const label = (max: number) =>
  z
    .string()
    .trim()
    .min(2, { message: 'must be at least 2 characters' })
    .max(max, { message: `must be at most ${max} characters` })
    .refine((s) => !/[<>\u0000-\u001f]/.test(s), { message: 'must not contain < > or control characters' });

const placeFields = {
  provinceCode,
  districtCode: districtCode.nullable().optional(),
  communeCode: communeCode.nullable().optional(),
};

export function checkPlace(v: { provinceCode?: string; districtCode?: string | null; communeCode?: string | null }, ctx: z.RefinementCtx) {
  if (v.communeCode && !v.districtCode) {
    ctx.addIssue({ code: 'custom', path: ['districtCode'], message: 'is required when a commune is given' });
  }
  if (v.districtCode && v.communeCode && !v.communeCode.startsWith(v.districtCode)) {
    ctx.addIssue({ code: 'custom', path: ['communeCode'], message: 'is not in the district' });
  }
}

export const createOrganisationBody = z
  .strictObject({
    name: label(200),
    sector: z.enum(SECTORS),
    kind: z.enum(ORG_KINDS),
    /** The organisation above this one (a provincial police headquarters above its units); same sector. */
    parentId: uuid.nullable().optional(),
    ...placeFields,
  })
  .superRefine((v, ctx) => {
    if (!KINDS_BY_SECTOR[v.sector].includes(v.kind)) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: `is not a kind of the ${v.sector} sector` });
    }
    checkPlace(v, ctx);
  });

export const updateOrganisationBody = z
  .strictObject({
    name: label(200).optional(),
    status: z.enum(['active', 'closed']).optional(),
    parentId: uuid.nullable().optional(),
    provinceCode: provinceCode.optional(),
    districtCode: districtCode.nullable().optional(),
    communeCode: communeCode.nullable().optional(),
  })
  .superRefine(checkPlace);

export const createAccountBody = z.strictObject({
  username,
  role: z.enum(ROLES),
  organisationId: uuid,
});

export const updateAccountBody = z.strictObject({
  role: z.enum(ROLES).optional(),
  disabled: z.boolean().optional(),
});

export const auditQuery = z.strictObject({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const districtsQuery = z.strictObject({ province: provinceCode });
export const communesQuery = z.strictObject({ district: districtCode });
