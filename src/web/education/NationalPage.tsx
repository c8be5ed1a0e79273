/**
 * The national education view (every signed-in role), for one fixed reporting period chosen with the period picker:
 * sessions and people reached over the period's own series (its days, months, quarters or campaign weeks) and per
 * province, people reached by setting and by age band (× sex), sessions by topic. Sessions are exact; every count of
 * people is published by the server's disclosure control (rounded to 5, "<5", "*", explained in the note). Each
 * chart's table is one click away, with its CSV.
 */
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PARTICIPANT_AGE_BANDS, PARTICIPANT_SEXES, SESSION_SETTINGS, SESSION_TOPICS } from '../../core/education';
import { PROVINCES } from '../../core/geography';
import { khmerDigits } from '../../core/press';
import { HIDDEN, SMALL, type Shown } from '../../core/disclosure';
import type { ShownTable } from '../../core/indicators/education';
import type { Period } from '../../core/periods';
import { useFormats, type Formats } from '../enforcement/report/format';
import { errorMsg, show } from '../i18n/messages';
import { BarChart } from '../ui/charts/BarChart';
import { ChartPanel, DataTable } from '../ui/charts/ChartPanel';
import { ProvinceTileMap } from '../ui/charts/ProvinceTileMap';
import { Notice } from '../ui/Field';
import { PeriodPicker, periodQuery, type PeriodValue } from '../ui/PeriodPicker';
import { usePlaceName } from '../ui/places';
import { useLoad } from '../ui/useAsync';
import { educationApi, type EducationCsvTable, type EducationNational } from './api';
import './education.css';

const MONTH_KEYS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

/** ECharts draws no bar (and no label) for '-': a hidden count. */
const NO_BAR = '-' as unknown as number;
const SEX_COLOURS = ['#0b4f6c', '#8a5a9e', '#8a94a3'];

interface EdFormats extends Formats {
  /** A published count: a number, "<5" or "*", in the reader's digits. */
  pub: (p: Shown) => string;
}

function useEdFormats(): EdFormats {
  const f = useFormats();
  return useMemo(() => ({ ...f, pub: (p: Shown) => (typeof p === 'number' ? f.num(p) : f.lang === 'km' ? khmerDigits(p) : p) }), [f]);
}

const bar = (p: Shown) => (typeof p === 'number' ? p : NO_BAR);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function NationalPage() {
  const { t } = useTranslation();
  const f = useEdFormats();
  // empty until the picker has loaded the campaigns and chosen its default
  const [period, setPeriod] = useState<PeriodValue>({ period: '' });
  const onPeriod = useCallback((v: PeriodValue) => setPeriod(v), []);
  const query = period.period ? periodQuery(period) : '';
  const data = useLoad(() => (query ? educationApi.national(query) : Promise.resolve(null)), [query]);
  return (
    <section className="page page--wide ed-page ed-page--wide" aria-labelledby="page-title">
      <h1 id="page-title">{t('education.national.title')}</h1>
      <p className="muted">{t('education.national.intro')}</p>
      <div className="card ed-period">
        <PeriodPicker value={period} onChange={onPeriod} pillar="education" />
      </div>
      <SuppressionNote f={f} />
      {data.error ? (
        <Notice kind="error">
          {t('education.national.failed')} {show(t, errorMsg(data.error))}{' '}
          <button type="button" className="button button--quiet" onClick={() => void data.reload()}>
            {t('common.retry')}
          </button>
        </Notice>
      ) : null}
      {data.loading && !data.data ? (
        <p className="rpt-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('education.national.loading')}
        </p>
      ) : null}
      {data.data && (
        <div className={`rpt-body${data.loading ? ' rpt-body--stale' : ''}`} aria-busy={data.loading}>
          <NationalBody n={data.data} f={f} query={query} />
        </div>
      )}
    </section>
  );
}

function SuppressionNote({ f }: { f: EdFormats }) {
  const { t } = useTranslation();
  return (
    <aside className="card ed-note" aria-labelledby="ed-note-title" data-testid="suppression-note">
      <h2 id="ed-note-title">{t('education.national.note.title')}</h2>
      <p className="small" data-testid="rounding-note">
        {t('education.national.note.rounded')}
      </p>
      <dl className="ed-marks">
        <div>
          <dt className="mono">{f.pub(SMALL)}</dt>
          <dd>{t('education.national.note.small')}</dd>
        </div>
        <div>
          <dt className="mono">{HIDDEN}</dt>
          <dd>{t('education.national.note.hidden')}</dd>
        </div>
      </dl>
      <p className="small">{t('education.national.note.periods')}</p>
      <p className="small">{t('education.national.note.sessions')}</p>
      <p className="small">{t('education.national.note.charts')}</p>
    </aside>
  );
}

/** The label of a part of the series: "Nov 2025", "Q1 2025", "Week 2" (a week asked alone: its first day, "3 Nov"). */
function usePartLabel(f: EdFormats) {
  const { t } = useTranslation();
  const digits = (s: string | number) => (f.lang === 'km' ? khmerDigits(String(s)) : String(s));
  return (p: Period) => {
    switch (p.type) {
      case 'day':
        return f.shortDate(p.from);
      case 'month':
        return t('education.national.parts.month', { month: t(`report.months.${MONTH_KEYS[Number(p.from.slice(5, 7)) - 1]}`), year: digits(p.from.slice(0, 4)) });
      case 'quarter':
        return t('education.national.parts.quarter', { n: digits(Math.floor((Number(p.from.slice(5, 7)) - 1) / 3) + 1), year: digits(p.from.slice(0, 4)) });
      case 'campaign_week':
        return t('education.national.parts.campaignWeek', { n: f.num(p.n ?? 0) });
      default:
        return f.shortDate(p.from);
    }
  };
}

function NationalBody({ n, f, query }: { n: EducationNational; f: EdFormats; query: string }) {
  const { t } = useTranslation();
  const placeName = usePlaceName();
  const [selected, setSelected] = useState<string | null>(null);
  const labels = { showTable: t('education.national.showTable'), hideTable: t('education.national.hideTable'), downloadCsv: t('education.national.downloadCsv') };
  const csv = (table: EducationCsvTable) => educationApi.csvHref(query, table);
  const partLabel = usePartLabel(f);
  const province = (code: string) => PROVINCES.find((p) => p.code === code);
  const provinceName = (code: string) => placeName(province(code), code);
  const range = (a: string, b: string) => (a === b ? f.date(a) : t('education.national.range', { from: f.date(a), to: f.date(b) }));
  const sexName = (s: string) => t(`education.sexes.${s}`);

  const sessionsPerPart = useMemo(() => n.parts.map((_, j) => sum(n.sessions.map((r) => r[j]))), [n]);
  const sessionsPerProvince = useMemo(() => n.sessions.map(sum), [n]);
  // the table: most sessions first, then in the order of the provinces' numbers
  const provinceOrder = useMemo(() => n.provinces.map((_, i) => i).sort((a, b) => sessionsPerProvince[b] - sessionsPerProvince[a] || a - b), [n, sessionsPerProvince]);
  const partCategories = n.parts.map(partLabel);
  const partRange = (p: Period) => (p.type === 'day' ? f.date(p.from) : `${partLabel(p)} (${range(p.from, p.to)})`);
  // what each bar of the series is
  const seriesNote =
    n.parts.length === 1 && n.parts[0].key === n.period.key
      ? t('education.national.charts.seriesNote.single')
      : n.parts[0].type === 'campaign_week' || n.period.type === 'campaign_to_date'
        ? t('education.national.charts.seriesNote.campaign_week')
        : t(`education.national.charts.seriesNote.${n.parts[0].type}`);
  const empty = n.sessionsTotal === 0;

  // a week's tables are released one dimension at a time (no cells): the chart draws the row totals alone
  const bySex = (table: ShownTable, rows: readonly string[], rowLabel: (k: string) => string) => ({
    categories: rows.map(rowLabel),
    series: table.crossed
      ? PARTICIPANT_SEXES.map((s, j) => ({ name: sexName(s), data: table.cells.map((r) => bar(r[j])), colour: SEX_COLOURS[j] }))
      : [{ name: t('education.national.table.people'), data: table.rowTotals.map(bar), colour: '#d9822b' }],
  });
  const marginsNote = (table: ShownTable) => (table.crossed ? undefined : t('education.national.charts.marginsOnly'));
  const sexTable = (caption: string, head: string, table: ShownTable, rows: readonly string[], rowLabel: (k: string) => string) => (
    <DataTable
      caption={caption}
      columns={[head, ...PARTICIPANT_SEXES.map(sexName), t('education.national.table.total')]}
      rows={[
        ...rows.map((k, i) => [rowLabel(k), ...(table.crossed ? table.cells[i].map(f.pub) : PARTICIPANT_SEXES.map(() => '')), f.pub(table.rowTotals[i])]),
        [t('education.national.table.total'), ...table.columnTotals.map(f.pub), f.pub(table.total)],
      ]}
    />
  );
  const settingLabel = (k: string) => t(`education.settings.${k}`);
  const bandLabel = (k: string) => t(`education.ageBands.${k}`);
  const topicLabel = (k: string) => t(`education.topics.${k}`);
  const sel = selected ? n.provinces.indexOf(selected) : -1;

  return (
    <>
      <p className="rpt-scope">
        <span data-testid="period-range">{range(n.period.from, n.period.to)}</span>
      </p>
      <dl className="headlines ed-headlines">
        <div className="headline">
          <dt>{t('education.national.headlines.sessions')}</dt>
          <dd data-testid="headline-sessions">{f.num(n.sessionsTotal)}</dd>
        </div>
        <div className="headline headline--users">
          <dt>{t('education.national.headlines.people')}</dt>
          <dd data-testid="headline-people">{f.pub(n.people.total)}</dd>
        </div>
      </dl>
      {empty && <p className="chart-empty">{t('education.national.nothing')}</p>}

      <div className="chart-grid">
        <ChartPanel
          title={t('education.national.charts.sessionsSeries')}
          note={seriesNote}
          labels={labels}
          csvHref={csv('province')}
          table={() => (
            <DataTable
              caption={t('education.national.charts.sessionsSeries')}
              columns={[t('education.national.table.part'), t('education.national.table.sessions')]}
              rows={[...n.parts.map((w, j) => [partRange(w), f.num(sessionsPerPart[j])]), [t('education.national.table.total'), f.num(n.sessionsTotal)]]}
            />
          )}
        >
          <BarChart label={t('education.national.charts.sessionsSeries')} categories={partCategories} series={[{ name: t('education.national.table.sessions'), data: sessionsPerPart }]} format={f.num} />
        </ChartPanel>

        <ChartPanel
          title={t('education.national.charts.peopleSeries')}
          note={seriesNote}
          labels={labels}
          csvHref={csv('province')}
          table={() => (
            <DataTable
              caption={t('education.national.charts.peopleSeries')}
              columns={[t('education.national.table.part'), t('education.national.table.people')]}
              rows={[...n.parts.map((w, j) => [partRange(w), f.pub(n.people.columnTotals[j])]), [t('education.national.table.total'), f.pub(n.people.total)]]}
            />
          )}
        >
          <BarChart
            label={t('education.national.charts.peopleSeries')}
            categories={partCategories}
            series={[{ name: t('education.national.table.people'), data: n.people.columnTotals.map(bar), colour: '#d9822b' }]}
            format={f.num}
          />
        </ChartPanel>

        <ChartPanel
          title={t('education.national.charts.map')}
          note={t('education.national.charts.mapNote')}
          labels={labels}
          csvHref={csv('province')}
          table={() => (
            <DataTable
              caption={t('education.national.charts.map')}
              columns={[t('education.national.table.province'), t('education.national.table.sessions'), t('education.national.table.people')]}
              rows={[
                ...provinceOrder.map((i) => [provinceName(n.provinces[i]), f.num(sessionsPerProvince[i]), f.pub(n.people.rowTotals[i])]),
                [t('education.national.table.total'), f.num(n.sessionsTotal), f.pub(n.people.total)],
              ]}
            />
          )}
        >
          <ProvinceTileMap
            values={Object.fromEntries(n.provinces.map((code, i) => [code, sessionsPerProvince[i]]))}
            lang={f.lang}
            nameOf={provinceName}
            numberOf={(code) => province(code)?.number ?? Number(code.slice(3))}
            format={f.num}
            tileLabel={(name, v) => t('education.national.map.tile', { name, n: f.num(v) })}
            selected={selected}
            onSelect={(code) => setSelected((s) => (s === code ? null : code))}
            title={t('education.national.map.title')}
            legendTitle={t('education.national.map.legend')}
            noneLabel={t('education.national.map.none')}
          />
          {sel >= 0 && (
            <p className="ed-selected" role="status" data-testid="province-selected">
              {t('education.national.selected', { name: provinceName(selected!), sessions: f.num(sessionsPerProvince[sel]), people: f.pub(n.people.rowTotals[sel]) })}
            </p>
          )}
        </ChartPanel>

        <ChartPanel
          title={t('education.national.charts.topic')}
          labels={labels}
          table={() => (
            <DataTable
              caption={t('education.national.charts.topic')}
              columns={[t('education.national.table.topic'), t('education.national.table.sessions')]}
              rows={[...SESSION_TOPICS.map((k, i) => [topicLabel(k), f.num(n.sessionsByTopic[i])]), [t('education.national.table.total'), f.num(n.sessionsTotal)]]}
            />
          )}
        >
          <BarChart
            label={t('education.national.charts.topic')}
            categories={SESSION_TOPICS.map(topicLabel)}
            series={[{ name: t('education.national.table.sessions'), data: n.sessionsByTopic, colour: '#1d6b35' }]}
            horizontal
            format={f.num}
            labelWidth={f.lang === 'km' ? 150 : 140}
          />
        </ChartPanel>
        <ChartPanel
          title={t('education.national.charts.setting')}
          note={marginsNote(n.bySetting)}
          labels={labels}
          csvHref={csv('setting')}
          table={() => sexTable(t('education.national.charts.setting'), t('education.national.table.setting'), n.bySetting, SESSION_SETTINGS, settingLabel)}
        >
          <BarChart label={t('education.national.charts.setting')} {...bySex(n.bySetting, SESSION_SETTINGS, settingLabel)} horizontal stacked format={f.num} labelWidth={f.lang === 'km' ? 110 : 100} />
        </ChartPanel>

        <ChartPanel
          title={t('education.national.charts.age')}
          note={marginsNote(n.byAgeBand)}
          labels={labels}
          csvHref={csv('age')}
          table={() => sexTable(t('education.national.charts.age'), t('education.national.table.ageBand'), n.byAgeBand, PARTICIPANT_AGE_BANDS, bandLabel)}
        >
          <BarChart label={t('education.national.charts.age')} {...bySex(n.byAgeBand, PARTICIPANT_AGE_BANDS, bandLabel)} horizontal stacked format={f.num} labelWidth={f.lang === 'km' ? 110 : 100} />
        </ChartPanel>

      </div>
    </>
  );
}
