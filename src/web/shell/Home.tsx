/** Welcome: who you are, your organisation, and what is available for your role. No invented figures. */
import { useTranslation } from 'react-i18next';
import { useSession } from './session';

/** Roles whose pages exist today; every other role's pillar is still to come. */
const BUILT: readonly string[] = ['administrator', 'auditor', 'enforcement_clerk', 'enforcement_supervisor', 'analyst'];

export function Home() {
  const { t } = useTranslation();
  const { me } = useSession();
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t('home.welcome', { username: me.username })}</h1>
      <dl className="facts card">
        <div>
          <dt>{t('home.role')}</dt>
          <dd>{t(`roles.${me.role}`)}</dd>
        </div>
        <div>
          <dt>{t('home.organisation')}</dt>
          <dd>{me.organisation.name}</dd>
        </div>
        <div>
          <dt>{t('home.sector')}</dt>
          <dd>{t(`sectors.${me.organisation.sector}`)}</dd>
        </div>
        <div>
          <dt>{t('home.kind')}</dt>
          <dd>{t(`kinds.${me.organisation.kind}`)}</dd>
        </div>
      </dl>
      {me.role === 'administrator' && <p>{t('home.adminIntro')}</p>}
      {me.role === 'auditor' && <p>{t('home.auditorIntro')}</p>}
      {!BUILT.includes(me.role) && (
        <div className="notice notice--info" role="status">
          <div className="notice-body">
            <strong>{t('home.comingSoon')}</strong> {t('home.comingSoonDetail')}
          </div>
        </div>
      )}
    </section>
  );
}
