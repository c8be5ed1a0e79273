/** The report's tables as CSV (one table per file), from the same report object the page shows. */
import { toCsv } from '../../core/csv.js';
import type { EnforcementReportResult as ReportResult, ReportTable } from '../../core/indicators/enforcement.js';

export function reportCsv(r: ReportResult, table: ReportTable): string {
  switch (table) {
    case 'summary':
      return toCsv(
        ['from', 'to', 'province', 'district', 'cases', 'persons', 'female', 'suspected_traffickers', 'alleged_users', 'others'],
        [[r.range.from, r.range.to, r.area.provinceCode ?? 'all', r.area.districtCode ?? 'all', r.totals.cases, r.totals.persons, r.totals.female, r.totals.traffickers, r.totals.users, r.totals.others]],
      );
    case 'province':
      return toCsv(
        ['province_code', 'cases', 'persons', 'suspected_traffickers', 'alleged_users', 'others', 'female'],
        r.byProvince.map((p) => [p.provinceCode, p.cases, p.persons, p.traffickers, p.users, p.others, p.female]),
      );
    case 'daily':
      return toCsv(
        ['date', 'campaign_day', 'cases', 'persons', 'suspected_traffickers', 'alleged_users', 'others'],
        r.daily.map((d) => [d.date, d.day ?? '', d.cases, d.persons, d.traffickers, d.users, d.others]),
      );
    case 'persons':
      return toCsv(
        ['dimension', 'value', 'persons'],
        [
          ...r.byRole.map((c) => ['role', c.key, c.n]),
          ...r.bySex.map((c) => ['sex', c.key, c.n]),
          ...r.byAgeBand.map((c) => ['age_band', c.key, c.n]),
          ...r.byDisposition.map((c) => ['disposition', c.key, c.n]),
        ],
      );
    case 'nationality':
      return toCsv(['nationality', 'persons'], r.byNationality.map((c) => [c.key, c.n]));
    case 'seizures':
      return toCsv(['drug', 'unit', 'quantity', 'kilograms', 'cases'], r.seizures.map((s) => [s.drug, s.unit, s.quantity, s.kg ?? '', s.cases]));
    case 'assets':
      return toCsv(['asset', 'total'], Object.entries(r.assets).map(([k, v]) => [k, v]));
  }
}
