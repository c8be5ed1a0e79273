/** The enforcement pillar's pure parts: campaign dates, the press sentence, the indicators, the import validation. */
import { describe, expect, it } from 'vitest';
import { addDays, campaignDay, campaignWeek, daysBetween, eachDay, isValidDate, periodRange, todayInCambodia } from '../../src/core/dates.js';
import { khmerDigits, pressSummary, type PressFigures } from '../../src/core/press.js';
import { buildEnforcementReport, pressPeriod, type EnforcementInputs } from '../../src/core/indicators/enforcement.js';
import { validateCaseImport, CASE_COLUMNS, caseImportTemplate, formatImportProblem } from '../../src/core/enforcement-import.js';
import { caseInput, normaliseDigits, parseTypedNumber, toKilograms, unitReference } from '../../src/core/enforcement.js';
import { countryName, COUNTRY_SET } from '../../src/core/countries.js';
import { PROVINCES } from '../../src/core/geography.js';

const C = { startDate: '2017-01-01', endDate: null };

describe('dates', () => {
  it('isValidDate, addDays, daysBetween', () => {
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2023-02-29')).toBe(false);
    expect(isValidDate('2024-2-1')).toBe(false);
    expect(isValidDate('2024-02-01T00:00')).toBe(false);
    expect(addDays('2016-12-31', 1)).toBe('2017-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2017-01-01', '2017-01-08')).toBe(7);
    expect(daysBetween('2017-01-08', '2017-01-01')).toBe(-7);
  });

  it('todayInCambodia is UTC+7', () => {
    expect(todayInCambodia(new Date('2024-05-01T16:59:59Z'))).toBe('2024-05-01');
    expect(todayInCambodia(new Date('2024-05-01T17:00:00Z'))).toBe('2024-05-02');
  });

  it('periodRange: day, week, days, range, to_date', () => {
    expect(periodRange(C, { kind: 'day', n: 1 })).toEqual({ from: '2017-01-01', to: '2017-01-01' });
    expect(periodRange(C, { kind: 'day', n: 32 })).toEqual({ from: '2017-02-01', to: '2017-02-01' });
    expect(periodRange(C, { kind: 'week', n: 1 })).toEqual({ from: '2017-01-01', to: '2017-01-07' });
    expect(periodRange(C, { kind: 'week', n: 3 })).toEqual({ from: '2017-01-15', to: '2017-01-21' });
    expect(periodRange(C, { kind: 'days', from: 1, to: 2 })).toEqual({ from: '2017-01-01', to: '2017-01-02' });
    expect(periodRange(C, { kind: 'days', from: 5, to: 5 })).toEqual({ from: '2017-01-05', to: '2017-01-05' });
    expect(periodRange(C, { kind: 'range', from: '2016-12-01', to: '2017-01-31' })).toEqual({ from: '2016-12-01', to: '2017-01-31' });
    // to date: ends today, or at the campaign's end if it ended, never before the start
    expect(periodRange(C, { kind: 'to_date' }, '2017-01-10')).toEqual({ from: '2017-01-01', to: '2017-01-10' });
    expect(periodRange({ ...C, endDate: '2017-06-30' }, { kind: 'to_date' }, '2018-01-01')).toEqual({ from: '2017-01-01', to: '2017-06-30' });
    expect(periodRange({ ...C, endDate: '2017-06-30' }, { kind: 'to_date' }, '2017-03-01')).toEqual({ from: '2017-01-01', to: '2017-03-01' });
    expect(periodRange(C, { kind: 'to_date' }, '2016-12-25')).toEqual({ from: '2017-01-01', to: '2017-01-01' });
  });

  it('campaignDay and campaignWeek: the start date is day 1 of week 1', () => {
    expect(campaignDay(C, '2017-01-01')).toBe(1);
    expect(campaignDay(C, '2017-01-07')).toBe(7);
    expect(campaignDay(C, '2017-01-08')).toBe(8);
    expect(campaignDay(C, '2016-12-31')).toBe(0);
    expect(campaignDay(C, '2016-12-30')).toBe(-1);
    expect(campaignWeek(C, '2017-01-01')).toBe(1);
    expect(campaignWeek(C, '2017-01-07')).toBe(1);
    expect(campaignWeek(C, '2017-01-08')).toBe(2);
    expect(campaignWeek(C, '2017-01-14')).toBe(2);
    expect(campaignWeek(C, '2017-01-15')).toBe(3);
    // across a leap day and a year end
    expect(campaignDay({ startDate: '2024-02-28', endDate: null }, '2024-03-01')).toBe(3);
    expect(campaignDay({ startDate: '2023-12-30', endDate: null }, '2024-01-02')).toBe(4);
    // a day and its week agree with periodRange
    for (let n = 1; n <= 30; n++) {
      const { from, to } = periodRange(C, { kind: 'week', n });
      expect(campaignWeek(C, from)).toBe(n);
      expect(campaignWeek(C, to)).toBe(n);
      expect(campaignDay(C, periodRange(C, { kind: 'day', n }).from)).toBe(n);
    }
  });

  it('eachDay lists every date in order, inclusive; an inverted range is empty', () => {
    expect(eachDay({ from: '2017-01-01', to: '2017-01-07' })).toEqual(['2017-01-01', '2017-01-02', '2017-01-03', '2017-01-04', '2017-01-05', '2017-01-06', '2017-01-07']);
    expect(eachDay({ from: '2024-02-28', to: '2024-03-01' })).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(eachDay({ from: '2017-01-01', to: '2017-01-01' })).toEqual(['2017-01-01']);
    expect(eachDay({ from: '2017-01-02', to: '2017-01-01' })).toEqual([]);
    expect(eachDay({ from: '2017-01-01', to: '2017-12-31' })).toHaveLength(365);
  });
});

describe('the press sentence', () => {
  const week: PressFigures = { cases: 261, persons: 652, traffickers: 371, users: 281, others: 0 };

  it('first days: the sentence of the news report, in English and Khmer', () => {
    expect(pressSummary(week, { kind: 'first_days', days: 7 }, 'en')).toBe(
      'In the first 7 days of the campaign, 261 cases led to the arrest of 652 people: 371 suspected traffickers and 281 alleged users.',
    );
    const km = pressSummary(week, { kind: 'first_days', days: 7 }, 'km');
    expect(km).toBe('ក្នុងរយៈពេល ៧ ថ្ងៃដំបូងនៃយុទ្ធនាការ ករណីចំនួន ២៦១ បាននាំឱ្យមានការចាប់ខ្លួនមនុស្សចំនួន ៦៥២ នាក់៖ ជនសង្ស័យជួញដូរគ្រឿងញៀនចំនួន ៣៧១ នាក់ និងអ្នកប្រើប្រាស់គ្រឿងញៀនចំនួន ២៨១ នាក់។');
    expect(km).not.toMatch(/[0-9]/);
  });

  it('every period kind', () => {
    const f = { cases: 10, persons: 20, traffickers: 12, users: 8, others: 0 };
    const tail = '10 cases led to the arrest of 20 people: 12 suspected traffickers and 8 alleged users.';
    expect(pressSummary(f, { kind: 'first_days', days: 1 }, 'en')).toBe(`On the first day of the campaign, ${tail}`);
    expect(pressSummary(f, { kind: 'day', n: 3 }, 'en')).toBe(`On day 3 of the campaign, ${tail}`);
    expect(pressSummary(f, { kind: 'week', n: 2, fromDay: 8, toDay: 14 }, 'en')).toBe(`In week 2 of the campaign (days 8–14), ${tail}`);
    expect(pressSummary(f, { kind: 'days', fromDay: 3, toDay: 9 }, 'en')).toBe(`From day 3 to day 9 of the campaign, ${tail}`);
    expect(pressSummary(f, { kind: 'to_date', days: 45 }, 'en')).toBe(`In the 45 days of the campaign to date, ${tail}`);
    expect(pressSummary(f, { kind: 'range', from: '2017-01-01', to: '2017-01-31' }, 'en')).toBe(`From 2017-01-01 to 2017-01-31, ${tail}`);
    expect(pressSummary(f, { kind: 'range', from: '2017-01-05', to: '2017-01-05' }, 'en')).toBe(`On 2017-01-05, ${tail}`);
    expect(pressSummary(f, { kind: 'first_days', days: 1 }, 'km')).toMatch(/^នៅថ្ងៃដំបូងនៃយុទ្ធនាការ /);
    expect(pressSummary(f, { kind: 'day', n: 3 }, 'km')).toMatch(/^នៅថ្ងៃទី ៣ នៃយុទ្ធនាការ /);
    expect(pressSummary(f, { kind: 'week', n: 2, fromDay: 8, toDay: 14 }, 'km')).toMatch(/^ក្នុងសប្តាហ៍ទី ២ នៃយុទ្ធនាការ \(ថ្ងៃទី ៨–១៤\) /);
    expect(pressSummary(f, { kind: 'days', fromDay: 3, toDay: 9 }, 'km')).toMatch(/^ពីថ្ងៃទី ៣ ដល់ថ្ងៃទី ៩ នៃយុទ្ធនាការ /);
    expect(pressSummary(f, { kind: 'to_date', days: 45 }, 'km')).toContain('៤៥');
    expect(pressSummary(f, { kind: 'range', from: '2017-01-01', to: '2017-01-31' }, 'km')).toMatch(/^ពីថ្ងៃទី ២០១៧-០១-០១ ដល់ថ្ងៃទី ២០១៧-០១-៣១ /);
    for (const p of [{ kind: 'day', n: 3 }, { kind: 'to_date', days: 45 }, { kind: 'range', from: '2017-01-01', to: '2017-01-31' }] as const) {
      expect(pressSummary(f, p, 'km')).not.toMatch(/[0-9]/);
    }
  });

  it('singular forms, zero, others, thousands separators', () => {
    expect(pressSummary({ cases: 1, persons: 1, traffickers: 1, users: 0, others: 0 }, { kind: 'day', n: 2 }, 'en')).toBe(
      'On day 2 of the campaign, 1 case led to the arrest of 1 person: 1 suspected trafficker and 0 alleged users.',
    );
    expect(pressSummary({ cases: 1, persons: 2, traffickers: 0, users: 1, others: 1 }, { kind: 'day', n: 2 }, 'en')).toBe(
      'On day 2 of the campaign, 1 case led to the arrest of 2 people: 0 suspected traffickers, 1 alleged user and 1 other.',
    );
    expect(pressSummary({ cases: 0, persons: 0, traffickers: 0, users: 0, others: 0 }, { kind: 'first_days', days: 7 }, 'en')).toBe(
      'In the first 7 days of the campaign, 0 cases led to the arrest of 0 people: 0 suspected traffickers and 0 alleged users.',
    );
    expect(pressSummary({ cases: 1234, persons: 5678, traffickers: 2000, users: 3000, others: 678 }, { kind: 'to_date', days: 1000 }, 'en')).toBe(
      'In the 1,000 days of the campaign to date, 1,234 cases led to the arrest of 5,678 people: 2,000 suspected traffickers, 3,000 alleged users and 678 others.',
    );
    const km = pressSummary({ cases: 1234, persons: 5678, traffickers: 2000, users: 3000, others: 678 }, { kind: 'to_date', days: 1000 }, 'km');
    expect(km).toContain('១,២៣៤');
    expect(km).toContain('និងផ្សេងទៀតចំនួន ៦៧៨ នាក់');
  });

  it('khmerDigits', () => {
    expect(khmerDigits(1234567890)).toBe('១២៣៤៥៦៧៨៩០');
    expect(khmerDigits('2017-01-01')).toBe('២០១៧-០១-០១');
  });
});

describe('the report\'s press period', () => {
  it('from the range, the campaign and the hint', () => {
    expect(pressPeriod({ from: '2017-01-01', to: '2017-01-07' }, C, { kind: 'week', n: 1 })).toEqual({ kind: 'first_days', days: 7 });
    expect(pressPeriod({ from: '2017-01-08', to: '2017-01-14' }, C, { kind: 'week', n: 2 })).toEqual({ kind: 'week', n: 2, fromDay: 8, toDay: 14 });
    expect(pressPeriod({ from: '2017-01-03', to: '2017-01-03' }, C, { kind: 'day', n: 3 })).toEqual({ kind: 'day', n: 3 });
    expect(pressPeriod({ from: '2017-01-01', to: '2017-01-01' }, C, { kind: 'day', n: 1 })).toEqual({ kind: 'first_days', days: 1 });
    expect(pressPeriod({ from: '2017-01-03', to: '2017-01-09' }, C)).toEqual({ kind: 'days', fromDay: 3, toDay: 9 });
    expect(pressPeriod({ from: '2017-01-01', to: '2017-02-14' }, C, { kind: 'to_date' })).toEqual({ kind: 'to_date', days: 45 });
    expect(pressPeriod({ from: '2016-12-25', to: '2017-01-07' }, C)).toEqual({ kind: 'range', from: '2016-12-25', to: '2017-01-07' });
    expect(pressPeriod({ from: '2017-01-01', to: '2017-01-07' }, null)).toEqual({ kind: 'range', from: '2017-01-01', to: '2017-01-07' });
  });
});

describe('buildEnforcementReport on a tiny hand-made input', () => {
  const input: EnforcementInputs = {
    range: { from: '2017-01-01', to: '2017-01-03' },
    cases: 3,
    persons: [
      { role: 'suspected_trafficker', sex: 'male', ageBand: '25_34', nationality: 'KH', disposition: 'sent_to_court', n: 2 },
      { role: 'suspected_trafficker', sex: 'female', ageBand: '18_24', nationality: 'VN', disposition: 'pending', n: 1 },
      { role: 'alleged_user', sex: 'male', ageBand: '18_24', nationality: 'KH', disposition: 'referred_treatment_voluntary', n: 3 },
      { role: 'other', sex: 'unknown', ageBand: 'unknown', nationality: 'TH', disposition: 'released', n: 1 },
    ],
    seizures: [
      { drug: 'meth_tablets', unit: 'tablets', quantity: 500, cases: 1 },
      { drug: 'crystal_meth', unit: 'g', quantity: 250, cases: 2 },
      { drug: 'crystal_meth', unit: 'kg', quantity: 1.5, cases: 1 },
      { drug: 'heroin', unit: 'g', quantity: 0.1, cases: 1 },
      { drug: 'precursors', unit: 'l', quantity: 20, cases: 1 },
    ],
    assets: { vehicles: 1, motorcycles: 2, phones: 3, cashKhr: 400000, cashUsd: 100, weapons: 0 },
    daily: [
      { date: '2017-01-01', cases: 2 },
      { date: '2017-01-03', cases: 1 },
    ],
    dailyRoles: [
      { date: '2017-01-01', role: 'suspected_trafficker', n: 3 },
      { date: '2017-01-01', role: 'alleged_user', n: 1 },
      { date: '2017-01-03', role: 'alleged_user', n: 2 },
      { date: '2017-01-03', role: 'other', n: 1 },
    ],
    provinces: [
      { provinceCode: 'KH-12', cases: 2 },
      { provinceCode: 'KH-2', cases: 1 },
    ],
    provinceRoles: [
      { provinceCode: 'KH-12', role: 'suspected_trafficker', sex: 'male', n: 2 },
      { provinceCode: 'KH-12', role: 'suspected_trafficker', sex: 'female', n: 1 },
      { provinceCode: 'KH-12', role: 'alleged_user', sex: 'male', n: 1 },
      { provinceCode: 'KH-2', role: 'alleged_user', sex: 'male', n: 2 },
      { provinceCode: 'KH-2', role: 'other', sex: 'unknown', n: 1 },
    ],
  };
  const r = buildEnforcementReport(input, C, { kind: 'first_days', days: 3 });

  it('totals and breakdowns, with every code listed (zero included)', () => {
    expect(r.totals).toEqual({ cases: 3, persons: 7, female: 1, traffickers: 3, users: 3, others: 1 });
    expect(r.byRole).toEqual([
      { key: 'suspected_trafficker', n: 3 },
      { key: 'alleged_user', n: 3 },
      { key: 'other', n: 1 },
    ]);
    expect(r.bySex).toEqual([
      { key: 'male', n: 5 },
      { key: 'female', n: 1 },
      { key: 'unknown', n: 1 },
    ]);
    expect(r.byAgeBand.map((c) => c.key)).toEqual(['under_15', '15_17', '18_24', '25_34', '35_49', '50_plus', 'unknown']);
    expect(r.byAgeBand.find((c) => c.key === '18_24')!.n).toBe(4);
    expect(r.byAgeBand.find((c) => c.key === 'under_15')!.n).toBe(0);
    expect(r.byDisposition).toEqual([
      { key: 'pending', n: 1 },
      { key: 'educated_released', n: 0 },
      { key: 'sent_to_court', n: 2 },
      { key: 'referred_treatment_voluntary', n: 3 },
      { key: 'referred_treatment_compulsory', n: 0 },
      { key: 'released', n: 1 },
    ]);
    // nationality: most first, then by code
    expect(r.byNationality).toEqual([
      { key: 'KH', n: 5 },
      { key: 'TH', n: 1 },
      { key: 'VN', n: 1 },
    ]);
    expect(r.byRoleSex).toEqual([
      { role: 'suspected_trafficker', male: 2, female: 1, unknown: 0 },
      { role: 'alleged_user', male: 3, female: 0, unknown: 0 },
      { role: 'other', male: 0, female: 0, unknown: 1 },
    ]);
    expect(r.assets).toEqual(input.assets);
  });

  it('kilograms: g → kg, kg as is, tablets and litres → null; kgByDrug sums the mass units only', () => {
    expect(r.seizures).toEqual([
      { drug: 'crystal_meth', unit: 'g', quantity: 250, kg: 0.25, cases: 2 },
      { drug: 'crystal_meth', unit: 'kg', quantity: 1.5, kg: 1.5, cases: 1 },
      { drug: 'meth_tablets', unit: 'tablets', quantity: 500, kg: null, cases: 1 },
      { drug: 'heroin', unit: 'g', quantity: 0.1, kg: 0.0001, cases: 1 },
      { drug: 'precursors', unit: 'l', quantity: 20, kg: null, cases: 1 },
    ]);
    expect(r.kgByDrug).toEqual([
      { drug: 'crystal_meth', kg: 1.75 },
      { drug: 'heroin', kg: 0.0001 },
    ]);
    expect(toKilograms(1, 'plants')).toBeNull();
    expect(toKilograms(1, 'ml')).toBeNull();
    expect(toKilograms(1500, 'g')).toBe(1.5);
  });

  it('every day of the range, zero-filled, with its campaign day', () => {
    expect(r.daily).toEqual([
      { date: '2017-01-01', day: 1, cases: 2, persons: 4, traffickers: 3, users: 1, others: 0 },
      { date: '2017-01-02', day: 2, cases: 0, persons: 0, traffickers: 0, users: 0, others: 0 },
      { date: '2017-01-03', day: 3, cases: 1, persons: 3, traffickers: 0, users: 2, others: 1 },
    ]);
    const noCampaign = buildEnforcementReport(input, null, { kind: 'range', from: '2017-01-01', to: '2017-01-03' });
    expect(noCampaign.daily.map((d) => d.day)).toEqual([null, null, null]);
  });

  it('all 25 provinces, zero-filled, in the order of the reference list', () => {
    expect(r.byProvince).toHaveLength(25);
    expect(r.byProvince.map((p) => p.provinceCode)).toEqual(PROVINCES.map((p) => p.code));
    expect(r.byProvince.find((p) => p.provinceCode === 'KH-12')).toEqual({ provinceCode: 'KH-12', cases: 2, persons: 4, traffickers: 3, users: 1, others: 0, female: 1 });
    expect(r.byProvince.find((p) => p.provinceCode === 'KH-2')).toEqual({ provinceCode: 'KH-2', cases: 1, persons: 3, traffickers: 0, users: 2, others: 1, female: 0 });
    const zero = r.byProvince.filter((p) => !['KH-12', 'KH-2'].includes(p.provinceCode));
    expect(zero).toHaveLength(23);
    for (const p of zero) expect(p).toEqual({ provinceCode: p.provinceCode, cases: 0, persons: 0, traffickers: 0, users: 0, others: 0, female: 0 });
  });

  it('the press sentence is built from the same totals', () => {
    expect(r.press.en).toBe('In the first 3 days of the campaign, 3 cases led to the arrest of 7 people: 3 suspected traffickers, 3 alleged users and 1 other.');
    expect(r.press.km).toContain('៧ នាក់');
  });

  it('an empty input gives zeros everywhere, not gaps', () => {
    const e = buildEnforcementReport(
      { range: { from: '2017-01-01', to: '2017-01-07' }, cases: 0, persons: [], seizures: [], assets: { vehicles: 0, motorcycles: 0, phones: 0, cashKhr: 0, cashUsd: 0, weapons: 0 }, daily: [], dailyRoles: [], provinces: [], provinceRoles: [] },
      C,
      { kind: 'first_days', days: 7 },
    );
    expect(e.totals).toEqual({ cases: 0, persons: 0, female: 0, traffickers: 0, users: 0, others: 0 });
    expect(e.daily).toHaveLength(7);
    expect(e.byProvince).toHaveLength(25);
    expect(e.byNationality).toEqual([]);
    expect(e.seizures).toEqual([]);
    expect(e.kgByDrug).toEqual([]);
  });
});

describe('numbers typed by a person', () => {
  it('parseTypedNumber: Khmer or Latin digits, thousands separators, a decimal point', () => {
    expect(parseTypedNumber('1234')).toBe(1234);
    expect(parseTypedNumber('១២៣៤')).toBe(1234);
    expect(parseTypedNumber('១,២៣៤')).toBe(1234);
    expect(parseTypedNumber('1,500,000')).toBe(1_500_000);
    expect(parseTypedNumber('1 500 000')).toBe(1_500_000);
    expect(parseTypedNumber('1\u00a0500')).toBe(1500);
    expect(parseTypedNumber('១២.៥')).toBe(12.5);
    expect(parseTypedNumber(' 0.25 ')).toBe(0.25);
    expect(parseTypedNumber('٣')).toBe(3);
    for (const bad of ['', ' ', '-1', '1e3', '12.', '.5', 'abc', '1.2.3', '១២a', '+5', 'NaN', 'Infinity']) expect(parseTypedNumber(bad), JSON.stringify(bad)).toBeNull();
  });

  it('normaliseDigits leaves everything but digits alone', () => {
    expect(normaliseDigits('២០១៧-០១-០១')).toBe('2017-01-01');
    expect(normaliseDigits('KH-១២ ភ្នំពេញ')).toBe('KH-12 ភ្នំពេញ');
  });
});

describe('the case schema', () => {
  const today = '2024-06-30';
  const base = {
    unitReference: 'PP-1',
    occurredOn: '2024-06-01',
    reportedOn: '2024-06-01',
    provinceCode: 'KH-12',
    caseType: 'use',
    persons: [{ role: 'alleged_user', sex: 'male', ageBand: '18_24', nationality: 'kh', disposition: 'pending' }],
    seizures: [],
  };
  it('accepts a minimal case, fills the assets with zeros and upper-cases the nationality', () => {
    const r = caseInput(today).parse(base);
    expect(r.assets).toEqual({ vehicles: 0, motorcycles: 0, phones: 0, cashKhr: 0, cashUsd: 0, weapons: 0 });
    expect(r.persons[0].nationality).toBe('KH');
  });
  it('dates are checked against the given today', () => {
    expect(caseInput(today).safeParse({ ...base, occurredOn: today, reportedOn: today }).success).toBe(true);
    const r = caseInput(today).safeParse({ ...base, occurredOn: '2024-07-01', reportedOn: '2024-07-01' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['occurredOn', 'reportedOn']);
  });
  it('a unit reference is a code with a number, never a name', () => {
    for (const ok of ['PP-2017-0001', '12', 'A/12.3_x-4']) expect(unitReference.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['Sok Dara', 'Dara', '-12', 'PP 12', '', 'ក១២', 'x'.repeat(40) + '1']) expect(unitReference.safeParse(bad).success, bad).toBe(false);
  });
  it('countries: ISO codes, names from Intl', () => {
    expect(COUNTRY_SET.has('KH')).toBe(true);
    expect(COUNTRY_SET.has('XX')).toBe(false);
    expect(countryName('KH', 'en')).toBe('Cambodia');
    expect(countryName('VN', 'km')).not.toBe('VN');
  });
});

describe('validateCaseImport on small files', () => {
  const today = '2024-06-30';
  const H = CASE_COLUMNS.join(',');
  const line = (ref: string, extra: Partial<Record<string, string>> = {}) => {
    const d: Record<string, string> = {
      unit_reference: ref,
      occurred_on: '2024-06-01',
      reported_on: '2024-06-01',
      province_code: 'KH-12',
      district_code: '',
      commune_code: '',
      case_type: 'use',
      person_role: 'alleged_user',
      person_sex: 'male',
      person_age_band: '18_24',
      person_nationality: 'KH',
      person_disposition: 'pending',
      vehicles: '',
      motorcycles: '',
      phones: '',
      cash_khr: '',
      cash_usd: '',
      weapons: '',
      ...extra,
    };
    return CASE_COLUMNS.map((c) => d[c]).join(',');
  };

  it('groups the person rows of a case, keeps their order, and attaches seizures', () => {
    const r = validateCaseImport([H, line('A-1'), line('B-1'), line('A-1', { person_role: 'other', person_sex: 'female' })].join('\n'), 'unit_reference,drug,quantity,unit\nA-1,heroin,៣.៥,g\nB-1,ketamine,"1,000",ml\n', today);
    expect(r.problems).toEqual([]);
    expect(r.rows).toBe(3);
    expect(r.cases.map((c) => [c.input.unitReference, c.row, c.input.persons.length])).toEqual([
      ['A-1', 2, 2],
      ['B-1', 3, 1],
    ]);
    expect(r.cases[0].input.persons[1]).toMatchObject({ role: 'other', sex: 'female' });
    expect(r.cases[0].input.seizures).toEqual([{ drug: 'heroin', quantity: 3.5, unit: 'g' }]);
    expect(r.cases[1].input.seizures).toEqual([{ drug: 'ketamine', quantity: 1000, unit: 'ml' }]);
  });

  it('Khmer digits in dates and assets are normalised', () => {
    const r = validateCaseImport([H, line('K-1', { occurred_on: '២០២៤-០៦-០១', reported_on: '២០២៤-០៦-០២', phones: '៣', cash_usd: '"១,២០០"' })].join('\n'), undefined, today);
    expect(r.problems).toEqual([]);
    expect(r.cases[0].input).toMatchObject({ occurredOn: '2024-06-01', reportedOn: '2024-06-02', assets: { phones: 3, cashUsd: 1200 } });
  });

  it('problems carry the spreadsheet row and the column, and any problem empties the result', () => {
    const r = validateCaseImport([H, line('A-1'), line('A-2', { occurred_on: '2024-07-01', reported_on: '2024-07-01' }), line('A-3', { person_nationality: 'XX' })].join('\n'), undefined, today);
    expect(r.cases).toEqual([]);
    expect(r.problems.map(formatImportProblem)).toEqual([
      'row 3, occurred_on: must not be in the future',
      'row 3, reported_on: must not be in the future',
      'row 4, person_nationality: must be an ISO 3166-1 country code such as KH',
    ]);
    expect(formatImportProblem({ file: 'seizures', row: 5, column: 'drug', message: 'x' })).toBe('seizures row 5, drug: x');
    expect(formatImportProblem({ file: 'cases', row: 0, column: 'file', message: 'has no data rows' })).toBe('file: has no data rows');
  });

  it('a quoted cell spanning two lines is still one spreadsheet row', () => {
    const r = validateCaseImport([H, line('A-1'), line('A-2', { case_type: '"use\nor not"' }), line('A-3', { person_sex: 'x' })].join('\n'), undefined, today);
    expect(r.problems.map((p) => `${p.row} ${p.column}`)).toEqual(['3 case_type', '4 person_sex']);
  });

  it('the template has the import\'s columns', () => {
    const tpl = caseImportTemplate();
    expect(tpl.cases.split(/\r?\n/)[0]).toBe(H);
    expect(validateCaseImport(tpl.cases, tpl.seizures, '2030-01-01').problems).toEqual([]);
  });
});
