/**
 * The education pillar (BRIEF "Education", issue 5): prevention sessions. A session is counted, never its
 * participants named: participants are numbers by sex and age band. Codes and strict Zod schemas shared by the
 * server and the web form (docs/treatment-api.md).
 */
import { z } from 'zod';
import { AGE_BANDS, pastDate, SEXES } from './enforcement.js';
import { checkPlace, districtCode, provinceCode } from './schemas.js';
import { VOID_REASONS, type VoidReason } from './treatment.js';

export const SESSION_SETTINGS = ['school', 'community', 'workplace', 'prison', 'online'] as const;
export const SESSION_TOPICS = ['drug_risks', 'hiv_hepatitis', 'family_support', 'life_skills', 'law_and_rights', 'services', 'other'] as const;
export const PARTICIPANT_SEXES = SEXES;
export const PARTICIPANT_AGE_BANDS = AGE_BANDS;
export const MAX_PARTICIPANTS_PER_CELL = 100_000;

export type SessionSetting = (typeof SESSION_SETTINGS)[number];
export type SessionTopic = (typeof SESSION_TOPICS)[number];
export type ParticipantSex = (typeof PARTICIPANT_SEXES)[number];
export type ParticipantAgeBand = (typeof PARTICIPANT_AGE_BANDS)[number];

const count = z
  .number({ message: 'must be a number' })
  .int({ message: 'must be a whole number' })
  .min(0, { message: 'must be 0 or more' })
  .max(MAX_PARTICIPANTS_PER_CELL, { message: `must be at most ${MAX_PARTICIPANTS_PER_CELL}` });

/** Participants: sex → age band → number. Missing cells are 0. */
export const participants = z.partialRecord(z.enum(PARTICIPANT_SEXES), z.partialRecord(z.enum(PARTICIPANT_AGE_BANDS), count));
export type Participants = z.output<typeof participants>;

export function participantTotal(p: Participants): number {
  let n = 0;
  for (const bands of Object.values(p)) for (const v of Object.values(bands ?? {})) n += v ?? 0;
  return n;
}

/** A session; the organisation is the recording officer's own. Built per request (no future dates). */
export function sessionInput(today: string) {
  return z
    .strictObject({
      heldOn: pastDate(today),
      provinceCode,
      districtCode: districtCode.nullable().optional(),
      setting: z.enum(SESSION_SETTINGS),
      topic: z.enum(SESSION_TOPICS),
      participants,
    })
    .superRefine((v, ctx) => {
      checkPlace(v, ctx);
      if (participantTotal(v.participants) === 0) ctx.addIssue({ code: 'custom', path: ['participants'], message: 'must count at least one participant' });
    });
}
export type SessionInput = z.output<ReturnType<typeof sessionInput>>;

/** Voiding a session entered in error: it leaves the list and every figure; it is never deleted. */
export const voidSessionInput = z.strictObject({ reason: z.enum(VOID_REASONS, { message: 'choose a reason' }) });
export type VoidSessionInput = z.output<typeof voidSessionInput>;

export interface SessionDto {
  id: string;
  organisationId: string;
  organisationName: string;
  heldOn: string;
  provinceCode: string;
  districtCode: string | null;
  setting: SessionSetting;
  topic: SessionTopic;
  participants: Participants;
  total: number;
  /** When and why the session was voided; a voided session is in no list and no figure. */
  voidedAt: string | null;
  voidReason: VoidReason | null;
  createdAt: string;
}
