/**
 * The app's one sync engine, and when it runs: when the network comes back (online event), on the "Sync now"
 * button, every few minutes while online, and after each new record when online. It only runs when the store is
 * unlocked (the outbox is encrypted) and a session exists (mode 'online'); offline mode waits for a sign-in.
 */
import { httpTransport } from './http';
import { SyncEngine, type SyncState } from './sync';
import { vault, vaultSyncStore } from './vault';

export const SYNC_EVERY_MS = 3 * 60_000;

function deviceLabel(): string {
  const ua = typeof navigator !== 'undefined' ? navigator.userAgent : '';
  const kind = /Android/i.test(ua) ? 'Android' : /iPhone|iPad/i.test(ua) ? 'iOS' : /Windows/i.test(ua) ? 'Windows' : /Mac OS/i.test(ua) ? 'macOS' : /Linux/i.test(ua) ? 'Linux' : 'browser';
  return `Outreach ${kind} ${new Date().toISOString().slice(0, 10)}`;
}

export const engine = new SyncEngine(vaultSyncStore, httpTransport, { deviceLabel });

/** Whether a signed-in session exists in this page ('online' app) or the app was opened without one. */
let sessionMode: 'online' | 'offline' = 'offline';
let ownerMismatch = false;
const modeListeners = new Set<() => void>();

export function setSessionMode(m: 'online' | 'offline') {
  sessionMode = m;
  for (const fn of modeListeners) fn();
  if (m === 'online') void syncSoon();
}
export function getSessionMode() {
  return sessionMode;
}
export function subscribeMode(fn: () => void) {
  modeListeners.add(fn);
  return () => modeListeners.delete(fn);
}
export function setOwnerMismatch(v: boolean) {
  ownerMismatch = v;
  for (const fn of modeListeners) fn();
}
export function isOwnerMismatch() {
  return ownerMismatch;
}

export function canSync(): boolean {
  return vault.status === 'unlocked' && sessionMode === 'online' && !ownerMismatch;
}

/** Run a sync now if it can run (returns the state either way). */
export async function syncNow(): Promise<SyncState> {
  if (!canSync()) return engine.state;
  return engine.run();
}

function syncSoon() {
  if (canSync() && (typeof navigator === 'undefined' || navigator.onLine !== false)) return syncNow();
}

let started = false;
/** Start the triggers (once per page). */
export function startSyncTriggers() {
  if (started || typeof window === 'undefined') return;
  started = true;
  window.addEventListener('online', () => void syncNow());
  setInterval(() => void syncSoon(), SYNC_EVERY_MS);
  let prev = vault.status;
  vault.subscribe(() => {
    // Just unlocked: push what waits.
    if (vault.status === 'unlocked' && prev !== 'unlocked') void syncSoon();
    if (vault.status !== 'unlocked') engine.cancelRetry();
    prev = vault.status;
  });
}
