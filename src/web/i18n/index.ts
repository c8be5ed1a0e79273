/** i18next set-up: two catalogues (English, Khmer), the chosen language kept in localStorage before sign-in. */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { EN as en, KM as km } from './catalogues';
import type { Locale } from '../../core/roles';

export const STORAGE_KEY = 'tonle.locale';

export function storedLocale(): Locale {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'km' ? 'km' : 'en';
  } catch {
    return 'en';
  }
}

export function rememberLocale(locale: Locale) {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

function applyHtmlLang(lng: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = lng === 'km' ? 'km' : 'en';
}

if (!i18n.isInitialized) {
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, km: { translation: km } },
    lng: storedLocale(),
    fallbackLng: 'en',
    supportedLngs: ['en', 'km'],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    initImmediate: false,
  } as Parameters<typeof i18n.init>[0]);
  applyHtmlLang(i18n.language);
  i18n.on('languageChanged', applyHtmlLang);
}

export function currentLocale(): Locale {
  return i18n.language === 'km' ? 'km' : 'en';
}

export default i18n;

/** The locale for dates and numbers: Khmer when the browser has Khmer locale data, otherwise English (day-month order). */
export function formatLocale(lng: string): string {
  if (lng === 'km') {
    try {
      if (Intl.DateTimeFormat.supportedLocalesOf(['km-KH']).length) return 'km-KH';
    } catch {
      /* fall through */
    }
  }
  return 'en-GB';
}
