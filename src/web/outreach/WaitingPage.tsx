/**
 * The records waiting on this device, oldest first: waiting, or rejected by the server with its reason. A rejected
 * record can be sent again (after its cause was fixed, e.g. its client was accepted meanwhile) or discarded.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { syncNow } from '../offline/engine';
import { useVault } from '../offline/hooks';
import type { ClientRecord, ContactRecord, OutboxEntry } from '../offline/types';
import { vault, type LocalClient } from '../offline/vault';
import { OutreachPage } from './Layout';
import { totalOf } from './records';
import { useFmt } from './ui';

export function WaitingPage() {
  const { t } = useTranslation();
  return (
    <OutreachPage title={t('outreach.waiting.title')}>
      <WaitingBody />
    </OutreachPage>
  );
}

function WaitingBody() {
  const { t } = useTranslation();
  const v = useVault();
  const { num, dateTime } = useFmt();
  const [entries, setEntries] = useState<OutboxEntry[] | null>(null);
  const [clients, setClients] = useState<Map<string, LocalClient>>(new Map());
  const [confirm, setConfirm] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    void Promise.all([vault.outboxEntries(), vault.clients()]).then(([e, c]) => {
      if (!alive) return;
      setEntries(e);
      setClients(new Map(c.map((x) => [x.id, x])));
    });
    return () => {
      alive = false;
    };
  }, [v.version]);

  if (!entries) return null;
  if (entries.length === 0) return <p className="muted">{t('outreach.waiting.none')}</p>;
  const describe = (e: OutboxEntry) => {
    if (e.kind === 'client') {
      const c = e.data as ClientRecord;
      return t('outreach.waiting.client', { uic: c.uic });
    }
    if (e.kind === 'contact') {
      const c = e.data as ContactRecord;
      const who = c.clientId ? (clients.get(c.clientId)?.uic ?? '—') : t('outreach.contact.anonymousShort');
      return t('outreach.waiting.contact', { who, needles: num(totalOf(c.needles)), syringes: num(totalOf(c.syringes)) });
    }
    return t(`outreach.waiting.kinds.${e.kind}`);
  };
  return (
    <>
      <p className="muted">{t('outreach.waiting.intro')}</p>
      <ul className="ow-outbox" data-testid="outbox-list">
        {entries.map((e) => (
          <li key={e.id} className={`card ow-outbox-item${e.state === 'rejected' ? ' ow-outbox-item--rejected' : ''}`} data-state={e.state}>
            <div>
              <span className={`badge ${e.state === 'rejected' ? 'badge--locked' : 'badge--active'}`}>{t(`outreach.waiting.states.${e.state}`)}</span> {describe(e)}
            </div>
            <div className="muted small">{dateTime(e.createdAt)}</div>
            {e.state === 'rejected' && (
              <>
                <p className="field-error" data-testid="reject-reason">
                  {t('outreach.waiting.reason', { reason: e.reason || t('outreach.waiting.noReason') })}
                </p>
                <div className="form-actions">
                  <button
                    type="button"
                    className="button button--small"
                    onClick={async () => {
                      await vault.retry(e.id);
                      void syncNow();
                    }}
                  >
                    {t('outreach.waiting.retry')}
                  </button>
                  {confirm === e.id ? (
                    <button type="button" className="button button--small button--danger" onClick={() => void vault.discard(e.id)}>
                      {t('outreach.waiting.discardYes')}
                    </button>
                  ) : (
                    <button type="button" className="button button--small button--danger" onClick={() => setConfirm(e.id)}>
                      {t('outreach.waiting.discard')}
                    </button>
                  )}
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
