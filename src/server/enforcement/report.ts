/**
 * The committee's enforcement report. The figures come from the maintained summaries (./aggregates.ts), written in
 * the same transaction as every case (no cache, no scheduled job: a case saved is in the next report); the indicators
 * are assembled by src/core/indicators/enforcement.ts. Voided cases are excluded everywhere.
 */
import { z } from 'zod';
import type { Database } from '../db/index.js';
import { buildEnforcementReport, pressPeriod, REPORT_TABLES, type EnforcementReportResult } from '../../core/indicators/enforcement.js';
import { daysBetween, periodRange, todayInCambodia, type CampaignDates, type DateRange } from '../../core/dates.js';
import { boundedDate, districtCode, provinceCode } from '../../core/schemas.js';
import { badRequest, notFound } from '../http/errors.js';
import { readEnforcementInputs } from './aggregates.js';

/** Every date a report names: 2000-01-01 … today + 1 year (src/core/schemas.ts). */
const date = boundedDate;

/** ?campaignId=…&period=week:1 | day:3 | days:1-7 | to_date, or ?from=…&to=…; optional province / district. */
const reportQueryFields = {
  campaignId: z.string().uuid({ message: 'must be an id' }).optional(),
  period: z
    .string()
    .regex(/^(day:[1-9]\d{0,3}|week:[1-9]\d{0,2}|days:[1-9]\d{0,3}-[1-9]\d{0,3}|to_date)$/, { message: 'must be day:N, week:N, days:A-B or to_date' })
    .optional(),
  from: date.optional(),
  to: date.optional(),
  province: provinceCode.optional(),
  district: districtCode.optional(),
};

function checkReportQuery(v: { campaignId?: string; period?: string; from?: string; to?: string; province?: string; district?: string }, ctx: z.RefinementCtx) {
  if (v.period && !v.campaignId) ctx.addIssue({ code: 'custom', path: ['campaignId'], message: 'is required with a campaign period' });
  if (!v.period && !(v.from && v.to)) ctx.addIssue({ code: 'custom', path: ['from'], message: 'give a campaign period or both from and to' });
  if (v.from && v.to && v.to < v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  if (v.district && !v.province) ctx.addIssue({ code: 'custom', path: ['province'], message: 'is required with a district' });
}

export const reportQuery = z.strictObject(reportQueryFields).superRefine(checkReportQuery);
/** The CSV export takes the report's query and the table wanted. */
export const reportCsvQuery = z.strictObject({ ...reportQueryFields, table: z.enum(REPORT_TABLES) }).superRefine(checkReportQuery);
export type ReportQuery = z.output<typeof reportQuery>;

export const MAX_REPORT_DAYS = 3660;

export type ReportResult = EnforcementReportResult;

export class EnforcementReportService {
  constructor(private db: Database) {}

  async resolve(q: ReportQuery) {
    let campaign: (CampaignDates & { id: string; nameEn: string; nameKm: string }) | null = null;
    if (q.campaignId) {
      const c = await this.db.selectFrom('campaigns').selectAll().where('id', '=', q.campaignId).executeTakeFirst();
      if (!c) throw notFound('campaign');
      campaign = { id: c.id, nameEn: c.name_en, nameKm: c.name_km, startDate: c.start_date, endDate: c.end_date };
    }
    let range: DateRange;
    let hint: Parameters<typeof pressPeriod>[2];
    if (q.period && campaign) {
      const [kind, arg] = q.period.split(':');
      if (kind === 'day') {
        range = periodRange(campaign, { kind: 'day', n: Number(arg) });
        hint = { kind: 'day', n: Number(arg) };
      } else if (kind === 'week') {
        range = periodRange(campaign, { kind: 'week', n: Number(arg) });
        hint = { kind: 'week', n: Number(arg) };
      } else if (kind === 'days') {
        const [a, b] = arg.split('-').map(Number);
        if (b < a) throw badRequest('period: the last day must not be before the first', [{ path: 'query.period', message: 'the last day must not be before the first' }]);
        range = periodRange(campaign, { kind: 'days', from: a, to: b });
      } else {
        range = periodRange(campaign, { kind: 'to_date' }, todayInCambodia());
        hint = { kind: 'to_date' };
      }
    } else {
      range = { from: q.from!, to: q.to! };
    }
    if (daysBetween(range.from, range.to) >= MAX_REPORT_DAYS)
      throw badRequest(`to: a report covers at most ${MAX_REPORT_DAYS} days`, [{ path: 'query.to', message: `a report covers at most ${MAX_REPORT_DAYS} days` }]);
    if (q.district) {
      const d = await this.db.selectFrom('districts').select('province_code').where('code', '=', q.district).executeTakeFirst();
      if (!d || d.province_code !== q.province)
        throw badRequest('district: is not a district of the province', [{ path: 'query.district', message: 'is not a district of the province' }]);
    }
    return { campaign, range, hint };
  }

  async report(q: ReportQuery): Promise<ReportResult> {
    const { campaign, range, hint } = await this.resolve(q);
    // The maintained summaries (./aggregates.ts): whole years, months and days of the range, never the cases.
    const inputs = await readEnforcementInputs(this.db, range, { province: q.province, district: q.district });
    const report = buildEnforcementReport(
      inputs,
      campaign,
      pressPeriod(range, campaign, hint),
    );
    return {
      ...report,
      campaign: campaign && { id: campaign.id, nameEn: campaign.nameEn, nameKm: campaign.nameKm, startDate: campaign.startDate, endDate: campaign.endDate },
      area: { provinceCode: q.province ?? null, districtCode: q.district ?? null },
    };
  }
}
