/// <reference types="vite-plugin-pwa/client" />
/**
 * The service worker (vite-plugin-pwa, workbox): it precaches the app shell, scripts, styles and fonts, so that
 * after one online visit the app opens with no network. It never caches /api: data on the device lives only in
 * the encrypted store. New versions install themselves (registerType 'autoUpdate').
 */
import { registerSW } from 'virtual:pwa-register';

export function registerServiceWorker() {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  registerSW({ immediate: true });
}
