/** Header (app name, account, organisation, language, sign out), role-based navigation, the current page. */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from './session';
import { Link, matchPath, usePath } from './router';
import { routesFor } from './routes';
import { LanguageSwitch } from './LanguageSwitch';
import { ChangePassword } from '../auth/ChangePassword';

export function Shell() {
  const { t } = useTranslation();
  const { me, signOut } = useSession();
  const path = usePath();
  const [menuOpen, setMenuOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const forced = me.mustChangePassword;
  const routes = routesFor(me.role);
  const route = forced ? null : routes.find((r) => matchPath(r.path, path));

  useEffect(() => {
    setMenuOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [path]);

  useEffect(() => {
    const title = forced ? t('password.title') : route ? t(route.label) : t('nav.notFound');
    document.title = `${title} · ${t('app.name')}`;
  }, [forced, route, t]);

  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setMenuOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  const Page = route?.component;
  return (
    <div className={`app${forced ? ' app--forced' : ''}`}>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        <div className="topbar-account">
          <span className="account-name">{me.username}</span>
          <span className="account-org">{me.organisation.name}</span>
        </div>
        <LanguageSwitch />
        <button type="button" className="button button--quiet sign-out" data-testid="sign-out" onClick={() => void signOut()}>
          {t('nav.signOut')}
        </button>
        {!forced && (
          <button
            type="button"
            className="button menu-button"
            data-testid="menu-button"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            aria-label={menuOpen ? t('nav.closeMenu') : t('nav.openMenu')}
            onClick={() => setMenuOpen((o) => !o)}
          >
            <span className="menu-icon" aria-hidden="true" />
            <span className="menu-text">{t('nav.menu')}</span>
          </button>
        )}
      </header>
      <div className="layout">
        {!forced && (
          <nav id="main-nav" className={`sidebar${menuOpen ? ' sidebar--open' : ''}`} aria-label={t('nav.label')}>
            <ul>
              {routes.filter((r) => r.menu !== false).map((r) => (
                <li key={r.path}>
                  <Link href={r.path} onClick={() => setMenuOpen(false)}>
                    {t(r.label)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <main id="main" ref={mainRef} tabIndex={-1}>
          {forced ? (
            <ChangePassword />
          ) : Page ? (
            <Page />
          ) : (
            <section className="page">
              <h1>{t('nav.notFound')}</h1>
              <p>
                <Link href="/">{t('nav.backHome')}</Link>
              </p>
            </section>
          )}
        </main>
      </div>
    </div>
  );
}
