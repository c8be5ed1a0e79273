/**
 * The programme manager's organisation views (online), after docs/harm-reduction-api.md. Answers are read
 * leniently (a list or {items}) so that the pages keep working while the server settles its shapes.
 * Hotspot management routes are not in the contract yet: GET/POST /api/outreach/hotspots and
 * PATCH /api/outreach/hotspots/:id are assumed (see the report).
 */
import { request } from '../../api/client';
import type { ClientRecord, Hotspot } from '../../offline/types';

export interface OrgClient extends ClientRecord {
  lastContactOn?: string | null;
  contacts?: number;
}

export type ReferralOutcome = 'pending' | 'completed' | 'not_completed';
export type SettableStatus = 'active' | 'moved' | 'died';

export interface ClientReferral {
  id: string;
  target: string;
  outcome: ReferralOutcome;
  outcomeOn: string | null;
}

export interface ClientContact {
  id: string;
  /** ISO timestamp of the contact. */
  at: string;
  setting: string;
  referrals: ClientReferral[];
}

/** GET /api/outreach/clients/:id: the client with its contacts (newest first) and their referrals. */
export interface ClientDetail extends Omit<OrgClient, 'contacts'> {
  mergedInto?: string | null;
  contacts: ClientContact[];
}

export interface DuplicatePair {
  a: OrgClient;
  b: OrgClient;
  distance?: number;
  sameUic?: boolean;
  sexDiffers?: boolean;
  birthYearDiffers?: boolean;
}

export type IndicatorBy = 'week' | 'hotspot' | 'sex' | 'age' | 'setting';

export interface IndicatorRow {
  /** The group: a week start, a hotspot code, a sex, an age band. */
  key: string;
  label?: string;
  [measure: string]: number | string | null | undefined;
}

function items<T>(x: unknown, ...keys: string[]): T[] {
  if (Array.isArray(x)) return x as T[];
  if (x && typeof x === 'object') {
    for (const k of ['items', ...keys]) {
      const v = (x as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
}

export const managerApi = {
  clients: (uic: string) =>
    request<unknown>(`/api/outreach/clients${uic ? `?uic=${encodeURIComponent(uic)}` : ''}`).then((r) => items<OrgClient>(r, 'clients')),
  client: (id: string) => request<ClientDetail>(`/api/outreach/clients/${encodeURIComponent(id)}`),
  setStatus: (id: string, status: SettableStatus) => request<OrgClient>(`/api/outreach/clients/${encodeURIComponent(id)}`, { method: 'PATCH', json: { status } }),
  /** An empty outcome date is left out (the server stores none). */
  setReferralOutcome: (id: string, outcome: ReferralOutcome, outcomeOn: string | null) =>
    request<ClientReferral>(`/api/outreach/referrals/${encodeURIComponent(id)}`, { method: 'PATCH', json: outcomeOn ? { outcome, outcomeOn } : { outcome } }),
  duplicates: () => request<unknown>('/api/outreach/duplicates').then((r) => items<DuplicatePair>(r, 'pairs', 'duplicates')),
  decide: (a: string, b: string, decision: 'merge' | 'keep_apart') => request<unknown>('/api/outreach/duplicates/decide', { method: 'POST', json: { a, b, decision } }),
  indicators: (from: string, to: string, by: IndicatorBy) =>
    request<unknown>(`/api/outreach/indicators?${new URLSearchParams({ from, to, by })}`).then((r) => items<IndicatorRow>(r, 'rows', 'groups')),
  indicatorsCsvHref: (from: string, to: string, by: IndicatorBy) => `/api/outreach/indicators.csv?${new URLSearchParams({ from, to, by })}`,
  hotspots: () => request<unknown>('/api/outreach/hotspots').then((r) => items<Hotspot>(r, 'hotspots')),
  createHotspot: (body: { code: string; districtCode: string }) => request<Hotspot>('/api/outreach/hotspots', { method: 'POST', json: body }),
  setHotspotActive: (id: string, active: boolean) => request<Hotspot>(`/api/outreach/hotspots/${encodeURIComponent(id)}`, { method: 'PATCH', json: { active } }),
};
