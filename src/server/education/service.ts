/**
 * Education pillar service (issue 5; docs/treatment-api.md, "Education sessions"). An education officer records the
 * own organisation's sessions (participants are numbers by sex and age band, never people) and lists them (pages);
 * everyone signed in reads the national view for a fixed reporting period, whose counts of people go through the
 * disclosure control. Every write is audited, and the maintained aggregates (./aggregates.ts) updated, in the same
 * transaction as the change; views read only the aggregates.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/index.js';
import type { DB } from '../db/schema.js';
import { authorize, type Actor } from '../policy.js';
import { recordAudit, type AuditWho } from '../audit/service.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { PARTICIPANT_AGE_BANDS, PARTICIPANT_SEXES, participantTotal, type Participants, type SessionDto, type SessionInput } from '../../core/education.js';
import type { VoidReason } from '../../core/treatment.js';
import { buildEducationNational, educationCells, educationSeries, EDUCATION_SPECS, type EducationNational } from '../../core/indicators/education.js';
import type { Campaign, Period, PeriodType } from '../../core/periods.js';
import { release } from '../disclosure/release.js';
import { applySession, EducationCountSource, organisationSessionCount, sessionCounts } from './aggregates.js';

type Trx = Transaction<DB>;

export interface SessionListQuery {
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

type SessionRow = {
  id: string;
  organisation_id: string;
  organisation_name: string;
  held_on: string;
  province_code: string;
  district_code: string | null;
  setting: string;
  topic: string;
  total: number;
  voided_at: Date | string | null;
  void_reason: string | null;
  created_at: Date | string;
};

/** Participant rows (only non-zero cells), in the order of the codes. */
export function participantRows(p: Participants): { sex: string; age_band: string; count: number }[] {
  const out: { sex: string; age_band: string; count: number }[] = [];
  for (const sex of PARTICIPANT_SEXES)
    for (const band of PARTICIPANT_AGE_BANDS) {
      const n = p[sex]?.[band] ?? 0;
      if (n > 0) out.push({ sex, age_band: band, count: n });
    }
  return out;
}

export class EducationService {
  constructor(readonly db: Database) {}

  private toDto(r: SessionRow, parts: { sex: string; age_band: string; count: number }[]): SessionDto {
    // in the order of the codes, whatever order the rows came in
    const participants: Record<string, Record<string, number>> = {};
    for (const sex of PARTICIPANT_SEXES)
      for (const band of PARTICIPANT_AGE_BANDS) {
        const p = parts.find((x) => x.sex === sex && x.age_band === band);
        if (p) (participants[sex] ??= {})[band] = p.count;
      }
    return {
      id: r.id,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      heldOn: r.held_on,
      provinceCode: r.province_code,
      districtCode: r.district_code,
      setting: r.setting as SessionDto['setting'],
      topic: r.topic as SessionDto['topic'],
      participants: participants as Participants,
      total: r.total,
      voidedAt: r.voided_at === null ? null : new Date(r.voided_at).toISOString(),
      voidReason: r.void_reason as SessionDto['voidReason'],
      createdAt: new Date(r.created_at).toISOString(),
    };
  }

  private sessions(db: Database | Trx) {
    return db
      .selectFrom('education_sessions as s')
      .innerJoin('organisations as o', 'o.id', 's.organisation_id')
      .select([
        's.id',
        's.organisation_id',
        'o.name as organisation_name',
        sql<string>`s.held_on::text`.as('held_on'),
        's.province_code',
        's.district_code',
        's.setting',
        's.topic',
        's.total',
        's.voided_at',
        's.void_reason',
        's.created_at',
      ]);
  }

  private async withParticipants(db: Database | Trx, rows: SessionRow[]): Promise<SessionDto[]> {
    if (rows.length === 0) return [];
    const parts = await db
      .selectFrom('education_participants')
      .select(['session_id', 'sex', 'age_band', 'count'])
      .where(
        'session_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    const by = new Map<string, typeof parts>();
    for (const p of parts) {
      const list = by.get(p.session_id) ?? [];
      list.push(p);
      by.set(p.session_id, list);
    }
    return rows.map((r) => this.toDto(r, by.get(r.id) ?? []));
  }

  /** The own organisation's sessions (never the voided ones), newest first, with the number of sessions matching. */
  async list(actor: Actor | null, q: SessionListQuery): Promise<{ items: SessionDto[]; total: number }> {
    authorize(actor, 'education.read');
    const org = actor!.organisationId;
    // the number matching comes from the summary; the page (at most 500 rows) from the sessions
    const n = await organisationSessionCount(this.db, org, q);
    let rows = this.sessions(this.db).where('s.organisation_id', '=', org).where('s.voided_at', 'is', null);
    if (q.from) rows = rows.where('s.held_on', '>=', q.from);
    if (q.to) rows = rows.where('s.held_on', '<=', q.to);
    const page = (await rows.orderBy('s.held_on', 'desc').orderBy('s.created_at', 'desc').orderBy('s.id').limit(q.limit).offset(q.offset).execute()) as SessionRow[];
    return { items: await this.withParticipants(this.db, page), total: n };
  }

  /** Record a session of the officer's organisation: the session, its non-zero participant cells and an audit entry. */
  async create(actor: Actor | null, input: SessionInput, who: AuditWho): Promise<SessionDto> {
    authorize(actor, 'education.write');
    const org = actor!.organisationId;
    const id = randomUUID();
    const total = participantTotal(input.participants);
    const rows = participantRows(input.participants);
    return this.db.transaction().execute(async (trx) => {
      if (input.districtCode) {
        const d = await trx.selectFrom('districts').select('province_code').where('code', '=', input.districtCode).executeTakeFirst();
        if (!d) throw badRequest('districtCode: is not a known district', [{ path: 'districtCode', message: 'is not a known district' }]);
        if (d.province_code !== input.provinceCode) throw badRequest('districtCode: is not in the province', [{ path: 'districtCode', message: 'is not in the province' }]);
      }
      await trx
        .insertInto('education_sessions')
        .values({
          id,
          organisation_id: org,
          held_on: input.heldOn,
          province_code: input.provinceCode,
          district_code: input.districtCode ?? null,
          setting: input.setting,
          topic: input.topic,
          total,
          created_by: actor!.accountId,
          created_at: new Date(),
        })
        .execute();
      await trx
        .insertInto('education_participants')
        .values(rows.map((r) => ({ session_id: id, ...r })))
        .execute();
      await applySession(
        trx,
        { organisationId: org, heldOn: input.heldOn, provinceCode: input.provinceCode, districtCode: input.districtCode ?? null, setting: input.setting, topic: input.topic, participants: rows },
        1,
      );
      const after = {
        heldOn: input.heldOn,
        provinceCode: input.provinceCode,
        districtCode: input.districtCode ?? null,
        setting: input.setting,
        topic: input.topic,
        participants: input.participants,
        total,
      };
      await recordAudit(trx, who, { action: 'education_session.create', entity: 'education_session', entityId: id, details: { after } });
      const row = (await this.sessions(trx).where('s.id', '=', id).executeTakeFirstOrThrow()) as SessionRow;
      return this.toDto(row, rows);
    });
  }

  /**
   * Void a session of the officer's own organisation entered in error: never deleted, marked with when and why, and
   * from then on out of the list and every figure. Another organisation's session answers as an unknown one (404).
   */
  async void(actor: Actor | null, id: string, reason: VoidReason, who: AuditWho): Promise<SessionDto> {
    authorize(actor, 'education.write');
    const org = actor!.organisationId;
    return this.db.transaction().execute(async (trx) => {
      const locked = await trx
        .selectFrom('education_sessions')
        .select(['id', 'voided_at', sql<string>`held_on::text`.as('held_on'), 'province_code', 'district_code', 'setting', 'topic'])
        .where('id', '=', id)
        .where('organisation_id', '=', org)
        .forUpdate()
        .executeTakeFirst();
      if (!locked) throw notFound('session');
      if (locked.voided_at !== null) throw conflict('reason', 'this session is already voided');
      await trx.updateTable('education_sessions').set({ voided_at: new Date(), void_reason: reason }).where('id', '=', id).execute();
      // the session's contribution leaves the summaries in the same transaction (the row lock makes it once)
      const parts = await trx.selectFrom('education_participants').select(['sex', 'age_band', 'count']).where('session_id', '=', id).execute();
      await applySession(
        trx,
        { organisationId: org, heldOn: locked.held_on, provinceCode: locked.province_code, districtCode: locked.district_code, setting: locked.setting, topic: locked.topic, participants: parts },
        -1,
      );
      await recordAudit(trx, who, { action: 'education_session.void', entity: 'education_session', entityId: id, details: { reason } });
      const row = (await this.sessions(trx).where('s.id', '=', id).executeTakeFirstOrThrow()) as SessionRow;
      const [dto] = await this.withParticipants(trx, [row]);
      return dto!;
    });
  }

  /**
   * The national view for one fixed reporting period: every organisation's sessions but the voided ones, read from
   * the summaries. Sessions exact; people reached released through the disclosure control, over the period and its
   * series (educationSeries: the period's own time line).
   */
  async national(actor: Actor | null, period: Period, campaign?: Campaign): Promise<EducationNational> {
    authorize(actor, 'education.national');
    const parts = educationSeries(period, campaign);
    const byType = new Map<PeriodType, Period[]>();
    for (const p of parts) byType.set(p.type, [...(byType.get(p.type) ?? []), p]);
    const [shown, ...sessionRows] = await Promise.all([
      release(EDUCATION_SPECS, new EducationCountSource(this.db, campaign), educationCells(period, parts), campaign),
      ...[...byType.values()].map((ps) => sessionCounts(this.db, ps, campaign)),
    ]);
    return buildEducationNational(period, parts, sessionRows.flat(), shown);
  }

}
