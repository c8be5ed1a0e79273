/**
 * A lost or seized phone: the programme manager revokes the device, and the device's local data is gone after its
 * next contact with the server (issue 4, "done when").
 */
import { expect, request, test } from '@playwright/test';
import { en, serverUrl, signIn } from './lib.js';

const O = en.outreach;

test('a revoked device wipes its local data at its next sync', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'the outreach app is a phone app: this walk runs once, on the phone viewport');
  const url = serverUrl(info);
  await page.goto(url);
  await signIn(page, 'demo-outreach', 'demo-outreach-password');
  await page.getByLabel(O.gate.passphrase, { exact: true }).fill('revocation passphrase');
  await page.getByLabel(O.gate.passphraseAgain).fill('revocation passphrase');
  await page.getByRole('button', { name: O.gate.setup }).click();
  await expect(page.getByTestId('outbox-count')).toHaveText('0');
  const hasStore = () => page.evaluate(async () => (await indexedDB.databases()).some((d) => d.name === 'tonle-outreach'));
  await expect.poll(hasStore).toBe(true);
  // The first sync (started by the set-up) must be over before the revocation: otherwise that sync can be the one
  // that learns of it and wipes the device, and "Sync now" is then (rightly) disabled.
  await expect(page.locator('.ow-last')).not.toHaveText(en.outreach.status.neverSynced);
  await expect(page.getByTestId('sync-now')).toBeEnabled();

  // The programme manager revokes every device of the worker.
  const api = await request.newContext();
  const login = await api.post(`${url}/api/auth/login`, { data: { username: 'demo-manager', password: 'demo-manager-password' } });
  const csrf = (await login.json()).csrfToken as string;
  const devices = (await (await api.get(`${url}/api/devices`)).json()).items as { id: string; revokedAt: string | null }[];
  expect(devices.length).toBeGreaterThan(0);
  for (const d of devices.filter((x) => !x.revokedAt)) {
    const r = await api.post(`${url}/api/devices/${d.id}/revoke`, { headers: { 'x-csrf-token': csrf } });
    expect(r.status()).toBeLessThan(300);
  }
  await api.dispose();

  // The next sync attempt learns it and wipes the device.
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('device-wiped')).toBeVisible();
  await expect.poll(hasStore).toBe(false);
});
