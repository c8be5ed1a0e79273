import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Database } from '../db/index.js';
import type { OrganisationRow } from '../db/schema.js';
import type { createOrganisationBody, updateOrganisationBody } from '../../core/schemas.js';
import { recordAudit, type AuditWho } from '../audit/service.js';
import { badRequest, notFound } from '../http/errors.js';
import { lockHarmReduction } from '../outreach/aggregates.js';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

export interface Organisation {
  id: string;
  name: string;
  sector: OrganisationRow['sector'];
  kind: OrganisationRow['kind'];
  provinceCode: string;
  districtCode: string | null;
  communeCode: string | null;
  status: 'active' | 'closed';
  parentId: string | null;
  createdAt: string;
}

const toDto = (r: OrganisationRow): Organisation => ({
  id: r.id,
  name: r.name,
  sector: r.sector,
  kind: r.kind,
  provinceCode: r.province_code,
  districtCode: r.district_code,
  communeCode: r.commune_code,
  status: r.status,
  parentId: r.parent_id,
  createdAt: new Date(r.created_at).toISOString(),
});

type Place = { provinceCode?: string; districtCode?: string | null; communeCode?: string | null };

/** The district and commune, when given, must exist and lie in the province / district. */
async function checkPlaceExists(db: Database | Transaction<DB>, p: Required<Pick<Place, 'provinceCode'>> & Place) {
  if (p.districtCode) {
    const d = await db.selectFrom('districts').select('province_code').where('code', '=', p.districtCode).executeTakeFirst();
    if (!d) throw badRequest('districtCode: is not a known district', [{ path: 'districtCode', message: 'is not a known district' }]);
    if (d.province_code !== p.provinceCode)
      throw badRequest('districtCode: is not in the province', [{ path: 'districtCode', message: 'is not in the province' }]);
  }
  if (p.communeCode) {
    const c = await db.selectFrom('communes').select('district_code').where('code', '=', p.communeCode).executeTakeFirst();
    if (!c) throw badRequest('communeCode: is not a known commune', [{ path: 'communeCode', message: 'is not a known commune' }]);
  }
}

/** A parent must exist, be of the same sector, and not make a loop. */
async function checkParent(db: Database | Transaction<DB>, id: string | null, parentId: string | null | undefined, sector: string) {
  if (!parentId) return;
  const bad = (message: string) => badRequest(`parentId: ${message}`, [{ path: 'parentId', message }]);
  const all = await db.selectFrom('organisations').select(['id', 'parent_id', 'sector']).execute();
  const byId = new Map(all.map((o) => [o.id, o]));
  const parent = byId.get(parentId);
  if (!parent) throw bad('is not a known organisation');
  if (parent.sector !== sector) throw bad('must be of the same sector');
  for (let at: string | null = parentId, steps = 0; at; at = byId.get(at)?.parent_id ?? null, steps++) {
    if (at === id || steps > all.length) throw bad('would put the organisation under itself');
  }
}

export class OrganisationService {
  constructor(private db: Database) {}

  async list(): Promise<Organisation[]> {
    const rows = await this.db.selectFrom('organisations').selectAll().orderBy('name').execute();
    return rows.map(toDto);
  }

  async get(id: string): Promise<Organisation> {
    const r = await this.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('organisation');
    return toDto(r);
  }

  async create(input: z.output<typeof createOrganisationBody>, who: AuditWho): Promise<Organisation> {
    return this.db.transaction().execute(async (trx) => {
      await checkPlaceExists(trx, input);
      await checkParent(trx, null, input.parentId, input.sector);
      const now = new Date();
      const row = await trx
        .insertInto('organisations')
        .values({
          id: randomUUID(),
          name: input.name,
          sector: input.sector,
          kind: input.kind,
          province_code: input.provinceCode,
          district_code: input.districtCode ?? null,
          commune_code: input.communeCode ?? null,
          parent_id: input.parentId ?? null,
          status: 'active',
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const dto = toDto(row);
      await recordAudit(trx, who, { action: 'organisation.create', entity: 'organisation', entityId: row.id, details: { after: dto } });
      return dto;
    });
  }

  async update(id: string, input: z.output<typeof updateOrganisationBody>, who: AuditWho): Promise<Organisation> {
    if (input.status === 'closed' && id === who.organisationId) {
      throw badRequest('status: you cannot close your own organisation', [{ path: 'status', message: 'you cannot close your own organisation' }]);
    }
    return this.db.transaction().execute(async (trx) => {
      // a move to another province moves its harm-reduction counters' margins (a trigger): the pillar's lock first
      if (input.provinceCode !== undefined) await lockHarmReduction(trx);
      const before = await trx.selectFrom('organisations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw notFound('organisation');
      const place = {
        provinceCode: input.provinceCode ?? before.province_code,
        districtCode: input.districtCode === undefined ? (input.provinceCode ? null : before.district_code) : input.districtCode,
        communeCode: input.communeCode === undefined ? (input.provinceCode || input.districtCode !== undefined ? null : before.commune_code) : input.communeCode,
      };
      await checkPlaceExists(trx, place);
      if (input.parentId !== undefined) await checkParent(trx, id, input.parentId, before.sector);
      const row = await trx
        .updateTable('organisations')
        .set({
          parent_id: input.parentId === undefined ? before.parent_id : input.parentId,
          name: input.name ?? before.name,
          status: input.status ?? before.status,
          province_code: place.provinceCode,
          district_code: place.districtCode,
          commune_code: place.communeCode,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const dto = toDto(row);
      await recordAudit(trx, who, { action: 'organisation.update', entity: 'organisation', entityId: id, details: { before: toDto(before), after: dto } });
      if (dto.status === 'closed' && before.status !== 'closed') {
        // A closed organisation's accounts are signed out at once.
        await trx.deleteFrom('sessions').where('account_id', 'in', trx.selectFrom('accounts').select('id').where('organisation_id', '=', id)).execute();
      }
      return dto;
    });
  }
}
