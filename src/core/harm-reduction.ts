/**
 * Harm reduction records (docs/harm-reduction-api.md): codes and strict Zod schemas shared by the server's sync and
 * the outreach app. No field holds a name, phone number, address or free text about a person; an unknown field is an
 * error, never stored.
 */
import { z } from 'zod';
import { DRUGS } from './enforcement.js';
import { boundedDate, EARLIEST_DATE_MESSAGE, EARLIEST_MOMENT_MS } from './schemas.js';
import { DEFAULT_UIC_FORMAT, uicPattern } from './uic.js';

export const CLIENT_SEXES = ['male', 'female', 'other'] as const;
export const ROUTES = ['smoke', 'inject', 'sniff', 'oral', 'other', 'unknown'] as const;
export const CLIENT_STATUSES = ['active', 'lost_to_follow_up', 'moved', 'died'] as const;
export const SETTINGS = ['drop_in', 'hotspot', 'mobile'] as const;
export const NEEDLE_SIZES = ['23G', '25G', '27G', '29G'] as const;
export const SYRINGE_SIZES = ['1ml', '3ml', '5ml'] as const;
export const TEST_RESULTS = ['not_done', 'negative', 'positive', 'invalid'] as const;
export const REFERRAL_TARGETS = ['ost', 'art', 'tb', 'treatment_centre', 'hcv', 'sti', 'legal_aid', 'other_health'] as const;
export const REFERRAL_OUTCOMES = ['pending', 'completed', 'not_completed'] as const;
export const SYNC_KINDS = ['client', 'contact', 'referral_outcome', 'client_status'] as const;
export const DUPLICATE_DECISIONS = ['merge', 'keep_apart'] as const;

export type ClientSex = (typeof CLIENT_SEXES)[number];
export type DrugRoute = (typeof ROUTES)[number];
export type ClientStatus = (typeof CLIENT_STATUSES)[number];
export type Setting = (typeof SETTINGS)[number];
export type SyncKind = (typeof SYNC_KINDS)[number];

export const DEFAULT_LTFU_DAYS = 90;
export const MAX_PUSH_RECORDS = 1000;
/** Counts on one contact: generous, but a typo of 100000 needles is refused. */
export const MAX_COUNT = 10_000;

const uuid = z.string().uuid({ message: 'must be an id' });
const count = z.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).min(0, { message: 'must be 0 or more' }).max(MAX_COUNT, { message: `must be at most ${MAX_COUNT}` });
/** Dates of records: 2000-01-01 … today + 1 year here (the push refuses a date after today with its own message). */
const date = boundedDate;
/** A contact's moment: its date in Cambodia is 2000-01-01 or later (one after tomorrow is refused by the push). */
const moment = z.iso
  .datetime({ offset: true, message: 'must be a date and time (ISO 8601)' })
  .refine((at) => Date.parse(at) >= EARLIEST_MOMENT_MS, { message: EARLIEST_DATE_MESSAGE });

/** The parts of a client record a device sends (the id is the record's id; `id` inside data, if sent, must match). */
export function clientData(opts: { uicFormat?: string; thisYear: number }) {
  const pattern = uicPattern(opts.uicFormat ?? DEFAULT_UIC_FORMAT);
  return z.strictObject({
    id: uuid.optional(),
    uic: z.string().regex(pattern, { message: `does not match the UIC format ${opts.uicFormat ?? DEFAULT_UIC_FORMAT}` }),
    sex: z.enum(CLIENT_SEXES),
    birthYear: z.number().int({ message: 'must be a whole number' }).min(1900, { message: 'must be 1900 or later' }).max(opts.thisYear, { message: 'must not be in the future' }).nullable(),
    firstContactOn: date,
    drugs: z.array(z.enum(DRUGS)).max(DRUGS.length).refine((d) => new Set(d).size === d.length, { message: 'must not list a drug twice' }),
    route: z.enum(ROUTES),
    status: z.enum(CLIENT_STATUSES).default('active'),
  });
}

export const referralData = z.strictObject({
  id: uuid,
  target: z.enum(REFERRAL_TARGETS),
  outcome: z.enum(REFERRAL_OUTCOMES).default('pending'),
  outcomeOn: date.nullable().default(null),
});

export const contactData = z
  .strictObject({
    id: uuid.optional(),
    clientId: uuid.nullable().default(null),
    at: moment,
    setting: z.enum(SETTINGS),
    hotspotId: uuid.nullable().default(null),
    needles: z.partialRecord(z.enum(NEEDLE_SIZES), count).default({}),
    syringes: z.partialRecord(z.enum(SYRINGE_SIZES), count).default({}),
    returned: count.default(0),
    condoms: count.default(0),
    naloxone: count.default(0),
    hivTest: z.enum(TEST_RESULTS).default('not_done'),
    hcvTest: z.enum(TEST_RESULTS).default('not_done'),
    counselling: z.boolean().default(false),
    woundCare: z.boolean().default(false),
    referrals: z.array(referralData).max(20).default([]),
  })
  .superRefine((v, ctx) => {
    if (v.setting === 'hotspot' && !v.hotspotId) ctx.addIssue({ code: 'custom', path: ['hotspotId'], message: 'is required when the setting is hotspot' });
    if (v.setting !== 'hotspot' && v.hotspotId) ctx.addIssue({ code: 'custom', path: ['hotspotId'], message: 'is only for the hotspot setting' });
    const ids = v.referrals.map((r) => r.id);
    const twice = ids.findIndex((id, i) => ids.indexOf(id) !== i);
    if (twice >= 0) ctx.addIssue({ code: 'custom', path: ['referrals', twice, 'id'], message: 'is given twice' });
  });

export const referralOutcomeData = z.strictObject({
  id: uuid.optional(),
  outcome: z.enum(REFERRAL_OUTCOMES),
  outcomeOn: date.nullable().default(null),
});

export const clientStatusData = z.strictObject({
  id: uuid.optional(),
  status: z.enum(CLIENT_STATUSES),
});

export const hotspotCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{1,20}$/, { message: 'use 1 to 20 letters or digits' })
  .transform((s) => s.toUpperCase());

export type ClientData = z.output<ReturnType<typeof clientData>>;
export type ContactData = z.output<typeof contactData>;

/** Age band of the indicators: under 25 / 25 and over at the date of the contact; unknown without a birth year. */
export function ageBand(birthYear: number | null, onYear: number): '<25' | '25+' | 'unknown' {
  if (birthYear === null) return 'unknown';
  return onYear - birthYear < 25 ? '<25' : '25+';
}

/**
 * A client's status as shown: moved and died as recorded; otherwise lost to follow-up when the last contact (or the
 * first contact when none was recorded) is more than `ltfuDays` days before `today`; else active.
 */
export function effectiveStatus(stored: ClientStatus, lastContactOn: string, today: string, ltfuDays = DEFAULT_LTFU_DAYS): ClientStatus {
  if (stored === 'moved' || stored === 'died') return stored;
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${lastContactOn}T00:00:00Z`)) / 86_400_000);
  return days > ltfuDays ? 'lost_to_follow_up' : 'active';
}
