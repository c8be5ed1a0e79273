/**
 * The treatment pillar's calls (docs/treatment-api.md): the centre register, admissions and discharges, a centre's
 * own figures and the national (suppressed) view. Types of the answers follow the contract.
 */
import { request } from '../api/client';
import type { AdmissionDto, CentreDto } from '../../core/treatment';
import type { CentreView, NationalView } from '../../core/indicators/treatment';
import { periodQuery, type PeriodValue } from '../ui/periodChoice';

export type { AdmissionDto, CentreDto };

/** The answers of the figures routes, as the server's pure indicator module shapes them (the contract's types). */
export type { Breakdown, CentreView, NationalView } from '../../core/indicators/treatment';

export type NationalTable = 'kind' | 'province' | 'referral_source' | 'referrals';

export interface AdmissionsQuery {
  centreId?: string;
  inCare?: boolean;
  uic?: string;
  limit?: number;
  offset?: number;
}

const id = (s: string) => encodeURIComponent(s);
const qs = (o: Record<string, string | number | boolean | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

export const treatmentApi = {
  centres: () => request<{ items: CentreDto[] }>('/api/treatment/centres').then((r) => r.items),
  createCentre: (body: unknown) => request<CentreDto>('/api/treatment/centres', { method: 'POST', json: body }),
  updateCentre: (centreId: string, body: unknown) => request<CentreDto>(`/api/treatment/centres/${id(centreId)}`, { method: 'PATCH', json: body }),

  admissions: (q: AdmissionsQuery) => request<{ items: AdmissionDto[]; total: number }>(`/api/treatment/admissions${qs({ ...q })}`),
  admit: (body: unknown) => request<AdmissionDto>('/api/treatment/admissions', { method: 'POST', json: body }),
  discharge: (admissionId: string, body: unknown) => request<AdmissionDto>(`/api/treatment/admissions/${id(admissionId)}/discharge`, { method: 'POST', json: body }),
  /** Void a stay entered in error or twice: it leaves every list and figure (docs/treatment-api.md). */
  voidAdmission: (admissionId: string, body: unknown) => request<AdmissionDto>(`/api/treatment/admissions/${id(admissionId)}/void`, { method: 'POST', json: body }),

  centreView: (centreId: string, from: string, to: string) => request<CentreView>(`/api/treatment/centres/${id(centreId)}/view${qs({ from, to })}`),
  /** The national view for a fixed reporting period (the PeriodPicker's value): ranges are not offered. */
  national: (v: PeriodValue) => request<NationalView>(`/api/treatment/national?${periodQuery(v)}`),
  nationalCsvHref: (v: PeriodValue, table: NationalTable) => `/api/treatment/national.csv?${periodQuery(v)}&table=${table}`,

  /** The deployment's UIC format (treatment staff may read the outreach configuration). */
  uicFormat: () => request<{ uicFormat: string }>('/api/outreach/config').then((r) => r.uicFormat),
};
