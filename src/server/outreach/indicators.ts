/**
 * The indicator store of the harm reduction pillar: selects contact facts (one query) and hands them to the pure
 * indicator functions of src/core/indicators/harm-reduction.ts.
 *  - `organisation`: the programme manager's own organisation, unsuppressed (client-level inside the organisation).
 *  - `aggregates`: every organisation, for anyone: counts of people suppressed (src/core/suppression.ts); no client
 *    id, UIC or hotspot ever leaves this module (the facts it selects do not even carry a hotspot).
 */
import { sql } from 'kysely';
import type { Database } from '../db/index.js';
import { authorize, clientScope, type Actor } from '../policy.js';
import { recordAudit, type AuditWho } from '../audit/service.js';
import { todayInCambodia, type DateRange } from '../../core/dates.js';
import {
  harmReductionAggregates,
  harmReductionIndicators,
  type AggregateColumns,
  type AggregateRows,
  type ContactFact,
  type IndicatorGroup,
} from '../../core/indicators/harm-reduction.js';


export class OutreachIndicatorStore {
  constructor(private db: Database) {}

  private async facts(range: DateRange, org: string | null, withHotspot: boolean): Promise<ContactFact[]> {
    // a day of margin on each side of the instant range, then exact on the Cambodian date
    const from = new Date(Date.parse(`${range.from}T00:00:00Z`) - 86_400_000);
    const to = new Date(Date.parse(`${range.to}T00:00:00Z`) + 2 * 86_400_000);
    let q = this.db
      .selectFrom('outreach_contacts as c')
      .leftJoin('outreach_clients as cl', (j) => j.onRef('cl.organisation_id', '=', 'c.organisation_id').onRef('cl.id', '=', 'c.client_id'))
      .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
      .select([
        'c.at',
        'c.client_id',
        'c.setting',
        'c.needles_total',
        'c.syringes_total',
        'c.returned',
        'c.hiv_test',
        'cl.sex',
        'cl.birth_year',
        'cl.first_contact_on',
        'o.province_code',
        'o.kind',
        sql<number>`(select count(*) from outreach_referrals r where r.organisation_id = c.organisation_id and r.contact_id = c.id)`.as('made'),
        sql<number>`(select count(*) from outreach_referrals r where r.organisation_id = c.organisation_id and r.contact_id = c.id and r.outcome = 'completed')`.as('completed'),
      ])
      .where('c.at', '>=', from)
      .where('c.at', '<', to);
    if (org) q = q.where('c.organisation_id', '=', org);
    const withCode = withHotspot
      ? q.leftJoin('hotspots as h', (j) => j.onRef('h.organisation_id', '=', 'c.organisation_id').onRef('h.id', '=', 'c.hotspot_id')).select('h.code')
      : q.select(sql<null>`null`.as('code'));
    const rows = await withCode.execute();
    // contacts are stored as instants; indicator dates are Cambodian (UTC+7)
    return rows
      .map((r) => ({ ...r, on: todayInCambodia(new Date(r.at)) }))
      .filter((r) => r.on >= range.from && r.on <= range.to)
      .map((r) => ({
        on: r.on,
        clientId: r.client_id,
        setting: r.setting,
        hotspotCode: r.code ?? null,
        sex: r.sex ?? null,
        birthYear: r.birth_year ?? null,
        firstContactOn: r.first_contact_on ?? null,
        needles: r.needles_total,
        syringes: r.syringes_total,
        returned: r.returned,
        hivTested: r.hiv_test !== 'not_done',
        hivPositive: r.hiv_test === 'positive',
        referralsMade: Number(r.made),
        referralsCompleted: Number(r.completed),
        provinceCode: r.province_code,
        providerKind: r.kind,
      }));
  }

  async organisation(actor: Actor | null, range: DateRange, by: IndicatorGroup, who: AuditWho) {
    const { organisationId: org } = clientScope(actor, 'outreach.indicators');
    const facts = await this.facts(range, org, true);
    const report = harmReductionIndicators(facts, range, by);
    await this.db.transaction().execute((trx) =>
      recordAudit(trx, who, { action: 'client.read', entity: 'outreach_indicators', details: { via: 'indicators', by, from: range.from, to: range.to, count: facts.length } }),
    );
    return report;
  }

  async aggregates(actor: Actor | null, range: DateRange, rows: AggregateRows, columns: AggregateColumns) {
    authorize(actor, 'health.aggregates');
    const facts = await this.facts(range, null, false);
    return harmReductionAggregates(facts, range, rows, columns);
  }
}
