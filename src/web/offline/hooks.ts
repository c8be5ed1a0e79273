/** React views of the device store, the sync engine and the network. */
import { useSyncExternalStore } from 'react';
import { engine, getSessionMode, isOwnerMismatch, subscribeMode } from './engine';
import { vault } from './vault';

/** Re-render on every change of the store (status, counts, data); returns the vault. */
export function useVault() {
  useSyncExternalStore(
    (fn) => vault.subscribe(fn),
    () => vault.version,
  );
  return vault;
}

export function useSyncState() {
  return useSyncExternalStore(
    (fn) => engine.subscribe(fn),
    () => engine.state,
  );
}

export function useSessionMode() {
  return useSyncExternalStore(subscribeMode, () => `${getSessionMode()}:${isOwnerMismatch()}`).split(':') as ['online' | 'offline', string];
}

function subscribeOnline(fn: () => void) {
  window.addEventListener('online', fn);
  window.addEventListener('offline', fn);
  return () => {
    window.removeEventListener('online', fn);
    window.removeEventListener('offline', fn);
  };
}

export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine, () => true);
}
