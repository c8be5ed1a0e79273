/** The education API (docs/treatment-api.md, "Education sessions"), as the pages use it. */
import { request } from '../api/client';
import type { SessionDto, SessionInput, VoidSessionInput } from '../../core/education';
import type { EducationCsvTable, EducationNational } from '../../core/indicators/education';

export type { SessionDto, EducationNational, EducationCsvTable };

export const educationApi = {
  /** The own organisation's sessions, newest first. */
  sessions: (limit: number, offset = 0) =>
    request<{ items: SessionDto[]; total: number }>(`/api/education/sessions?${new URLSearchParams({ limit: String(limit), offset: String(offset) })}`),
  record: (body: SessionInput) => request<SessionDto>('/api/education/sessions', { method: 'POST', json: body }),
  /** Void a session entered in error: it leaves the list and every figure (never deleted). */
  void: (id: string, body: VoidSessionInput) => request<SessionDto>(`/api/education/sessions/${encodeURIComponent(id)}/void`, { method: 'POST', json: body }),
  /** The national view for a fixed period: `query` is `periodQuery(value)` of the period picker. */
  national: (query: string) => request<EducationNational>(`/api/education/national?${query}`),
  csvHref: (query: string, table: EducationCsvTable) => `/api/education/national.csv?${query}&${new URLSearchParams({ table })}`,
};
