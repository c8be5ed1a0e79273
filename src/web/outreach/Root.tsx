/**
 * The app's entry: when this browser holds an outreach device store and the server cannot be reached (no network,
 * the session probe fails with a network error), open the outreach app in offline mode — passphrase, then the
 * outreach pages — instead of the sign-in page. Otherwise, the normal app (src/web/shell/App.tsx).
 */
import { useCallback, useEffect, useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { App } from '../shell/App';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { matchPath, navigate, usePath } from '../shell/router';
import { deviceStoreExists } from '../offline/db';
import { FindClientPage } from './FindClientPage';
import { NewClientPage } from './NewClientPage';
import { OutreachHome } from './OutreachHome';
import { RecordContactPage } from './RecordContactPage';
import { WaitingPage } from './WaitingPage';

/** Does the server answer at all? Any HTTP answer counts (even 401); only a network failure or a timeout does not. */
async function serverAnswers(timeoutMs = 8000): Promise<boolean> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    await fetch('/api/auth/me', { credentials: 'same-origin', cache: 'no-store', signal: ctl.signal });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function Root() {
  const [mode, setMode] = useState<'probing' | 'online' | 'offline'>('probing');
  useEffect(() => {
    let alive = true;
    void (async () => {
      const hasStore = await deviceStoreExists();
      const ok = hasStore ? await serverAnswers() : true;
      if (alive) setMode(ok ? 'online' : 'offline');
    })();
    return () => {
      alive = false;
    };
  }, []);
  const goOnline = useCallback(() => setMode('online'), []);
  if (mode === 'probing') return null;
  if (mode === 'offline') return <OfflineApp onOnline={goOnline} />;
  return <App />;
}

const OFFLINE_ROUTES: [string, ComponentType][] = [
  ['/outreach/find', FindClientPage],
  ['/outreach/clients/new', NewClientPage],
  ['/outreach/contact', RecordContactPage],
  ['/outreach/waiting', WaitingPage],
  ['/outreach', OutreachHome],
];

/** The outreach pages without a session: everything is saved on the device and sent after the next sign-in. */
export function OfflineApp({ onOnline }: { onOnline: () => void }) {
  const { t } = useTranslation();
  const path = usePath();
  const [checking, setChecking] = useState(false);
  const [stillOffline, setStillOffline] = useState(false);
  const route = OFFLINE_ROUTES.find(([p]) => matchPath(p, path));
  useEffect(() => {
    if (!route) navigate('/outreach', { replace: true });
  }, [route]);
  useEffect(() => {
    document.title = `${t('outreach.offline.title')} · ${t('app.name')}`;
  }, [t]);

  const tryOnline = useCallback(async () => {
    setChecking(true);
    const ok = await serverAnswers();
    setChecking(false);
    setStillOffline(!ok);
    if (ok) onOnline();
  }, [onOnline]);
  useEffect(() => {
    const on = () => void tryOnline();
    window.addEventListener('online', on);
    return () => window.removeEventListener('online', on);
  }, [tryOnline]);

  const Page = route?.[1] ?? OutreachHome;
  return (
    <div className="app ow-offline-app">
      <header className="topbar ow-offline-topbar">
        <span className="brand">{t('app.name')}</span>
        <LanguageSwitch />
        <span className="ow-offline-tag" data-testid="offline-mode">
          {t('outreach.offline.tag')}
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <div className="notice notice--info ow-offline-notice" role="status">
          <div className="notice-body">
            <p>{t('outreach.offline.intro')}</p>
            <button type="button" className="button button--small" onClick={() => void tryOnline()} disabled={checking}>
              {t('outreach.offline.connect')}
            </button>
            {stillOffline && <p className="small">{t('outreach.offline.stillOffline')}</p>}
          </div>
        </div>
        <Page />
      </main>
    </div>
  );
}
