/** English / ខ្មែរ. Signed in: saved on the account (PATCH /api/auth/me). Before sign-in: kept in localStorage. */
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { rememberLocale } from '../i18n';
import { useOptionalSession } from './session';
import type { Locale } from '../../core/roles';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const session = useOptionalSession();
  const change = async (locale: Locale) => {
    await i18n.changeLanguage(locale);
    rememberLocale(locale);
    if (session) {
      try {
        session.setMe(await api.setLocale(locale));
      } catch {
        /* the language is still switched on this device; it is saved on the account at the next change */
      }
    }
  };
  return (
    <div className="lang-switch">
      <label htmlFor="lang-switch" className="visually-hidden">
        {t('language.label')}
      </label>
      <select
        id="lang-switch"
        data-testid="lang-switch"
        value={i18n.language === 'km' ? 'km' : 'en'}
        onChange={(e) => void change(e.target.value as Locale)}
      >
        <option value="en" lang="en">
          {t('language.en')}
        </option>
        <option value="km" lang="km">
          {t('language.km')}
        </option>
      </select>
    </div>
  );
}
