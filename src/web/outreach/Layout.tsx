/**
 * Every outreach page: the status bar (network, records waiting — always visible —, last sync, Sync now, Lock),
 * the outreach tabs, the page title, and the content behind the passphrase gate.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../api/client';
import { syncNow } from '../offline/engine';
import { useOnline, useSessionMode, useSyncState, useVault } from '../offline/hooks';
import { vault } from '../offline/vault';
import { Link } from '../shell/router';
import { Gate } from './Gate';
import { useFmt } from './ui';

export const OUTREACH_TABS = [
  { href: '/outreach', label: 'outreach.nav.home' },
  { href: '/outreach/find', label: 'outreach.nav.find' },
  { href: '/outreach/clients/new', label: 'outreach.nav.newClient' },
  { href: '/outreach/contact', label: 'outreach.nav.contact' },
  { href: '/outreach/waiting', label: 'outreach.nav.waiting' },
] as const;

/** A one-off message carried to the next page ("Contact saved on this device"). */
let flash: { key: string; at: number } | null = null;
export function setFlash(key: string) {
  flash = { key, at: Date.now() };
}
function useFlash(): string | null {
  const [f] = useState(() => (flash && Date.now() - flash.at < 8000 ? flash.key : null));
  useEffect(() => {
    flash = null;
  }, []);
  return f;
}

export function StatusBar() {
  const { t } = useTranslation();
  const v = useVault();
  const s = useSyncState();
  const online = useOnline();
  const [mode] = useSessionMode();
  const { num, time, dateTime } = useFmt();
  const today = new Date().toISOString().slice(0, 10);
  const last = v.lastSyncAt ? (v.lastSyncAt.slice(0, 10) === today ? time(v.lastSyncAt) : dateTime(v.lastSyncAt)) : null;

  let status: string;
  if (!online) status = t('outreach.status.offline');
  else if (mode === 'offline') status = t('outreach.status.noSession');
  else if (s.phase === 'syncing') status = t('outreach.status.syncing');
  else if (s.phase === 'signed_out') status = t('outreach.status.signedOut');
  else if (s.phase === 'offline') status = t('outreach.status.noAnswer');
  else if (s.phase === 'failed') status = t('outreach.status.failed');
  else if (s.phase === 'unavailable') status = t('outreach.status.unavailable');
  else status = t('outreach.status.online');

  return (
    <div className="ow-bar" role="region" aria-label={t('outreach.status.label')}>
      <span className={`ow-net ow-net--${online && mode === 'online' ? 'on' : 'off'}`}>{status}</span>
      <span className="ow-waiting">
        {t('outreach.status.waiting')}{' '}
        <span className={`ow-count${v.outboxCount ? ' ow-count--some' : ''}`} data-testid="outbox-count" aria-live="polite">
          {num(v.outboxCount)}
        </span>
        {v.rejectedCount > 0 && (
          <span className="ow-rejected-count" data-testid="rejected-count">
            {' '}
            {t('outreach.status.rejected', { n: num(v.rejectedCount) })}
          </span>
        )}
      </span>
      <span className="ow-last muted small">{last ? t('outreach.status.lastSync', { time: last }) : t('outreach.status.neverSynced')}</span>
      <span className="ow-bar-actions">
        {s.phase === 'signed_out' && mode === 'online' && (
          <button type="button" className="button button--small" onClick={() => void request('/api/auth/me').catch(() => undefined)}>
            {t('outreach.status.signIn')}
          </button>
        )}
        <button
          type="button"
          className="button button--small button--primary"
          data-testid="sync-now"
          disabled={v.status !== 'unlocked' || mode !== 'online' || s.phase === 'syncing'}
          onClick={() => void syncNow()}
        >
          {s.phase === 'syncing' ? t('outreach.status.syncing') : t('outreach.status.syncNow')}
        </button>
        {v.status === 'unlocked' && (
          <button type="button" className="button button--small" data-testid="lock" onClick={() => vault.lock()}>
            {t('outreach.status.lock')}
          </button>
        )}
      </span>
    </div>
  );
}

export function OutreachTabs() {
  const { t } = useTranslation();
  return (
    <nav className="ow-tabs" aria-label={t('outreach.nav.label')}>
      {OUTREACH_TABS.map((tab) => (
        <Link key={tab.href} href={tab.href} className="ow-tab">
          {t(tab.label)}
        </Link>
      ))}
    </nav>
  );
}

export function OutreachPage({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }) {
  const f = useFlash();
  const { t } = useTranslation();
  return (
    <section className={`page ow-page${wide ? ' ow-page--wide' : ''}`} aria-labelledby="page-title">
      <StatusBar />
      <OutreachTabs />
      <h1 id="page-title">{title}</h1>
      {f && (
        <div className="notice notice--success" role="status" data-testid="flash">
          <div className="notice-body">{t(f)}</div>
        </div>
      )}
      <Gate>{children}</Gate>
    </section>
  );
}
