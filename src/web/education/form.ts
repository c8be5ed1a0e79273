/**
 * The session form's state and logic, apart from React so that it can be tested: the draft holds what the officer
 * typed (strings; Khmer or Latin digits), `toBody` builds the API body, and `validate` runs the very schema the server
 * uses (sessionInput) with its messages keyed by full path ('participants.female.15_17'). Participants are numbers by
 * sex and age band: the form has no field about a person.
 */
import type { ZodError } from 'zod';
import { PARTICIPANT_AGE_BANDS, PARTICIPANT_SEXES, sessionInput, type ParticipantAgeBand, type ParticipantSex, type SessionInput, type SessionSetting, type SessionTopic } from '../../core/education';
import { parseTypedNumber } from '../../core/enforcement';
import { messageOf, type Msg } from '../i18n/messages';

export type CellKey = `${ParticipantSex}.${ParticipantAgeBand}`;
export const cellKey = (sex: ParticipantSex, band: ParticipantAgeBand): CellKey => `${sex}.${band}`;
export const CELLS: readonly CellKey[] = PARTICIPANT_SEXES.flatMap((s) => PARTICIPANT_AGE_BANDS.map((b) => cellKey(s, b)));

export interface SessionDraft {
  heldOn: string;
  provinceCode: string;
  districtCode: string;
  setting: SessionSetting | '';
  topic: SessionTopic | '';
  /** What was typed in each box of the participants grid ('' = none). */
  cells: Record<CellKey, string>;
}

export const emptyCells = (): Record<CellKey, string> => Object.fromEntries(CELLS.map((k) => [k, ''])) as Record<CellKey, string>;

export function newDraft(today: string, provinceCode = ''): SessionDraft {
  return { heldOn: today, provinceCode, districtCode: '', setting: '', topic: '', cells: emptyCells() };
}

/** A box's number (Khmer or Latin digits); '' is undefined; text that is not a number is kept (the schema refuses it). */
function typed(s: string): number | string | undefined {
  if (!s.trim()) return undefined;
  const minus = /^\s*[-\u2212]/.test(s); // a minus sign: the schema answers "must be 0 or more"
  const n = parseTypedNumber(minus ? s.replace(/^\s*[-\u2212]/, '') : s);
  return n === null ? s : minus ? -n : n;
}

/** The request body (before validation): numbers parsed, empty boxes and choices left out. */
export function toBody(d: SessionDraft): Record<string, unknown> {
  const participants: Record<string, Record<string, unknown>> = {};
  for (const sex of PARTICIPANT_SEXES)
    for (const band of PARTICIPANT_AGE_BANDS) {
      const v = typed(d.cells[cellKey(sex, band)]);
      if (v !== undefined) (participants[sex] ??= {})[band] = v;
    }
  return {
    heldOn: d.heldOn,
    provinceCode: d.provinceCode || undefined,
    districtCode: d.districtCode || null,
    setting: d.setting || undefined,
    topic: d.topic || undefined,
    participants,
  };
}

/** The live total: every box that holds a whole number of 0 or more (others are shown as errors on saving). */
export function draftTotal(d: SessionDraft, sex?: ParticipantSex): number {
  let n = 0;
  for (const k of CELLS) {
    if (sex && !k.startsWith(`${sex}.`)) continue;
    const v = typed(d.cells[k]);
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) n += v;
  }
  return n;
}

/** Messages of the session schema and the API, as catalogue keys (unknown ones fall back to the shared mapping). */
const MESSAGES: [RegExp, string][] = [
  [/^must count at least one participant/, 'education.errors.noParticipants'],
  [/^must be a date/, 'education.errors.date'],
  [/^must be 2000-01-01 or later/, 'education.errors.dateTooOld'],
  [/^must not be in the future/, 'education.errors.future'],
  [/^must be a number/, 'education.errors.number'],
  [/^must be a whole number/, 'education.errors.wholeNumber'],
  [/^must be 0 or more/, 'education.errors.notNegative'],
  [/^must be at most \d+$/, 'education.errors.tooLarge'],
  [/^must not be before from/, 'education.errors.toBeforeFrom'],
  [/^the range must be at most five years/, 'education.errors.rangeTooLong'],
];

export function educationMessage(message: string): Msg {
  for (const [re, key] of MESSAGES) if (re.test(message)) return { key };
  return messageOf(message);
}

/** Errors by full path ('heldOn', 'participants', 'participants.male.15_17'). */
export type PathErrors = Record<string, Msg>;

/** The value at a path of the body, to tell a missing field from one of the wrong type. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

export function zodPathErrors(err: ZodError, body?: unknown): PathErrors {
  const out: PathErrors = {};
  for (const issue of err.issues) {
    const key = issue.path.map(String).join('.') || '_form';
    if (out[key]) continue;
    const missing = (issue.code === 'invalid_type' || issue.code === 'invalid_value') && valueAt(body, issue.path) === undefined;
    out[key] = educationMessage(missing ? 'is required' : issue.message);
  }
  return out;
}

export function apiPathErrors(fields: readonly { path: string; message: string }[]): PathErrors {
  const out: PathErrors = {};
  for (const f of fields) if (!out[f.path]) out[f.path] = educationMessage(f.message);
  return out;
}

/** The paths the form shows at a field (others go to the general message). */
export function isFormPath(path: string): boolean {
  return /^(heldOn|provinceCode|districtCode|setting|topic|participants(\.(male|female|unknown)(\.\w+)?)?)$/.test(path);
}

/** Validate a draft with the server's schema (today = Cambodia's date). */
export function validate(d: SessionDraft, today: string): { ok: true; body: SessionInput } | { ok: false; errors: PathErrors } {
  const body = toBody(d);
  const r = sessionInput(today).safeParse(body);
  if (r.success) return { ok: true, body: r.data };
  const errors = zodPathErrors(r.error, body);
  // The schema checks the whole session only once its fields are valid: tell about an empty grid at once.
  if (!errors.participants && draftTotal(d) === 0) errors.participants = { key: 'education.errors.noParticipants' };
  return { ok: false, errors };
}
