/**
 * Campaign fixtures with past or arbitrary dates. Over HTTP a health campaign gets fixed dates (src/core/campaigns.ts:
 * starts today or later, whole weeks, no overlap, start and end kept once reached); tests that need a campaign that
 * started weeks ago, or that move one over past days, create it through the service's trusted path (`backdated`),
 * which the routes never take. The body is the API's (validated with the route's schema); the write is audited as the
 * bootstrap administrator.
 */
import type { TestApp } from './helpers.js';
import type { DemoApp } from './demo-helpers.js';
import type { AuditWho } from '../src/server/audit/service.js';
import { CampaignService, createCampaignBody, updateCampaignBody, type Campaign } from '../src/server/campaigns/service.js';

type HasDb = Pick<TestApp, 'db'> | Pick<DemoApp, 'db'>;

async function adminWho(t: HasDb): Promise<AuditWho> {
  const a = await t.db.selectFrom('accounts').select(['id', 'organisation_id']).where('username', '=', 'admin').executeTakeFirstOrThrow();
  return { accountId: a.id, organisationId: a.organisation_id, ip: 'test-fixture' };
}

/** Create a campaign with any dates (past start, part weeks, overlapping): the trusted path. */
export async function pastCampaign(t: HasDb, body: Record<string, unknown>): Promise<Campaign> {
  return new CampaignService(t.db).create(createCampaignBody.parse(body), await adminWho(t), { backdated: true });
}

/** Move (or otherwise change) a campaign over past days: the trusted path. */
export async function movePastCampaign(t: HasDb, id: string, patch: Record<string, unknown>): Promise<Campaign> {
  return new CampaignService(t.db).update(id, updateCampaignBody.parse(patch), await adminWho(t), { backdated: true });
}
