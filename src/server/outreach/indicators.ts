/**
 * The harm reduction pillar's figures, read from the maintained aggregates only (src/server/outreach/aggregates.ts):
 * no request loads contact rows.
 *  - `organisation`: the programme manager's own organisation, exact, over a date range of at most a year: sums from
 *    the daily summaries, distinct clients by SQL COUNT(DISTINCT) over the organisation's client-day rows of the range
 *    (bounded by the organisation's clients and the range), never rows in JS. The figures are those of
 *    src/core/indicators/harm-reduction.ts `harmReductionIndicators` over the contacts (test/outreach-indicators.test.ts).
 *  - `aggregates`: every organisation, for anyone: counts of people for a fixed reporting period, through
 *    `release()` (src/server/disclosure/release.ts) with the pillar's MeasureSpecs; no client id, UIC or hotspot.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../db/index.js';
import { authorize, clientScope, type Actor } from '../policy.js';
import { recordAudit, type AuditWho } from '../audit/service.js';
import { daysBetween, type DateRange } from '../../core/dates.js';
import { releasedSeries, type Campaign, type Period } from '../../core/periods.js';
import { isCrossedPeriod, type CellRef, type Shown } from '../../core/disclosure.js';
import {
  HR_MEASURE_SPECS,
  rowFiguresShown,
  type AggregateColumns,
  type AggregateReport,
  type AggregateRows,
  type IndicatorGroup,
  type IndicatorReport,
  type IndicatorRow,
  type ReleasedCounts,
} from '../../core/indicators/harm-reduction.js';
import { releaseCells, specMap } from '../disclosure/release.js';
import { HarmReductionCountSource } from './aggregates.js';

const SPECS = specMap(...HR_MEASURE_SPECS);
const round = (n: number) => Math.round(n * 100) / 100;
const ageOf = (birthYear: RawBuilder<unknown>, day: RawBuilder<unknown>) =>
  sql<string>`case when ${birthYear} is null then 'unknown' when extract(year from ${day})::int - ${birthYear} < 25 then '<25' else '25+' end`;

type Sums = { contacts: number; anonymous: number; needles: number; syringes: number; returned: number; tests: number; positive: number; made: number; done: number };

export class OutreachIndicatorStore {
  constructor(private db: Database) {}

  /** Sums of the daily summaries over the range, by group. */
  private async sums(org: string, range: DateRange, by: IndicatorGroup): Promise<Map<string, Sums>> {
    const cols = sql`sum(d.contacts)::int as contacts, sum(d.anonymous_contacts)::int as anonymous, sum(d.needles)::int as needles, sum(d.syringes)::int as syringes,
      sum(d.returned)::int as returned, sum(d.hiv_tests)::int as tests, sum(d.hiv_positive)::int as positive, sum(d.referrals_made)::int as made, sum(d.referrals_completed)::int as done`;
    let q;
    if (by === 'hotspot') {
      q = sql<Sums & { g: string }>`select coalesce(h.code, '(' || d.setting || ')') as g, ${cols}
        from hr_contacts_daily_hotspot d left join hotspots h on h.organisation_id = d.organisation_id and h.id = d.hotspot_id
        where d.organisation_id = ${org} and d.day between ${range.from}::date and ${range.to}::date group by 1`;
    } else {
      const g = { total: sql`'total'`, week: sql`to_char(date_trunc('week', d.day), 'YYYY-MM-DD')`, sex: sql`d.sex`, age: sql`d.age_band`, setting: sql`d.setting` }[by];
      q = sql<Sums & { g: string }>`select ${g} as g, ${cols} from hr_contacts_daily d
        where d.organisation_id = ${org} and d.day between ${range.from}::date and ${range.to}::date group by 1`;
    }
    const rows = (await q.execute(this.db)).rows;
    return new Map(rows.map((r) => [String(r.g), r]));
  }

  /** Distinct clients by group: reached, new (first contact in the range, or in the row's week), regular access. */
  private async distinct(org: string, range: DateRange, by: IndicatorGroup): Promise<Map<string, { reached: number; fresh: number; regular: number }>> {
    const g = {
      total: sql`'total'`,
      week: sql`to_char(date_trunc('week', cd.day), 'YYYY-MM-DD')`,
      hotspot: sql`coalesce(h.code, '(' || cd.setting || ')')`,
      sex: sql`cl.sex`,
      age: ageOf(sql`cl.birth_year`, sql`cd.day`),
      setting: sql`cd.setting`,
    }[by];
    const newFrom = by === 'week' ? sql`date_trunc('week', x.day)::date` : sql`${range.from}::date`;
    const newTo = by === 'week' ? sql`(date_trunc('week', x.day)::date + 6)` : sql`${range.to}::date`;
    const periods = Math.max(1, Math.ceil((daysBetween(range.from, range.to) + 1) / 30));
    const rows = await sql<{ g: string; reached: number; fresh: number; regular: number }>`
      with x as (
        select ${g} as g, cd.client_id, cd.day, s.first_on
          from hr_client_days cd
          join outreach_clients cl on cl.organisation_id = cd.organisation_id and cl.id = cd.client_id
          join hr_client_span s on s.organisation_id = cd.organisation_id and s.client_id = cd.client_id
          left join hotspots h on h.organisation_id = cd.organisation_id and h.id = cd.hotspot_id
         where cd.organisation_id = ${org} and cd.day between ${range.from}::date and ${range.to}::date),
      per as (
        select x.g, x.client_id, bool_or(x.first_on between ${newFrom} and ${newTo}) as fresh,
               count(distinct (x.day - ${range.from}::date) / 30) as np
          from x group by x.g, x.client_id)
      select g, count(*)::int as reached, (count(*) filter (where fresh))::int as fresh, (count(*) filter (where np = ${periods}))::int as regular
        from per group by g`.execute(this.db);
    return new Map(rows.rows.map((r) => [String(r.g), r]));
  }

  private static row(key: string, s: Sums | undefined, d: { reached: number; fresh: number; regular: number } | undefined): IndicatorRow {
    const needles = s?.needles ?? 0;
    const syringes = s?.syringes ?? 0;
    const reached = d?.reached ?? 0;
    const ns = needles + syringes;
    const regular = d?.regular ?? 0;
    return {
      key,
      clientsReached: reached,
      newClients: d?.fresh ?? 0,
      contacts: s?.contacts ?? 0,
      anonymousContacts: s?.anonymous ?? 0,
      needles,
      syringes,
      needlesSyringes: ns,
      perClient: reached ? round(ns / reached) : null,
      returned: s?.returned ?? 0,
      returnRate: ns ? round((s?.returned ?? 0) / ns) : null,
      regularAccess: regular,
      regularAccessRate: reached ? round(regular / reached) : null,
      hivTests: s?.tests ?? 0,
      hivPositive: s?.positive ?? 0,
      referralsMade: s?.made ?? 0,
      referralsCompleted: s?.done ?? 0,
    };
  }

  /** The organisation's own indicators, exact, by one dimension (rows sorted by key), with the total over the range. */
  async organisation(actor: Actor | null, range: DateRange, by: IndicatorGroup, who: AuditWho): Promise<IndicatorReport> {
    const { organisationId: org } = clientScope(actor, 'outreach.indicators');
    const [sums, distinct, totalSums, totalDistinct] = [await this.sums(org, range, by), await this.distinct(org, range, by), await this.sums(org, range, 'total'), await this.distinct(org, range, 'total')];
    const keys = [...new Set([...sums.keys(), ...distinct.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const rows = keys.map((k) => OutreachIndicatorStore.row(k, sums.get(k), distinct.get(k)));
    const total = OutreachIndicatorStore.row('total', totalSums.get('total'), totalDistinct.get('total'));
    await this.db.transaction().execute((trx) =>
      recordAudit(trx, who, {
        action: 'client.read',
        entity: 'outreach_indicators',
        details: { via: 'indicators', by, from: range.from, to: range.to, count: total.contacts + total.anonymousContacts },
      }),
    );
    return { range, by, rows, total };
  }


  /** Contacts and needles-syringes per province / provider kind, or per day, over the period (exact: not people). */
  private async rowFigures(period: Period, rows: AggregateRows): Promise<Map<string, { contacts: number; ns: number }>> {
    // by day: grouped by the date itself, written as text once per day
    const r =
      rows === 'time'
        ? await sql<{ k: string; contacts: number; ns: number }>`
      select to_char(x.day, 'YYYY-MM-DD') as k, x.contacts, x.ns from (
        select d.day, sum(d.contacts)::int as contacts, sum(d.needles + d.syringes)::int as ns
          from hr_contacts_daily_org d
         where d.day between ${period.from}::date and ${period.to}::date group by d.day) x`.execute(this.db)
        : await sql<{ k: string; contacts: number; ns: number }>`
      select ${rows === 'province' ? sql`o.province_code` : sql`o.kind`} as k, sum(d.contacts)::int as contacts, sum(d.needles + d.syringes)::int as ns
        from hr_contacts_daily_org d join organisations o on o.id = d.organisation_id
       where d.day between ${period.from}::date and ${period.to}::date group by 1`.execute(this.db);
    return new Map(r.rows.map((x) => [String(x.k), { contacts: Number(x.contacts), ns: Number(x.ns) }]));
  }

  async aggregates(actor: Actor | null, period: Period, campaign: Campaign | undefined, rows: AggregateRows, columns: AggregateColumns): Promise<AggregateReport> {
    authorize(actor, 'health.aggregates');
    const source = new HarmReductionCountSource(this.db);
    const measures = ['hr_clients_reached', 'hr_new_clients', 'hr_returning_clients'] as const;
    const tables: ReleasedCounts[] = [];
    let rowKeys: string[];
    let rowPeriods: Period[] = [];
    const dimValues = (d: string) => [...SPECS.get('hr_clients_reached')!.dims.find((x) => x.id === d)!.values];
    const colValues = dimValues(columns);
    if (rows !== 'time') {
      // the three tables in one release (what releaseTable does, once for all: the lines they share are read once)
      const rowValues = dimValues(rows);
      // two-way cells only for months, quarters and years (src/core/disclosure.ts CROSSED_PERIOD_TYPES)
      const crossed = isCrossedPeriod(period);
      const cells: CellRef[] = [];
      const cell = (measure: string, f: Record<string, string>): CellRef => ({ measure, period, filter: f });
      for (const measure of measures) {
        cells.push(cell(measure, {}));
        for (const r of rowValues) {
          cells.push(cell(measure, { [rows]: r }));
          if (crossed) for (const c of colValues) cells.push(cell(measure, { [rows]: r, [columns]: c }));
        }
        for (const c of colValues) cells.push(cell(measure, { [columns]: c }));
      }
      // the answers in the order asked, read back in the same order
      const shown = await releaseCells(SPECS, source, cells, campaign);
      let at = 0;
      for (const measure of measures) {
        const total = shown[at++];
        const rowTotals: Shown[] = [];
        const grid: Shown[][] = [];
        for (let i = 0; i < rowValues.length; i++) {
          rowTotals.push(shown[at++]);
          grid.push(crossed ? colValues.map(() => shown[at++]) : []);
        }
        const columnTotals = colValues.map(() => shown[at++]);
        tables.push({ withheld: false, crossed, rows: rowValues, columns: colValues, cells: grid, rowTotals, columnTotals, total });
      }
      rowKeys = rowValues;
    } else {
      // the series: released periods only (a year's quarters, a quarter's months, campaign to date's weeks; a month
      // or a week is its own single row)
      rowPeriods = releasedSeries(period, campaign);
      rowKeys = rowPeriods.map((p) => p.spec);
      const cells: CellRef[] = [];
      const byValue = colValues.map((v) => ({ [columns]: v })); // one filter object per value, shared by every period
      for (const measure of measures) {
        for (const p of [...rowPeriods, period]) {
          cells.push({ measure, period: p, filter: {} });
          for (const f of byValue) cells.push({ measure, period: p, filter: f });
        }
      }
      // the answers in the order asked: per measure, each row period then the whole period, each its total then its values
      const shown = await releaseCells(SPECS, source, cells, campaign);
      const per = colValues.length + 1;
      for (let mi = 0; mi < measures.length; mi++) {
        const base = mi * (rowPeriods.length + 1) * per;
        const at = (row: number, v: number) => shown[base + row * per + v];
        tables.push({
          withheld: false,
          crossed: true,
          rows: rowKeys,
          columns: colValues,
          cells: rowPeriods.map((_, r) => colValues.map((_, v) => at(r, v + 1))),
          rowTotals: rowPeriods.map((_, r) => at(r, 0)),
          columnTotals: colValues.map((_, v) => at(rowPeriods.length, v + 1)),
          total: at(rowPeriods.length, 0),
        });
      }
    }
    const figures = await this.rowFigures(period, rows);
    // by time: each day's figures into the row period that holds it (the rows are consecutive, in order)
    const perPeriod = rowPeriods.map(() => ({ contacts: 0, ns: 0 }));
    if (rows === 'time') {
      for (const [day, f] of figures) {
        let lo = 0;
        let hi = rowPeriods.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (rowPeriods[mid].from <= day) lo = mid;
          else hi = mid - 1;
        }
        const p = rowPeriods[lo];
        if (!p || day < p.from || day > p.to) continue;
        perPeriod[lo].contacts += f.contacts;
        perPeriod[lo].ns += f.ns;
      }
    }
    const perRow = (i: number): { contacts: number; ns: number } => (rows === 'time' ? perPeriod[i] : (figures.get(rowKeys[i]) ?? { contacts: 0, ns: 0 }));
    const reached = tables[0];
    return {
      period: { type: period.type, key: period.key, spec: period.spec, from: period.from, to: period.to, ...(period.campaignId ? { campaignId: period.campaignId } : {}) },
      rows,
      columns,
      rowKeys,
      columnKeys: reached.columns,
      clientsReached: reached,
      newClients: tables[1],
      returningClients: tables[2],
      contacts: rowKeys.map((_, i) => (rowFiguresShown(reached.rowTotals[i]) ? perRow(i).contacts : null)),
      needlesSyringes: rowKeys.map((_, i) => (rowFiguresShown(reached.rowTotals[i]) ? perRow(i).ns : null)),
    };
  }
}
