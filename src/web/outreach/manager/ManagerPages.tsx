/**
 * Programme manager pages (online, the organisation's own client-level data): clients (search by UIC), likely
 * duplicates to review (merge / keep apart), indicators by week / hotspot / sex / age band (chart, table one click
 * away, CSV), hotspots (code + district).
 */
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, todayInCambodia } from '../../../core/dates';
import { hotspotCode } from '../../../core/harm-reduction';
import { INDICATOR_COLUMNS, INDICATOR_GROUPS } from '../../../core/indicators/harm-reduction';
import { api, ApiError } from '../../api/client';
import { errorText } from '../../i18n/messages';
import { BarChart } from '../../ui/charts/BarChart';
import { ChartPanel, DataTable } from '../../ui/charts/ChartPanel';
import { Notice, SelectField, TextField } from '../../ui/Field';
import { usePlaceName } from '../../ui/places';
import { useLoad } from '../../ui/useAsync';
import { Link } from '../../shell/router';
import type { GeoUnit } from '../../api/types';
import { useFmt } from '../ui';
import { managerApi, type IndicatorBy, type IndicatorRow } from './api';

function Page({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="page ow-page ow-page--wide" aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      {children}
    </section>
  );
}

function LoadError({ error, reload }: { error: unknown; reload: () => void }) {
  const { t } = useTranslation();
  const notThere = error instanceof ApiError && error.status === 404;
  return (
    <Notice kind="error">
      <p>{notThere ? t('outreach.manager.notAvailable') : errorText(t, error)}</p>
      <button type="button" className="button button--small" onClick={reload}>
        {t('common.retry')}
      </button>
    </Notice>
  );
}

export function ClientsPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [uic, setUic] = useState('');
  const list = useLoad(() => managerApi.clients(uic), [uic]);
  return (
    <Page title={t('outreach.manager.clientsTitle')}>
      <form
        className="toolbar ow-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setUic(q.trim().toUpperCase());
        }}
      >
        <TextField label={t('outreach.find.uic')} value={q} onChange={(e) => setQ(e.target.value.toUpperCase())} autoComplete="off" spellCheck={false} />
        <button type="submit" className="button">
          {t('outreach.manager.search')}
        </button>
      </form>
      {list.error ? (
        <LoadError error={list.error} reload={list.reload} />
      ) : list.loading ? (
        <p role="status">{t('app.loading')}</p>
      ) : list.data && list.data.length === 0 ? (
        <p className="muted">{t('outreach.find.none')}</p>
      ) : (
        <table className="table table--cards">
          <thead>
            <tr>
              <th scope="col">UIC</th>
              <th scope="col">{t('outreach.client.sex')}</th>
              <th scope="col">{t('outreach.uic.year')}</th>
              <th scope="col">{t('outreach.client.firstContactOn')}</th>
              <th scope="col">{t('outreach.manager.lastContact')}</th>
              <th scope="col">{t('outreach.manager.status')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((c) => (
              <tr key={c.id}>
                <th scope="row" className="mono">
                  <Link href={`/outreach/clients/${encodeURIComponent(c.id)}`}>{c.uic}</Link>
                </th>
                <td data-label={t('outreach.client.sex')}>{t(`outreach.sexes.${c.sex}`)}</td>
                <td data-label={t('outreach.uic.year')}>{c.birthYear ?? t('outreach.uic.unknown')}</td>
                <td data-label={t('outreach.client.firstContactOn')}>{c.firstContactOn}</td>
                <td data-label={t('outreach.manager.lastContact')}>{c.lastContactOn ?? '—'}</td>
                <td data-label={t('outreach.manager.status')}>{t(`outreach.statuses.${c.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

export function DuplicatesPage() {
  const { t } = useTranslation();
  const list = useLoad(() => managerApi.duplicates());
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const decide = async (a: string, b: string, decision: 'merge' | 'keep_apart') => {
    setBusy(`${a}/${b}`);
    setError(null);
    try {
      await managerApi.decide(a, b, decision);
      await list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Page title={t('outreach.manager.duplicatesTitle')}>
      <p className="muted">{t('outreach.manager.duplicatesIntro')}</p>
      {error ? <Notice kind="error">{errorText(t, error)}</Notice> : null}
      {list.error ? (
        <LoadError error={list.error} reload={list.reload} />
      ) : list.loading ? (
        <p role="status">{t('app.loading')}</p>
      ) : !list.data?.length ? (
        <p className="muted">{t('outreach.manager.noDuplicates')}</p>
      ) : (
        <ul className="ow-dups">
          {list.data.map((p) => (
            <li key={`${p.a.id}/${p.b.id}`} className="card">
              {[p.a, p.b].map((c) => (
                <p key={c.id}>
                  <strong className="mono">{c.uic}</strong> · {t(`outreach.sexes.${c.sex}`)} · {c.birthYear ?? t('outreach.uic.unknown')} · {c.firstContactOn}
                </p>
              ))}
              <p className="muted small">
                {[
                  p.sameUic ? t('outreach.manager.why.sameUic') : t('outreach.manager.why.oneApart'),
                  p.sexDiffers ? t('outreach.manager.why.sex') : null,
                  p.birthYearDiffers ? t('outreach.manager.why.birthYear') : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
              <div className="form-actions">
                <button type="button" className="button" disabled={busy !== null} onClick={() => void decide(p.a.id, p.b.id, 'merge')}>
                  {t('outreach.manager.merge')}
                </button>
                <button type="button" className="button" disabled={busy !== null} onClick={() => void decide(p.a.id, p.b.id, 'keep_apart')}>
                  {t('outreach.manager.keepApart')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

// The indicator columns and groupings are defined once, in src/core/indicators/harm-reduction.ts.
const MEASURES: string[] = INDICATOR_COLUMNS.filter((c) => c !== 'key');
const GROUPS = INDICATOR_GROUPS.filter((g) => g !== 'total');

export function IndicatorsPage() {
  const { t, i18n } = useTranslation();
  const { num } = useFmt();
  const today = todayInCambodia();
  const [from, setFrom] = useState(addDays(today, -83));
  const [to, setTo] = useState(today);
  const [by, setBy] = useState<IndicatorBy>('week');
  const rows = useLoad(() => managerApi.indicators(from, to, by), [from, to, by]);
  const data = rows.data ?? [];
  const measures = useMemo(() => {
    const seen = new Set<string>();
    for (const r of data) for (const k of Object.keys(r)) if (k !== 'key' && k !== 'label' && (typeof r[k] === 'number' || typeof r[k] === 'string')) seen.add(k);
    return [...MEASURES.filter((m) => seen.has(m)), ...[...seen].filter((m) => !MEASURES.includes(m))];
  }, [data]);
  const label = (m: string) => (MEASURES.includes(m) ? t(`outreach.indicators.${m}`) : m);
  const groupLabel = (r: IndicatorRow) => {
    const k = String(r.label ?? r.key);
    if (k === 'anonymous') return t('outreach.contact.anonymousShort');
    if (by === 'sex') return t(`outreach.sexes.${k}`, { defaultValue: k });
    if (by === 'age') return t(`outreach.indicators.ages.${k === '<25' ? 'under25' : k === '25+' ? 'over25' : 'unknown'}`);
    if (by === 'setting') return t(`outreach.settings.${k}`, { defaultValue: k });
    if (by === 'hotspot') {
      const m = k.match(/^\((\w+)\)$/);
      return m ? t(`outreach.settings.${m[1]}`, { defaultValue: k }) : k;
    }
    return k;
  };
  const show = (v: unknown, m: string) =>
    typeof v === 'number' ? (m.endsWith('Rate') ? `${num(Math.round(v * 100))}%` : Number.isInteger(v) ? num(v) : num(Math.round(v * 100) / 100)) : String(v ?? '—');
  const chartMeasures = ['clientsReached', 'newClients', 'contacts'].filter((m) => measures.includes(m));
  return (
    <Page title={t('outreach.manager.indicatorsTitle')}>
      <div className="toolbar ow-filters">
        <TextField label={t('outreach.manager.from')} type="date" value={from} min={addDays(to, -365)} max={to} onChange={(e) => setFrom(e.target.value)} />
        <TextField label={t('outreach.manager.to')} type="date" value={to} min={from} max={today} onChange={(e) => setTo(e.target.value)} />
        <SelectField label={t('outreach.manager.by')} value={by} onChange={(e) => setBy(e.target.value as IndicatorBy)}>
          {GROUPS.map((b) => (
            <option key={b} value={b}>
              {t(`outreach.indicators.by.${b}`)}
            </option>
          ))}
        </SelectField>
      </div>
      {rows.error ? (
        <LoadError error={rows.error} reload={rows.reload} />
      ) : rows.loading ? (
        <p role="status">{t('app.loading')}</p>
      ) : data.length === 0 ? (
        <p className="muted">{t('outreach.manager.noData')}</p>
      ) : (
        <ChartPanel
          title={t('outreach.indicators.chartTitle', { by: t(`outreach.indicators.by.${by}`) })}
          labels={{ showTable: t('report.showTable'), hideTable: t('report.hideTable'), downloadCsv: t('report.downloadCsv') }}
          csvHref={managerApi.indicatorsCsvHref(from, to, by)}
          table={() => <DataTable caption={t('outreach.manager.indicatorsTitle')} columns={[t(`outreach.indicators.by.${by}`), ...measures.map(label)]} rows={data.map((r) => [groupLabel(r), ...measures.map((m) => show(r[m], m))])} />}
        >
          <BarChart
            key={i18n.language}
            categories={data.map(groupLabel)}
            series={chartMeasures.map((m) => ({ name: label(m), data: data.map((r) => (typeof r[m] === 'number' ? (r[m] as number) : 0)) }))}
            label={t('outreach.indicators.chartTitle', { by: t(`outreach.indicators.by.${by}`) })}
            format={num}
            horizontal={by !== 'week'}
          />
        </ChartPanel>
      )}
    </Page>
  );
}

export function HotspotsPage() {
  const { t } = useTranslation();
  const placeName = usePlaceName();
  const list = useLoad(() => managerApi.hotspots());
  const provinces = useLoad(() => api.provinces());
  const [province, setProvince] = useState('');
  const [districts, setDistricts] = useState<GeoUnit[]>([]);
  const [code, setCode] = useState('');
  const [district, setDistrict] = useState('');
  const [errors, setErrors] = useState<{ code?: string; district?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const chooseProvince = async (p: string) => {
    setProvince(p);
    setDistrict('');
    setDistricts(p ? await api.districts(p).catch(() => []) : []);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const c = hotspotCode.safeParse(code);
    const errs: typeof errors = {};
    if (!c.success) errs.code = t('outreach.manager.codeHint');
    if (!district) errs.district = t('validation.required');
    setErrors(errs);
    if (!c.success || !district) return;
    setBusy(true);
    setError(null);
    try {
      await managerApi.createHotspot({ code: c.data, districtCode: district });
      setCode('');
      await list.reload();
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t('outreach.manager.hotspotsTitle')}>
      <p className="muted">{t('outreach.manager.hotspotsIntro')}</p>
      <form className="card ow-hotspot-form" onSubmit={submit} noValidate aria-label={t('outreach.manager.addHotspot')}>
        {error ? <Notice kind="error">{errorText(t, error)}</Notice> : null}
        <TextField label={t('outreach.manager.code')} value={code} onChange={(e) => setCode(e.target.value.toUpperCase())} error={errors.code} hint={t('outreach.manager.codeHint')} maxLength={20} autoComplete="off" />
        <SelectField label={t('cases.form.province')} value={province} onChange={(e) => void chooseProvince(e.target.value)}>
          <option value="">{t('common.choose')}</option>
          {provinces.data?.map((p) => (
            <option key={p.code} value={p.code}>
              {placeName(p)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('cases.form.district')} value={district} onChange={(e) => setDistrict(e.target.value)} disabled={!province} error={errors.district}>
          <option value="">{t('common.choose')}</option>
          {districts.map((d) => (
            <option key={d.code} value={d.code}>
              {placeName(d)}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('outreach.manager.addHotspot')}
        </button>
      </form>
      {list.error ? (
        <LoadError error={list.error} reload={list.reload} />
      ) : (
        <table className="table table--cards">
          <thead>
            <tr>
              <th scope="col">{t('outreach.manager.code')}</th>
              <th scope="col">{t('cases.form.district')}</th>
              <th scope="col">{t('outreach.manager.status')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((h) => (
              <tr key={h.id} className={h.active ? undefined : 'row--muted'}>
                <th scope="row" className="mono">
                  {h.code}
                </th>
                <td data-label={t('cases.form.district')}>{h.districtCode}</td>
                <td data-label={t('outreach.manager.status')}>{h.active ? t('outreach.manager.active') : t('outreach.manager.inactive')}</td>
                <td data-label={t('common.actions')}>
                  <button
                    type="button"
                    className="button button--small"
                    onClick={async () => {
                      try {
                        await managerApi.setHotspotActive(h.id, !h.active);
                        await list.reload();
                      } catch (x) {
                        setError(x);
                      }
                    }}
                  >
                    {h.active ? t('outreach.manager.deactivate') : t('outreach.manager.activate')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
