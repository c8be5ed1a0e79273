/**
 * Synthetic education sessions for the demo dataset: the demo provincial education office (Siem Reap) and three
 * more demo offices (Phnom Penh, Battambang, Kampong Cham) record a few dozen sessions over the last eight weeks.
 * Deterministic (seeded PRNG, dates relative to `today`): the same call gives the same sessions. Every session goes
 * through the service an officer's form uses (the same schema, one audit entry each). A few small sessions (a
 * prison group of three) make the national view show "<5".
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '../db/index.js';
import { recordAudit } from '../audit/service.js';
import { hashPassword } from '../auth/passwords.js';
import { addDays } from '../../core/dates.js';
import { sessionInput, type ParticipantAgeBand, type ParticipantSex, type Participants, type SessionInput, type SessionSetting, type SessionTopic } from '../../core/education.js';
import { EducationService } from '../education/service.js';
import { prng } from './random.js';

const SYSTEM = { accountId: null, organisationId: null, ip: 'bootstrap' };


/** The demo offices: the one of the demo account first, then three more that the seed creates. */
export const EDUCATION_DEMO_OFFICES = [
  { provinceCode: 'KH-17', sessions: 26 },
  { provinceCode: 'KH-12', name: 'Phnom Penh municipal education office (demo)', username: 'demo-sessions-pp', sessions: 14 },
  { provinceCode: 'KH-2', name: 'Battambang provincial education office (demo)', username: 'demo-sessions-btb', sessions: 10 },
  { provinceCode: 'KH-3', name: 'Kampong Cham provincial education office (demo)', username: 'demo-sessions-kcm', sessions: 8 },
] as const;

/** Who attends, by setting: age bands with their weights. */
const AUDIENCE: Record<SessionSetting, [ParticipantAgeBand, number][]> = {
  school: [
    ['under_15', 5],
    ['15_17', 8],
    ['18_24', 1],
  ],
  community: [
    ['15_17', 2],
    ['18_24', 4],
    ['25_34', 4],
    ['35_49', 3],
    ['50_plus', 2],
  ],
  workplace: [
    ['18_24', 3],
    ['25_34', 5],
    ['35_49', 3],
  ],
  prison: [
    ['18_24', 3],
    ['25_34', 4],
    ['35_49', 2],
  ],
  online: [
    ['15_17', 2],
    ['18_24', 5],
    ['25_34', 2],
  ],
};
const TOPICS_BY_SETTING: Record<SessionSetting, SessionTopic[]> = {
  school: ['drug_risks', 'life_skills', 'law_and_rights'],
  community: ['drug_risks', 'family_support', 'services', 'hiv_hepatitis'],
  workplace: ['drug_risks', 'hiv_hepatitis', 'law_and_rights'],
  prison: ['hiv_hepatitis', 'services', 'drug_risks'],
  online: ['drug_risks', 'life_skills', 'other'],
};
const SETTINGS: [SessionSetting, number][] = [
  ['school', 8],
  ['community', 6],
  ['workplace', 2],
  ['prison', 1],
  ['online', 1],
];

/** The demo sessions of one office (index into EDUCATION_DEMO_OFFICES), held in the eight weeks before `today`. */
export function educationDemoSessions(today: string, office: number): SessionInput[] {
  const { provinceCode, sessions } = EDUCATION_DEMO_OFFICES[office];
  const rnd = prng(20261129 + office * 7919);
  const weighted = <T>(xs: readonly [T, number][]) => {
    let r = rnd() * xs.reduce((s, [, w]) => s + w, 0);
    for (const [x, w] of xs) if ((r -= w) < 0) return x;
    return xs[xs.length - 1][0];
  };
  const out: SessionInput[] = [];
  for (let k = 0; k < sessions; k++) {
    // the first session of the Siem Reap office is a small prison group: its 3 people show as "<5" nationally
    const setting: SessionSetting = office === 0 && k === 0 ? 'prison' : weighted(SETTINGS);
    const topic = TOPICS_BY_SETTING[setting][Math.floor(rnd() * TOPICS_BY_SETTING[setting].length)];
    const size = office === 0 && k === 0 ? 3 : setting === 'prison' ? 8 + Math.floor(rnd() * 12) : setting === 'online' ? 12 + Math.floor(rnd() * 40) : 15 + Math.floor(rnd() * 60);
    const femaleShare = setting === 'prison' ? 0.1 : setting === 'workplace' ? 0.4 : 0.5;
    const participants: Participants = {};
    for (let p = 0; p < size; p++) {
      const sex: ParticipantSex = rnd() < 0.03 ? 'unknown' : rnd() < femaleShare ? 'female' : 'male';
      const band = weighted(AUDIENCE[setting]);
      const row = (participants[sex] ??= {});
      row[band] = (row[band] ?? 0) + 1;
    }
    out.push({ heldOn: addDays(today, -1 - Math.floor(rnd() * 56)), provinceCode, districtCode: null, setting, topic, participants });
  }
  return out;
}

async function createOffice(db: Database, name: string, provinceCode: string, username: string) {
  const orgId = randomUUID();
  const accountId = randomUUID();
  const now = new Date();
  // The other offices' recorders cannot sign in: their password is random and never shown.
  const hashed = await hashPassword(randomBytes(24).toString('base64url'));
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('organisations')
      .values({ id: orgId, name, sector: 'education', kind: 'education_office', province_code: provinceCode, district_code: null, commune_code: null, status: 'active', created_at: now, updated_at: now })
      .execute();
    await recordAudit(trx, SYSTEM, { action: 'organisation.create', entity: 'organisation', entityId: orgId, details: { after: { name, sector: 'education', kind: 'education_office', provinceCode } } });
    await trx
      .insertInto('accounts')
      .values({ id: accountId, organisation_id: orgId, username, password_hash: hashed, role: 'education_officer', locale: 'en', must_change_password: true, disabled: true, created_at: now, updated_at: now })
      .execute();
    await recordAudit(trx, SYSTEM, { action: 'account.create', entity: 'account', entityId: accountId, details: { after: { username, role: 'education_officer', organisationId: orgId } } });
  });
  return { orgId, accountId };
}

/**
 * Seed the demo sessions: the demo education office's own (recorded by the demo officer) and those of three more
 * demo offices. Returns the number of sessions recorded.
 */
export async function seedEducation(db: Database, demoOffice: { organisationId: string; accountId: string }, today: string): Promise<number> {
  const service = new EducationService(db);
  const schema = sessionInput(today);
  let n = 0;
  for (let office = 0; office < EDUCATION_DEMO_OFFICES.length; office++) {
    const o = EDUCATION_DEMO_OFFICES[office];
    const { orgId, accountId } = 'name' in o ? await createOffice(db, o.name, o.provinceCode, o.username) : { orgId: demoOffice.organisationId, accountId: demoOffice.accountId };
    const actor = { accountId, organisationId: orgId, sector: 'education' as const, role: 'education_officer' as const, mustChangePassword: false };
    for (const s of educationDemoSessions(today, office)) {
      await service.create(actor, schema.parse(s), { accountId, organisationId: orgId, ip: 'bootstrap' });
      n++;
    }
  }
  return n;
}
