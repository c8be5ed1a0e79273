/**
 * Outreach form logic as pure functions: drafts (what the forms hold, never a name), validation with catalogue
 * keys, and the records the outbox keeps (exactly the contract's shapes). The name parts typed to compute a UIC
 * are not in any draft: they live in the UIC helper's own component state only (UicHelper.tsx).
 */
import { todayInCambodia } from '../../core/dates';
import { uicPattern } from '../../core/uic';
import type { Drug } from '../../core/enforcement';
import {
  NEEDLE_SIZES,
  SYRINGE_SIZES,
  type ClientRecord,
  type ClientSex,
  type ContactRecord,
  type DrugRoute,
  type NeedleSize,
  type PushRecord,
  type ReferralTarget,
  type Setting,
  type SyringeSize,
  type TestResult,
} from '../offline/types';

const KHMER_ZERO = 0x17e0;

/** Khmer digits (០–៩) to Latin ones; everything else unchanged. */
export function latinDigits(s: string): string {
  return s.replace(/[\u17E0-\u17E9]/g, (d) => String(d.charCodeAt(0) - KHMER_ZERO));
}

/** A count typed with Khmer or Latin digits: a whole number ≥ 0, '' → 0, anything else → null. */
export function parseCount(s: string): number | null {
  const t = latinDigits(s).replace(/[\s,]/g, '');
  if (t === '') return 0;
  if (!/^\d{1,6}$/.test(t)) return null;
  return Number(t);
}

export const MAX_COUNT = 10_000;

export interface BirthParts {
  /** Typed with Khmer or Latin digits; '' when unknown. */
  year: string;
  /** 1–12, or '' when unknown. */
  month: string;
  day: string;
}

export function birthYearOf(b: BirthParts): number | null {
  const y = parseCount(b.year);
  return y && y > 0 ? y : null;
}

export interface ClientDraft {
  sex: ClientSex | '';
  birth: BirthParts;
  drugs: Drug[];
  route: DrugRoute;
  firstContactOn: string;
}

export function newClientDraft(today: string = todayInCambodia()): ClientDraft {
  return { sex: '', birth: { year: '', month: '', day: '' }, drugs: [], route: 'unknown', firstContactOn: today };
}

export type Errors = Record<string, string>;

export function validateClient(d: ClientDraft, uic: string, format: string, today: string = todayInCambodia()): Errors {
  const e: Errors = {};
  const thisYear = Number(today.slice(0, 4));
  if (!d.sex) e.sex = 'outreach.errors.sexRequired';
  if (d.birth.year.trim() !== '') {
    const y = parseCount(d.birth.year);
    if (y === null || y < 1900 || y > thisYear) e.birthYear = 'outreach.errors.birthYear';
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.firstContactOn) || d.firstContactOn > today) e.firstContactOn = 'outreach.errors.firstContactOn';
  if (!uicPattern(format).test(uic)) e.uic = 'outreach.errors.uicInvalid';
  return e;
}

/** The client record (contract shape): UIC, sex, birth year, first contact, drugs, route — nothing else. */
export function buildClient(d: ClientDraft, uic: string, id: string): ClientRecord {
  return {
    id,
    uic,
    sex: d.sex as ClientSex,
    birthYear: birthYearOf(d.birth),
    firstContactOn: d.firstContactOn,
    drugs: [...d.drugs],
    route: d.route,
    status: 'active',
  };
}

export interface ReferralDraft {
  id: string;
  target: ReferralTarget | '';
}

export interface ContactDraft {
  clientId: string | null;
  /** 'YYYY-MM-DDTHH:mm' local time (Cambodia). */
  at: string;
  setting: Setting;
  hotspotId: string;
  needles: Record<NeedleSize, string>;
  syringes: Record<SyringeSize, string>;
  returned: string;
  condoms: string;
  naloxone: string;
  hivTest: TestResult;
  hcvTest: TestResult;
  counselling: boolean;
  woundCare: boolean;
  referrals: ReferralDraft[];
}

/** Now in Cambodia (UTC+7) as a datetime-local value. */
export function nowLocal(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 16);
}

/** A datetime-local value in Cambodia → ISO timestamp. */
export function localToIso(local: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return null;
  const ms = Date.parse(`${local}:00+07:00`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, ''])) as Record<K, string>;

export function newContactDraft(opts: { clientId: string | null; setting?: Setting; hotspotId?: string; now?: Date }): ContactDraft {
  return {
    clientId: opts.clientId,
    at: nowLocal(opts.now),
    setting: opts.setting ?? 'hotspot',
    hotspotId: opts.hotspotId ?? '',
    needles: zeros(NEEDLE_SIZES),
    syringes: zeros(SYRINGE_SIZES),
    returned: '',
    condoms: '',
    naloxone: '',
    hivTest: 'not_done',
    hcvTest: 'not_done',
    counselling: false,
    woundCare: false,
    referrals: [],
  };
}

export function validateContact(d: ContactDraft, now: Date = new Date()): Errors {
  const e: Errors = {};
  const at = localToIso(d.at);
  if (!at) e.at = 'outreach.errors.at';
  else if (Date.parse(at) > now.getTime() + 5 * 60_000) e.at = 'outreach.errors.atFuture';
  if (d.setting === 'hotspot' && !d.hotspotId) e.hotspotId = 'outreach.errors.hotspotRequired';
  const counts: [string, string][] = [
    ...NEEDLE_SIZES.map((s) => [`needles.${s}`, d.needles[s]] as [string, string]),
    ...SYRINGE_SIZES.map((s) => [`syringes.${s}`, d.syringes[s]] as [string, string]),
    ['returned', d.returned],
    ['condoms', d.condoms],
    ['naloxone', d.naloxone],
  ];
  for (const [k, v] of counts) {
    const n = parseCount(v);
    if (n === null || n > MAX_COUNT) e[k] = 'outreach.errors.count';
  }
  d.referrals.forEach((r, i) => {
    if (!r.target) e[`referrals.${i}`] = 'outreach.errors.referralTarget';
  });
  return e;
}

function countMap<K extends string>(keys: readonly K[], v: Record<K, string>): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const k of keys) {
    const n = parseCount(v[k]) ?? 0;
    if (n > 0) out[k] = n;
  }
  return out;
}

export function buildContact(d: ContactDraft, id: string): ContactRecord {
  return {
    id,
    clientId: d.clientId,
    at: localToIso(d.at)!,
    setting: d.setting,
    hotspotId: d.setting === 'hotspot' ? d.hotspotId || null : null,
    needles: countMap(NEEDLE_SIZES, d.needles),
    syringes: countMap(SYRINGE_SIZES, d.syringes),
    returned: parseCount(d.returned) ?? 0,
    condoms: parseCount(d.condoms) ?? 0,
    naloxone: parseCount(d.naloxone) ?? 0,
    hivTest: d.hivTest,
    hcvTest: d.hcvTest,
    counselling: d.counselling,
    woundCare: d.woundCare,
    referrals: d.referrals.filter((r) => r.target).map((r) => ({ id: r.id, target: r.target as ReferralTarget, outcome: 'pending' as const, outcomeOn: null })),
  };
}

/** A stored contact back into a draft (to fix a rejected one; the id is kept by the caller). */
export function contactToDraft(c: ContactRecord): ContactDraft {
  const str = (n: number | undefined) => (n ? String(n) : '');
  return {
    clientId: c.clientId,
    at: nowLocal(new Date(c.at)),
    setting: c.setting,
    hotspotId: c.hotspotId ?? '',
    needles: Object.fromEntries(NEEDLE_SIZES.map((k) => [k, str(c.needles[k])])) as Record<NeedleSize, string>,
    syringes: Object.fromEntries(SYRINGE_SIZES.map((k) => [k, str(c.syringes[k])])) as Record<SyringeSize, string>,
    returned: str(c.returned),
    condoms: str(c.condoms),
    naloxone: str(c.naloxone),
    hivTest: c.hivTest,
    hcvTest: c.hcvTest,
    counselling: c.counselling,
    woundCare: c.woundCare,
    referrals: c.referrals.map((r) => ({ id: r.id, target: r.target })),
  };
}

export function totalOf(m: Partial<Record<string, number>>): number {
  return Object.values(m).reduce<number>((a, b) => a + (b ?? 0), 0);
}

/** What goes in the outbox for a record: exactly what is pushed. */
export function pushRecord(kind: 'client', r: ClientRecord): PushRecord;
export function pushRecord(kind: 'contact', r: ContactRecord): PushRecord;
export function pushRecord(kind: 'client' | 'contact', r: ClientRecord | ContactRecord): PushRecord {
  return { kind, id: r.id, data: r };
}
