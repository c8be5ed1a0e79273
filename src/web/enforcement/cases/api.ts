/** The enforcement cases API (see src/server/enforcement/routes.ts), and the bulk import over XMLHttpRequest with progress. */
import { ApiError, getCsrfToken, request } from '../../api/client';
import type { CaseDto, CaseInput, CaseListItem, Disposition } from '../../../core/enforcement';

export type { CaseDto, CaseListItem };
import type { ImportProblem } from '../../../core/enforcement-import';

export interface HistoryItem {
  seq: number;
  at: string;
  username: string | null;
  action: string;
  details: { before?: Record<string, unknown>; after?: Record<string, unknown>; reason?: string; personId?: string } | null;
}

export interface PlaceDefaults {
  provinceCode: string;
  districtCode: string | null;
  communeCode: string | null;
}

export type VoidReason = 'duplicate' | 'entered_in_error' | 'not_a_drug_case' | 'other';
export const VOID_REASONS: readonly VoidReason[] = ['duplicate', 'entered_in_error', 'not_a_drug_case', 'other'];

export interface ImportResult {
  cases: number;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}

const enc = encodeURIComponent;

export const casesApi = {
  list: (q: { from?: string; to?: string; includeVoided?: boolean; limit?: number; offset?: number }) => {
    const p = new URLSearchParams();
    if (q.from) p.set('from', q.from);
    if (q.to) p.set('to', q.to);
    p.set('includeVoided', q.includeVoided ? 'true' : 'false');
    p.set('limit', String(q.limit ?? 50));
    p.set('offset', String(q.offset ?? 0));
    return request<{ items: CaseListItem[] }>(`/api/cases?${p}`).then((r) => r.items);
  },
  defaults: () => request<PlaceDefaults>('/api/cases/defaults'),
  get: (id: string) => request<CaseDto>(`/api/cases/${enc(id)}`),
  history: (id: string) => request<{ items: HistoryItem[] }>(`/api/cases/${enc(id)}/history`).then((r) => r.items),
  create: (body: CaseInput) => request<CaseDto>('/api/cases', { method: 'POST', json: body }),
  update: (id: string, body: CaseInput & { version: number }) => request<CaseDto>(`/api/cases/${enc(id)}`, { method: 'PUT', json: body }),
  setDisposition: (id: string, personId: string, disposition: Disposition) =>
    request<CaseDto>(`/api/cases/${enc(id)}/persons/${enc(personId)}`, { method: 'PATCH', json: { disposition } }),
  void: (id: string, reason: VoidReason) => request<CaseDto>(`/api/cases/${enc(id)}/void`, { method: 'POST', json: { reason } }),
  template: () => request<{ cases: string; seizures: string }>('/api/cases/import/template'),
};

export type ImportProgress = { phase: 'upload'; loaded: number; total: number } | { phase: 'save'; done: number; total: number };

export class ImportRejected extends Error {
  constructor(public rejected: ImportProblem[]) {
    super('rejected');
  }
}

/** Complete NDJSON lines of a growing response text, from `from`; returns the parsed lines and where to continue. */
export function ndjsonLines(text: string, from: number): { lines: unknown[]; next: number } {
  const lines: unknown[] = [];
  let pos = from;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break;
    const line = text.slice(pos, nl).trim();
    pos = nl + 1;
    if (!line) continue;
    try {
      lines.push(JSON.parse(line));
    } catch {
      /* a broken line: skipped */
    }
  }
  return { lines, next: pos };
}

/**
 * POST /api/cases/import with upload progress (xhr.upload.onprogress) and save progress (the NDJSON lines
 * {"done","total"} read as they arrive). Resolves with the result; rejects with ImportRejected (400 with rows)
 * or ApiError.
 */
export function importCases(body: { cases: string; seizures?: string }, onProgress: (p: ImportProgress) => void): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/cases/import');
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', 'application/json');
    xhr.setRequestHeader('accept', 'application/x-ndjson, application/json');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    let read = 0;
    let result: ImportResult | null = null;
    let streamError: { code?: string; message?: string } | null = null;
    const consume = () => {
      if (xhr.status !== 200) return;
      const { lines, next } = ndjsonLines(xhr.responseText, read);
      read = next;
      for (const l of lines as Record<string, unknown>[]) {
        if (typeof l.done === 'number' && typeof l.total === 'number') onProgress({ phase: 'save', done: l.done, total: l.total });
        else if (l.result) result = l.result as ImportResult;
        else if (l.error) streamError = l.error as { code?: string; message?: string };
      }
    };
    xhr.upload.onprogress = (e) => onProgress({ phase: 'upload', loaded: e.loaded, total: e.lengthComputable ? e.total : 0 });
    xhr.onprogress = consume;
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.onload = () => {
      if (xhr.status === 200) {
        consume();
        // A last line without a trailing newline.
        const tail = xhr.responseText.slice(read).trim();
        if (tail) {
          try {
            const l = JSON.parse(tail) as Record<string, unknown>;
            if (l.result) result = l.result as ImportResult;
            else if (l.error) streamError = l.error as { code?: string; message?: string };
          } catch {
            /* ignored */
          }
        }
        if (result) resolve(result);
        else {
          const err = streamError as { code?: string; message?: string } | null;
          reject(new ApiError(500, err?.code ?? 'internal', err?.message ?? 'the import did not finish'));
        }
        return;
      }
      let data: Record<string, unknown> = {};
      try {
        data = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        /* not JSON */
      }
      if (xhr.status === 400 && Array.isArray(data.rejected)) {
        reject(new ImportRejected(data.rejected as ImportProblem[]));
        return;
      }
      const e = (data.error ?? {}) as { code?: string; message?: string; fields?: { path: string; message: string }[] };
      reject(new ApiError(xhr.status, e.code ?? `http_${xhr.status}`, e.message ?? xhr.statusText, e.fields ?? [], data));
    };
    xhr.send(JSON.stringify(body));
  });
}
