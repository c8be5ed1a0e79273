import type { Database } from '../db/index.js';
import { PROVINCES } from '../../core/geography.js';
import { formatProblem, validateGeographyCsv, type RowProblem } from '../../core/geography-import.js';
import { recordAudit, type AuditWho } from '../audit/service.js';
import { badRequest } from '../http/errors.js';

export interface GeoUnit {
  code: string;
  parentCode: string;
  nameEn: string;
  nameKm: string;
}

export interface ImportReport {
  inserted: number;
  updated: number;
  unchanged: number;
  districts: number;
  communes: number;
}

export class GeoImportError extends Error {
  constructor(public problems: RowProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

const BATCH = 500;

export class GeographyService {
  constructor(private db: Database) {}

  /** The built-in provinces; safe to run at every start. */
  async seedProvinces(): Promise<void> {
    await this.db
      .insertInto('provinces')
      .values(PROVINCES.map((p) => ({ code: p.code, number: p.number, name_en: p.nameEn, name_km: p.nameKm })))
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name_en: eb.ref('excluded.name_en'), name_km: eb.ref('excluded.name_km') })))
      .execute();
  }

  async provinces() {
    const rows = await this.db.selectFrom('provinces').selectAll().orderBy('number').execute();
    return rows.map((r) => ({ code: r.code, number: r.number, nameEn: r.name_en, nameKm: r.name_km }));
  }

  async districts(provinceCode: string): Promise<GeoUnit[]> {
    const rows = await this.db.selectFrom('districts').selectAll().where('province_code', '=', provinceCode).orderBy('code').execute();
    return rows.map((r) => ({ code: r.code, parentCode: r.province_code, nameEn: r.name_en, nameKm: r.name_km }));
  }

  async communes(districtCode: string): Promise<GeoUnit[]> {
    const rows = await this.db.selectFrom('communes').selectAll().where('district_code', '=', districtCode).orderBy('code').execute();
    return rows.map((r) => ({ code: r.code, parentCode: r.district_code, nameEn: r.name_en, nameKm: r.name_km }));
  }

  async counts() {
    const d = await this.db.selectFrom('districts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const c = await this.db.selectFrom('communes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { provinces: PROVINCES.length, districts: Number(d.n), communes: Number(c.n) };
  }

  /**
   * Import districts and communes from CSV. All or nothing: any bad row and nothing changes.
   * Re-importing the same file changes nothing (rows are matched on code; only changed names are updated).
   */
  async importCsv(text: string, who: AuditWho, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
    const known = new Set((await this.db.selectFrom('districts').select('code').execute()).map((r) => r.code));
    const { units, problems } = validateGeographyCsv(text, known);
    if (problems.length) throw new GeoImportError(problems);
    const report: ImportReport = { inserted: 0, updated: 0, unchanged: 0, districts: 0, communes: 0 };
    await this.db.transaction().execute(async (trx) => {
      const existingD = new Map((await trx.selectFrom('districts').selectAll().execute()).map((r) => [r.code, r]));
      const existingC = new Map((await trx.selectFrom('communes').selectAll().execute()).map((r) => [r.code, r]));
      const districts = units.filter((u) => u.level === 'district');
      const communes = units.filter((u) => u.level === 'commune');
      report.districts = districts.length;
      report.communes = communes.length;
      const classify = <T extends { name_en: string; name_km: string }>(u: (typeof units)[number], ex: T | undefined, parentSame: boolean) => {
        if (!ex) report.inserted++;
        else if (ex.name_en === u.nameEn && ex.name_km === u.nameKm && parentSame) {
          report.unchanged++;
          return false;
        } else report.updated++;
        return true;
      };
      const dRows = districts
        .filter((u) => classify(u, existingD.get(u.code), existingD.get(u.code)?.province_code === u.parentCode))
        .map((u) => ({ code: u.code, province_code: u.parentCode, name_en: u.nameEn, name_km: u.nameKm }));
      const cRows = communes
        .filter((u) => classify(u, existingC.get(u.code), existingC.get(u.code)?.district_code === u.parentCode))
        .map((u) => ({ code: u.code, district_code: u.parentCode, name_en: u.nameEn, name_km: u.nameKm }));
      const total = dRows.length + cRows.length;
      let done = 0;
      for (let i = 0; i < dRows.length; i += BATCH) {
        const batch = dRows.slice(i, i + BATCH);
        await trx
          .insertInto('districts')
          .values(batch)
          .onConflict((oc) =>
            oc.column('code').doUpdateSet((eb) => ({
              province_code: eb.ref('excluded.province_code'),
              name_en: eb.ref('excluded.name_en'),
              name_km: eb.ref('excluded.name_km'),
            })),
          )
          .execute();
        onProgress?.((done += batch.length), total);
      }
      for (let i = 0; i < cRows.length; i += BATCH) {
        const batch = cRows.slice(i, i + BATCH);
        await trx
          .insertInto('communes')
          .values(batch)
          .onConflict((oc) =>
            oc.column('code').doUpdateSet((eb) => ({
              district_code: eb.ref('excluded.district_code'),
              name_en: eb.ref('excluded.name_en'),
              name_km: eb.ref('excluded.name_km'),
            })),
          )
          .execute();
        onProgress?.((done += batch.length), total);
      }
      await recordAudit(trx, who, { action: 'geography.import', entity: 'geography', details: { ...report } });
    });
    return report;
  }
}

export function importErrorToHttp(e: GeoImportError) {
  const fields = e.problems.map((p) => ({ path: p.row ? `row ${p.row}, ${p.column}` : p.column, message: p.message }));
  return badRequest(`${e.problems.length} row problem(s); nothing was imported`, fields, {
    rejected: e.problems.map((p) => ({ row: p.row, column: p.column, message: p.message })),
  });
}
