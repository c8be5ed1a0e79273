/**
 * The committee's enforcement figures for a campaign period and an area: headline numbers, the press sentences
 * (English and Khmer), charts, a province map, and every chart's numbers as a table with its CSV. The choice lives
 * in the URL query (the API's own query), so a link can be shared and the CSV files ask the same question.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayInCambodia, addDays } from '../../../core/dates';
import { PROVINCES } from '../../../core/geography';
import { api } from '../../api/client';
import type { GeoUnit } from '../../api/types';
import { errorMsg, fieldsText, show } from '../../i18n/messages';
import { Notice, SelectField, TextField } from '../../ui/Field';
import { useLoad } from '../../ui/useAsync';
import { usePlaceName } from '../../ui/places';
import { BarChart } from '../../ui/charts/BarChart';
import { ChartPanel, DataTable } from '../../ui/charts/ChartPanel';
import { ProvinceTileMap } from '../../ui/charts/ProvinceTileMap';
import { campaignsApi, type Campaign } from '../../campaigns/api';
import { csvHref, reportApi, type EnforcementReportResponse, type ReportTable } from './api';
import { useFormats, useNationalityName, type Formats } from './format';
import {
  PERIOD_KINDS,
  daysSoFar,
  defaultsFor,
  readUrl,
  resolveSelection,
  selectionProblem,
  toQuery,
  weeksSoFar,
  type PeriodKind,
  type ReportSelection,
} from './query';
import { setSearch, useSearch } from './urlState';
import { PressBox } from './PressBox';

export function ReportPage() {
  const { t } = useTranslation();
  const f = useFormats();
  const search = useSearch();
  const today = useMemo(() => todayInCambodia(), []);
  const campaigns = useLoad(() => campaignsApi.list());
  const provinces = useLoad(() => api.provinces());

  const sel = useMemo(() => (campaigns.data ? resolveSelection(readUrl(search), campaigns.data, today) : null), [campaigns.data, search, today]);
  const query = sel ? toQuery(sel) : null;
  const problem = sel ? selectionProblem(sel) : null;

  // The URL always shows the full question (defaults included), so that it can be copied as it is.
  useEffect(() => {
    if (query !== null) setSearch(query, 'replace');
  }, [query]);

  const [report, setReport] = useState<{ query: string; data: EnforcementReportResponse } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!query || problem) return;
    let alive = true;
    setLoading(true);
    setError(null);
    reportApi.report(query).then(
      (data) => {
        if (!alive) return;
        setReport({ query, data });
        setLoading(false);
      },
      (e) => {
        if (!alive) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      alive = false;
    };
  }, [query, problem, attempt]);

  const change = (patch: Partial<ReportSelection>) => {
    if (sel) setSearch(toQuery({ ...sel, ...patch }));
  };

  const data = report?.data;
  const dataQuery = report?.query ?? '';
  const stale = loading || (report !== null && report.query !== query);

  return (
    <section className="page page--wide rpt" aria-labelledby="page-title">
      <h1 id="page-title">{t('report.title')}</h1>
      <p className="muted">{t('report.intro')}</p>

      {campaigns.error ? (
        <Notice kind="error">
          {show(t, errorMsg(campaigns.error))}{' '}
          <button type="button" className="button button--quiet" onClick={() => void campaigns.reload()}>
            {t('common.retry')}
          </button>
        </Notice>
      ) : null}

      {sel && campaigns.data && (
        <Controls sel={sel} campaigns={campaigns.data} provinces={provinces.data ?? []} today={today} change={change} f={f} />
      )}

      {problem && <Notice kind="error">{t(problem)}</Notice>}

      {(campaigns.loading || (loading && !data)) && !problem ? (
        <p className="rpt-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('report.loading')}
        </p>
      ) : null}

      {error && !problem ? (
        <Notice kind="error">
          {t('report.failed')} {show(t, errorMsg(error))} {fieldsText(t, error)}{' '}
          <button type="button" className="button button--quiet" onClick={() => setAttempt((a) => a + 1)}>
            {t('common.retry')}
          </button>
        </Notice>
      ) : null}

      {data && !problem && (
        <div className={`rpt-body${stale ? ' rpt-body--stale' : ''}`} aria-busy={stale}>
          {loading && data && (
            <p className="rpt-loading rpt-loading--inline" role="status">
              <span className="spinner" aria-hidden="true" />
              {t('report.updating')}
            </p>
          )}
          <ReportBody data={data} query={dataQuery} f={f} provinces={provinces.data ?? null} onProvince={(code) => change({ province: code, district: null })} />
        </div>
      )}
    </section>
  );
}

function Controls({
  sel,
  campaigns,
  provinces,
  today,
  change,
  f,
}: {
  sel: ReportSelection;
  campaigns: Campaign[];
  provinces: { code: string; nameEn: string; nameKm: string }[];
  today: string;
  change: (p: Partial<ReportSelection>) => void;
  f: Formats;
}) {
  const { t } = useTranslation();
  const placeName = usePlaceName();
  const campaign = campaigns.find((c) => c.id === sel.campaignId) ?? null;
  const [districts, setDistricts] = useState<GeoUnit[] | null>(null);

  useEffect(() => {
    setDistricts(null);
    if (!sel.province) return;
    let alive = true;
    api.districts(sel.province).then(
      (d) => alive && setDistricts(d),
      () => alive && setDistricts([]),
    );
    return () => {
      alive = false;
    };
  }, [sel.province]);

  const kinds: PeriodKind[] = campaign ? [...PERIOD_KINDS] : ['range'];
  const weeks = campaign ? Math.max(weeksSoFar(campaign, today), sel.week) : 1;
  const days = campaign ? Math.max(daysSoFar(campaign, today), 1, sel.day, sel.fromDay, sel.toDay) : 1;
  const dayDate = (n: number) => (campaign ? f.shortDate(addDays(campaign.startDate, n - 1)) : '');
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
  const name = (c: Campaign) => (f.lang === 'km' ? c.nameKm : c.nameEn);

  return (
    <form className="card rpt-controls" onSubmit={(e) => e.preventDefault()} aria-label={t('report.controls')}>
      <SelectField
        label={t('report.campaign')}
        name="campaign"
        value={sel.campaignId ?? ''}
        disabled={campaigns.length === 0}
        onChange={(e) => {
          const c = campaigns.find((x) => x.id === e.target.value) ?? null;
          change({ campaignId: c?.id ?? null, ...defaultsFor(c, today) });
        }}
      >
        {campaigns.length === 0 && <option value="">{t('report.noCampaign')}</option>}
        {campaigns.map((c) => (
          <option key={c.id} value={c.id}>
            {name(c)}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('report.period')} name="period" value={campaign ? sel.kind : 'range'} onChange={(e) => change({ kind: e.target.value as PeriodKind })}>
        {kinds.map((k) => (
          <option key={k} value={k}>
            {t(`report.periods.${k}`)}
          </option>
        ))}
      </SelectField>
      {campaign && sel.kind === 'week' && (
        <SelectField label={t('report.week')} name="week" value={String(sel.week)} onChange={(e) => change({ week: Number(e.target.value) })}>
          {range(1, weeks).map((w) => (
            <option key={w} value={w}>
              {t('report.weekOption', { n: f.num(w), from: dayDate((w - 1) * 7 + 1), to: dayDate(w * 7) })}
            </option>
          ))}
        </SelectField>
      )}
      {campaign && sel.kind === 'day' && (
        <SelectField label={t('report.day')} name="day" value={String(sel.day)} onChange={(e) => change({ day: Number(e.target.value) })}>
          {range(1, days).map((d) => (
            <option key={d} value={d}>
              {t('report.dayOption', { n: f.num(d), date: dayDate(d) })}
            </option>
          ))}
        </SelectField>
      )}
      {campaign && sel.kind === 'days' && (
        <>
          <SelectField label={t('report.fromDay')} name="fromDay" value={String(sel.fromDay)} onChange={(e) => change({ fromDay: Number(e.target.value) })}>
            {range(1, days).map((d) => (
              <option key={d} value={d}>
                {t('report.dayOption', { n: f.num(d), date: dayDate(d) })}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('report.toDay')} name="toDay" value={String(sel.toDay)} onChange={(e) => change({ toDay: Number(e.target.value) })}>
            {range(1, days).map((d) => (
              <option key={d} value={d}>
                {t('report.dayOption', { n: f.num(d), date: dayDate(d) })}
              </option>
            ))}
          </SelectField>
        </>
      )}
      {(!campaign || sel.kind === 'range') && (
        <>
          <TextField label={t('report.from')} name="from" type="date" value={sel.from} max={sel.to || undefined} onChange={(e) => e.target.value && change({ from: e.target.value })} />
          <TextField label={t('report.to')} name="to" type="date" value={sel.to} min={sel.from || undefined} onChange={(e) => e.target.value && change({ to: e.target.value })} />
        </>
      )}
      <SelectField label={t('report.province')} name="province" value={sel.province ?? ''} onChange={(e) => change({ province: e.target.value || null, district: null })}>
        <option value="">{t('report.national')}</option>
        {provinces.map((p) => (
          <option key={p.code} value={p.code}>
            {placeName(p)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('report.district')}
        name="district"
        value={sel.district ?? ''}
        disabled={!sel.province || !districts || districts.length === 0}
        hint={sel.province && districts && districts.length === 0 ? t('report.noDistricts') : undefined}
        onChange={(e) => change({ district: e.target.value || null })}
      >
        <option value="">{sel.province ? t('report.allDistricts') : t('report.chooseProvinceFirst')}</option>
        {districts?.map((d) => (
          <option key={d.code} value={d.code}>
            {placeName(d)}
          </option>
        ))}
      </SelectField>
    </form>
  );
}

function ReportBody({
  data,
  query,
  f,
  provinces,
  onProvince,
}: {
  data: EnforcementReportResponse;
  query: string;
  f: Formats;
  provinces: { code: string; number: number; nameEn: string; nameKm: string }[] | null;
  onProvince: (code: string | null) => void;
}) {
  const { t } = useTranslation();
  const placeName = usePlaceName();
  const nationality = useNationalityName();
  const lang = f.lang;
  const labels = { showTable: t('report.showTable'), hideTable: t('report.hideTable'), downloadCsv: t('report.downloadCsv') };
  const csv = (table: ReportTable) => csvHref(query, table);
  const province = (code: string) => provinces?.find((p) => p.code === code) ?? PROVINCES.find((p) => p.code === code);
  const provinceName = (code: string) => placeName(province(code), code);
  const [districtName, setDistrictName] = useState<string | null>(null);
  useEffect(() => {
    setDistrictName(null);
    const { provinceCode, districtCode } = data.area;
    if (!provinceCode || !districtCode) return;
    let alive = true;
    api.districts(provinceCode).then(
      (ds) => alive && setDistrictName(placeName(ds.find((d) => d.code === districtCode), districtCode)),
      () => alive && setDistrictName(districtCode),
    );
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data.area.provinceCode, data.area.districtCode, lang]);

  const area = data.area.provinceCode
    ? data.area.districtCode
      ? `${districtName ?? data.area.districtCode}, ${provinceName(data.area.provinceCode)}`
      : provinceName(data.area.provinceCode)
    : t('report.national');
  const rangeText = data.range.from === data.range.to ? f.date(data.range.from) : `${f.date(data.range.from)} – ${f.date(data.range.to)}`;

  const roleLabel = (k: string) => t(`report.roles.${k}`);
  const persons = t('report.personsUnit');

  // Chart inputs, memoised so that the charts redraw only when the numbers or the language change.
  const charts = useMemo(() => {
    const dayLabel = (d: { date: string; day: number | null }) => (d.day !== null && d.day >= 1 ? t('report.dayN', { n: f.num(d.day) }) : f.shortDate(d.date));
    const topNat = data.byNationality.slice(0, 8);
    return {
      daily: {
        categories: data.daily.map(dayLabel),
        series: [
          { name: roleLabel('suspected_trafficker'), data: data.daily.map((d) => d.traffickers) },
          { name: roleLabel('alleged_user'), data: data.daily.map((d) => d.users) },
          { name: roleLabel('other'), data: data.daily.map((d) => d.others) },
        ],
      },
      disposition: { categories: data.byDisposition.map((c) => t(`enforcement.dispositions.${c.key}`)), series: [{ name: persons, data: data.byDisposition.map((c) => c.n) }] },
      age: { categories: data.byAgeBand.map((c) => t(`enforcement.ageBands.${c.key}`)), series: [{ name: persons, data: data.byAgeBand.map((c) => c.n), colour: '#2a7aa6' }] },
      sex: { categories: data.bySex.map((c) => t(`enforcement.sexes.${c.key}`)), series: [{ name: persons, data: data.bySex.map((c) => c.n), colour: '#5a6270' }] },
      nationality: { categories: topNat.map((c) => nationality(c.key)), series: [{ name: persons, data: topNat.map((c) => c.n), colour: '#2a7aa6' }] },
      kg: { categories: data.kgByDrug.map((d) => t(`enforcement.drugs.${d.drug}`)), series: [{ name: t('report.kg'), data: data.kgByDrug.map((d) => d.kg), colour: '#d9822b' }] },
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, lang, t, f]);

  const mapValues = useMemo(() => Object.fromEntries(data.byProvince.map((p) => [p.provinceCode, p.persons])), [data.byProvince]);
  const provinceRows = [...data.byProvince].sort((a, b) => b.persons - a.persons || b.cases - a.cases || (province(a.provinceCode)?.number ?? 0) - (province(b.provinceCode)?.number ?? 0));
  const personsTable = (caption: string, rows: { key: string; n: number }[], prefix: string) => (
    <DataTable caption={caption} columns={[t('report.table.category'), t('report.table.persons')]} rows={[...rows.map((c) => [t(`${prefix}.${c.key}`), f.num(c.n)]), [t('report.table.total'), f.num(rows.reduce((s, c) => s + c.n, 0))]]} />
  );

  const headlines: { id: string; label: string; n: number }[] = [
    { id: 'cases', label: t('report.headline.cases'), n: data.totals.cases },
    { id: 'persons', label: t('report.headline.persons'), n: data.totals.persons },
    { id: 'female', label: t('report.headline.female'), n: data.totals.female },
    { id: 'traffickers', label: t('report.headline.traffickers'), n: data.totals.traffickers },
    { id: 'users', label: t('report.headline.users'), n: data.totals.users },
  ];

  return (
    <>
      <p className="rpt-scope">
        <strong>{data.campaign ? (lang === 'km' ? data.campaign.nameKm : data.campaign.nameEn) : t('report.noCampaignRange')}</strong>
        <span aria-hidden="true"> · </span>
        <span>{rangeText}</span>
        <span aria-hidden="true"> · </span>
        <span>{area}</span>
      </p>

      <section aria-labelledby="rpt-headlines" className="rpt-section">
        <div className="rpt-section-head">
          <h2 id="rpt-headlines">{t('report.headlinesTitle')}</h2>
          <a className="button button--small" href={csv('summary')} download>
            {t('report.downloadCsv')}
          </a>
        </div>
        <dl className="headlines">
          {headlines.map((h) => (
            <div key={h.id} className={`headline headline--${h.id}`}>
              <dt>{h.label}</dt>
              <dd data-testid={`headline-${h.id}`}>{f.num(h.n)}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="rpt-press" className="rpt-section">
        <h2 id="rpt-press">{t('report.pressTitle')}</h2>
        <div className="press-grid">
          <PressBox lang="en" text={data.press.en} title={t('report.pressEn')} testId="press-en" />
          <PressBox lang="km" text={data.press.km} title={t('report.pressKm')} testId="press-km" />
        </div>
      </section>

      <h2>{t('report.chartsTitle')}</h2>
      <div className="chart-grid">
        <ChartPanel
          className="chart-panel--wide"
          title={t('report.charts.daily')}
          note={t('report.charts.dailyNote')}
          labels={labels}
          csvHref={csv('daily')}
          table={() => (
            <DataTable
              caption={t('report.charts.daily')}
              columns={[t('report.table.date'), t('report.table.day'), t('report.table.cases'), t('report.table.persons'), roleLabel('suspected_trafficker'), roleLabel('alleged_user'), roleLabel('other')]}
              rows={data.daily.map((d) => [f.date(d.date), d.day !== null && d.day >= 1 ? f.num(d.day) : '–', f.num(d.cases), f.num(d.persons), f.num(d.traffickers), f.num(d.users), f.num(d.others)])}
            />
          )}
        >
          <BarChart label={t('report.charts.daily')} categories={charts.daily.categories} series={charts.daily.series} stacked format={f.num} height={300} />
        </ChartPanel>

        <ChartPanel
          title={t('report.charts.map')}
          note={t('report.charts.mapNote')}
          labels={labels}
          csvHref={csv('province')}
          actions={
            data.area.provinceCode ? (
              <button type="button" className="button button--small button--quiet" onClick={() => onProvince(null)}>
                {t('report.showNational')}
              </button>
            ) : null
          }
          table={() => (
            <DataTable
              caption={t('report.charts.map')}
              columns={[t('report.table.province'), t('report.table.cases'), t('report.table.persons'), roleLabel('suspected_trafficker'), roleLabel('alleged_user'), t('report.headline.female')]}
              rows={provinceRows.map((p) => [provinceName(p.provinceCode), f.num(p.cases), f.num(p.persons), f.num(p.traffickers), f.num(p.users), f.num(p.female)])}
            />
          )}
        >
          <ProvinceTileMap
            values={mapValues}
            lang={lang}
            nameOf={provinceName}
            numberOf={(code) => province(code)?.number ?? Number(code.slice(3))}
            format={f.num}
            tileLabel={(name, n) => t('report.map.tile', { name, n: f.num(n) })}
            selected={data.area.provinceCode}
            onSelect={(code) => onProvince(code)}
            title={t('report.map.title')}
            legendTitle={t('report.map.legend')}
            noneLabel={t('report.map.none')}
          />
        </ChartPanel>

        <ChartPanel title={t('report.charts.disposition')} labels={labels} csvHref={csv('persons')} table={() => personsTable(t('report.charts.disposition'), data.byDisposition, 'enforcement.dispositions')}>
          <BarChart label={t('report.charts.disposition')} categories={charts.disposition.categories} series={charts.disposition.series} horizontal format={f.num} labelWidth={lang === 'km' ? 150 : 140} />
        </ChartPanel>

        <ChartPanel title={t('report.charts.age')} labels={labels} csvHref={csv('persons')} table={() => personsTable(t('report.charts.age'), data.byAgeBand, 'enforcement.ageBands')}>
          <BarChart label={t('report.charts.age')} categories={charts.age.categories} series={charts.age.series} horizontal format={f.num} labelWidth={100} />
        </ChartPanel>

        <ChartPanel
          title={t('report.charts.sex')}
          labels={labels}
          csvHref={csv('persons')}
          table={() => (
            <DataTable
              caption={t('report.charts.sex')}
              columns={[t('report.table.role'), t('enforcement.sexes.male'), t('enforcement.sexes.female'), t('enforcement.sexes.unknown'), t('report.table.total')]}
              rows={[
                ...data.byRoleSex.map((r) => [roleLabel(r.role), f.num(r.male), f.num(r.female), f.num(r.unknown), f.num(r.male + r.female + r.unknown)]),
                [t('report.table.total'), ...['male', 'female', 'unknown'].map((k) => f.num(data.bySex.find((s) => s.key === k)?.n ?? 0)), f.num(data.totals.persons)],
              ]}
            />
          )}
        >
          <BarChart label={t('report.charts.sex')} categories={charts.sex.categories} series={charts.sex.series} horizontal format={f.num} labelWidth={90} />
        </ChartPanel>

        <ChartPanel
          title={t('report.charts.nationality')}
          note={data.byNationality.length > 8 ? t('report.charts.topNote', { n: f.num(8) }) : undefined}
          labels={labels}
          csvHref={csv('nationality')}
          table={() => (
            <DataTable
              caption={t('report.charts.nationality')}
              columns={[t('report.table.nationality'), t('report.table.persons')]}
              rows={data.byNationality.map((c) => [nationality(c.key), f.num(c.n)])}
            />
          )}
        >
          {data.byNationality.length ? (
            <BarChart label={t('report.charts.nationality')} categories={charts.nationality.categories} series={charts.nationality.series} horizontal format={f.num} labelWidth={110} />
          ) : (
            <p className="chart-empty">{t('report.nothing')}</p>
          )}
        </ChartPanel>

        <ChartPanel
          title={t('report.charts.kg')}
          note={t('report.charts.kgNote')}
          labels={labels}
          csvHref={csv('seizures')}
          table={() => (
            <DataTable
              caption={t('report.charts.kg')}
              columns={[t('report.table.drug'), t('report.table.kg')]}
              rows={data.kgByDrug.map((d) => [t(`enforcement.drugs.${d.drug}`), f.qty(d.kg)])}
            />
          )}
        >
          {data.kgByDrug.length ? (
            <BarChart label={t('report.charts.kg')} categories={charts.kg.categories} series={charts.kg.series} horizontal format={f.qty} labelWidth={lang === 'km' ? 150 : 140} />
          ) : (
            <p className="chart-empty">{t('report.nothing')}</p>
          )}
        </ChartPanel>

        <section className="chart-panel" aria-labelledby="rpt-seizures">
          <div className="chart-panel-head">
            <h3 id="rpt-seizures">{t('report.seizuresTitle')}</h3>
            <div className="chart-panel-actions">
              <a className="button button--small" href={csv('seizures')} download>
                {t('report.downloadCsv')}
              </a>
            </div>
          </div>
          <p className="chart-panel-note muted small">{t('report.seizuresNote')}</p>
          {data.seizures.length ? (
            <DataTable
              caption={t('report.seizuresTitle')}
              columns={[t('report.table.drug'), t('report.table.quantity'), t('report.table.kg'), t('report.table.cases')]}
              rows={data.seizures.map((s) => [
                t(`enforcement.drugs.${s.drug}`),
                `${f.qty(s.quantity)} ${t(`enforcement.units.${s.unit}`)}`,
                s.kg === null ? '–' : f.qty(s.kg),
                f.num(s.cases),
              ])}
            />
          ) : (
            <p className="chart-empty">{t('report.nothing')}</p>
          )}
        </section>

        <section className="chart-panel" aria-labelledby="rpt-assets">
          <div className="chart-panel-head">
            <h3 id="rpt-assets">{t('report.assetsTitle')}</h3>
            <div className="chart-panel-actions">
              <a className="button button--small" href={csv('assets')} download>
                {t('report.downloadCsv')}
              </a>
            </div>
          </div>
          <dl className="asset-list">
            {(['vehicles', 'motorcycles', 'phones', 'weapons'] as const).map((k) => (
              <div key={k}>
                <dt>{t(`enforcement.assets.${k}`)}</dt>
                <dd>{f.num(data.assets[k])}</dd>
              </div>
            ))}
            <div>
              <dt>{t('enforcement.assets.cashKhr')}</dt>
              <dd>{t('report.riel', { n: f.num(data.assets.cashKhr) })}</dd>
            </div>
            <div>
              <dt>{t('enforcement.assets.cashUsd')}</dt>
              <dd>{t('report.usd', { n: f.qty(data.assets.cashUsd) })}</dd>
            </div>
          </dl>
        </section>
      </div>
    </>
  );
}
