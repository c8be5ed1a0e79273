/**
 * My day: today's contacts recorded on this device, records waiting, last sync, Sync now, the big buttons;
 * the device section (automatic lock delay, Lock, Wipe this device with confirmation).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayInCambodia } from '../../core/dates';
import { syncNow } from '../offline/engine';
import { useSessionMode, useSyncState, useVault } from '../offline/hooks';
import { vault, type JournalContact, type LocalClient } from '../offline/vault';
import { Link, navigate } from '../shell/router';
import { OutreachPage } from './Layout';
import { totalOf } from './records';
import { useFmt } from './ui';

export function OutreachHome() {
  const { t } = useTranslation();
  return (
    <OutreachPage title={t('outreach.home.title')}>
      <HomeBody />
      <DeviceSection />
    </OutreachPage>
  );
}

function isTodayInCambodia(iso: string) {
  return todayInCambodia(new Date(iso)) === todayInCambodia();
}

function HomeBody() {
  const { t } = useTranslation();
  const v = useVault();
  const s = useSyncState();
  const [mode] = useSessionMode();
  const { num, time } = useFmt();
  const [today, setToday] = useState<JournalContact[] | null>(null);
  const [clients, setClients] = useState<Map<string, LocalClient>>(new Map());
  useEffect(() => {
    let alive = true;
    void Promise.all([vault.journal(), vault.clients()]).then(([j, c]) => {
      if (!alive) return;
      setToday(j.filter((x) => isTodayInCambodia(x.at)));
      setClients(new Map(c.map((x) => [x.id, x])));
    });
    return () => {
      alive = false;
    };
  }, [v.version]);

  const needles = today?.reduce((a, c) => a + totalOf(c.needles), 0) ?? 0;
  const syringes = today?.reduce((a, c) => a + totalOf(c.syringes), 0) ?? 0;
  return (
    <>
      <div className="ow-big-actions">
        <Link className="button button--primary button--big" href="/outreach/find" data-testid="go-find">
          {t('outreach.home.find')}
        </Link>
        <Link className="button button--big" href="/outreach/clients/new" data-testid="go-new-client">
          {t('outreach.nav.newClient')}
        </Link>
        <Link className="button button--big" href="/outreach/contact?anonymous=1">
          {t('outreach.contact.anonymous')}
        </Link>
      </div>
      <dl className="ow-stats">
        <div className="stat">
          <dt>{t('outreach.home.contactsToday')}</dt>
          <dd data-testid="contacts-today">{num(today?.length ?? 0)}</dd>
        </div>
        <div className="stat">
          <dt>{t('outreach.home.needlesToday')}</dt>
          <dd>{num(needles)}</dd>
        </div>
        <div className="stat">
          <dt>{t('outreach.home.syringesToday')}</dt>
          <dd>{num(syringes)}</dd>
        </div>
        <div className="stat">
          <dt>{t('outreach.home.waiting')}</dt>
          <dd>
            <Link href="/outreach/waiting">{num(v.outboxCount)}</Link>
          </dd>
        </div>
      </dl>
      {s.phase === 'ok' && s.sent + s.rejected > 0 && (
        <p className="muted" role="status">
          {t('outreach.home.lastRun', { sent: num(s.sent), rejected: num(s.rejected) })}
        </p>
      )}
      {mode === 'online' && (
        <p>
          <button type="button" className="button button--primary button--block" onClick={() => void syncNow()} disabled={s.phase === 'syncing'}>
            {t('outreach.status.syncNow')}
          </button>
        </p>
      )}
      <h2>{t('outreach.home.todayList')}</h2>
      {today && today.length === 0 && <p className="muted">{t('outreach.home.noneToday')}</p>}
      <ul className="ow-journal">
        {today?.map((c) => {
          const cl = c.clientId ? clients.get(c.clientId) : null;
          return (
            <li key={c.id} className="card ow-journal-item">
              <div>
                <strong>{time(c.at)}</strong> · {cl ? <span className="mono">{cl.uic}</span> : t('outreach.contact.anonymousShort')} · {t(`outreach.settings.${c.setting}`)}
              </div>
              <div className="muted small">
                {t('outreach.home.itemCounts', { needles: num(totalOf(c.needles)), syringes: num(totalOf(c.syringes)), returned: num(c.returned) })}
              </div>
              {cl && (
                <button type="button" className="button button--small" onClick={() => navigate(`/outreach/contact?client=${encodeURIComponent(cl.id)}`)}>
                  {t('outreach.home.again')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}

function DeviceSection() {
  const { t } = useTranslation();
  const v = useVault();
  const { num } = useFmt();
  const [confirm, setConfirm] = useState(false);
  if (v.status !== 'unlocked') return null;
  return (
    <section className="card ow-device" aria-labelledby="ow-device-title">
      <h2 id="ow-device-title">{t('outreach.device.title')}</h2>
      <p className="muted small">{t('outreach.device.encrypted')}</p>
      <div className="field">
        <label htmlFor="ow-lock-minutes">{t('outreach.device.lockAfter')}</label>
        <select id="ow-lock-minutes" value={String(v.lockMinutes)} onChange={(e) => void vault.setLockMinutes(Number(e.target.value))}>
          {[1, 2, 5, 10, 15].map((m) => (
            <option key={m} value={m}>
              {t('outreach.device.minutes', { n: num(m) })}
            </option>
          ))}
        </select>
      </div>
      <div className="form-actions">
        <button type="button" className="button" onClick={() => vault.lock()}>
          {t('outreach.status.lock')}
        </button>
        <button type="button" className="button button--danger" data-testid="wipe" onClick={() => setConfirm(true)}>
          {t('outreach.device.wipe')}
        </button>
      </div>
      {confirm && (
        <div className="notice notice--error ow-confirm" role="alertdialog" aria-labelledby="ow-wipe-q">
          <div className="notice-body">
            <p id="ow-wipe-q">
              <strong>{t('outreach.device.wipeQuestion')}</strong>
            </p>
            {v.outboxCount > 0 && <p>{t('outreach.device.wipeLoses', { n: num(v.outboxCount) })}</p>}
            <div className="form-actions">
              <button type="button" className="button button--danger" data-testid="wipe-confirm" onClick={() => void vault.wipe('manual')}>
                {t('outreach.device.wipeYes')}
              </button>
              <button type="button" className="button" onClick={() => setConfirm(false)}>
                {t('outreach.device.wipeNo')}
              </button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
