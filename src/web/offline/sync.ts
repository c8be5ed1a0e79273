/**
 * The sync engine: push the outbox, then pull the organisation's clients and hotspots.
 *
 * Push: the waiting records, oldest first, in batches of ≤ 200 (POST /api/sync/push). The outbox is trimmed only
 * after the server's answer, and only of the records answered accepted or already_had; rejected ones stay, with
 * their reason. A network error or a 5xx stops the run: nothing is removed, and the engine tries again with
 * backoff (5 s … 5 min), when the network comes back, on the button, and every few minutes while online.
 * Pull: pages of GET /api/sync/pull?cursor= until more = false; the cursor is saved after each page.
 * 410 device_revoked: the local data is wiped at once.
 */
import { backoffMs, planResults, pushBatches, type ResultPlan } from './outbox';
import type { OutboxEntry, PullPage, PushRecord, PushResult } from './types';

export type TransportErrorKind = 'network' | 'server' | 'revoked' | 'unauthorized' | 'refused';

export class TransportError extends Error {
  constructor(
    public kind: TransportErrorKind,
    public status: number,
    public code: string,
  ) {
    super(`${kind} ${status} ${code}`);
  }
}

export interface SyncTransport {
  registerDevice(label: string): Promise<{ id: string; uicFormat?: string }>;
  push(deviceId: string, records: PushRecord[]): Promise<PushResult[]>;
  pull(deviceId: string, cursor: string | null): Promise<PullPage>;
}

/** What the engine needs from the device store (the encrypted Dexie store, or an in-memory one in tests). */
export interface SyncStore {
  outboxEntries(): Promise<OutboxEntry[]>;
  /** Remove / mark rejected in one transaction. */
  applyPlan(plan: ResultPlan): Promise<void>;
  savePulled(page: PullPage): Promise<void>;
  getDeviceId(): Promise<string | null>;
  setDevice(id: string, uicFormat?: string): Promise<void>;
  getCursor(): Promise<string | null>;
  setCursor(cursor: string | null): Promise<void>;
  setLastSync(at: string): Promise<void>;
  wipe(reason: 'revoked' | 'disabled'): Promise<void>;
}

export type SyncPhase = 'idle' | 'syncing' | 'ok' | 'offline' | 'failed' | 'signed_out' | 'revoked' | 'unavailable';

export interface SyncState {
  phase: SyncPhase;
  /** Records pushed and accepted in the last run. */
  sent: number;
  rejected: number;
  lastRunAt: string | null;
  nextRetryAt: number | null;
}

export interface SyncOptions {
  deviceLabel: () => string;
  now?: () => Date;
  pullLimitPages?: number;
}

export class SyncEngine {
  state: SyncState = { phase: 'idle', sent: 0, rejected: 0, lastRunAt: null, nextRetryAt: null };
  private running: Promise<SyncState> | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private listeners = new Set<() => void>();

  constructor(
    private store: SyncStore,
    private transport: SyncTransport,
    private opts: SyncOptions,
  ) {}

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<SyncState>) {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }

  /** One run (joins a run already going). Never throws: the outcome is in the state. */
  run(): Promise<SyncState> {
    if (!this.running) {
      this.running = this.runOnce().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  cancelRetry() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.state.nextRetryAt) this.set({ nextRetryAt: null });
  }

  private scheduleRetry() {
    this.cancelRetry();
    const ms = backoffMs(this.attempt);
    this.attempt++;
    this.retryTimer = setTimeout(() => void this.run(), ms);
    this.set({ nextRetryAt: Date.now() + ms });
  }

  private async runOnce(): Promise<SyncState> {
    this.cancelRetry();
    const now = () => (this.opts.now ?? (() => new Date()))();
    this.set({ phase: 'syncing', sent: 0, rejected: 0 });
    let sent = 0;
    let rejected = 0;
    try {
      let deviceId = await this.store.getDeviceId();
      if (!deviceId) {
        const d = await this.transport.registerDevice(this.opts.deviceLabel());
        await this.store.setDevice(d.id, d.uicFormat);
        deviceId = d.id;
      }
      // Push: a snapshot of the waiting records; records added meanwhile go with the next run.
      for (const batch of pushBatches(await this.store.outboxEntries())) {
        const results = await this.transport.push(deviceId, batch);
        const plan = planResults(
          batch.map((r) => r.id),
          results,
        );
        await this.store.applyPlan(plan);
        sent += plan.remove.length;
        rejected += plan.reject.length;
      }
      // Pull, page by page.
      let cursor = await this.store.getCursor();
      for (let page = 0; page < (this.opts.pullLimitPages ?? 1000); page++) {
        const p = await this.transport.pull(deviceId, cursor);
        await this.store.savePulled(p);
        cursor = p.cursor ?? cursor;
        await this.store.setCursor(cursor);
        if (!p.more) break;
      }
      const at = now().toISOString();
      await this.store.setLastSync(at);
      this.attempt = 0;
      this.set({ phase: 'ok', sent, rejected, lastRunAt: at });
    } catch (e) {
      const kind = e instanceof TransportError ? e.kind : 'server';
      if (kind === 'revoked') {
        await this.store.wipe('revoked');
        this.set({ phase: 'revoked', sent, rejected });
      } else if (kind === 'unauthorized') {
        this.set({ phase: 'signed_out', sent, rejected });
      } else if (kind === 'refused') {
        // 400/403/404: the server cannot take sync requests from this account or build; retry later, slowly.
        this.set({ phase: 'unavailable', sent, rejected });
        this.attempt = Math.max(this.attempt, 4);
        this.scheduleRetry();
      } else {
        this.set({ phase: kind === 'network' ? 'offline' : 'failed', sent, rejected });
        this.scheduleRetry();
      }
    }
    return this.state;
  }
}
