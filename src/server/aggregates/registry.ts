/**
 * The maintained aggregates (issue 9): every pillar keeps summary tables that are written in the same transaction as
 * the record they come from, so that every view and export reads summaries, never a range of facts. Each pillar
 * exports an `AggregateMaintainer` (listed in ./all.ts) that says how to rebuild its summaries from the base tables and how to compare them with the base tables;
 * `npm run tonle -- rebuild-aggregates` and `verify-aggregates` run them all.
 */
import type { Database } from '../db/index.js';

export type VerifyResult = { ok: true; checked: number } | { ok: false; difference: string };

export interface AggregateMaintainer {
  /** e.g. 'enforcement' */
  name: string;
  /** Recompute every summary of the pillar from its base tables, in one transaction. */
  rebuild(db: Database): Promise<void>;
  /** Compare the summaries with what the base tables give; the first difference, in words, if any. */
  verify(db: Database): Promise<VerifyResult>;
}

/** Rebuild every pillar's summaries; `progress` is told each pillar as it starts. */
export async function rebuildAggregates(
  db: Database,
  all: readonly AggregateMaintainer[],
  progress: (name: string, i: number, total: number) => void = () => {},
): Promise<void> {
  for (let i = 0; i < all.length; i++) {
    progress(all[i].name, i, all.length);
    await all[i].rebuild(db);
  }
}

/** Verify every pillar; stops at the first pillar with a difference. */
export async function verifyAggregates(
  db: Database,
  all: readonly AggregateMaintainer[],
): Promise<{ ok: true; checked: number } | { ok: false; pillar: string; difference: string }> {
  let checked = 0;
  for (const m of all) {
    const r = await m.verify(db);
    if (!r.ok) return { ok: false, pillar: m.name, difference: r.difference };
    checked += r.checked;
  }
  return { ok: true, checked };
}
