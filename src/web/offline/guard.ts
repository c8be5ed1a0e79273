/**
 * Revocation when there is no device id to answer 410: a sign-in refused because the account is disabled wipes the
 * outreach data of this device at once — when the store belongs to that account (its username hash matches).
 * Signing out locks the store.
 */
import { api, ApiError } from '../api/client';
import { deviceStoreExists } from './db';
import { vault } from './vault';

let installed = false;

export function installSignInGuard() {
  if (installed) return;
  installed = true;
  const login = api.login.bind(api);
  api.login = async (username: string, password: string) => {
    try {
      return await login(username, password);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'disabled' && (await deviceStoreExists())) {
        await vault.init();
        if (await vault.isOwner(username).catch(() => false)) await vault.wipe('disabled');
      }
      throw e;
    }
  };
  // Signing out locks the device store at once (the key is forgotten).
  const logout = api.logout.bind(api);
  api.logout = async () => {
    vault.lock();
    return logout();
  };
}
