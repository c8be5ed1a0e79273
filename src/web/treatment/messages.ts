/**
 * The treatment API's and schemas' messages as catalogue keys (treatment.validation.*). Messages that mean something
 * else in this pillar than elsewhere ("is already taken" for a centre name) are read here first; everything else goes
 * to the shared mapping (src/web/i18n/messages.ts).
 */
import type { ZodError } from 'zod';
import { ApiError } from '../api/client';
import { messageOf, type FieldErrors, type Msg } from '../i18n/messages';

const k = (key: string, opts?: Record<string, unknown>): Msg => ({ key: `treatment.validation.${key}`, opts });

const PATTERNS: [RegExp, (m: RegExpMatchArray) => Msg][] = [
  [/^is required$/, () => ({ key: 'validation.required' })],
  [/^is already taken$/, () => k('nameTaken')],
  [/^must be a number$/, () => k('number')],
  [/^must be a whole number$/, () => k('wholeNumber')],
  [/^must be 0 or more$/, () => k('notNegative')],
  [/^must be at most (\d+)$/, (m) => k('atMost', { n: Number(m[1]) })],
  [/^must be a health organisation$/, () => k('healthOrganisation')],
  [/^must be an active health organisation$/, () => k('activeHealthOrganisation')],
  [/^a centre with admissions cannot be planned$/, () => k('plannedWithAdmissions')],
  [/^clients are still in care here; they must be discharged first$/, () => k('closeWithClients')],
  [/^the range must be at most five years$/, () => k('rangeTooLong')],
  [/^must be the version you loaded$/, () => k('stale')],
  [/^must be a date YYYY-MM-DD$/, () => k('date')],
  [/^must be 2000-01-01 or later$/, () => k('dateTooEarly')],
  [/^must not be in the future$/, () => k('future')],
  [/^does not match the UIC format (\S+)$/, (m) => k('uic', { format: m[1] })],
  [/^is not an open centre of your organisation$/, () => k('notOpenCentre')],
  [/^overlaps a stay of this client in this centre \(admitted (\d{4}-\d{2}-\d{2})\)$/, (m) => k('overlap', { date: m[1] })],
  [/^must be recorded for a voluntary admission$/, () => k('consent')],
  [/^must be true or false$/, () => k('consent')],
  [/^must not repeat the primary drug$/, () => k('repeatPrimary')],
  [/^must not list a drug twice$/, () => k('drugTwice')],
  [/^must list at most (\d+) drugs$/, (m) => k('tooManyDrugs', { n: Number(m[1]) })],
  [/^cannot be never when the route is injecting$/, () => k('injectingNever')],
  [/^must not be before the admission \((\d{4}-\d{2}-\d{2})\)$/, (m) => k('beforeAdmission', { date: m[1] })],
  [/^this stay is already discharged$/, () => k('alreadyDischarged')],
  [/^must not be before from$/, () => ({ key: 'treatment.period.toBeforeFrom' })],
];

export function treatmentMessage(message: string): Msg {
  for (const [re, fn] of PATTERNS) {
    const m = message.match(re);
    if (m) return fn(m);
  }
  return messageOf(message);
}

/**
 * Field errors of a zod result, keyed by the form field (first path segment). A field left empty in `body` (undefined
 * or '') is "required", whatever the schema says about the missing value.
 */
export function zodErrors(err: ZodError, body: Record<string, unknown> = {}): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of err.issues) {
    const key = String(issue.path[0] ?? '_form');
    if (out[key]) continue;
    const empty = issue.path.length === 1 && (body[key] === undefined || body[key] === '');
    out[key] = treatmentMessage(empty ? 'is required' : issue.message);
  }
  return out;
}

/** The API's field errors for the fields a form shows; the others are returned apart (for the form's message). */
export function apiErrors(e: unknown, formFields: readonly string[]): { fields: FieldErrors; other: Msg[] } {
  const fields: FieldErrors = {};
  const other: Msg[] = [];
  if (!(e instanceof ApiError)) return { fields, other };
  for (const f of e.fields) {
    const key = f.path.split('.')[0] || '_form';
    if (formFields.includes(key)) {
      if (!fields[key]) fields[key] = treatmentMessage(f.message);
    } else other.push(treatmentMessage(f.message));
  }
  return { fields, other };
}

/** Is this error a 409 naming `path` (and, when given, with this message)? */
export function conflictAt(e: unknown, path: string, message?: string): boolean {
  return e instanceof ApiError && e.status === 409 && e.fields.some((f) => f.path === path && (message === undefined || f.message === message));
}

