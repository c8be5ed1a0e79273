/** The enforcement report API (GET /api/enforcement/report, /api/enforcement/report.csv). Shape: src/server/enforcement/report.ts. */
import { request } from '../../api/client';

export interface Count {
  key: string;
  n: number;
}

export interface EnforcementReportResponse {
  range: { from: string; to: string };
  campaign: { id: string; nameEn: string; nameKm: string; startDate: string; endDate: string | null } | null;
  area: { provinceCode: string | null; districtCode: string | null };
  totals: { cases: number; persons: number; female: number; traffickers: number; users: number; others: number };
  byRole: Count[];
  bySex: Count[];
  byAgeBand: Count[];
  byNationality: Count[];
  byDisposition: Count[];
  byRoleSex: { role: string; male: number; female: number; unknown: number }[];
  seizures: { drug: string; unit: string; quantity: number; kg: number | null; cases: number }[];
  kgByDrug: { drug: string; kg: number }[];
  assets: { vehicles: number; motorcycles: number; phones: number; cashKhr: number; cashUsd: number; weapons: number };
  daily: { date: string; day: number | null; cases: number; persons: number; traffickers: number; users: number; others: number }[];
  byProvince: { provinceCode: string; cases: number; persons: number; traffickers: number; users: number; others: number; female: number }[];
  press: { en: string; km: string };
}

export const REPORT_TABLES = ['summary', 'province', 'daily', 'persons', 'nationality', 'seizures', 'assets'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

export const reportApi = {
  report: (query: string) => request<EnforcementReportResponse>(`/api/enforcement/report?${query}`),
};

export function csvHref(query: string, table: ReportTable): string {
  return `/api/enforcement/report.csv?${query}${query ? '&' : ''}table=${table}`;
}
