/**
 * The one HTTP client of the web app: same-origin cookies, JSON, the CSRF token on every unsafe request,
 * and the API's single error shape `{error: {code, message, fields}}` turned into an ApiError.
 */
import type {
  Account,
  AuditItem,
  AuditVerify,
  FieldError,
  GeoSummary,
  GeoUnit,
  ImportReport,
  Me,
  Organisation,
  Province,
} from './types';
import type { Locale, OrgKind, Role, Sector } from '../../core/roles';

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public fields: FieldError[] = [],
    public body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}
export function getCsrfToken() {
  return csrfToken;
}
/** Called when any request (other than sign-in itself) answers 401: the session is gone. */
export function setUnauthorizedHandler(fn: (() => void) | null) {
  onUnauthorized = fn;
}

const UNSAFE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  json?: unknown;
  text?: string;
  contentType?: string;
  /** Do not trigger the "signed out" handler on 401 (sign-in, session probe). */
  quiet401?: boolean;
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.text !== undefined) {
    headers['content-type'] = opts.contentType ?? 'text/plain';
    body = opts.text;
  }
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  if (res.status === 204) return undefined as T;
  let data: unknown = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const obj = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
    const err = (obj.error && typeof obj.error === 'object' ? obj.error : {}) as { code?: string; message?: string; fields?: FieldError[] };
    const e = new ApiError(res.status, err.code ?? `http_${res.status}`, err.message ?? res.statusText, Array.isArray(err.fields) ? err.fields : [], obj);
    if (res.status === 401 && !opts.quiet401) {
      csrfToken = null;
      onUnauthorized?.();
    }
    throw e;
  }
  return data as T;
}

interface Session {
  account: Me;
  csrfToken: string;
}

export const api = {
  async login(username: string, password: string): Promise<Me> {
    const r = await request<Session>('/api/auth/login', { method: 'POST', json: { username, password }, quiet401: true });
    csrfToken = r.csrfToken;
    return r.account;
  },
  async me(): Promise<Me> {
    const r = await request<Session>('/api/auth/me', { quiet401: true });
    csrfToken = r.csrfToken;
    return r.account;
  },
  async logout(): Promise<void> {
    try {
      await request<void>('/api/auth/logout', { method: 'POST', quiet401: true });
    } finally {
      csrfToken = null;
    }
  },
  changePassword: (currentPassword: string, newPassword: string) =>
    request<{ account: Me }>('/api/auth/password', { method: 'POST', json: { currentPassword, newPassword } }).then((r) => r.account),
  setLocale: (locale: Locale) => request<{ account: Me }>('/api/auth/me', { method: 'PATCH', json: { locale } }).then((r) => r.account),

  organisations: () => request<{ items: Organisation[] }>('/api/organisations').then((r) => r.items),
  createOrganisation: (body: {
    name: string;
    sector: Sector;
    kind: OrgKind;
    provinceCode: string;
    districtCode?: string | null;
    communeCode?: string | null;
  }) => request<Organisation>('/api/organisations', { method: 'POST', json: body }),
  updateOrganisation: (id: string, body: { name?: string; status?: 'active' | 'closed' }) =>
    request<Organisation>(`/api/organisations/${encodeURIComponent(id)}`, { method: 'PATCH', json: body }),

  accounts: () => request<{ items: Account[] }>('/api/accounts').then((r) => r.items),
  createAccount: (body: { username: string; role: Role; organisationId: string }) =>
    request<{ account: Account; oneTimePassword: string }>('/api/accounts', { method: 'POST', json: body }),
  updateAccount: (id: string, body: { role?: Role; disabled?: boolean }) =>
    request<Account>(`/api/accounts/${encodeURIComponent(id)}`, { method: 'PATCH', json: body }),
  resetPassword: (id: string) =>
    request<{ account: Account; oneTimePassword: string }>(`/api/accounts/${encodeURIComponent(id)}/reset-password`, { method: 'POST' }),

  provinces: () => request<{ items: Province[] }>('/api/geography/provinces').then((r) => r.items),
  districts: (province: string) =>
    request<{ items: GeoUnit[] }>(`/api/geography/districts?province=${encodeURIComponent(province)}`).then((r) => r.items),
  communes: (district: string) =>
    request<{ items: GeoUnit[] }>(`/api/geography/communes?district=${encodeURIComponent(district)}`).then((r) => r.items),
  geographySummary: () => request<GeoSummary>('/api/geography/summary'),
  importGeography: (csv: string) => request<ImportReport>('/api/geography/import', { method: 'POST', text: csv, contentType: 'text/csv' }),

  audit: (before?: number, limit = 100) =>
    request<{ items: AuditItem[] }>(`/api/audit?limit=${limit}${before ? `&before=${before}` : ''}`).then((r) => r.items),
  verifyAudit: () => request<AuditVerify>('/api/audit/verify'),
};
