/**
 * /outreach/clients/:id — one client of the organisation (programme manager, online): the client's facts, the current
 * status (lost to follow-up is computed by the server and shown as such) with a status select (active / moved / died),
 * and the client's referrals, each with its outcome and outcome date. Saving calls the PATCH and reloads the client.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { todayInCambodia } from '../../../core/dates';
import { ApiError } from '../../api/client';
import { apiFieldErrors, errorMsg, show, type FieldErrors, type Msg } from '../../i18n/messages';
import { Notice, SelectField, TextField } from '../../ui/Field';
import { useLoad } from '../../ui/useAsync';
import { Link, useParams } from '../../shell/router';
import { useFmt } from '../ui';
import { managerApi, type ClientDetail, type ClientReferral, type ReferralOutcome, type SettableStatus } from './api';

export const CLIENT_PAGE_PATH = '/outreach/clients/:id';

const SETTABLE: readonly SettableStatus[] = ['active', 'moved', 'died'];
const OUTCOMES: readonly ReferralOutcome[] = ['pending', 'completed', 'not_completed'];

interface Referral extends ClientReferral {
  n: number;
  madeOn: string;
}

/** The client's referrals, oldest first, numbered 1…n (the contacts come newest first). */
function referralsOf(c: ClientDetail): Referral[] {
  const out: Referral[] = [];
  for (const contact of [...(c.contacts ?? [])].reverse()) {
    for (const r of contact.referrals ?? []) out.push({ ...r, n: out.length + 1, madeOn: todayInCambodia(new Date(contact.at)) });
  }
  return out;
}

export function ClientPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams(CLIENT_PAGE_PATH);
  const client = useLoad(() => managerApi.client(id), [id]);
  const c = client.data;
  return (
    <section className="page ow-page ow-page--wide" aria-labelledby="page-title">
      <p>
        <Link href="/outreach/clients">{t('outreach.clientPage.back')}</Link>
      </p>
      <h1 id="page-title">{c ? t('outreach.clientPage.title', { uic: c.uic }) : t('outreach.nav.clients')}</h1>
      {client.error && !c ? (
        <Notice kind="error">
          <p>{client.error instanceof ApiError && client.error.status === 404 ? t('outreach.clientPage.notFound') : show(t, errorMsg(client.error))}</p>
          <button type="button" className="button button--small" onClick={() => void client.reload()}>
            {t('common.retry')}
          </button>
        </Notice>
      ) : !c ? (
        <p role="status">{t('app.loading')}</p>
      ) : (
        <ClientView key={c.id} c={c} reload={client.reload} />
      )}
    </section>
  );
}

function ClientView({ c, reload }: { c: ClientDetail; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  const { date } = useFmt();
  const referrals = referralsOf(c);
  return (
    <>
      {c.mergedInto ? (
        <Notice kind="info">
          <p>{t('outreach.clientPage.merged')}</p>
          <Link href={`/outreach/clients/${encodeURIComponent(c.mergedInto)}`}>{t('outreach.clientPage.openMerged')}</Link>
        </Notice>
      ) : null}
      <dl className="facts card">
        <dt>{t('outreach.find.uic')}</dt>
        <dd className="mono">{c.uic}</dd>
        <dt>{t('outreach.client.sex')}</dt>
        <dd>{t(`outreach.sexes.${c.sex}`)}</dd>
        <dt>{t('outreach.clientPage.birthYear')}</dt>
        <dd>{c.birthYear != null ? date(String(c.birthYear)) : t('outreach.uic.unknown')}</dd>
        <dt>{t('outreach.client.firstContactOn')}</dt>
        <dd>{date(c.firstContactOn)}</dd>
        <dt>{t('outreach.client.drugs')}</dt>
        <dd>{c.drugs?.length ? c.drugs.map((d) => t(`enforcement.drugs.${d}`)).join(', ') : t('outreach.clientPage.noDrugs')}</dd>
        <dt>{t('outreach.client.route')}</dt>
        <dd>{t(`outreach.routes.${c.route}`)}</dd>
        <dt>{t('outreach.clientPage.currentStatus')}</dt>
        <dd>
          <strong>{t(`outreach.statuses.${c.status}`)}</strong>
        </dd>
        <dt>{t('outreach.manager.lastContact')}</dt>
        <dd>{c.lastContactOn ? date(c.lastContactOn) : '—'}</dd>
      </dl>

      <StatusForm c={c} reload={reload} />

      <h2>{t('outreach.clientPage.referrals')}</h2>
      {referrals.length === 0 ? (
        <p className="muted">{t('outreach.clientPage.noReferrals')}</p>
      ) : (
        <ol className="ow-referrals" style={{ listStyle: 'none', padding: 0 }}>
          {referrals.map((r) => (
            <li key={r.id}>
              <ReferralForm r={r} reload={reload} />
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function StatusForm({ c, reload }: { c: ClientDetail; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  // Lost to follow-up is computed: the stored status behind it is 'active'.
  const [status, setStatus] = useState<SettableStatus>(c.status === 'moved' || c.status === 'died' ? c.status : 'active');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<Msg | null>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(null);
    setSaved(false);
    try {
      await managerApi.setStatus(c.id, status);
      await reload();
      setSaved(true);
    } catch (err) {
      const f = apiFieldErrors(err, ['status']);
      setErrors(f);
      if (!f.status) setError(errorMsg(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={submit} noValidate>
      {c.status === 'lost_to_follow_up' ? <p className="muted small">{t('outreach.clientPage.ltfuNote')}</p> : null}
      <SelectField label={t('outreach.manager.status')} value={status} onChange={(e) => setStatus(e.target.value as SettableStatus)} error={show(t, errors.status)}>
        {SETTABLE.map((s) => (
          <option key={s} value={s}>
            {t(`outreach.statuses.${s}`)}
          </option>
        ))}
      </SelectField>
      {error ? <Notice kind="error">{show(t, error)}</Notice> : null}
      {saved ? <Notice kind="success">{t('outreach.clientPage.statusSaved')}</Notice> : null}
      <button type="submit" className="button" disabled={busy}>
        {t('outreach.clientPage.saveStatus')}
      </button>
    </form>
  );
}

function ReferralForm({ r, reload }: { r: Referral; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  const { date } = useFmt();
  const [outcome, setOutcome] = useState<ReferralOutcome>(r.outcome);
  const [outcomeOn, setOutcomeOn] = useState(r.outcomeOn ?? todayInCambodia());
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<Msg | null>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(null);
    setSaved(false);
    try {
      await managerApi.setReferralOutcome(r.id, outcome, outcomeOn.trim() || null);
      await reload();
      setSaved(true);
    } catch (err) {
      const f = apiFieldErrors(err, ['outcome', 'outcomeOn']);
      setErrors(f);
      if (!f.outcome && !f.outcomeOn) setError(errorMsg(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby={`ref-${r.id}`}>
      <h3 id={`ref-${r.id}`}>{t('outreach.contact.referralN', { n: r.n })}</h3>
      <dl className="facts">
        <dt>{t('outreach.clientPage.target')}</dt>
        <dd>{t(`outreach.referralTargets.${r.target}`)}</dd>
        <dt>{t('outreach.clientPage.madeOn')}</dt>
        <dd>{date(r.madeOn)}</dd>
        <dt>{t('outreach.clientPage.outcome')}</dt>
        <dd>
          {t(`outreach.clientPage.outcomes.${r.outcome}`)}
          {r.outcomeOn ? ` · ${date(r.outcomeOn)}` : ''}
        </dd>
      </dl>
      <SelectField
        label={t('outreach.clientPage.outcomeOf', { n: r.n })}
        value={outcome}
        onChange={(e) => setOutcome(e.target.value as ReferralOutcome)}
        error={show(t, errors.outcome)}
      >
        {OUTCOMES.map((o) => (
          <option key={o} value={o}>
            {t(`outreach.clientPage.outcomes.${o}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        type="date"
        label={t('outreach.clientPage.outcomeOnOf', { n: r.n })}
        optional={t('common.optional')}
        value={outcomeOn}
        max={todayInCambodia()}
        onChange={(e) => setOutcomeOn(e.target.value)}
        error={show(t, errors.outcomeOn)}
      />
      {error ? <Notice kind="error">{show(t, error)}</Notice> : null}
      {saved ? <Notice kind="success">{t('outreach.clientPage.referralSaved', { n: r.n })}</Notice> : null}
      <button type="submit" className="button" disabled={busy}>
        {t('outreach.clientPage.update', { n: r.n })}
      </button>
    </form>
  );
}
