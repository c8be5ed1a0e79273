/**
 * Synthetic enforcement cases that add up exactly to the figures of the news report in ../shared/seed/
 * ("over the first seven days ... 261 cases resulted in the arrest of 652 people, including 371 suspected drug
 * traffickers and 281 alleged drug users"; "about 70 people were arrested for drug crimes in Phnom Penh over the
 * first weekend"). Deterministic (seeded PRNG): the same call gives the same cases. Used by the demo dataset and the
 * tests; written out as the import CSV so that it goes through the same path as a unit's upload.
 */
import { addDays } from '../../core/dates.js';
import { AGE_BANDS, type CaseInput, type PersonRole } from '../../core/enforcement.js';
import { CASE_COLUMNS, SEIZURE_COLUMNS } from '../../core/enforcement-import.js';
import { toCsv } from '../../core/csv.js';
import { PROVINCES } from '../../core/geography.js';
import { prng } from './random.js';

export const SEED_WEEK = { cases: 261, persons: 652, traffickers: 371, users: 281, days: 7, phnomPenhFirstWeekend: 70 } as const;


/** Split `total` into `parts` positive integers (each ≥ 1), randomly but deterministically. */
function split(total: number, parts: number, rnd: () => number): number[] {
  const out = new Array(parts).fill(1);
  for (let left = total - parts; left > 0; left--) out[Math.floor(rnd() * parts)]++;
  return out;
}

/**
 * The first week of a campaign starting on `startDate` (its first day and the next one form "the first weekend":
 * 70 people are arrested in Phnom Penh on those two days).
 */
export function seedFirstWeek(startDate: string, referencePrefix = 'SEED'): CaseInput[] {
  const rnd = prng(20170101);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const casesPerDay = split(SEED_WEEK.cases, SEED_WEEK.days, rnd).map((n) => n); // 261 over 7 days
  // Phnom Penh on days 1–2: 24 cases, 70 persons.
  const ppCases = 24;
  const ppSizes = split(SEED_WEEK.phnomPenhFirstWeekend, ppCases, rnd);
  const restCases = SEED_WEEK.cases - ppCases;
  const restSizes = split(SEED_WEEK.persons - SEED_WEEK.phnomPenhFirstWeekend, restCases, rnd);
  // Roles: exactly 371 traffickers and 281 users, shuffled.
  const roles: PersonRole[] = [...Array(SEED_WEEK.traffickers).fill('suspected_trafficker'), ...Array(SEED_WEEK.users).fill('alleged_user')];
  for (let i = roles.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [roles[i], roles[j]] = [roles[j], roles[i]];
  }
  let roleAt = 0;
  const others = PROVINCES.filter((p) => p.code !== 'KH-12').map((p) => p.code);
  const cases: CaseInput[] = [];
  let ppLeft = ppCases;
  let restAt = 0;
  for (let day = 1; day <= SEED_WEEK.days; day++) {
    // PP's first-weekend cases are spread over days 1 and 2; day 1 and 2 must have room for them.
    const ppToday = day === 1 ? Math.min(ppLeft, 14) : day === 2 ? ppLeft : 0;
    const n = Math.max(casesPerDay[day - 1], ppToday);
    for (let k = 0; k < n && cases.length < SEED_WEEK.cases; k++) {
      const isPP = k < ppToday;
      const size = isPP ? ppSizes[ppCases - ppLeft] : restSizes[restAt++];
      if (isPP) ppLeft--;
      if (size === undefined) break;
      const date = addDays(startDate, day - 1);
      const persons = Array.from({ length: size }, () => {
        const role = roles[roleAt++];
        return {
          role,
          sex: rnd() < 0.14 ? ('female' as const) : ('male' as const),
          ageBand: pick(AGE_BANDS.filter((a) => a !== 'under_15')),
          nationality: rnd() < 0.93 ? 'KH' : pick(['VN', 'TH', 'CN', 'LA']),
          disposition:
            role === 'alleged_user'
              ? pick(['educated_released', 'referred_treatment_compulsory', 'referred_treatment_voluntary', 'pending'] as const)
              : pick(['sent_to_court', 'sent_to_court', 'pending'] as const),
        };
      });
      const trafficking = persons.some((p) => p.role === 'suspected_trafficker');
      cases.push({
        unitReference: `${referencePrefix}-${String(cases.length + 1).padStart(4, '0')}`,
        occurredOn: date,
        reportedOn: date,
        provinceCode: isPP ? 'KH-12' : day > 2 && rnd() < 0.25 ? 'KH-12' : pick(others),
        districtCode: null,
        communeCode: null,
        caseType: trafficking ? 'trafficking' : 'use',
        persons,
        seizures: trafficking
          ? [{ drug: pick(['crystal_meth', 'meth_tablets', 'heroin'] as const), quantity: Math.round(rnd() * 5000) / 100 + 0.5, unit: 'g' as const }]
          : rnd() < 0.5
            ? [{ drug: 'meth_tablets' as const, quantity: 1 + Math.floor(rnd() * 20), unit: 'tablets' as const }]
            : [],
        assets: { vehicles: 0, motorcycles: rnd() < 0.3 ? 1 : 0, phones: Math.floor(rnd() * 3), cashKhr: Math.floor(rnd() * 50) * 10000, cashUsd: Math.floor(rnd() * 5) * 20, weapons: 0 },
      });
    }
  }
  const persons = cases.reduce((n, c) => n + c.persons.length, 0);
  if (cases.length !== SEED_WEEK.cases || persons !== SEED_WEEK.persons) throw new Error(`seed does not add up: ${cases.length} cases, ${persons} persons`);
  return cases;
}

/** The cases as the two import files. */
export function casesToCsv(cases: CaseInput[]): { cases: string; seizures: string } {
  const rows: unknown[][] = [];
  for (const c of cases) {
    const base = [c.unitReference, c.occurredOn, c.reportedOn, c.provinceCode, c.districtCode ?? '', c.communeCode ?? '', c.caseType];
    const a = c.assets;
    const assets = [a.vehicles, a.motorcycles, a.phones, a.cashKhr, a.cashUsd, a.weapons];
    if (c.persons.length === 0) rows.push([...base, '', '', '', '', '', ...assets]);
    c.persons.forEach((p, i) => rows.push([...base, p.role, p.sex, p.ageBand, p.nationality, p.disposition, ...(i === 0 ? assets : ['', '', '', '', '', ''])]));
  }
  const seizures = cases.flatMap((c) => c.seizures.map((s) => [c.unitReference, s.drug, s.quantity, s.unit]));
  return { cases: toCsv([...CASE_COLUMNS], rows), seizures: toCsv([...SEIZURE_COLUMNS], seizures) };
}
