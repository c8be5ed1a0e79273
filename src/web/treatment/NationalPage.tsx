/**
 * The national treatment view (every signed-in role): admissions, share voluntary, occupancy and completion per
 * centre kind and per province; police referrals to treatment next to treatment capacity per province, with the
 * provinces that have referrals but no open centre picked out. Asked for a fixed reporting period (PeriodPicker; the
 * choice is kept in the URL query, so a link can be shared). Every count of people is released by the server's
 * disclosure control (rounded to 5, "<5", "*"); a rate made of a count not shown is not given ("—"). Each chart's
 * table is one click away, with its CSV.
 */
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PROVINCES } from '../../core/geography';
import { LEGAL_BASES, REFERRAL_SOURCES } from '../../core/treatment';
import { PeriodPicker, readPeriodQuery, periodQuery, type PeriodValue } from '../ui/PeriodPicker';
import type { Shown as Published } from '../../core/disclosure';
import { BarChart, type BarSeries } from '../ui/charts/BarChart';
import { ChartPanel, DataTable } from '../ui/charts/ChartPanel';
import { usePlaceName } from '../ui/places';
import { useLoad } from '../ui/useAsync';
import { treatmentApi, type Breakdown, type NationalTable, type NationalView } from './api';
import { LoadFailed, Loading, chartValue, usePanelLabels, useTreatmentFormats, type TreatmentFormats } from './common';

const LEGAL_COLOURS = ['#1d6b35', '#d9822b', '#a61b1b'];
const RATE_COLOURS = ['#1d6b35', '#0b4f6c', '#8a5a9e'];
const HIDDEN_COLOUR = '#b8bec7';
const SOURCE_COLOURS = ['#1d6b35', '#4f8f5b', '#0b4f6c', '#5b8fb0', '#a61b1b', '#d9822b', '#8a94a3'];
/** ECharts draws no bar (and no label) for '-': a rate that is not given. */
const NO_VALUE = '-' as unknown as number;

export function NationalPage() {
  const { t } = useTranslation();
  const f = useTreatmentFormats();
  const [period, setPeriodState] = useState<PeriodValue>(() => readPeriodQuery(typeof window === 'undefined' ? '' : window.location.search));
  const setPeriod = useCallback((v: PeriodValue) => {
    setPeriodState(v);
    // the URL shows the question (a link asks the same period)
    if (typeof window !== 'undefined') window.history.replaceState(window.history.state, '', `${window.location.pathname}?${periodQuery(v)}`);
  }, []);
  const data = useLoad(() => (period.period ? treatmentApi.national(period) : Promise.resolve(null)), [period.period, period.campaignId]);
  return (
    <section className="page page--wide tr-page" aria-labelledby="page-title">
      <h1 id="page-title">{t('treatment.national.title')}</h1>
      <p className="muted">{t('treatment.national.intro')}</p>
      <div className="card tr-period">
        <PeriodPicker value={period} onChange={setPeriod} pillar="treatment" />
      </div>
      <SuppressionNote f={f} />
      {data.error ? <LoadFailed error={data.error} retry={() => void data.reload()} what={t('treatment.national.failed')} /> : null}
      {data.loading && !data.data ? <Loading text={t('treatment.national.loading')} /> : null}
      {data.data && (
        <div className={`rpt-body${data.loading ? ' rpt-body--stale' : ''}`} aria-busy={data.loading}>
          <NationalBody data={data.data} f={f} period={period} />
        </div>
      )}
    </section>
  );
}

function SuppressionNote({ f }: { f: TreatmentFormats }) {
  const { t } = useTranslation();
  return (
    <aside className="card tr-note" aria-labelledby="tr-note-title" data-testid="suppression-note">
      <h2 id="tr-note-title">{t('treatment.national.note.title')}</h2>
      <p className="small">{t('treatment.national.note.rounded')}</p>
      <dl className="tr-marks">
        <div>
          <dt className="mono">{f.pub('<5')}</dt>
          <dd>{t('treatment.national.note.small')}</dd>
        </div>
        <div>
          <dt className="mono">*</dt>
          <dd>{t('treatment.national.note.hidden')}</dd>
        </div>
        <div>
          <dt className="mono">—</dt>
          <dd>{t('treatment.national.note.dash')}</dd>
        </div>
      </dl>
      <p className="muted small">{t('treatment.national.note.charts')}</p>
    </aside>
  );
}

function NationalBody({ data, f, period }: { data: NationalView; f: TreatmentFormats; period: PeriodValue }) {
  const { t } = useTranslation();
  const placeName = usePlaceName();
  const labels = usePanelLabels();
  const csv = (table: NationalTable) => treatmentApi.nationalCsvHref(period, table);
  const provinceName = (code: string) => placeName(PROVINCES.find((p) => p.code === code), code);
  const kindName = (k: string) => t(`treatment.kinds.${k}`, { defaultValue: k });
  const legal = (b: string) => t(`treatment.legalBases.${b}`);
  const rangeText = data.range.from === data.range.to ? f.date(data.range.from) : `${f.date(data.range.from)} – ${f.date(data.range.to)}`;
  const source = (r: string) => t(`treatment.referralSources.${r}`);
  const rs = data.byReferralSource;
  const withheldNote = (note: string, withheld: boolean) => (withheld ? `${note} ${t('treatment.national.withheld')}` : note);
  // a week, a campaign week or campaign to date is released one dimension at a time: no cells, margins only
  const crossed = data.byKind.admissions.crossed;
  // a cell not released for the period is left empty ("—" is a rate not shown: another thing)
  const pubCell = (tbl: { crossed: boolean; cells: Published[][] }, i: number, j: number) => (tbl.crossed ? f.pub(tbl.cells[i][j]) : '');

  // Provinces worth a bar: a centre (open or planned), an admission, someone in care.
  const provinceRows = useMemo(() => {
    const b = data.byProvince;
    return b.rows.map((_, i) => i).filter((i) => b.centres[i] > 0 || b.capacity[i] > 0 || b.plannedCapacity[i] > 0 || b.admissions.rowTotals[i] !== 0 || b.inCare.rowTotals[i] !== 0);
  }, [data]);
  const r = data.referrals;
  const referralRows = useMemo(
    () => r.rows.map((_, i) => i).filter((i) => r.persons.rowTotals[i] !== 0 || r.capacity[i] > 0 || r.plannedCapacity[i] > 0),
    [r],
  );
  const noCentre = r.rows.filter((_, i) => r.noCentre[i]);

  /**
   * Admissions by legal basis, stacked. A row's hidden parts ("<5", "*") are drawn together, in grey, as what its
   * published total leaves over the published parts (a reader can subtract that much anyway); a hidden total is 0.
   */
  const admissionsSeries = (b: Breakdown, idx: number[]): BarSeries[] =>
    !b.admissions.crossed
      ? [{ name: t('treatment.table.admissions'), data: idx.map((i) => chartValue(b.admissions.rowTotals[i])), colour: LEGAL_COLOURS[0] }]
      : [
          ...LEGAL_BASES.map((basis, j) => ({ name: legal(basis), data: idx.map((i) => chartValue(b.admissions.cells[i][j])), colour: LEGAL_COLOURS[j] })),
          {
            name: t('treatment.national.hiddenPart'),
            data: idx.map((i) => Math.max(0, chartValue(b.admissions.rowTotals[i]) - sum(b.admissions.cells[i].map(chartValue)))),
            colour: HIDDEN_COLOUR,
          },
        ];
  // without cells (a week) a row has no share voluntary nor completion: only occupancy is drawn
  const rateSeries = (b: Breakdown, idx: number[]): BarSeries[] => [
    ...(b.admissions.crossed ? [{ name: t('treatment.national.shareVoluntary'), data: idx.map((i) => pctValue(b.shareVoluntary[i])), colour: RATE_COLOURS[0] }] : []),
    { name: t('treatment.national.occupancy'), data: idx.map((i) => pctValue(b.occupancy[i])), colour: RATE_COLOURS[1] },
    ...(b.discharges.crossed ? [{ name: t('treatment.national.completion'), data: idx.map((i) => pctValue(b.completion[i])), colour: RATE_COLOURS[2] }] : []),
  ];
  const ratesNote = crossed ? t('treatment.national.charts.ratesNote') : `${t('treatment.national.charts.ratesNote')} ${t('treatment.national.charts.ratesWeekNote')}`;

  const breakdownTable = (caption: string, b: Breakdown, name: (code: string) => string, idx: number[]) => (
    <DataTable
      caption={caption}
      columns={[
        caption,
        t('treatment.table.centres'),
        t('treatment.table.capacity'),
        t('treatment.table.plannedCapacity'),
        ...LEGAL_BASES.map(legal),
        t('treatment.table.admissions'),
        t('treatment.table.inCare'),
        t('treatment.table.discharges'),
      ]}
      rows={[
        ...idx.map((i) => [
          name(b.rows[i]),
          f.num(b.centres[i]),
          f.num(b.capacity[i]),
          f.num(b.plannedCapacity[i]),
          ...LEGAL_BASES.map((_, j) => pubCell(b.admissions, i, j)),
          f.pub(b.admissions.rowTotals[i]),
          f.pub(b.inCare.rowTotals[i]),
          f.pub(b.discharges.rowTotals[i]),
        ]),
        [
          t('treatment.table.total'),
          f.num(sum(b.centres)),
          f.num(sum(b.capacity)),
          f.num(sum(b.plannedCapacity)),
          ...LEGAL_BASES.map((_, j) => f.pub(b.admissions.columnTotals[j])),
          f.pub(b.admissions.total),
          f.pub(b.inCare.total),
          f.pub(b.discharges.total),
        ],
      ]}
    />
  );
  const rateTable = (caption: string, b: Breakdown, name: (code: string) => string, idx: number[]) => (
    <DataTable
      caption={caption}
      columns={[caption, t('treatment.national.shareVoluntary'), t('treatment.national.occupancy'), t('treatment.national.completion')]}
      rows={idx.map((i) => [name(b.rows[i]), f.pct(b.shareVoluntary[i]), f.pct(b.occupancy[i]), f.pct(b.completion[i])])}
    />
  );
  /** The chart, or a sentence when it would draw nothing: nothing recorded, or every count hidden (see the table). */
  const chartOrNote = (series: BarSeries[], total: Published, chart: (series: BarSeries[]) => ReactNode) =>
    series.some((x) => x.data.some((v) => v > 0)) ? (
      chart(series)
    ) : (
      <p className="chart-empty">{total === 0 ? t('treatment.national.nothing') : t('treatment.national.allHidden')}</p>
    );
  const allKinds = data.byKind.rows.map((_, i) => i);
  const allProvinces = data.byProvince.rows.map((_, i) => i);
  const labelWidth = f.lang === 'km' ? 130 : 120;

  return (
    <>
      <p className="rpt-scope">
        <span>{rangeText}</span>
        <span aria-hidden="true"> · </span>
        <span>{t('treatment.national.asOf', { date: f.date(data.asOf) })}</span>
      </p>
      {!crossed && (
        <p className="muted" data-testid="margins-only">
          {t('treatment.national.marginsOnly')}
        </p>
      )}

      <h2>{t('treatment.national.byKindTitle')}</h2>
      <div className="chart-grid">
        <ChartPanel
          className="chart-panel--wide"
          title={t('treatment.national.charts.kindAdmissions')}
          note={withheldNote(t('treatment.national.charts.admissionsNote'), data.byKind.admissions.withheld)}
          labels={labels}
          csvHref={csv('kind')}
          table={() => breakdownTable(t('treatment.table.kind'), data.byKind, kindName, allKinds)}
        >
          {chartOrNote(
            admissionsSeries(data.byKind, allKinds),
            data.byKind.admissions.total,
            (series) => (
              <BarChart
                label={t('treatment.national.charts.kindAdmissions')}
                categories={allKinds.map((i) => kindName(data.byKind.rows[i]))}
                series={series}
                horizontal
                stacked
                format={f.num}
                labelWidth={labelWidth}
              />
            ),
          )}
        </ChartPanel>
        <ChartPanel
          className="chart-panel--wide"
          title={t('treatment.national.charts.kindRates')}
          note={ratesNote}
          labels={labels}
          csvHref={csv('kind')}
          table={() => rateTable(t('treatment.table.kind'), data.byKind, kindName, allKinds)}
        >
          <BarChart
            label={t('treatment.national.charts.kindRates')}
            categories={allKinds.map((i) => kindName(data.byKind.rows[i]))}
            series={rateSeries(data.byKind, allKinds)}
            horizontal
            format={(n) => `${f.num(n)}%`}
            labelWidth={labelWidth}
          />
        </ChartPanel>
        <ChartPanel
          className="chart-panel--wide"
          title={t('treatment.national.charts.referralSource')}
          note={t('treatment.national.charts.referralSourceNote')}
          labels={labels}
          csvHref={csv('referral_source')}
          table={() =>
            !rs.crossed ? (
              // a week: the national admissions by referral source, one row each (the chart's bars)
              <DataTable
                caption={t('treatment.national.charts.referralSource')}
                columns={[t('treatment.table.referralSource'), t('treatment.table.admissions')]}
                rows={[...REFERRAL_SOURCES.map((r, j) => [source(r), f.pub(rs.columnTotals[j])]), [t('treatment.table.total'), f.pub(rs.total)]]}
              />
            ) : (
              <DataTable
                caption={t('treatment.national.charts.referralSource')}
                columns={[t('treatment.table.kind'), ...REFERRAL_SOURCES.map(source), t('treatment.table.admissions')]}
                rows={[
                  ...rs.rows.map((k, i) => [kindName(k), ...REFERRAL_SOURCES.map((_, j) => pubCell(rs, i, j)), f.pub(rs.rowTotals[i])]),
                  [t('treatment.table.total'), ...REFERRAL_SOURCES.map((_, j) => f.pub(rs.columnTotals[j])), f.pub(rs.total)],
                ]}
              />
            )
          }
        >
          {chartOrNote(
            rs.crossed
              ? REFERRAL_SOURCES.map((r, j) => ({ name: source(r), data: allKinds.map((i) => chartValue(rs.cells[i][j])), colour: SOURCE_COLOURS[j] }))
              : // without cells: the national admissions by referral source (the table's total line)
                [{ name: t('treatment.table.admissions'), data: REFERRAL_SOURCES.map((_, j) => chartValue(rs.columnTotals[j])), colour: SOURCE_COLOURS[0] }],
            rs.total,
            (series) => (
              <BarChart
                label={t('treatment.national.charts.referralSource')}
                categories={rs.crossed ? allKinds.map((i) => kindName(rs.rows[i])) : REFERRAL_SOURCES.map(source)}
                series={series}
                horizontal
                stacked
                format={f.num}
                labelWidth={labelWidth}
              />
            ),
          )}
        </ChartPanel>
      </div>

      <h2>{t('treatment.national.byProvinceTitle')}</h2>
      <div className="chart-grid">
        <ChartPanel
          className="chart-panel--wide"
          title={t('treatment.national.charts.provinceAdmissions')}
          note={withheldNote(t('treatment.national.charts.provinceNote'), data.byProvince.admissions.withheld)}
          labels={labels}
          csvHref={csv('province')}
          table={() => breakdownTable(t('treatment.table.province'), data.byProvince, provinceName, allProvinces)}
        >
          {chartOrNote(admissionsSeries(data.byProvince, provinceRows), data.byProvince.admissions.total, (series) => (
            <BarChart
              label={t('treatment.national.charts.provinceAdmissions')}
              categories={provinceRows.map((i) => provinceName(data.byProvince.rows[i]))}
              series={series}
              horizontal
              stacked
              format={f.num}
              labelWidth={labelWidth}
            />
          ))}
        </ChartPanel>
        <ChartPanel
          className="chart-panel--wide"
          title={t('treatment.national.charts.provinceRates')}
          note={ratesNote}
          labels={labels}
          csvHref={csv('province')}
          table={() => rateTable(t('treatment.table.province'), data.byProvince, provinceName, provinceRows)}
        >
          {provinceRows.length ? (
            <BarChart
              label={t('treatment.national.charts.provinceRates')}
              categories={provinceRows.map((i) => provinceName(data.byProvince.rows[i]))}
              series={rateSeries(data.byProvince, provinceRows)}
              horizontal
              format={(n) => `${f.num(n)}%`}
              labelWidth={labelWidth}
            />
          ) : (
            <p className="chart-empty">{t('treatment.national.nothing')}</p>
          )}
        </ChartPanel>
      </div>

      <h2>{t('treatment.national.referralsTitle')}</h2>
      <p className="muted">{t('treatment.national.referralsIntro')}</p>
      {noCentre.length > 0 && (
        <div className="notice notice--warn" role="status" data-testid="no-centre">
          <div className="notice-body">
            <strong>{t('treatment.national.noCentreTitle')}</strong> {noCentre.map(provinceName).join(', ')}
          </div>
        </div>
      )}
      <div className="chart-grid">
        <ChartPanel
          className="chart-panel--wide"
          title={t('treatment.national.charts.referrals')}
          note={withheldNote(t('treatment.national.charts.referralsNote'), r.persons.withheld)}
          labels={labels}
          csvHref={csv('referrals')}
          table={() => (
            <DataTable
              caption={t('treatment.national.charts.referrals')}
              columns={[
                t('treatment.table.province'),
                t('enforcement.dispositions.referred_treatment_voluntary'),
                t('enforcement.dispositions.referred_treatment_compulsory'),
                t('treatment.table.referrals'),
                t('treatment.table.inCare'),
                t('treatment.table.capacity'),
                t('treatment.table.plannedCapacity'),
                t('treatment.table.referralsPerPlace'),
                t('treatment.table.openCentre'),
              ]}
              rows={[
                ...r.rows.map((code, i) => [
                  provinceName(code),
                  ...r.columns.map((_, j) => pubCell(r.persons, i, j)),
                  f.pub(r.persons.rowTotals[i]),
                  f.pub(r.inCare[i]),
                  f.num(r.capacity[i]),
                  f.num(r.plannedCapacity[i]),
                  r.referralsPerPlace[i] === null ? '—' : f.qty(Math.round((r.referralsPerPlace[i] as number) * 100) / 100),
                  r.noCentre[i] ? `⚠ ${t('treatment.national.noOpenCentre')}` : r.capacity[i] > 0 ? t('common.yes') : t('common.no'),
                ]),
                [
                  t('treatment.table.total'),
                  ...r.columns.map((_, j) => f.pub(r.persons.columnTotals[j])),
                  f.pub(r.persons.total),
                  '',
                  f.num(sum(r.capacity)),
                  f.num(sum(r.plannedCapacity)),
                  '',
                  '',
                ],
              ]}
            />
          )}
        >
          {referralRows.length ? (
            <BarChart
              label={t('treatment.national.charts.referrals')}
              categories={referralRows.map((i) => (r.noCentre[i] ? `⚠ ${provinceName(r.rows[i])}` : provinceName(r.rows[i])))}
              series={[
                { name: t('treatment.table.referrals'), data: referralRows.map((i) => chartValue(r.persons.rowTotals[i] as Published)), colour: '#d9822b' },
                { name: t('treatment.table.capacity'), data: referralRows.map((i) => r.capacity[i]), colour: '#0b4f6c' },
                { name: t('treatment.table.plannedCapacity'), data: referralRows.map((i) => r.plannedCapacity[i]), colour: '#8a94a3' },
              ]}
              horizontal
              format={f.num}
              labelWidth={labelWidth}
            />
          ) : (
            <p className="chart-empty">{t('treatment.national.nothing')}</p>
          )}
        </ChartPanel>
      </div>
    </>
  );
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const pctValue = (r: number | null) => (r === null || !Number.isFinite(r) ? NO_VALUE : Math.round(r * 100));
