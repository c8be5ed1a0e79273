/**
 * Turning validation and API messages into catalogue text. The shared zod schemas and the API speak English;
 * known messages are mapped to catalogue keys, unknown ones are shown as they are (they are still precise).
 * Messages are kept as `Msg` (a key, or raw text) and translated at render time, so that switching the
 * language also switches the errors already on screen.
 */
import type { TFunction } from 'i18next';
import type { ZodError } from 'zod';
import { ApiError } from '../api/client';
import type { FieldError } from '../api/types';

export type Msg = { key: string; opts?: Record<string, unknown> } | { raw: string };

const k = (key: string, opts?: Record<string, unknown>): Msg => ({ key, opts });

const PATTERNS: [RegExp, (m: RegExpMatchArray) => Msg][] = [
  [/^is required$/, () => k('validation.required')],
  [/^must be at least (\d+) characters?$/, (m) => k('validation.minChars', { n: Number(m[1]) })],
  [/^must be at most (\d+) characters?$/, (m) => k('validation.maxChars', { n: Number(m[1]) })],
  [/^use lower-case letters, digits, dot, dash or underscore$/, () => k('validation.usernameChars')],
  [/^must differ from the current password$/, () => k('validation.differ')],
  [/^must not contain < > or control characters$/, () => k('validation.noMarkup')],
  [/^is not a kind of the \w+ sector$/, () => k('validation.kindNotInSector')],
  [/^is required when a commune is given$/, () => k('validation.districtRequired')],
  [/^is not in the district$/, () => k('validation.communeNotInDistrict')],
  [/^is not in the province$/, () => k('validation.districtNotInProvince')],
  [/^is not a known district$/, () => k('validation.unknownDistrict')],
  [/^is not a known commune$/, () => k('validation.unknownCommune')],
  [/^is not your current password$/, () => k('validation.notCurrentPassword')],
  [/^is already taken$/, () => k('validation.usernameTaken')],
  [/^is not a known organisation$/, () => k('validation.unknownOrganisation')],
  [/^the organisation is closed$/, () => k('validation.organisationClosed')],
  [/^must be an id$/, () => k('validation.mustBeId')],
  [/^must be written in Khmer script$/, () => k('validation.khmerScript')],
  [/^a \w+ account belongs to a .* organisation, not \w+$/, () => k('validation.roleNotFitting')],
  [/^Invalid (option|input)/, () => k('validation.invalidChoice')],
  [/^must be a (province|4-digit district|6-digit commune) code/, () => k('validation.invalidChoice')],
];

export function messageOf(message: string): Msg {
  for (const [re, fn] of PATTERNS) {
    const m = message.match(re);
    if (m) return fn(m);
  }
  return { raw: message };
}

export function show(t: TFunction, m: Msg | null | undefined): string | undefined {
  if (!m) return undefined;
  return 'key' in m ? t(m.key, m.opts) : m.raw;
}

/** Field errors keyed by the first path segment (the form field). */
export type FieldErrors = Record<string, Msg>;

export function zodFieldErrors(err: ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of err.issues) {
    const key = String(issue.path[0] ?? '_form');
    if (out[key]) continue;
    const raw = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    out[key] = messageOf(raw);
  }
  return out;
}

/** The API's field errors for the fields a form shows (others are left to the form's general message). */
export function apiFieldErrors(e: unknown, formFields: readonly string[]): FieldErrors {
  const out: FieldErrors = {};
  if (!(e instanceof ApiError)) return out;
  for (const f of e.fields as FieldError[]) {
    const key = f.path.split('.')[0] || '_form';
    if (formFields.includes(key) && !out[key]) out[key] = messageOf(f.message);
  }
  return out;
}

const CODE_KEYS: Record<string, string> = {
  network: 'errors.network',
  bad_credentials: 'auth.badCredentials',
  locked: 'auth.locked',
  rate_limited: 'auth.rateLimited',
  disabled: 'auth.disabled',
  unauthorized: 'auth.sessionExpired',
  forbidden: 'errors.forbidden',
  password_change_required: 'errors.passwordChangeRequired',
  csrf: 'errors.csrf',
  not_found: 'errors.notFound',
  conflict: 'errors.conflict',
  too_large: 'errors.tooLarge',
  invalid_input: 'errors.invalid',
  internal: 'errors.internal',
};

/** A sentence for an error that is not attached to one field (a translated generic message per API code). */
export function errorMsg(e: unknown): Msg {
  if (!(e instanceof ApiError)) return k('errors.generic');
  const key = CODE_KEYS[e.code] ?? (e.status === 429 ? 'auth.rateLimited' : 'errors.generic');
  return k(key);
}

/** Translated text for an error, now (for places that render immediately). */
export function errorText(t: TFunction, e: unknown): string {
  return show(t, errorMsg(e))!;
}

/** The field messages of an API error, translated, as one sentence. */
export function fieldsText(t: TFunction, e: unknown): string {
  if (!(e instanceof ApiError)) return '';
  return e.fields.map((f) => `${f.path}: ${show(t, messageOf(f.message))}`).join(' ');
}
