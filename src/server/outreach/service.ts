/**
 * Harm reduction, client level: sync (push and pull), hotspots, clients, referral outcomes, duplicates.
 * Everything is scoped through the access policy's clientScope to the actor's own health organisation: a record of
 * another organisation answers exactly like one that does not exist (ids are keyed by organisation, so another
 * organisation's id is simply unknown here). Every write and every read of client-level data is audited in the same
 * transaction; audit entries never carry a UIC, a hotspot code or a record id in clear (entity ids are pseudonyms,
 * see `pseudonym`), because the audit trail is read outside the organisation.
 */
import { createHash, randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/index.js';
import type { DB } from '../db/schema.js';
import { clientScope, type Actor } from '../policy.js';
import { recordAudit, recordAuditMany, type AuditWhat, type AuditWho } from '../audit/service.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { zodFields } from '../http/errors.js';
import { todayInCambodia } from '../../core/dates.js';
import {
  clientData,
  clientStatusData,
  contactData,
  effectiveStatus,
  MAX_PUSH_RECORDS,
  referralOutcomeData,
  SYNC_KINDS,
  type ClientStatus,
  type SyncKind,
} from '../../core/harm-reduction.js';
import { uicDistance } from '../../core/uic.js';
import type { OutreachConfig } from './config.js';
import { clientMerged, contactsAdded, lockHarmReduction, referralOutcomesChanged, type ClientDims } from './aggregates.js';

type Trx = Transaction<DB>;

/** The audit trail's name for a client-level record: stable inside the organisation, meaningless outside it. */
export function pseudonym(organisationId: string, id: string): string {
  return `p:${createHash('sha256').update(`${organisationId}:${id}`).digest('hex').slice(0, 32)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ClientDto {
  id: string;
  uic: string;
  sex: string;
  birthYear: number | null;
  firstContactOn: string;
  drugs: string[];
  route: string;
  /** As shown: moved/died as recorded, else lost_to_follow_up after TONLE_LTFU_DAYS without a contact, else active. */
  status: ClientStatus;
  lastContactOn: string | null;
  /** Set when the programme manager merged this client into another: use that one. */
  mergedInto: string | null;
}

export interface HotspotDto {
  id: string;
  code: string;
  districtCode: string;
  active: boolean;
}

export interface PushResult {
  id: string | null;
  status: 'accepted' | 'already_had' | 'rejected';
  reason?: string;
}

type ClientRow = {
  id: string;
  uic: string;
  sex: string;
  birth_year: number | null;
  first_contact_on: string;
  drugs: unknown;
  route: string;
  status: string;
  last_contact_at: Date | string | null;
  merged_into: string | null;
};

const dateInCambodia = (d: Date | string) => todayInCambodia(new Date(d));
const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export class OutreachService {
  constructor(
    private db: Database,
    public config: OutreachConfig,
  ) {}

  toClient(r: ClientRow, today = todayInCambodia()): ClientDto {
    const last = r.last_contact_at ? dateInCambodia(r.last_contact_at) : null;
    return {
      id: r.id,
      uic: r.uic,
      sex: r.sex,
      birthYear: r.birth_year,
      firstContactOn: r.first_contact_on,
      drugs: parseJson<string[]>(r.drugs),
      route: r.route,
      status: effectiveStatus(r.status as ClientStatus, last && last > r.first_contact_on ? last : r.first_contact_on, today, this.config.ltfuDays),
      lastContactOn: last,
      mergedInto: r.merged_into,
    };
  }

  private static lock(trx: Trx) {
    return lockHarmReduction(trx);
  }

  // ------------------------------------------------------------------------------------------------ sync push

  /**
   * Push: each record is validated on its own (one bad record never blocks the others); accepted records are written
   * with their audit entries in one transaction. An id already stored answers already_had and changes nothing.
   */
  async push(actor: Actor | null, deviceId: string, records: unknown[], who: AuditWho): Promise<PushResult[]> {
    const { organisationId: org } = clientScope(actor, 'sync.push');
    const today = todayInCambodia();
    const thisYear = Number(today.slice(0, 4));
    const clientSchema = clientData({ uicFormat: this.config.uicFormat, thisYear });
    const results: PushResult[] = new Array(records.length);
    type Parsed = { i: number; kind: SyncKind; id: string; data: any };
    const parsed: Parsed[] = [];
    records.forEach((rec, i) => {
      const reject = (reason: string, id: string | null = null) => (results[i] = { id, status: 'rejected', reason });
      if (!rec || typeof rec !== 'object' || Array.isArray(rec)) return reject('record: must be an object {kind, id, data}');
      const r = rec as Record<string, unknown>;
      const id = typeof r.id === 'string' && UUID.test(r.id) ? r.id.toLowerCase() : null;
      const extra = Object.keys(r).filter((k) => !['kind', 'id', 'data'].includes(k));
      if (extra.length) return reject(`${extra.join(', ')}: is not an accepted field (unknown fields are refused, never stored)`, id);
      if (!id) return reject(r.id === undefined ? 'id: is required' : 'id: must be an id', typeof r.id === 'string' ? r.id : null);
      if (!SYNC_KINDS.includes(r.kind as SyncKind)) return reject(`kind: must be one of ${SYNC_KINDS.join(', ')}`, id);
      const kind = r.kind as SyncKind;
      const schema = kind === 'client' ? clientSchema : kind === 'contact' ? contactData : kind === 'referral_outcome' ? referralOutcomeData : clientStatusData;
      const p = schema.safeParse(r.data);
      if (!p.success) {
        const f = zodFields(p.error, '', r.data);
        return reject(f.map((x) => `${x.path || 'data'}: ${x.message}`).join('; '), id);
      }
      const data = p.data as any;
      if (data.id !== undefined && data.id.toLowerCase() !== id) return reject('id: differs from the record id', id);
      if (kind === 'client' && data.firstContactOn > today) return reject('firstContactOn: must not be in the future', id);
      if (kind === 'contact' && Date.parse(data.at) > Date.now() + 24 * 3_600_000) return reject('at: must not be in the future', id);
      parsed.push({ i, kind, id, data });
    });
    if (parsed.length === 0) return results;

    return this.db.transaction().execute(async (trx) => {
      await OutreachService.lock(trx);
      const ids = (k: SyncKind) => parsed.filter((p) => p.kind === k).map((p) => p.id);
      const clientIds = new Set([...ids('client'), ...ids('client_status'), ...parsed.filter((p) => p.kind === 'contact' && p.data.clientId).map((p) => p.data.clientId.toLowerCase())]);
      const referralIds = new Set([...ids('referral_outcome'), ...parsed.filter((p) => p.kind === 'contact').flatMap((p) => p.data.referrals.map((r: { id: string }) => r.id.toLowerCase()))]);
      const hotspotIds = new Set(parsed.filter((p) => p.kind === 'contact' && p.data.hotspotId).map((p) => p.data.hotspotId.toLowerCase()));
      const contactIds = ids('contact');
      const chunked = async <T>(xs: string[], f: (part: string[]) => Promise<T[]>) => {
        const out: T[] = [];
        for (let k = 0; k < xs.length; k += 1000) out.push(...(await f(xs.slice(k, k + 1000))));
        return out;
      };
      const knownClients = new Map(
        (await chunked([...clientIds], (part) => trx.selectFrom('outreach_clients').select(['id', 'status', 'merged_into']).where('organisation_id', '=', org).where('id', 'in', part).execute())).map((c) => [
          c.id,
          c,
        ]),
      );
      const knownContacts = new Set((await chunked(contactIds, (part) => trx.selectFrom('outreach_contacts').select('id').where('organisation_id', '=', org).where('id', 'in', part).execute())).map((c) => c.id));
      const knownReferrals = new Map(
        (await chunked([...referralIds], (part) => trx.selectFrom('outreach_referrals').select(['id', 'outcome', 'outcome_on']).where('organisation_id', '=', org).where('id', 'in', part).execute())).map((r) => [r.id, r]),
      );
      const knownHotspots = new Set((await chunked([...hotspotIds], (part) => trx.selectFrom('hotspots').select('id').where('organisation_id', '=', org).where('id', 'in', part).execute())).map((h) => h.id));

      const now = new Date();
      const newClients: any[] = [];
      const newContacts: any[] = [];
      const newReferrals: any[] = [];
      const statusUpdates = new Map<string, string>();
      const outcomeUpdates = new Map<string, { outcome: string; outcome_on: string | null }>();
      /** the outcome stored before this push, of each stored referral whose outcome it changes */
      const outcomeBefore = new Map<string, string>();
      const lastContact = new Map<string, string>();
      const audits: AuditWhat[] = [];
      const batchContacts = new Set<string>();
      const accept = (p: Parsed) => (results[p.i] = { id: p.id, status: 'accepted' });
      const already = (p: Parsed) => (results[p.i] = { id: p.id, status: 'already_had' });
      const reject = (p: Parsed, reason: string) => (results[p.i] = { id: p.id, status: 'rejected', reason });
      const resolveClient = (id: string) => {
        const c = knownClients.get(id);
        return c ? (c.merged_into ?? c.id) : null;
      };
      const via = { via: 'sync', deviceId };

      for (const p of parsed) {
        const d = p.data;
        if (p.kind === 'client') {
          if (knownClients.has(p.id)) {
            already(p);
            continue;
          }
          knownClients.set(p.id, { id: p.id, status: d.status, merged_into: null });
          newClients.push({
            organisation_id: org,
            id: p.id,
            uic: d.uic,
            sex: d.sex,
            birth_year: d.birthYear,
            first_contact_on: d.firstContactOn,
            drugs: JSON.stringify(d.drugs),
            route: d.route,
            status: d.status === 'lost_to_follow_up' ? 'active' : d.status,
            last_contact_at: null,
            merged_into: null,
            change_seq: sql<number>`nextval('outreach_change_seq')`,
            created_by: actor!.accountId,
            device_id: deviceId,
            created_at: now,
            updated_at: now,
          });
          audits.push({ action: 'client.create', entity: 'outreach_client', entityId: pseudonym(org, p.id), details: via });
          accept(p);
        } else if (p.kind === 'contact') {
          if (knownContacts.has(p.id) || batchContacts.has(p.id)) {
            already(p);
            continue;
          }
          let clientId: string | null = null;
          if (d.clientId) {
            clientId = resolveClient(d.clientId.toLowerCase());
            if (!clientId) {
              reject(p, 'clientId: is not a known client (push the client first)');
              continue;
            }
          }
          const hotspotId = d.hotspotId ? d.hotspotId.toLowerCase() : null;
          if (hotspotId && !knownHotspots.has(hotspotId)) {
            reject(p, 'hotspotId: is not a known hotspot');
            continue;
          }
          const usedRef = d.referrals.findIndex((r: { id: string }) => knownReferrals.has(r.id.toLowerCase()));
          if (usedRef >= 0) {
            reject(p, `referrals.${usedRef}.id: is already used`);
            continue;
          }
          const needles = Object.values(d.needles as Record<string, number>).reduce((a, b) => a + b, 0);
          const syringes = Object.values(d.syringes as Record<string, number>).reduce((a, b) => a + b, 0);
          batchContacts.add(p.id);
          newContacts.push({
            organisation_id: org,
            id: p.id,
            client_id: clientId,
            at: new Date(d.at),
            setting: d.setting,
            hotspot_id: hotspotId,
            needles: JSON.stringify(d.needles),
            syringes: JSON.stringify(d.syringes),
            needles_total: needles,
            syringes_total: syringes,
            returned: d.returned,
            condoms: d.condoms,
            naloxone: d.naloxone,
            hiv_test: d.hivTest,
            hcv_test: d.hcvTest,
            counselling: d.counselling,
            wound_care: d.woundCare,
            created_by: actor!.accountId,
            device_id: deviceId,
            created_at: now,
          });
          for (const r of d.referrals) {
            const rid = r.id.toLowerCase();
            knownReferrals.set(rid, { id: rid, outcome: r.outcome, outcome_on: r.outcomeOn });
            newReferrals.push({ organisation_id: org, id: rid, contact_id: p.id, client_id: clientId, target: r.target, outcome: r.outcome, outcome_on: r.outcomeOn, created_at: now, updated_at: now });
          }
          if (clientId) {
            const at = new Date(d.at).toISOString();
            if (!lastContact.has(clientId) || lastContact.get(clientId)! < at) lastContact.set(clientId, at);
          }
          audits.push({ action: 'contact.create', entity: 'outreach_contact', entityId: pseudonym(org, p.id), details: { ...via, referrals: d.referrals.length } });
          accept(p);
        } else if (p.kind === 'referral_outcome') {
          const r = knownReferrals.get(p.id);
          if (!r) {
            reject(p, 'id: is not a known referral');
            continue;
          }
          if (r.outcome === d.outcome && (r.outcome_on ?? null) === d.outcomeOn) {
            already(p);
            continue;
          }
          const storedOutcome = r.outcome;
          r.outcome = d.outcome;
          r.outcome_on = d.outcomeOn;
          const staged = newReferrals.find((x) => x.id === p.id);
          if (staged) {
            staged.outcome = d.outcome;
            staged.outcome_on = d.outcomeOn;
          } else {
            if (!outcomeBefore.has(p.id)) outcomeBefore.set(p.id, storedOutcome);
            outcomeUpdates.set(p.id, { outcome: d.outcome, outcome_on: d.outcomeOn });
          }
          audits.push({ action: 'referral.outcome', entity: 'outreach_referral', entityId: pseudonym(org, p.id), details: { ...via, outcome: d.outcome } });
          accept(p);
        } else {
          const c = knownClients.get(p.id);
          if (!c) {
            reject(p, 'id: is not a known client');
            continue;
          }
          const status = d.status === 'lost_to_follow_up' ? 'active' : d.status; // lost to follow-up is computed
          if (c.status === status) {
            already(p);
            continue;
          }
          c.status = status;
          const staged = newClients.find((x) => x.id === p.id);
          if (staged) staged.status = status;
          else statusUpdates.set(p.id, status);
          audits.push({ action: 'client.status', entity: 'outreach_client', entityId: pseudonym(org, p.id), details: { ...via, status } });
          accept(p);
        }
      }

      for (let k = 0; k < newClients.length; k += 500) await trx.insertInto('outreach_clients').values(newClients.slice(k, k + 500)).execute();
      for (let k = 0; k < newContacts.length; k += 500) await trx.insertInto('outreach_contacts').values(newContacts.slice(k, k + 500)).execute();
      for (let k = 0; k < newReferrals.length; k += 500) await trx.insertInto('outreach_referrals').values(newReferrals.slice(k, k + 500)).execute();
      for (const [id, status] of statusUpdates) {
        await trx
          .updateTable('outreach_clients')
          .set({ status, change_seq: sql<number>`nextval('outreach_change_seq')`, updated_at: now })
          .where('organisation_id', '=', org)
          .where('id', '=', id)
          .execute();
      }
      for (const [id, o] of outcomeUpdates) {
        await trx.updateTable('outreach_referrals').set({ outcome: o.outcome, outcome_on: o.outcome_on, updated_at: now }).where('organisation_id', '=', org).where('id', '=', id).execute();
      }
      if (lastContact.size) {
        const values = sql.join([...lastContact].map(([id, at]) => sql`(${id}::uuid, ${at}::timestamptz)`));
        await sql`update outreach_clients c
            set last_contact_at = greatest(coalesce(c.last_contact_at, v.at), v.at),
                change_seq = nextval('outreach_change_seq'), updated_at = ${now}
           from (values ${values}) as v(id, at)
          where c.organisation_id = ${org} and c.id = v.id`.execute(trx);
      }
      // the maintained aggregates, in this transaction (src/server/outreach/aggregates.ts)
      if (newContacts.length) {
        const dims = new Map<string, ClientDims>(newClients.map((c) => [c.id, { sex: c.sex, birthYear: c.birth_year }]));
        const missing = [...new Set(newContacts.map((c) => c.client_id).filter((id): id is string => !!id && !dims.has(id)))];
        for (const part of await chunked(missing, (ids) => trx.selectFrom('outreach_clients').select(['id', 'sex', 'birth_year']).where('organisation_id', '=', org).where('id', 'in', ids).execute())) {
          dims.set(part.id, { sex: part.sex, birthYear: part.birth_year });
        }
        const made = new Map<string, { made: number; completed: number }>();
        for (const r of newReferrals) {
          const m = made.get(r.contact_id) ?? { made: 0, completed: 0 };
          m.made++;
          if (r.outcome === 'completed') m.completed++;
          made.set(r.contact_id, m);
        }
        await contactsAdded(
          trx,
          org,
          newContacts.map((c) => ({
            clientId: c.client_id,
            at: c.at,
            setting: c.setting,
            hotspotId: c.hotspot_id,
            needles: c.needles_total,
            syringes: c.syringes_total,
            returned: c.returned,
            hivTest: c.hiv_test,
            referralsMade: made.get(c.id)?.made ?? 0,
            referralsCompleted: made.get(c.id)?.completed ?? 0,
          })),
          dims,
        );
      }
      if (outcomeUpdates.size) await referralOutcomesChanged(trx, org, [...outcomeUpdates].map(([id, o]) => ({ id, before: outcomeBefore.get(id)!, after: o.outcome })));
      await recordAuditMany(trx, who, audits);
      return results;
    });
  }

  // ------------------------------------------------------------------------------------------------ sync pull

  /** Pull: the organisation's clients and hotspots changed after the cursor (a change sequence), in pages. */
  async pull(actor: Actor | null, deviceId: string, cursor: number, limit: number, who: AuditWho) {
    const { organisationId: org } = clientScope(actor, 'sync.pull');
    return this.db.transaction().execute(async (trx) => {
      const clients = await trx
        .selectFrom('outreach_clients')
        .select(['id', 'uic', 'sex', 'birth_year', 'first_contact_on', 'drugs', 'route', 'status', 'last_contact_at', 'merged_into', 'change_seq'])
        .where('organisation_id', '=', org)
        .where('change_seq', '>', cursor)
        .orderBy('change_seq')
        .limit(limit + 1)
        .execute();
      const hotspots = await trx
        .selectFrom('hotspots')
        .select(['id', 'code', 'district_code', 'active', 'change_seq'])
        .where('organisation_id', '=', org)
        .where('change_seq', '>', cursor)
        .orderBy('change_seq')
        .limit(limit + 1)
        .execute();
      const merged = [...clients.map((c) => ({ seq: Number(c.change_seq), c, h: null })), ...hotspots.map((h) => ({ seq: Number(h.change_seq), c: null, h }))].sort((a, b) => a.seq - b.seq);
      const page = merged.slice(0, limit);
      const today = todayInCambodia();
      const outClients = page.filter((x) => x.c).map((x) => this.toClient(x.c!, today));
      const outHotspots = page.filter((x) => x.h).map((x) => ({ id: x.h!.id, code: x.h!.code, districtCode: x.h!.district_code, active: x.h!.active }));
      if (outClients.length) {
        await recordAudit(trx, who, { action: 'client.read', entity: 'outreach_client', details: { via: 'sync.pull', deviceId, count: outClients.length } });
      }
      return {
        clients: outClients,
        hotspots: outHotspots,
        cursor: String(page.length ? page[page.length - 1].seq : cursor),
        more: merged.length > limit,
      };
    });
  }

  // ------------------------------------------------------------------------------------------------ hotspots

  async hotspots(actor: Actor | null): Promise<HotspotDto[]> {
    const { organisationId: org } = clientScope(actor, 'hotspot.read');
    const rows = await this.db.selectFrom('hotspots').select(['id', 'code', 'district_code', 'active']).where('organisation_id', '=', org).orderBy('code').execute();
    return rows.map((h) => ({ id: h.id, code: h.code, districtCode: h.district_code, active: h.active }));
  }

  private async checkDistrict(trx: Trx, code: string) {
    const d = await trx.selectFrom('districts').select('code').where('code', '=', code).executeTakeFirst();
    if (!d) throw badRequest('districtCode: is not a known district', [{ path: 'districtCode', message: 'is not a known district' }]);
  }

  async createHotspot(actor: Actor | null, input: { id?: string; code: string; districtCode: string; active?: boolean }, who: AuditWho): Promise<HotspotDto> {
    const { organisationId: org } = clientScope(actor, 'hotspot.write');
    const id = input.id?.toLowerCase() ?? randomUUID();
    return this.db.transaction().execute(async (trx) => {
      await OutreachService.lock(trx);
      await this.checkDistrict(trx, input.districtCode);
      const taken = await trx.selectFrom('hotspots').select(['id']).where('organisation_id', '=', org).where((eb) => eb.or([eb('code', '=', input.code), eb('id', '=', id)])).executeTakeFirst();
      if (taken) throw taken.id === id ? conflict('id', 'is already used') : conflict('code', 'your organisation already has a hotspot with this code');
      const now = new Date();
      await trx
        .insertInto('hotspots')
        .values({ organisation_id: org, id, code: input.code, district_code: input.districtCode, active: input.active ?? true, change_seq: sql<number>`nextval('outreach_change_seq')`, created_at: now, updated_at: now })
        .execute();
      await recordAudit(trx, who, { action: 'hotspot.create', entity: 'hotspot', entityId: pseudonym(org, id), details: { districtCode: input.districtCode } });
      return { id, code: input.code, districtCode: input.districtCode, active: input.active ?? true };
    });
  }

  async updateHotspot(actor: Actor | null, id: string, input: { code?: string; districtCode?: string; active?: boolean }, who: AuditWho): Promise<HotspotDto> {
    const { organisationId: org } = clientScope(actor, 'hotspot.write');
    return this.db.transaction().execute(async (trx) => {
      await OutreachService.lock(trx);
      const h = await trx.selectFrom('hotspots').selectAll().where('organisation_id', '=', org).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!h) throw notFound('hotspot');
      if (input.districtCode) await this.checkDistrict(trx, input.districtCode);
      if (input.code && input.code !== h.code) {
        const taken = await trx.selectFrom('hotspots').select('id').where('organisation_id', '=', org).where('code', '=', input.code).executeTakeFirst();
        if (taken) throw conflict('code', 'your organisation already has a hotspot with this code');
      }
      const after = { code: input.code ?? h.code, district_code: input.districtCode ?? h.district_code, active: input.active ?? h.active };
      await trx
        .updateTable('hotspots')
        .set({ ...after, change_seq: sql<number>`nextval('outreach_change_seq')`, updated_at: new Date() })
        .where('organisation_id', '=', org)
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, who, {
        action: 'hotspot.update',
        entity: 'hotspot',
        entityId: pseudonym(org, id),
        details: { before: { districtCode: h.district_code, active: h.active }, after: { districtCode: after.district_code, active: after.active }, codeChanged: after.code !== h.code },
      });
      return { id, code: after.code, districtCode: after.district_code, active: after.active };
    });
  }

  // ------------------------------------------------------------------------------------------------ clients

  /** List or search (UIC prefix, upper-cased) the organisation's clients. Audited with the number of rows, not the rows. */
  async clients(actor: Actor | null, q: { uic?: string; status?: ClientStatus; includeMerged?: boolean; limit: number; offset: number }, who: AuditWho): Promise<ClientDto[]> {
    const { organisationId: org } = clientScope(actor, 'client.read');
    return this.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('outreach_clients')
        .select(['id', 'uic', 'sex', 'birth_year', 'first_contact_on', 'drugs', 'route', 'status', 'last_contact_at', 'merged_into'])
        .where('organisation_id', '=', org);
      if (q.uic) query = query.where('uic', 'like', `${q.uic.replace(/[%_\\]/g, '')}%`);
      if (!q.includeMerged) query = query.where('merged_into', 'is', null);
      const rows = await query.orderBy('uic').orderBy('id').limit(q.status ? 100_000 : q.limit).offset(q.status ? 0 : q.offset).execute();
      const today = todayInCambodia();
      let items = rows.map((r) => this.toClient(r, today));
      if (q.status) items = items.filter((c) => c.status === q.status).slice(q.offset, q.offset + q.limit);
      await recordAudit(trx, who, { action: 'client.read', entity: 'outreach_client', details: { via: 'list', search: !!q.uic, count: items.length } });
      return items;
    });
  }

  /** One client with its contacts and referrals (404 outside the organisation, exactly like an unknown id). */
  async client(actor: Actor | null, id: string, who: AuditWho) {
    const { organisationId: org } = clientScope(actor, 'client.read');
    return this.db.transaction().execute(async (trx) => {
      const c = await trx
        .selectFrom('outreach_clients')
        .select(['id', 'uic', 'sex', 'birth_year', 'first_contact_on', 'drugs', 'route', 'status', 'last_contact_at', 'merged_into'])
        .where('organisation_id', '=', org)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!c) throw notFound('client');
      const contacts = await trx.selectFrom('outreach_contacts').selectAll().where('organisation_id', '=', org).where('client_id', '=', id).orderBy('at', 'desc').limit(1000).execute();
      const refs = contacts.length
        ? await trx
            .selectFrom('outreach_referrals')
            .selectAll()
            .where('organisation_id', '=', org)
            .where(
              'contact_id',
              'in',
              contacts.map((x) => x.id),
            )
            .execute()
        : [];
      await recordAudit(trx, who, { action: 'client.read', entity: 'outreach_client', entityId: pseudonym(org, id), details: { via: 'client', count: 1, contacts: contacts.length } });
      return {
        ...this.toClient(c),
        contacts: contacts.map((x) => ({
          id: x.id,
          at: new Date(x.at).toISOString(),
          setting: x.setting,
          hotspotId: x.hotspot_id,
          needles: parseJson<Record<string, number>>(x.needles),
          syringes: parseJson<Record<string, number>>(x.syringes),
          returned: x.returned,
          condoms: x.condoms,
          naloxone: x.naloxone,
          hivTest: x.hiv_test,
          hcvTest: x.hcv_test,
          counselling: x.counselling,
          woundCare: x.wound_care,
          referrals: refs.filter((r) => r.contact_id === x.id).map((r) => ({ id: r.id, target: r.target, outcome: r.outcome, outcomeOn: r.outcome_on })),
        })),
      };
    });
  }

  async setStatus(actor: Actor | null, id: string, status: ClientStatus, who: AuditWho): Promise<ClientDto> {
    const { organisationId: org } = clientScope(actor, 'client.write');
    return this.db.transaction().execute(async (trx) => {
      await OutreachService.lock(trx);
      const c = await trx.selectFrom('outreach_clients').select(['status']).where('organisation_id', '=', org).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!c) throw notFound('client');
      const stored = status === 'lost_to_follow_up' ? 'active' : status;
      if (stored !== c.status) {
        await trx
          .updateTable('outreach_clients')
          .set({ status: stored, change_seq: sql<number>`nextval('outreach_change_seq')`, updated_at: new Date() })
          .where('organisation_id', '=', org)
          .where('id', '=', id)
          .execute();
        await recordAudit(trx, who, { action: 'client.status', entity: 'outreach_client', entityId: pseudonym(org, id), details: { before: c.status, after: stored } });
      }
      const r = await trx
        .selectFrom('outreach_clients')
        .select(['id', 'uic', 'sex', 'birth_year', 'first_contact_on', 'drugs', 'route', 'status', 'last_contact_at', 'merged_into'])
        .where('organisation_id', '=', org)
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return this.toClient(r);
    });
  }

  async setReferralOutcome(actor: Actor | null, id: string, input: { outcome: string; outcomeOn: string | null }, who: AuditWho) {
    const { organisationId: org } = clientScope(actor, 'client.write');
    return this.db.transaction().execute(async (trx) => {
      const r = await trx.selectFrom('outreach_referrals').selectAll().where('organisation_id', '=', org).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!r) throw notFound('referral');
      if (r.outcome !== input.outcome || r.outcome_on !== input.outcomeOn) {
        await trx.updateTable('outreach_referrals').set({ outcome: input.outcome, outcome_on: input.outcomeOn, updated_at: new Date() }).where('organisation_id', '=', org).where('id', '=', id).execute();
        await referralOutcomesChanged(trx, org, [{ id, before: r.outcome, after: input.outcome }]);
        await recordAudit(trx, who, { action: 'referral.outcome', entity: 'outreach_referral', entityId: pseudonym(org, id), details: { before: r.outcome, after: input.outcome } });
      }
      return { id, target: r.target, outcome: input.outcome, outcomeOn: input.outcomeOn };
    });
  }

  // ------------------------------------------------------------------------------------------------ duplicates

  /**
   * Likely duplicates among the organisation's (unmerged) clients: the same UIC twice (with the same or a different
   * sex or birth year), or UICs one character apart. Pairs already decided are left out.
   */
  async duplicates(actor: Actor | null, who: AuditWho) {
    const { organisationId: org } = clientScope(actor, 'client.manage');
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('outreach_clients')
        .select(['id', 'uic', 'sex', 'birth_year', 'first_contact_on', 'drugs', 'route', 'status', 'last_contact_at', 'merged_into'])
        .where('organisation_id', '=', org)
        .where('merged_into', 'is', null)
        .execute();
      const decided = new Set((await trx.selectFrom('outreach_duplicate_decisions').select(['client_a', 'client_b']).where('organisation_id', '=', org).execute()).map((d) => `${d.client_a}|${d.client_b}`));
      // blocking: clients sharing a UIC with one position blanked are candidates (finds equal and one-apart UICs)
      const buckets = new Map<string, number[]>();
      rows.forEach((r, i) => {
        for (let k = 0; k < r.uic.length; k++) {
          const key = `${k}:${r.uic.slice(0, k)}_${r.uic.slice(k + 1)}`;
          if (!buckets.has(key)) buckets.set(key, []);
          buckets.get(key)!.push(i);
        }
      });
      const pairs = new Map<string, { a: number; b: number }>();
      for (const members of buckets.values()) {
        if (members.length < 2 || members.length > 200) continue;
        for (let x = 0; x < members.length; x++)
          for (let y = x + 1; y < members.length; y++) {
            const [a, b] = rows[members[x]].id < rows[members[y]].id ? [members[x], members[y]] : [members[y], members[x]];
            const key = `${rows[a].id}|${rows[b].id}`;
            if (!decided.has(key) && !pairs.has(key)) pairs.set(key, { a, b });
          }
      }
      const today = todayInCambodia();
      const items = [...pairs.values()].slice(0, 500).map(({ a, b }) => {
        const ca = rows[a];
        const cb = rows[b];
        return {
          a: this.toClient(ca, today),
          b: this.toClient(cb, today),
          distance: uicDistance(ca.uic, cb.uic),
          sameUic: ca.uic === cb.uic,
          sexDiffers: ca.sex !== cb.sex,
          birthYearDiffers: ca.birth_year !== cb.birth_year,
        };
      });
      items.sort((x, y) => x.distance - y.distance || (x.a.uic < y.a.uic ? -1 : 1));
      await recordAudit(trx, who, { action: 'client.read', entity: 'outreach_client', details: { via: 'duplicates', count: items.length * 2 } });
      return items;
    });
  }

  /**
   * Decide a pair: keep_apart records the decision (the pair is no longer listed); merge moves b's contacts and
   * referrals to a and marks b merged into a (b stays, so that devices learn of it on their next pull and later
   * contacts pushed for b land on a).
   */
  async decide(actor: Actor | null, input: { a: string; b: string; decision: 'merge' | 'keep_apart' }, who: AuditWho) {
    const { organisationId: org } = clientScope(actor, 'client.manage');
    if (input.a === input.b) throw badRequest('b: must differ from a', [{ path: 'b', message: 'must differ from a' }]);
    return this.db.transaction().execute(async (trx) => {
      await OutreachService.lock(trx);
      const found = await trx.selectFrom('outreach_clients').select(['id', 'merged_into']).where('organisation_id', '=', org).where('id', 'in', [input.a, input.b]).forUpdate().execute();
      // one answer for a missing id and another organisation's: 404 naming neither
      if (found.length !== 2) throw notFound('client');
      if (found.some((c) => c.merged_into)) throw conflict('a', 'one of these clients was already merged');
      const [x, y] = input.a < input.b ? [input.a, input.b] : [input.b, input.a];
      const now = new Date();
      await trx
        .insertInto('outreach_duplicate_decisions')
        .values({ organisation_id: org, client_a: x, client_b: y, decision: input.decision, decided_by: actor!.accountId, decided_at: now })
        .onConflict((oc) => oc.columns(['organisation_id', 'client_a', 'client_b']).doUpdateSet({ decision: input.decision, decided_by: actor!.accountId, decided_at: now }))
        .execute();
      if (input.decision === 'merge') {
        // the aggregates move b's contacts to a before the contacts themselves move (it reads them under b)
        await clientMerged(trx, org, input.a, input.b);
        await trx.updateTable('outreach_contacts').set({ client_id: input.a }).where('organisation_id', '=', org).where('client_id', '=', input.b).execute();
        await trx.updateTable('outreach_referrals').set({ client_id: input.a }).where('organisation_id', '=', org).where('client_id', '=', input.b).execute();
        const bRow = await trx.selectFrom('outreach_clients').select(['last_contact_at', 'first_contact_on']).where('organisation_id', '=', org).where('id', '=', input.b).executeTakeFirstOrThrow();
        await trx
          .updateTable('outreach_clients')
          .set({ merged_into: input.a, change_seq: sql<number>`nextval('outreach_change_seq')`, updated_at: now })
          .where('organisation_id', '=', org)
          .where('id', '=', input.b)
          .execute();
        await sql`update outreach_clients
             set first_contact_on = least(first_contact_on, ${bRow.first_contact_on}::date),
                 last_contact_at = greatest(last_contact_at, ${bRow.last_contact_at ? new Date(bRow.last_contact_at) : null}::timestamptz),
                 change_seq = nextval('outreach_change_seq'), updated_at = ${now}
           where organisation_id = ${org} and id = ${input.a}`.execute(trx);
      }
      await recordAudit(trx, who, {
        action: 'client.duplicate_decision',
        entity: 'outreach_client',
        entityId: pseudonym(org, input.a),
        details: { other: pseudonym(org, input.b), decision: input.decision },
      });
      return { a: input.a, b: input.b, decision: input.decision };
    });
  }
}
