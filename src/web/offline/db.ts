/**
 * The device database (IndexedDB through Dexie). Every row holds only an id and an encrypted value (see crypto.ts),
 * except `meta`, whose plain entries are what is needed before the key exists: the salt, the iteration count, the
 * verifier, the owner account's username hash, the device id, the sync cursor and times, the lock delay.
 * Nothing in here can be read without the passphrase; "wipe" deletes the whole database.
 */
import Dexie, { type Table } from 'dexie';
import type { Sealed } from './crypto';

export const DB_NAME = 'tonle-outreach';

export interface SealedRow {
  id: string;
  v: Sealed;
}

export interface OutboxRow extends SealedRow {
  /** Recording order on this device. */
  seq: number;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export class OutreachDb extends Dexie {
  meta!: Table<MetaRow, string>;
  outbox!: Table<OutboxRow, string>;
  clients!: Table<SealedRow, string>;
  hotspots!: Table<SealedRow, string>;
  /** This device's own contacts of the last days (the "my day" view), also encrypted. */
  contacts!: Table<SealedRow, string>;

  constructor() {
    super(DB_NAME);
    this.version(1).stores({
      meta: '&key',
      outbox: '&id, seq',
      clients: '&id',
      hotspots: '&id',
      contacts: '&id',
    });
  }
}

export function deviceStoreExists(): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return Promise.resolve(false);
  return Dexie.exists(DB_NAME).catch(() => false);
}

export function deleteDeviceStore(): Promise<void> {
  return Dexie.delete(DB_NAME);
}
