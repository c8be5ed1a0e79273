/**
 * The sync calls (devices, push, pull). They go through fetch directly because they carry the x-device-id header;
 * the session cookie and CSRF token are the app's own (src/web/api/client.ts). Errors become TransportErrors that
 * the engine understands: network (no answer), server (5xx, 408, 429), revoked (410 device_revoked),
 * unauthorized (401), refused (any other 4xx).
 */
import { getCsrfToken } from '../api/client';
import { TransportError, type SyncTransport } from './sync';
import type { PullPage, PushRecord, PushResult } from './types';

async function call<T>(path: string, init: { method?: 'GET' | 'POST'; json?: unknown; deviceId?: string } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.deviceId) headers['x-device-id'] = init.deviceId;
  const csrf = getCsrfToken();
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new TransportError('network', 0, 'network');
  }
  let data: unknown = null;
  try {
    const text = await res.text();
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const code = ((data as { error?: { code?: unknown } } | null)?.error?.code as string | undefined) ?? `http_${res.status}`;
    if (res.status === 410 && code === 'device_revoked') throw new TransportError('revoked', 410, code);
    if (res.status === 401) throw new TransportError('unauthorized', 401, code);
    if (res.status >= 500 || res.status === 408 || res.status === 429) throw new TransportError('server', res.status, code);
    throw new TransportError('refused', res.status, code);
  }
  // An HTML page instead of JSON (a proxy, a captive portal): treat as the server not answering.
  if (data === null || typeof data !== 'object') throw new TransportError('server', res.status, 'not_json');
  return data as T;
}

export const httpTransport: SyncTransport = {
  async registerDevice(label) {
    const r = await call<{ id?: unknown; uicFormat?: unknown }>('/api/devices', { method: 'POST', json: { label } });
    if (typeof r.id !== 'string') throw new TransportError('server', 200, 'bad_answer');
    return { id: r.id, uicFormat: typeof r.uicFormat === 'string' ? r.uicFormat : undefined };
  },
  async push(deviceId: string, records: PushRecord[]) {
    const r = await call<{ results?: PushResult[] }>('/api/sync/push', { method: 'POST', json: { records }, deviceId });
    if (!Array.isArray(r.results)) throw new TransportError('server', 200, 'bad_answer');
    return r.results;
  },
  async pull(deviceId: string, cursor: string | null) {
    const q = new URLSearchParams({ limit: '500' });
    if (cursor) q.set('cursor', cursor);
    const r = await call<Partial<PullPage>>(`/api/sync/pull?${q}`, { deviceId });
    return {
      clients: Array.isArray(r.clients) ? r.clients : [],
      hotspots: Array.isArray(r.hotspots) ? r.hotspots : [],
      cursor: typeof r.cursor === 'string' ? r.cursor : r.cursor === null ? null : (cursor ?? null),
      more: r.more === true,
    };
  },
};
