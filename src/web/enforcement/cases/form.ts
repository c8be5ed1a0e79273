/**
 * The case form's state and logic, kept apart from React so that it can be tested: drafts hold what the clerk
 * typed (strings), `toBody` turns them into the API body (numbers parsed from Khmer or Latin digits), and
 * `validate` runs the very schema the server uses (caseInput) and keys its messages by full path
 * ('persons.0.nationality'). Persons are codes only: there is no free-text field about a person.
 */
import type { ZodError } from 'zod';
import {
  ASSET_FIELDS,
  caseInput,
  parseTypedNumber,
  type AgeBand,
  type CaseInput,
  type CaseType,
  type Disposition,
  type Drug,
  type PersonRole,
  type QuantityUnit,
  type Sex,
} from '../../../core/enforcement';
import { COMMON_NATIONALITIES, COUNTRY_CODES, countryName } from '../../../core/countries';
import { messageOf, type Msg } from '../../i18n/messages';
import type { CaseDto } from './api';

export type AssetField = (typeof ASSET_FIELDS)[number];

export interface PersonDraft {
  /** The person's id when correcting a saved case (kept so that the row stays the same person). */
  id?: string;
  role: PersonRole | '';
  sex: Sex | '';
  ageBand: AgeBand | '';
  nationality: string;
  disposition: Disposition;
}

export interface SeizureDraft {
  drug: Drug | '';
  quantity: string;
  unit: QuantityUnit;
}

export interface CaseDraft {
  unitReference: string;
  occurredOn: string;
  reportedOn: string;
  provinceCode: string;
  districtCode: string;
  communeCode: string;
  caseType: CaseType | '';
  persons: PersonDraft[];
  seizures: SeizureDraft[];
  assets: Record<AssetField, string>;
}

/** The role a new person most likely has in a case of this type (the clerk can change it). */
export function defaultRole(caseType: CaseType | ''): PersonRole | '' {
  if (caseType === 'use') return 'alleged_user';
  if (caseType === 'trafficking' || caseType === 'possession' || caseType === 'cultivation_production') return 'suspected_trafficker';
  return '';
}

/** The unit a quantity of this drug is usually counted in. */
export function defaultUnit(drug: Drug | ''): QuantityUnit {
  if (drug === 'meth_tablets') return 'tablets';
  if (drug === 'cannabis_plants') return 'plants';
  return 'g';
}

export function emptyPerson(caseType: CaseType | ''): PersonDraft {
  return { role: defaultRole(caseType), sex: '', ageBand: '', nationality: 'KH', disposition: 'pending' };
}

/** "Add another like this one": the same codes, but a new person (no id). */
export function copyPerson(p: PersonDraft): PersonDraft {
  return { role: p.role, sex: p.sex, ageBand: p.ageBand, nationality: p.nationality, disposition: p.disposition };
}

export function emptySeizure(): SeizureDraft {
  return { drug: '', quantity: '', unit: 'g' };
}

const NO_ASSETS: Record<AssetField, string> = { vehicles: '', motorcycles: '', phones: '', cashKhr: '', cashUsd: '', weapons: '' };

export function newDraft(today: string, place?: { provinceCode: string; districtCode: string | null; communeCode: string | null } | null): CaseDraft {
  return {
    unitReference: '',
    occurredOn: today,
    reportedOn: today,
    provinceCode: place?.provinceCode ?? '',
    districtCode: place?.districtCode ?? '',
    communeCode: place?.communeCode ?? '',
    caseType: '',
    persons: [emptyPerson('')],
    seizures: [emptySeizure()],
    assets: { ...NO_ASSETS },
  };
}

/** A saved case as a draft, for "Correct this case". */
export function draftOf(c: CaseDto): CaseDraft {
  const assets = { ...NO_ASSETS };
  for (const k of ASSET_FIELDS) assets[k] = c.assets[k] ? String(c.assets[k]) : '';
  return {
    unitReference: c.unitReference,
    occurredOn: c.occurredOn,
    reportedOn: c.reportedOn,
    provinceCode: c.provinceCode,
    districtCode: c.districtCode ?? '',
    communeCode: c.communeCode ?? '',
    caseType: c.caseType,
    persons: c.persons.map((p) => ({ id: p.id, role: p.role, sex: p.sex, ageBand: p.ageBand, nationality: p.nationality, disposition: p.disposition })),
    seizures: c.seizures.map((s) => ({ drug: s.drug, quantity: String(s.quantity), unit: s.unit })),
    assets,
  };
}

/** A number typed in Khmer or Latin digits; an empty field is `undefined`; text that is not a number is kept (the schema refuses it). */
function typed(s: string): number | string | undefined {
  if (!s.trim()) return undefined;
  return parseTypedNumber(s) ?? s;
}

const orUndefined = <T extends string>(s: T | ''): T | undefined => (s === '' ? undefined : s);

/** The request body (before validation): numbers parsed, empty choices left out so that they read "required". */
export function toBody(d: CaseDraft): Record<string, unknown> {
  const assets: Record<string, unknown> = {};
  for (const k of ASSET_FIELDS) {
    const v = typed(d.assets[k]);
    if (v !== undefined) assets[k] = v;
  }
  return {
    unitReference: d.unitReference,
    occurredOn: d.occurredOn,
    reportedOn: d.reportedOn,
    provinceCode: orUndefined(d.provinceCode),
    districtCode: d.districtCode || null,
    communeCode: d.communeCode || null,
    caseType: orUndefined(d.caseType),
    persons: d.persons.map((p) => ({
      ...(p.id ? { id: p.id } : {}),
      role: orUndefined(p.role),
      sex: orUndefined(p.sex),
      ageBand: orUndefined(p.ageBand),
      nationality: p.nationality,
      disposition: p.disposition,
    })),
    seizures: d.seizures.map((s) => ({ drug: orUndefined(s.drug), quantity: typed(s.quantity), unit: s.unit })),
    assets,
  };
}

/** Messages of the case schema and the case API, as catalogue keys (unknown ones fall back to the shared mapping). */
const CASE_MESSAGES: [RegExp, string][] = [
  [/^must contain a number/, 'cases.errors.referenceNeedsNumber'],
  [/^use letters, digits and/, 'cases.errors.referenceChars'],
  [/already has a case with this reference/, 'cases.errors.referenceTaken'],
  [/^must be a date/, 'cases.errors.date'],
  [/^must be 2000-01-01 or later/, 'cases.errors.dateTooOld'],
  [/^must not be in the future/, 'cases.errors.future'],
  [/^must not be before the date the case occurred/, 'cases.errors.reportedBeforeOccurred'],
  [/^must be an ISO 3166-1/, 'cases.errors.nationality'],
  [/^must be a number/, 'cases.errors.number'],
  [/^must be a whole number/, 'cases.errors.wholeNumber'],
  [/^must be more than 0/, 'cases.errors.positive'],
  [/^must be 0 or more/, 'cases.errors.notNegative'],
  [/^is too large/, 'cases.errors.tooLarge'],
  [/^at most \d+ (persons|seizures) per case/, 'cases.errors.tooMany'],
];

export function caseMessage(message: string): Msg {
  for (const [re, key] of CASE_MESSAGES) if (re.test(message)) return { key };
  return messageOf(message);
}

/** Errors by full path ('unitReference', 'persons.0.sex', 'seizures.1.quantity', 'assets.cashKhr'). */
export type PathErrors = Record<string, Msg>;

export function zodPathErrors(err: ZodError): PathErrors {
  const out: PathErrors = {};
  for (const issue of err.issues) {
    const key = issue.path.map(String).join('.') || '_form';
    if (out[key]) continue;
    const raw = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    out[key] = caseMessage(raw);
  }
  return out;
}

export function apiPathErrors(fields: readonly { path: string; message: string }[]): PathErrors {
  const out: PathErrors = {};
  for (const f of fields) if (!out[f.path]) out[f.path] = caseMessage(f.message);
  return out;
}

/** Validate a draft with the server's schema (today = Cambodia's date). */
export function validate(d: CaseDraft, today: string): { ok: true; body: CaseInput } | { ok: false; errors: PathErrors } {
  const r = caseInput(today).safeParse(toBody(d));
  return r.success ? { ok: true, body: r.data } : { ok: false, errors: zodPathErrors(r.error) };
}

/** Nationality choices: Cambodia and its neighbours first, then every other country by name in the reader's language. */
export function nationalityOptions(
  locale: 'en' | 'km',
  /** Names of the common nationalities from the catalogue, for browsers without Khmer locale data. */
  fallback?: (code: string) => string,
): { common: { code: string; name: string }[]; others: { code: string; name: string }[] } {
  const common = COMMON_NATIONALITIES.map((code) => ({ code, name: nationalityName(code, locale, fallback) }));
  const set = new Set<string>(COMMON_NATIONALITIES);
  const others = COUNTRY_CODES.filter((c) => !set.has(c))
    .map((code) => ({ code, name: countryName(code, locale) }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
  return { common, others };
}

/** A country's name in the reader's language; when the browser has no Khmer names, the catalogue's for the common ones. */
export function nationalityName(code: string, locale: 'en' | 'km', fallback?: (code: string) => string): string {
  const name = countryName(code, locale);
  if (locale === 'km' && fallback && (COMMON_NATIONALITIES as readonly string[]).includes(code) && !/[\u1780-\u17FF]/.test(name)) return fallback(code);
  return name;
}
