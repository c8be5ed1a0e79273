/**
 * The records waiting on this device, oldest first: waiting, or rejected by the server with its reason. A rejected
 * record can be sent again (after its cause was fixed, e.g. its client was accepted meanwhile) or discarded.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { syncNow } from '../offline/engine';
import { useVault } from '../offline/hooks';
import type { ClientRecord, ContactRecord, OutboxEntry } from '../offline/types';
import { vault, type LocalClient } from '../offline/vault';
import { navigate } from '../shell/router';
import { SelectField, TextField } from '../ui/Field';
import { CLIENT_SEXES, ROUTES, type ClientSex, type DrugRoute } from '../offline/types';
import { OutreachPage } from './Layout';
import { parseCount, totalOf } from './records';
import { todayInCambodia } from '../../core/dates';
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
  const [fixing, setFixing] = useState<string | null>(null);
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
                {fixing === e.id && e.kind === 'client' && <FixClient entry={e} onDone={() => setFixing(null)} />}
                <div className="form-actions">
                  {e.kind === 'contact' && (
                    <button type="button" className="button button--small button--primary" onClick={() => navigate(`/outreach/contact?fix=${encodeURIComponent(e.id)}`)}>
                      {t('outreach.waiting.fix')}
                    </button>
                  )}
                  {e.kind === 'client' && fixing !== e.id && (
                    <button type="button" className="button button--small button--primary" onClick={() => setFixing(e.id)}>
                      {t('outreach.waiting.fix')}
                    </button>
                  )}
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

/** Correct a rejected client: sex, birth year, first contact, route (the UIC stays: it comes from the names). */
function FixClient({ entry, onDone }: { entry: OutboxEntry; onDone: () => void }) {
  const { t } = useTranslation();
  const c = entry.data as ClientRecord;
  const today = todayInCambodia();
  const [sex, setSex] = useState<ClientSex>(c.sex);
  const [year, setYear] = useState(c.birthYear ? String(c.birthYear) : '');
  const [first, setFirst] = useState(c.firstContactOn);
  const [route, setRoute] = useState<DrugRoute>(c.route);
  const [errors, setErrors] = useState<{ year?: string; first?: string }>({});
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const y = year.trim() ? parseCount(year) : null;
    const errs: typeof errors = {};
    if (year.trim() && (y === null || y < 1900 || y > Number(today.slice(0, 4)))) errs.year = t('outreach.errors.birthYear');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(first) || first > today) errs.first = t('outreach.errors.firstContactOn');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    await vault.fixClient({ ...c, sex, birthYear: y || null, firstContactOn: first, route });
    onDone();
    void syncNow();
  };
  return (
    <form className="ow-fix" onSubmit={submit} noValidate aria-label={t('outreach.waiting.fix')}>
      <SelectField label={t('outreach.client.sex')} value={sex} onChange={(e) => setSex(e.target.value as ClientSex)}>
        {CLIENT_SEXES.map((s) => (
          <option key={s} value={s}>
            {t(`outreach.sexes.${s}`)}
          </option>
        ))}
      </SelectField>
      <TextField label={t('outreach.uic.year')} inputMode="numeric" value={year} onChange={(e) => setYear(e.target.value)} error={errors.year} />
      <TextField label={t('outreach.client.firstContactOn')} type="date" max={today} value={first} onChange={(e) => setFirst(e.target.value)} error={errors.first} />
      <SelectField label={t('outreach.client.route')} value={route} onChange={(e) => setRoute(e.target.value as DrugRoute)}>
        {ROUTES.map((r) => (
          <option key={r} value={r}>
            {t(`outreach.routes.${r}`)}
          </option>
        ))}
      </SelectField>
      <div className="form-actions">
        <button type="submit" className="button button--small button--primary">
          {t('outreach.waiting.sendFixed')}
        </button>
        <button type="button" className="button button--small" onClick={onDone}>
          {t('outreach.device.wipeNo')}
        </button>
      </div>
    </form>
  );
}
