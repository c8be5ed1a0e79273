/** The committee's press sentence, in English and Khmer, from the same figures. Pure. */
import type { Locale } from './roles.js';

export interface PressFigures {
  cases: number;
  persons: number;
  traffickers: number;
  users: number;
  others: number;
}

/** How the period reads in a sentence. */
export type PressPeriod =
  | { kind: 'first_days'; days: number } // days 1..N of the campaign
  | { kind: 'day'; n: number }
  | { kind: 'week'; n: number; fromDay: number; toDay: number }
  | { kind: 'days'; fromDay: number; toDay: number }
  | { kind: 'to_date'; days: number }
  | { kind: 'range'; from: string; to: string };

export function khmerDigits(s: string | number): string {
  return String(s).replace(/[0-9]/g, (d) => String.fromCharCode(0x17e0 + Number(d)));
}

const fmtEn = (n: number) => n.toLocaleString('en-US');
const fmtKm = (n: number) => khmerDigits(n.toLocaleString('en-US'));

function periodEn(p: PressPeriod): string {
  switch (p.kind) {
    case 'first_days':
      return p.days === 1 ? 'On the first day of the campaign' : `In the first ${fmtEn(p.days)} days of the campaign`;
    case 'day':
      return `On day ${fmtEn(p.n)} of the campaign`;
    case 'week':
      return `In week ${fmtEn(p.n)} of the campaign (days ${fmtEn(p.fromDay)}–${fmtEn(p.toDay)})`;
    case 'days':
      return `From day ${fmtEn(p.fromDay)} to day ${fmtEn(p.toDay)} of the campaign`;
    case 'to_date':
      return `In the ${fmtEn(p.days)} days of the campaign to date`;
    case 'range':
      return p.from === p.to ? `On ${p.from}` : `From ${p.from} to ${p.to}`;
  }
}

function periodKm(p: PressPeriod): string {
  switch (p.kind) {
    case 'first_days':
      return p.days === 1 ? 'នៅថ្ងៃដំបូងនៃយុទ្ធនាការ' : `ក្នុងរយៈពេល ${fmtKm(p.days)} ថ្ងៃដំបូងនៃយុទ្ធនាការ`;
    case 'day':
      return `នៅថ្ងៃទី ${fmtKm(p.n)} នៃយុទ្ធនាការ`;
    case 'week':
      return `ក្នុងសប្តាហ៍ទី ${fmtKm(p.n)} នៃយុទ្ធនាការ (ថ្ងៃទី ${fmtKm(p.fromDay)}–${fmtKm(p.toDay)})`;
    case 'days':
      return `ពីថ្ងៃទី ${fmtKm(p.fromDay)} ដល់ថ្ងៃទី ${fmtKm(p.toDay)} នៃយុទ្ធនាការ`;
    case 'to_date':
      return `ក្នុងរយៈពេល ${fmtKm(p.days)} ថ្ងៃនៃយុទ្ធនាការរហូតមកដល់ពេលនេះ`;
    case 'range':
      return p.from === p.to ? `នៅថ្ងៃទី ${khmerDigits(p.from)}` : `ពីថ្ងៃទី ${khmerDigits(p.from)} ដល់ថ្ងៃទី ${khmerDigits(p.to)}`;
  }
}

export function pressSummary(f: PressFigures, p: PressPeriod, locale: Locale): string {
  if (locale === 'km') {
    const cases = `ករណីចំនួន ${fmtKm(f.cases)}`;
    const parts = [`ជនសង្ស័យជួញដូរគ្រឿងញៀនចំនួន ${fmtKm(f.traffickers)} នាក់`, `អ្នកប្រើប្រាស់គ្រឿងញៀនចំនួន ${fmtKm(f.users)} នាក់`];
    if (f.others) parts.push(`និងផ្សេងទៀតចំនួន ${fmtKm(f.others)} នាក់`);
    const list = f.others ? `${parts[0]} ${parts[1]} ${parts[2]}` : `${parts[0]} និង${parts[1]}`;
    return `${periodKm(p)} ${cases} បាននាំឱ្យមានការចាប់ខ្លួនមនុស្សចំនួន ${fmtKm(f.persons)} នាក់៖ ${list}។`;
  }
  const caseWord = f.cases === 1 ? 'case' : 'cases';
  const people = f.persons === 1 ? 'person' : 'people';
  const tr = `${fmtEn(f.traffickers)} suspected ${f.traffickers === 1 ? 'trafficker' : 'traffickers'}`;
  const us = `${fmtEn(f.users)} alleged ${f.users === 1 ? 'user' : 'users'}`;
  const list = f.others ? `${tr}, ${us} and ${fmtEn(f.others)} ${f.others === 1 ? 'other' : 'others'}` : `${tr} and ${us}`;
  return `${periodEn(p)}, ${fmtEn(f.cases)} ${caseWord} led to the arrest of ${fmtEn(f.persons)} ${people}: ${list}.`;
}
