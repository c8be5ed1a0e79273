import { useTranslation } from 'react-i18next';

/** A place name in the reader's language (names come from the API: nameEn / nameKm). */
export function usePlaceName() {
  const { i18n } = useTranslation();
  return (p: { nameEn: string; nameKm: string } | undefined | null, fallback = '') =>
    p ? (i18n.language === 'km' ? p.nameKm || p.nameEn : p.nameEn) : fallback;
}
