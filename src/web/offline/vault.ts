/**
 * The encrypted device store, one per browser: its state (no store / locked / unlocked / wiped), the key (in
 * memory only, non-extractable), the automatic lock after a few minutes without activity, and every read and
 * write of the outreach data. Decrypted clients and hotspots are cached in memory while unlocked and dropped on lock.
 */
import { DEFAULT_UIC_FORMAT, isValidUicFormat } from '../../core/uic';
import { checkVerifier, deriveKey, makeVerifier, MIN_PASSPHRASE_LENGTH, newSalt, open, PBKDF2_ITERATIONS, seal, sha256Hex, type Sealed } from './crypto';
import { deleteDeviceStore, deviceStoreExists, OutreachDb } from './db';
import type { ResultPlan } from './outbox';
import type { SyncStore } from './sync';
import type { ClientRecord, ContactRecord, Hotspot, OutboxEntry, PullPage, RecordKind } from './types';

export type VaultStatus = 'checking' | 'none' | 'locked' | 'unlocked' | 'wiped';
export type WipeReason = 'revoked' | 'disabled' | 'manual';

/** A client as kept on the device: the contract's record, and whether it still waits to be pushed. */
export interface LocalClient extends ClientRecord {
  local?: boolean;
}

/** A contact recorded on this device, kept a few days for the "my day" view. */
export interface JournalContact extends ContactRecord {
  recordedAt: string;
}

export const DEFAULT_LOCK_MINUTES = 5;
const JOURNAL_DAYS = 7;
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'touchstart', 'input'] as const;

/** The owner account is kept only as a hash of its username, compared at sign-in (disabled accounts). */
export const ownerHash = (username: string) => sha256Hex(`tonle-owner:${username.trim().toLowerCase()}`);

class Vault {
  status: VaultStatus = 'checking';
  wipeReason: WipeReason | null = null;
  outboxCount = 0;
  rejectedCount = 0;
  lastSyncAt: string | null = null;
  deviceId: string | null = null;
  uicFormat = DEFAULT_UIC_FORMAT;
  lockMinutes = DEFAULT_LOCK_MINUTES;
  /** Increments on every change of the data, so that views can reload. */
  version = 0;

  private db: OutreachDb | null = null;
  private key: CryptoKey | null = null;
  private clientCache: Map<string, LocalClient> | null = null;
  private hotspotCache: Map<string, Hotspot> | null = null;
  private lastActivity = Date.now();
  private lockTimer: ReturnType<typeof setInterval> | null = null;
  private listeners = new Set<() => void>();
  private initPromise: Promise<void> | null = null;

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit() {
    this.version++;
    for (const fn of this.listeners) fn();
  }

  private database(): OutreachDb {
    if (!this.db) this.db = new OutreachDb();
    return this.db;
  }

  private requireKey(): CryptoKey {
    if (!this.key) throw new Error('the device store is locked');
    return this.key;
  }

  /** Look at what is on this device (once; again after a wipe). */
  init(): Promise<void> {
    if (!this.initPromise) this.initPromise = this.check();
    return this.initPromise;
  }

  private async check() {
    if (!(await deviceStoreExists())) {
      this.status = this.wipeReason ? 'wiped' : 'none';
      this.emit();
      return;
    }
    const db = this.database();
    const salt = await db.meta.get('salt');
    const verifier = await db.meta.get('verifier');
    if (!salt || !verifier) {
      // A set-up that never finished: nothing encrypted can be in it.
      await this.closeAndDelete();
      this.status = 'none';
    } else {
      await this.loadPlainMeta();
      this.status = this.key ? 'unlocked' : 'locked';
    }
    this.emit();
  }

  private async loadPlainMeta() {
    const db = this.database();
    const rows = await db.meta.bulkGet(['deviceId', 'lastSyncAt', 'uicFormat', 'lockMinutes']);
    this.deviceId = (rows[0]?.value as string | undefined) ?? null;
    this.lastSyncAt = (rows[1]?.value as string | undefined) ?? null;
    const f = rows[2]?.value;
    this.uicFormat = typeof f === 'string' && isValidUicFormat(f) ? f : DEFAULT_UIC_FORMAT;
    const m = rows[3]?.value;
    this.lockMinutes = typeof m === 'number' && m > 0 ? m : DEFAULT_LOCK_MINUTES;
    await this.refreshCounts(false);
  }

  /** Create the store with a passphrase chosen on this device (separate from the account password). */
  async create(passphrase: string, ownerUsername: string): Promise<void> {
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new Error('passphrase too short');
    await this.closeAndDelete();
    const salt = newSalt();
    const key = await deriveKey(passphrase, salt, PBKDF2_ITERATIONS);
    const verifier = await makeVerifier(key);
    const db = this.database();
    await db.transaction('rw', db.meta, async () => {
      await db.meta.bulkPut([
        { key: 'salt', value: salt },
        { key: 'iterations', value: PBKDF2_ITERATIONS },
        { key: 'verifier', value: verifier },
        { key: 'owner', value: await ownerHash(ownerUsername) },
        { key: 'createdAt', value: new Date().toISOString() },
      ]);
    });
    this.wipeReason = null;
    this.initPromise = Promise.resolve();
    await this.loadPlainMeta();
    this.becomeUnlocked(key);
  }

  /** Try a passphrase: false when it is wrong (the verifier does not open). Nothing is decrypted otherwise. */
  async unlock(passphrase: string): Promise<boolean> {
    const db = this.database();
    const [salt, iterations, verifier] = await db.meta.bulkGet(['salt', 'iterations', 'verifier']);
    if (!salt || !verifier) return false;
    const key = await deriveKey(passphrase, salt.value as Uint8Array, (iterations?.value as number) ?? PBKDF2_ITERATIONS);
    if (!(await checkVerifier(key, verifier.value as Sealed))) return false;
    this.becomeUnlocked(key);
    return true;
  }

  private becomeUnlocked(key: CryptoKey) {
    this.key = key;
    this.clientCache = null;
    this.hotspotCache = null;
    this.status = 'unlocked';
    this.touch();
    this.startLockTimer();
    this.emit();
  }

  /** Forget the key and every decrypted value; the passphrase is needed again. */
  lock() {
    if (this.status !== 'unlocked') return;
    this.key = null;
    this.clientCache = null;
    this.hotspotCache = null;
    this.stopLockTimer();
    this.status = 'locked';
    this.emit();
  }

  /** Delete the whole database (lost device, revoked device, disabled account, or the worker's choice). */
  async wipe(reason: WipeReason): Promise<void> {
    this.key = null;
    this.clientCache = null;
    this.hotspotCache = null;
    this.stopLockTimer();
    await this.closeAndDelete();
    this.wipeReason = reason;
    this.outboxCount = 0;
    this.rejectedCount = 0;
    this.deviceId = null;
    this.lastSyncAt = null;
    this.status = 'wiped';
    this.emit();
  }

  /** After the "wiped" message: offer to set up the device again. */
  acknowledgeWipe() {
    this.wipeReason = null;
    if (this.status === 'wiped') {
      this.status = 'none';
      this.emit();
    }
  }

  private async closeAndDelete() {
    if (this.db) {
      this.db.close();
      this.db = null;
    }
    await deleteDeviceStore();
  }

  // ---- automatic lock ----

  touch = () => {
    this.lastActivity = Date.now();
  };

  async setLockMinutes(m: number) {
    this.lockMinutes = m;
    await this.database().meta.put({ key: 'lockMinutes', value: m });
    this.emit();
  }

  private startLockTimer() {
    this.stopLockTimer();
    if (typeof window === 'undefined') return;
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, this.touch, { passive: true, capture: true });
    this.lockTimer = setInterval(() => {
      if (Date.now() - this.lastActivity > this.lockMinutes * 60_000) this.lock();
    }, 10_000);
  }

  private stopLockTimer() {
    if (this.lockTimer) clearInterval(this.lockTimer);
    this.lockTimer = null;
    if (typeof window === 'undefined') return;
    for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, this.touch, { capture: true });
  }

  // ---- owner and device ----

  async isOwner(username: string): Promise<boolean> {
    const owner = await this.database().meta.get('owner');
    return !!owner && owner.value === (await ownerHash(username));
  }

  // ---- outbox ----

  private async refreshCounts(emit = true) {
    const db = this.database();
    this.outboxCount = await db.outbox.count();
    const rejected = await db.meta.get('rejectedIds');
    this.rejectedCount = Array.isArray(rejected?.value) ? (rejected.value as string[]).length : 0;
    if (emit) this.emit();
  }

  /** Put a record in the outbox (and in the local tables it belongs to), in one transaction. */
  async record(kind: RecordKind, id: string, data: unknown, also?: { client?: LocalClient; contact?: JournalContact }): Promise<void> {
    const key = this.requireKey();
    const db = this.database();
    const entry: Omit<OutboxEntry, 'seq'> = { id, kind, data, createdAt: new Date().toISOString(), state: 'waiting' };
    const v = await seal(key, entry, `outbox/${id}`);
    const cv = also?.client ? await seal(key, also.client, `clients/${also.client.id}`) : null;
    const jv = also?.contact ? await seal(key, also.contact, `contacts/${also.contact.id}`) : null;
    await db.transaction('rw', [db.outbox, db.clients, db.contacts, db.meta], async () => {
      const last = await db.outbox.orderBy('seq').last();
      const counter = ((await db.meta.get('seq'))?.value as number | undefined) ?? 0;
      const seq = Math.max(counter, last?.seq ?? 0) + 1;
      await db.meta.put({ key: 'seq', value: seq });
      await db.outbox.put({ id, seq, v });
      if (cv && also?.client) await db.clients.put({ id: also.client.id, v: cv });
      if (jv && also?.contact) await db.contacts.put({ id: also.contact.id, v: jv });
    });
    if (also?.client && this.clientCache) this.clientCache.set(also.client.id, also.client);
    this.touch();
    await this.refreshCounts();
  }

  async outboxEntries(): Promise<OutboxEntry[]> {
    const key = this.requireKey();
    const rows = await this.database().outbox.orderBy('seq').toArray();
    const out: OutboxEntry[] = [];
    for (const r of rows) {
      const e = await open<Omit<OutboxEntry, 'seq'>>(key, r.v, `outbox/${r.id}`);
      out.push({ ...e, seq: r.seq });
    }
    return out;
  }

  /** The server's answer applied: accepted/already_had removed, rejected marked with the reason. */
  async applyPlan(plan: ResultPlan): Promise<void> {
    const key = this.requireKey();
    const db = this.database();
    const rejected = new Map<string, Sealed>();
    for (const r of plan.reject) {
      const row = await db.outbox.get(r.id);
      if (!row) continue;
      const e = await open<Omit<OutboxEntry, 'seq'>>(key, row.v, `outbox/${r.id}`);
      rejected.set(r.id, await seal(key, { ...e, state: 'rejected', reason: r.reason }, `outbox/${r.id}`));
    }
    // Clients the server now has are no longer "local".
    const acceptedClients: { id: string; v: Sealed }[] = [];
    for (const id of plan.remove) {
      const c = this.clientCache?.get(id) ?? (await this.readClient(id));
      if (c?.local) {
        const next = { ...c, local: false };
        acceptedClients.push({ id, v: await seal(key, next, `clients/${id}`) });
        this.clientCache?.set(id, next);
      }
    }
    await db.transaction('rw', [db.outbox, db.clients, db.meta], async () => {
      await db.outbox.bulkDelete(plan.remove);
      for (const [id, v] of rejected) await db.outbox.update(id, { v });
      if (acceptedClients.length) await db.clients.bulkPut(acceptedClients);
      const prev = ((await db.meta.get('rejectedIds'))?.value as string[] | undefined) ?? [];
      const removed = new Set(plan.remove);
      const next = new Set(prev.filter((id) => !removed.has(id)));
      for (const r of plan.reject) next.add(r.id);
      await db.meta.put({ key: 'rejectedIds', value: [...next] });
    });
    await this.refreshCounts();
  }

  /** Send a rejected record again as it is (the reason may have gone: a client pushed meanwhile). */
  async retry(id: string, data?: unknown): Promise<void> {
    await this.updateEntry(id, (e) => ({ ...e, state: 'waiting', reason: undefined, data: data ?? e.data }));
  }

  /** A rejected client corrected (same id): the outbox entry goes back to waiting, the local copy follows. */
  async fixClient(client: LocalClient): Promise<void> {
    const key = this.requireKey();
    const { local: _local, ...data } = client;
    await this.retry(client.id, data);
    const next = { ...client, local: true };
    await this.database().clients.put({ id: client.id, v: await seal(key, next, `clients/${client.id}`) });
    this.clientCache?.set(client.id, next);
    this.emit();
  }

  /** A rejected contact corrected (same id). */
  async fixContact(contact: ContactRecord): Promise<void> {
    const key = this.requireKey();
    await this.retry(contact.id, contact);
    const db = this.database();
    const row = await db.contacts.get(contact.id);
    const recordedAt = row ? (await open<JournalContact>(key, row.v, `contacts/${contact.id}`)).recordedAt : new Date().toISOString();
    await db.contacts.put({ id: contact.id, v: await seal(key, { ...contact, recordedAt }, `contacts/${contact.id}`) });
    this.emit();
  }

  async outboxEntry(id: string): Promise<OutboxEntry | undefined> {
    return (await this.outboxEntries()).find((e) => e.id === id);
  }

  private async updateEntry(id: string, fn: (e: Omit<OutboxEntry, 'seq'>) => Omit<OutboxEntry, 'seq'>) {
    const key = this.requireKey();
    const db = this.database();
    const row = await db.outbox.get(id);
    if (!row) return;
    const e = await open<Omit<OutboxEntry, 'seq'>>(key, row.v, `outbox/${id}`);
    const v = await seal(key, fn(e), `outbox/${id}`);
    await db.transaction('rw', [db.outbox, db.meta], async () => {
      await db.outbox.update(id, { v });
      const prev = ((await db.meta.get('rejectedIds'))?.value as string[] | undefined) ?? [];
      await db.meta.put({ key: 'rejectedIds', value: prev.filter((x) => x !== id) });
    });
    await this.refreshCounts();
  }

  /** Drop a record from the outbox for good (a rejected one the worker does not want to fix). */
  async discard(id: string): Promise<void> {
    const db = this.database();
    const entries = this.key ? await this.outboxEntries() : [];
    const e = entries.find((x) => x.id === id);
    await db.transaction('rw', [db.outbox, db.meta, db.clients, db.contacts], async () => {
      await db.outbox.delete(id);
      if (e?.kind === 'client') await db.clients.delete(id);
      if (e?.kind === 'contact') await db.contacts.delete(id);
      const prev = ((await db.meta.get('rejectedIds'))?.value as string[] | undefined) ?? [];
      await db.meta.put({ key: 'rejectedIds', value: prev.filter((x) => x !== id) });
    });
    if (e?.kind === 'client') this.clientCache?.delete(id);
    await this.refreshCounts();
  }

  // ---- clients and hotspots ----

  private async readClient(id: string): Promise<LocalClient | undefined> {
    const row = await this.database().clients.get(id);
    return row ? open<LocalClient>(this.requireKey(), row.v, `clients/${id}`) : undefined;
  }

  async clients(): Promise<LocalClient[]> {
    const key = this.requireKey();
    if (!this.clientCache) {
      const rows = await this.database().clients.toArray();
      const m = new Map<string, LocalClient>();
      for (const r of rows) m.set(r.id, await open<LocalClient>(key, r.v, `clients/${r.id}`));
      if (this.key === key) this.clientCache = m;
      else return [];
    }
    return [...this.clientCache.values()];
  }

  async client(id: string): Promise<LocalClient | undefined> {
    return (await this.clients()).find((c) => c.id === id);
  }

  async findByUic(uic: string): Promise<LocalClient[]> {
    const u = uic.trim().toUpperCase();
    return (await this.clients()).filter((c) => c.uic === u);
  }

  async hotspots(): Promise<Hotspot[]> {
    const key = this.requireKey();
    if (!this.hotspotCache) {
      const rows = await this.database().hotspots.toArray();
      const m = new Map<string, Hotspot>();
      for (const r of rows) m.set(r.id, await open<Hotspot>(key, r.v, `hotspots/${r.id}`));
      if (this.key === key) this.hotspotCache = m;
      else return [];
    }
    return [...this.hotspotCache.values()].sort((a, b) => a.code.localeCompare(b.code));
  }

  async savePulled(page: PullPage): Promise<void> {
    const key = this.requireKey();
    const db = this.database();
    const clients: { id: string; v: Sealed }[] = [];
    for (const c of page.clients) clients.push({ id: c.id, v: await seal(key, { ...c, local: false }, `clients/${c.id}`) });
    const hotspots: { id: string; v: Sealed }[] = [];
    for (const h of page.hotspots) hotspots.push({ id: h.id, v: await seal(key, h, `hotspots/${h.id}`) });
    await db.transaction('rw', [db.clients, db.hotspots], async () => {
      if (clients.length) await db.clients.bulkPut(clients);
      if (hotspots.length) await db.hotspots.bulkPut(hotspots);
    });
    for (const c of page.clients) this.clientCache?.set(c.id, { ...c, local: false });
    for (const h of page.hotspots) this.hotspotCache?.set(h.id, h);
    if (page.clients.length || page.hotspots.length) this.emit();
  }

  // ---- this device's recent contacts ----

  async journal(): Promise<JournalContact[]> {
    const key = this.requireKey();
    const db = this.database();
    const rows = await db.contacts.toArray();
    const out: JournalContact[] = [];
    const old: string[] = [];
    const limit = Date.now() - JOURNAL_DAYS * 86_400_000;
    for (const r of rows) {
      const c = await open<JournalContact>(key, r.v, `contacts/${r.id}`);
      if (Date.parse(c.recordedAt) < limit) old.push(r.id);
      else out.push(c);
    }
    if (old.length) await db.contacts.bulkDelete(old);
    return out.sort((a, b) => b.at.localeCompare(a.at));
  }

  // ---- sync meta ----

  async getMeta<T>(key: string): Promise<T | null> {
    return ((await this.database().meta.get(key))?.value as T | undefined) ?? null;
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.database().meta.put({ key, value });
  }
}

export const vault = new Vault();

/** The vault seen by the sync engine. */
export const vaultSyncStore: SyncStore = {
  outboxEntries: () => vault.outboxEntries(),
  applyPlan: (p) => vault.applyPlan(p),
  savePulled: (p) => vault.savePulled(p),
  getDeviceId: () => vault.getMeta<string>('deviceId'),
  async setDevice(id, uicFormat) {
    await vault.setMeta('deviceId', id);
    vault.deviceId = id;
    if (uicFormat && isValidUicFormat(uicFormat)) {
      await vault.setMeta('uicFormat', uicFormat);
      vault.uicFormat = uicFormat;
    }
  },
  getCursor: () => vault.getMeta<string>('cursor'),
  setCursor: (c) => vault.setMeta('cursor', c),
  async setLastSync(at) {
    await vault.setMeta('lastSyncAt', at);
    vault.lastSyncAt = at;
  },
  wipe: (reason) => vault.wipe(reason),
};
