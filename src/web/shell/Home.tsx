/** Welcome: who you are, your organisation, and the pages of your role. No invented figures. */
import { useTranslation } from 'react-i18next';
import { useSession } from './session';
import { Link } from './router';
import { routesFor } from './routes';

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
      <nav aria-labelledby="home-pages" className="card">
        <h2 id="home-pages">{t('home.yourPages')}</h2>
        <ul className="home-pages">
          {routesFor(me.role)
            .filter((r) => r.menu !== false && r.path !== '/' && r.path !== '/password')
            .map((r) => (
              <li key={r.path}>
                <Link href={r.path}>{t(r.label)}</Link>
              </li>
            ))}
        </ul>
      </nav>
    </section>
  );
}
