/** Numbers and times in the reader's language. */
import { useTranslation } from 'react-i18next';
import { formatLocale } from '../../i18n';

export function useFormat() {
  const { i18n } = useTranslation();
  const loc = formatLocale(i18n.language);
  const nf = new Intl.NumberFormat(loc, { maximumFractionDigits: 3 });
  return {
    number: (n: number) => nf.format(n),
    /** A moment as 'YYYY-MM-DD HH:MM' in Cambodia time (UTC+7). */
    time: (iso: string) => {
      const d = new Date(Date.parse(iso) + 7 * 3_600_000).toISOString();
      return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
    },
  };
}
