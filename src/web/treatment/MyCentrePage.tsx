/**
 * Centre staff and programme managers: one of the own organisation's centres — people in care today, occupancy
 * against capacity (with a clear warning over capacity), share voluntary, completion rate; admissions and discharges
 * per week, admissions by referral source and legal basis, discharges by reason (each chart's table one click away);
 * the list of people in care (UIC only) with a Discharge action and a Void action (an admission entered in error or
 * twice leaves every figure). Exact figures: the data stays in the organisation.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { todayInCambodia } from '../../core/dates';
import { DISCHARGE_REASONS, LEGAL_BASES, REFERRAL_SOURCES, VOID_REASONS, dischargeInput, voidAdmissionInput, type AdmissionDto, type CentreDto } from '../../core/treatment';
import { errorMsg, type FieldErrors, type Msg } from '../i18n/messages';
import { Link } from '../shell/router';
import { useSession } from '../shell/session';
import { setSearch } from '../enforcement/report/urlState';
import { BarChart } from '../ui/charts/BarChart';
import { ChartPanel, DataTable } from '../ui/charts/ChartPanel';
import { Notice, SelectField, TextField } from '../ui/Field';
import { useLoad } from '../ui/useAsync';
import { treatmentApi, type CentreView } from './api';
import { LoadFailed, Loading, PeriodControls, useMsg, useNarrow, useCentreName, usePanelLabels, usePeriod, useTreatmentFormats, type TreatmentFormats } from './common';
import { useTreatmentFlash } from './flash';
import { useOwnCentres } from './ownCentres';
import { apiErrors, conflictAt, zodErrors } from './messages';

const PAGE = 100;

export function MyCentrePage() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const centreName = useCentreName();
  const flash = useTreatmentFlash();
  const { centres, own, chosen } = useOwnCentres();
  const { period, setPeriod, problem } = usePeriod();
  const [changes, setChanges] = useState(0);
  const view = useLoad(
    () => (chosen && !problem ? treatmentApi.centreView(chosen.id, period.from, period.to) : Promise.resolve(null)),
    [chosen?.id, period.from, period.to, problem, changes],
  );
  const canAdmit = me.role === 'treatment_staff' && chosen?.status === 'open';
  // A centre without a Khmer name keeps its (English) name in the centre choice, not in a Khmer page's title.
  const titleIsName = chosen !== null && (i18n.language !== 'km' || !!chosen.nameKm);

  return (
    <section className="page page--wide tr-page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">{titleIsName && chosen ? centreName(chosen) : t('treatment.centre.title')}</h1>
        {canAdmit && chosen && (
          <Link className="button button--primary" href={`/treatment/admit?centre=${encodeURIComponent(chosen.id)}`} data-testid="admit-link">
            {t('treatment.centre.admit')}
          </Link>
        )}
      </div>
      <p className="muted">{t('treatment.centre.intro')}</p>
      {flash && (
        <Notice kind="success" dismissLabel={t('common.dismiss')}>
          {t(flash.key, flash.opts)}
        </Notice>
      )}
      {centres.error ? <LoadFailed error={centres.error} retry={() => void centres.reload()} /> : null}
      {centres.loading && !centres.data ? <Loading /> : null}
      {centres.data && own.length === 0 ? <Notice kind="info">{t('treatment.centre.noCentre')}</Notice> : null}
      {chosen && (own.length > 1 || !titleIsName) && (
        <div className="toolbar">
          <SelectField label={t('treatment.centre.choose')} name="centre" value={chosen.id} onChange={(e) => setSearch(`centre=${encodeURIComponent(e.target.value)}`)}>
            {own.map((c) => (
              <option key={c.id} value={c.id}>
                {centreName(c)}
                {c.status !== 'open' ? ` (${t(`treatment.statuses.${c.status}`)})` : ''}
              </option>
            ))}
          </SelectField>
        </div>
      )}
      {chosen && <CentreFacts centre={chosen} />}
      {chosen && (
        <>
          <PeriodControls period={period} onChange={setPeriod} problem={problem} />
          {view.error ? <LoadFailed error={view.error} retry={() => void view.reload()} what={t('treatment.centre.failed')} /> : null}
          {view.loading && !view.data ? <Loading /> : null}
          {view.data && <CentreFigures view={view.data} stale={view.loading} />}
          <InCareList key={chosen.id} centre={chosen} canDischarge={me.role === 'treatment_staff'} onChanged={() => setChanges((n) => n + 1)} version={changes} />
        </>
      )}
    </section>
  );
}

function CentreFacts({ centre }: { centre: CentreDto }) {
  const { t } = useTranslation();
  const f = useTreatmentFormats();
  return (
    <p className="tr-facts">
      <span className="badge">{t(`treatment.kinds.${centre.kind}`)}</span> <span className="badge">{t(`treatment.modalities.${centre.modality}`)}</span>{' '}
      <span className="badge">{t(`treatment.policies.${centre.admissionPolicy}`)}</span>{' '}
      <span className={`badge tr-status tr-status--${centre.status}`}>{t(`treatment.statuses.${centre.status}`)}</span>{' '}
      <span className="muted">{t('treatment.centre.places', { n: f.num(centre.capacity) })}</span>
    </p>
  );
}

function CentreFigures({ view, stale }: { view: CentreView; stale: boolean }) {
  const { t, i18n } = useTranslation();
  const f = useTreatmentFormats();
  const labels = usePanelLabels();
  const narrow = useNarrow();
  const completed = view.byDischargeReason.completed ?? 0;
  const ended = view.discharges - (view.byDischargeReason.transferred ?? 0);
  const charts = useMemo(
    () => ({
      weeks: {
        categories: view.weeks.map((w) => f.shortDate(w.from)),
        series: [
          { name: t('treatment.centre.admissions'), data: view.weeks.map((w) => w.admissions), colour: '#0b4f6c' },
          { name: t('treatment.centre.discharges'), data: view.weeks.map((w) => w.discharges), colour: '#d9822b' },
        ],
      },
      referral: {
        categories: REFERRAL_SOURCES.map((r) => t(`treatment.referralSources.${r}`)),
        series: [{ name: t('treatment.centre.admissions'), data: REFERRAL_SOURCES.map((r) => view.byReferralSource[r] ?? 0), colour: '#2a7aa6' }],
      },
      legal: {
        categories: LEGAL_BASES.map((b) => t(`treatment.legalBases.${b}`)),
        series: [{ name: t('treatment.centre.admissions'), data: LEGAL_BASES.map((b) => view.byLegalBasis[b] ?? 0), colour: '#0b4f6c' }],
      },
      reasons: {
        categories: DISCHARGE_REASONS.map((r) => t(`treatment.dischargeReasons.${r}`)),
        series: [{ name: t('treatment.centre.discharges'), data: DISCHARGE_REASONS.map((r) => view.byDischargeReason[r] ?? 0), colour: '#d9822b' }],
      },
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [view, i18n.language, f],
  );
  const rangeText = `${f.date(view.range.from)} – ${f.date(view.range.to)}`;
  const countTable = (caption: string, keys: readonly string[], prefix: string, values: Record<string, number>, column: string) => (
    <DataTable
      caption={caption}
      columns={[t('treatment.table.category'), column]}
      rows={[...keys.map((k) => [t(`${prefix}.${k}`), f.num(values[k] ?? 0)]), [t('treatment.table.total'), f.num(keys.reduce((s, k) => s + (values[k] ?? 0), 0))]]}
    />
  );

  return (
    <div className={`rpt-body${stale ? ' rpt-body--stale' : ''}`} aria-busy={stale}>
      {view.overCapacity && (
        <div className="notice notice--warn tr-over" role="alert" data-testid="over-capacity">
          <div className="notice-body">
            <strong>{t('treatment.centre.overCapacityTitle')}</strong> {t('treatment.centre.overCapacity', { inCare: f.num(view.inCareToday), capacity: f.num(view.capacity) })}
          </div>
        </div>
      )}
      <dl className="headlines tr-headlines">
        <div className="headline">
          <dt>{t('treatment.centre.inCareToday')}</dt>
          <dd data-testid="headline-inCare">{f.num(view.inCareToday)}</dd>
          <dd className="tr-sub">{t('treatment.centre.onDay', { date: f.date(view.today) })}</dd>
        </div>
        <div className={`headline${view.overCapacity ? ' tr-headline--over' : ''}`}>
          <dt>{t('treatment.centre.occupancy')}</dt>
          <dd data-testid="headline-occupancy">{f.pct(view.occupancy)}</dd>
          <dd className="tr-sub">{t('treatment.centre.occupancyOf', { inCare: f.num(view.inCareToday), capacity: f.num(view.capacity) })}</dd>
        </div>
        <div className="headline">
          <dt>{t('treatment.centre.shareVoluntary')}</dt>
          <dd data-testid="headline-voluntary">{f.pct(view.shareVoluntary)}</dd>
          <dd className="tr-sub">{t('treatment.centre.voluntaryOf', { n: f.num(view.byLegalBasis.voluntary ?? 0), total: f.num(view.admissions) })}</dd>
        </div>
        <div className="headline">
          <dt>{t('treatment.centre.completionRate')}</dt>
          <dd data-testid="headline-completion">{f.pct(view.completionRate)}</dd>
          <dd className="tr-sub">{t('treatment.centre.completedOf', { n: f.num(completed), total: f.num(Math.max(0, ended)) })}</dd>
        </div>
      </dl>
      <p className="muted small tr-range">{t('treatment.centre.periodNote', { range: rangeText })}</p>

      <div className="chart-grid">
        <ChartPanel
          className="chart-panel--wide"
          title={t('treatment.centre.charts.weekly')}
          note={t('treatment.centre.charts.weeklyNote')}
          labels={labels}
          table={() => (
            <DataTable
              caption={t('treatment.centre.charts.weekly')}
              columns={[t('treatment.table.week'), t('treatment.centre.admissions'), t('treatment.centre.discharges')]}
              rows={[
                ...view.weeks.map((w) => [w.from === w.to ? f.date(w.from) : `${f.date(w.from)} – ${f.date(w.to)}`, f.num(w.admissions), f.num(w.discharges)]),
                [t('treatment.table.total'), f.num(view.admissions), f.num(view.discharges)],
              ]}
            />
          )}
        >
          <BarChart label={t('treatment.centre.charts.weekly')} categories={charts.weeks.categories} series={charts.weeks.series} format={f.num} horizontal={narrow} height={narrow ? undefined : 260} labelWidth={80} />
        </ChartPanel>
        <ChartPanel
          title={t('treatment.centre.charts.referral')}
          labels={labels}
          table={() => countTable(t('treatment.centre.charts.referral'), REFERRAL_SOURCES, 'treatment.referralSources', view.byReferralSource, t('treatment.centre.admissions'))}
        >
          <BarChart label={t('treatment.centre.charts.referral')} categories={charts.referral.categories} series={charts.referral.series} horizontal format={f.num} labelWidth={f.lang === 'km' ? 150 : 130} />
        </ChartPanel>
        <ChartPanel
          title={t('treatment.centre.charts.legal')}
          labels={labels}
          table={() => countTable(t('treatment.centre.charts.legal'), LEGAL_BASES, 'treatment.legalBases', view.byLegalBasis, t('treatment.centre.admissions'))}
        >
          <BarChart label={t('treatment.centre.charts.legal')} categories={charts.legal.categories} series={charts.legal.series} horizontal format={f.num} labelWidth={f.lang === 'km' ? 150 : 140} />
        </ChartPanel>
        <ChartPanel
          title={t('treatment.centre.charts.reasons')}
          note={t('treatment.centre.charts.reasonsNote')}
          labels={labels}
          table={() => countTable(t('treatment.centre.charts.reasons'), DISCHARGE_REASONS, 'treatment.dischargeReasons', view.byDischargeReason, t('treatment.centre.discharges'))}
        >
          <BarChart label={t('treatment.centre.charts.reasons')} categories={charts.reasons.categories} series={charts.reasons.series} horizontal format={f.num} labelWidth={f.lang === 'km' ? 150 : 140} />
        </ChartPanel>
      </div>
    </div>
  );
}

function InCareList({ centre, canDischarge, onChanged, version }: { centre: CentreDto; canDischarge: boolean; onChanged: () => void; version: number }) {
  const { t } = useTranslation();
  const msg = useMsg();
  const f = useTreatmentFormats();
  const list = useLoad(() => treatmentApi.admissions({ centreId: centre.id, inCare: true, limit: PAGE, offset: 0 }), [centre.id, version]);
  const [more, setMore] = useState<AdmissionDto[]>([]);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [open, setOpen] = useState<{ id: string; form: 'discharge' | 'void' } | null>(null);
  const [done, setDone] = useState<Msg | null>(null);
  useEffect(() => setMore([]), [list.data]);
  const items = [...(list.data?.items ?? []), ...more];
  const total = list.data?.total ?? 0;
  const loadMore = async () => {
    setMoreError(null);
    try {
      const next = await treatmentApi.admissions({ centreId: centre.id, inCare: true, limit: PAGE, offset: items.length });
      setMore((m) => [...m, ...next.items.filter((x) => !items.some((y) => y.id === x.id))]);
    } catch (e) {
      setMoreError(e);
    }
  };

  return (
    <section className="rpt-section tr-incare" aria-labelledby="incare-title">
      <h2 id="incare-title">{t('treatment.centre.inCareTitle')}</h2>
      {done && (
        <Notice kind="success" onDismiss={() => setDone(null)} dismissLabel={t('common.dismiss')}>
          {msg(done)}
        </Notice>
      )}
      {list.error ? <LoadFailed error={list.error} retry={() => void list.reload()} /> : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && items.length === 0 ? <p className="muted">{t('treatment.centre.nobodyInCare')}</p> : null}
      {items.length > 0 && (
        <>
          <p className="muted" data-testid="incare-count">
            {total > items.length ? t('treatment.centre.inCareSome', { shown: f.num(items.length), total: f.num(total) }) : t('treatment.centre.inCareAll', { count: total, n: f.num(total) })}
          </p>
          <table className="table table--cards tr-incare-table" aria-labelledby="incare-title">
            <thead>
              <tr>
                <th scope="col">{t('treatment.table.uic')}</th>
                <th scope="col">{t('treatment.table.admittedOn')}</th>
                <th scope="col" className="num">
                  {t('treatment.table.daysInCare')}
                </th>
                <th scope="col">{t('treatment.table.legalBasis')}</th>
                {canDischarge && <th scope="col">{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <InCareRow
                  key={a.id}
                  a={a}
                  f={f}
                  canDischarge={canDischarge}
                  open={open?.id === a.id ? open.form : null}
                  onOpen={(form) => setOpen(open?.id === a.id && open.form === form ? null : { id: a.id, form })}
                  onDischarged={(x) => {
                    setOpen(null);
                    setDone({ key: 'treatment.discharge.done', opts: { uic: x.uic, date: f.date(x.dischargedOn ?? '') } });
                    onChanged();
                  }}
                  onVoided={(x) => {
                    setOpen(null);
                    setDone({ key: 'treatment.void.done', opts: { uic: x.uic } });
                    onChanged();
                  }}
                  onStale={() => void list.reload()}
                />
              ))}
            </tbody>
          </table>
          {moreError ? <LoadFailed error={moreError} retry={() => void loadMore()} /> : null}
          {total > items.length && (
            <button type="button" className="button" onClick={() => void loadMore()}>
              {t('treatment.centre.showMore')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function InCareRow({
  a,
  f,
  canDischarge,
  open,
  onOpen,
  onDischarged,
  onVoided,
  onStale,
}: {
  a: AdmissionDto;
  f: TreatmentFormats;
  canDischarge: boolean;
  open: 'discharge' | 'void' | null;
  onOpen: (form: 'discharge' | 'void') => void;
  onDischarged: (a: AdmissionDto) => void;
  onVoided: (a: AdmissionDto) => void;
  onStale: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <tr className={open ? 'row--editing' : undefined} data-uic={a.uic}>
        <th scope="row" className="mono" data-label={t('treatment.table.uic')}>
          {a.uic}
        </th>
        <td data-label={t('treatment.table.admittedOn')}>{f.date(a.admittedOn)}</td>
        <td data-label={t('treatment.table.daysInCare')} className="num">
          {f.num(a.daysInCare)}
        </td>
        <td data-label={t('treatment.table.legalBasis')}>{t(`treatment.legalBases.${a.legalBasis}`)}</td>
        {canDischarge && (
          <td data-label={t('common.actions')}>
            <button type="button" className="button button--small" aria-expanded={open === 'discharge'} aria-label={t('treatment.discharge.openLabel', { uic: a.uic })} onClick={() => onOpen('discharge')}>
              {t('treatment.discharge.open')}
            </button>{' '}
            <button type="button" className="button button--small" aria-expanded={open === 'void'} aria-label={t('treatment.void.openLabel', { uic: a.uic })} onClick={() => onOpen('void')}>
              {t('treatment.void.open')}
            </button>
          </td>
        )}
      </tr>
      {open && (
        <tr className="tr-discharge-row">
          <td colSpan={5}>
            {open === 'discharge' ? (
              <DischargeForm a={a} onDone={onDischarged} onCancel={() => onOpen('discharge')} onStale={onStale} />
            ) : (
              <VoidForm a={a} onDone={onVoided} onCancel={() => onOpen('void')} onStale={onStale} />
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function DischargeForm({ a, onDone, onCancel, onStale }: { a: AdmissionDto; onDone: (a: AdmissionDto) => void; onCancel: () => void; onStale: () => void }) {
  const { t } = useTranslation();
  const msg = useMsg();
  const today = todayInCambodia();
  const [date, setDate] = useState(today);
  const [reason, setReason] = useState('');
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<Msg[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError([]);
    const body = { version: a.version, dischargedOn: date, reason };
    const parsed = dischargeInput(today).safeParse(body);
    const errs: FieldErrors = parsed.success ? {} : zodErrors(parsed.error, body);
    if (!errs.dischargedOn && date && date < a.admittedOn) errs.dischargedOn = { key: 'treatment.validation.beforeAdmission', opts: { date: a.admittedOn } };
    setFields(errs);
    if (!parsed.success || Object.keys(errs).length) return;
    setBusy(true);
    try {
      onDone(await treatmentApi.discharge(a.id, parsed.data));
    } catch (err) {
      if (conflictAt(err, 'version')) {
        setError([{ key: 'treatment.discharge.stale' }]);
        onStale();
        return;
      }
      if (conflictAt(err, 'dischargedOn', 'this stay is voided')) {
        setFields({ dischargedOn: { key: 'treatment.void.isVoided' } });
        onStale();
        return;
      }
      const r = apiErrors(err, ['dischargedOn', 'reason']);
      setFields(r.fields);
      setError(Object.keys(r.fields).length ? r.other : r.other.length ? r.other : [errorMsg(err)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="tr-discharge" onSubmit={submit} noValidate aria-label={t('treatment.discharge.formLabel', { uic: a.uic })}>
      <p className="tr-discharge-title">
        <strong>{t('treatment.discharge.title', { uic: a.uic })}</strong>
      </p>
      {error.length > 0 && <Notice kind="error">{error.map((m) => msg(m)).join(' ')}</Notice>}
      <div className="tr-discharge-fields">
        <TextField
          label={t('treatment.discharge.date')}
          name="dischargedOn"
          type="date"
          value={date}
          min={a.admittedOn}
          max={today}
          onChange={(e) => setDate(e.target.value)}
          error={msg(fields.dischargedOn)}
        />
        <SelectField label={t('treatment.discharge.reason')} name="reason" value={reason} onChange={(e) => setReason(e.target.value)} error={msg(fields.reason)}>
          <option value="">{t('common.choose')}</option>
          {DISCHARGE_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`treatment.dischargeReasons.${r}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.working') : t('treatment.discharge.confirm')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('treatment.discharge.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Void a stay entered in error or twice: the reason, one sentence on what it does, and a confirm button. */
function VoidForm({ a, onDone, onCancel, onStale }: { a: AdmissionDto; onDone: (a: AdmissionDto) => void; onCancel: () => void; onStale: () => void }) {
  const { t } = useTranslation();
  const msg = useMsg();
  const [reason, setReason] = useState('');
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<Msg[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError([]);
    const body = { version: a.version, reason };
    const parsed = voidAdmissionInput.safeParse(body);
    const errs: FieldErrors = parsed.success ? {} : zodErrors(parsed.error, body);
    setFields(errs);
    if (!parsed.success) return;
    setBusy(true);
    try {
      onDone(await treatmentApi.voidAdmission(a.id, parsed.data));
    } catch (err) {
      if (conflictAt(err, 'version')) {
        setError([{ key: 'treatment.void.stale' }]);
        onStale();
        return;
      }
      if (conflictAt(err, 'reason')) {
        setFields({ reason: { key: 'treatment.void.alreadyVoided' } });
        onStale();
        return;
      }
      const r = apiErrors(err, ['reason']);
      setFields(r.fields);
      setError(Object.keys(r.fields).length ? r.other : r.other.length ? r.other : [errorMsg(err)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="tr-discharge tr-void" onSubmit={submit} noValidate aria-label={t('treatment.void.formLabel', { uic: a.uic })}>
      <p className="tr-discharge-title">
        <strong>{t('treatment.void.title', { uic: a.uic })}</strong>
      </p>
      <p className="muted small">{t('treatment.void.explain')}</p>
      {error.length > 0 && <Notice kind="error">{error.map((m) => msg(m)).join(' ')}</Notice>}
      <div className="tr-discharge-fields">
        <SelectField label={t('treatment.void.reason')} name="voidReason" value={reason} onChange={(e) => setReason(e.target.value)} error={msg(fields.reason)}>
          <option value="">{t('common.choose')}</option>
          {VOID_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`treatment.void.reasons.${r}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--danger" disabled={busy}>
          {busy ? t('common.working') : t('treatment.void.confirm')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('treatment.void.cancel')}
        </button>
      </div>
    </form>
  );
}
