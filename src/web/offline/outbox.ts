/**
 * The outbox rules as pure functions (tested without IndexedDB):
 * - records are pushed in recording order, in batches of at most PUSH_BATCH;
 * - a record leaves the outbox only when the server answered `accepted` or `already_had` for its id;
 * - `rejected` keeps the record, marked with the server's reason, until the worker fixes or discards it;
 * - a record the server did not answer for (a short answer, a failure) stays waiting.
 */
import type { OutboxEntry, PushRecord, PushResult } from './types';

export const PUSH_BATCH = 200;

export interface ResultPlan {
  /** Answered accepted or already_had: remove from the outbox. */
  remove: string[];
  /** Answered rejected: keep, with the reason. */
  reject: { id: string; reason: string }[];
  /** Not answered: keep waiting. */
  keep: string[];
}

export function planResults(sent: readonly string[], results: readonly PushResult[] | unknown): ResultPlan {
  const byId = new Map<string, PushResult>();
  if (Array.isArray(results)) {
    for (const r of results as unknown[]) {
      if (!r || typeof r !== 'object') continue;
      const { id, status, reason } = r as Record<string, unknown>;
      if (typeof id !== 'string' || byId.has(id)) continue;
      if (status !== 'accepted' && status !== 'already_had' && status !== 'rejected') continue;
      byId.set(id, { id, status, reason: typeof reason === 'string' ? reason : undefined });
    }
  }
  const plan: ResultPlan = { remove: [], reject: [], keep: [] };
  for (const id of sent) {
    const r = byId.get(id);
    if (!r) plan.keep.push(id);
    else if (r.status === 'rejected') plan.reject.push({ id, reason: r.reason ?? '' });
    else plan.remove.push(id);
  }
  return plan;
}

/** The entries to push now: waiting ones (not rejected), oldest first, cut into batches. */
export function pushBatches(entries: readonly OutboxEntry[], size: number = PUSH_BATCH): PushRecord[][] {
  const waiting = entries.filter((e) => e.state === 'waiting').sort((a, b) => a.seq - b.seq);
  const out: PushRecord[][] = [];
  for (let i = 0; i < waiting.length; i += size) {
    out.push(waiting.slice(i, i + size).map((e) => ({ kind: e.kind, id: e.id, data: e.data })));
  }
  return out;
}

/** Apply a plan to a list of entries (what the store does in one transaction). */
export function applyPlan(entries: readonly OutboxEntry[], plan: ResultPlan): OutboxEntry[] {
  const remove = new Set(plan.remove);
  const reject = new Map(plan.reject.map((r) => [r.id, r.reason]));
  return entries
    .filter((e) => !remove.has(e.id))
    .map((e) => (reject.has(e.id) ? { ...e, state: 'rejected' as const, reason: reject.get(e.id) } : e));
}

/** Wait before the next attempt after `attempt` failures: 5 s, 10 s, 20 s … at most 5 minutes, ±20 %. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(300_000, 5_000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}
