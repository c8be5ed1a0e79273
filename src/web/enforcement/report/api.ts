/** The enforcement report API (GET /api/enforcement/report, /api/enforcement/report.csv). Shape: src/server/enforcement/report.ts. */
import { request } from '../../api/client';
import { REPORT_TABLES, type EnforcementReportResult, type ReportTable } from '../../../core/indicators/enforcement';

export type { Count } from '../../../core/indicators/enforcement';
export type EnforcementReportResponse = EnforcementReportResult;
export { REPORT_TABLES, type ReportTable };

export const reportApi = {
  report: (query: string) => request<EnforcementReportResponse>(`/api/enforcement/report?${query}`),
};

export function csvHref(query: string, table: ReportTable): string {
  return `/api/enforcement/report.csv?${query}${query ? '&' : ''}table=${table}`;
}
