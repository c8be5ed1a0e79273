/** Numbers and dates for the report, in the reader's language (Khmer digits in Khmer). */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { khmerDigits } from '../../../core/press';
import { countryName } from '../../../core/countries';
import { formatLocale } from '../../i18n';

export interface Formats {
  lang: 'en' | 'km';
  num: (n: number) => string;
  /** Kilograms and other quantities: up to three decimals. */
  qty: (n: number) => string;
  /** "3 Mar" */
  shortDate: (iso: string) => string;
  /** "3 Mar 2025" */
  date: (iso: string) => string;
}

/** `monthsKm`: the twelve month names in Khmer (browsers without Khmer locale data would show English ones). */
export function makeFormats(language: string, monthsKm: readonly string[] = []): Formats {
  const lang = language === 'km' ? 'km' : 'en';
  const digits = (s: string) => (lang === 'km' ? khmerDigits(s) : s);
  const loc = formatLocale(lang);
  const short = new Intl.DateTimeFormat(loc, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const long = new Intl.DateTimeFormat(loc, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const at = (iso: string) => new Date(`${iso}T00:00:00Z`);
  return {
    lang,
    num: (n) => digits(Math.round(n).toLocaleString('en-US')),
    qty: (n) => digits(n.toLocaleString('en-US', { maximumFractionDigits: 3 })),
    shortDate: (iso) => (lang === 'km' && monthsKm.length === 12 ? khmerDate(iso, monthsKm, false) : digits(short.format(at(iso)))),
    date: (iso) => (lang === 'km' && monthsKm.length === 12 ? khmerDate(iso, monthsKm, true) : digits(long.format(at(iso)))),
  };
}

/** "១៩ វិច្ឆិកា ២០២៦" */
function khmerDate(iso: string, months: readonly string[], withYear: boolean): string {
  const [y, m, d] = iso.split('-').map(Number);
  return khmerDigits(`${d} ${months[m - 1]}${withYear ? ` ${y}` : ''}`);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

export function useFormats(): Formats {
  const { i18n, t } = useTranslation();
  return useMemo(() => makeFormats(i18n.language, i18n.language === 'km' ? MONTHS.map((m) => t(`report.months.${m}`)) : []), [i18n.language, t]);
}

/** A nationality's name: the catalogue for the common ones (Khmer names do not depend on the browser), else Intl. */
export function useNationalityName() {
  const { i18n, t } = useTranslation();
  const lang = i18n.language === 'km' ? 'km' : 'en';
  return (code: string) => t(`report.countries.${code}`, { defaultValue: countryName(code, lang) });
}
