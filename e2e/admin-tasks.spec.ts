/** Administrator and auditor tasks: geography import (good and bad files), disabling an account, the audit trail. */
import { expect, test } from '@playwright/test';
import { en, expectKhmerPage, go, km, serverUrl, setLanguage, shot, signIn } from './lib.js';

test('geography import: a good file imports, a bad file is refused row by row and changes nothing', async ({ page }, info) => {
  await page.goto(serverUrl(info));
  await signIn(page, 'demo-admin', 'demo-admin-password');
  await go(page, en.nav.geography);
  const before = await page.getByTestId('geo-count-districts').innerText();
  const good = ['level,code,parent_code,name_en,name_km', 'district,0201,KH-2,Banan,បាណន់', 'district,0202,KH-2,Thma Koul,ថ្មគោល', 'commune,020101,0201,Kantueu Muoy,កន្ទឺ ១'].join('\n');
  await page.getByLabel(en.geography.file).setInputFiles({ name: 'battambang.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: en.geography.import, exact: true }).click();
  await expect(page.getByTestId('geo-import-report')).toBeVisible();
  await expect(page.getByTestId('geo-count-districts')).not.toHaveText(before);
  await shot(page, info, '10-geography-imported-en');
  const afterGood = await page.getByTestId('geo-count-districts').innerText();

  const bad = ['level,code,parent_code,name_en,name_km', 'district,0203,KH-2,Bavel,បវេល', 'district,9999,KH-2,Nowhere,Latin only'].join('\n');
  await page.getByLabel(en.geography.file).setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: en.geography.import, exact: true }).click();
  const rejected = page.getByTestId('geo-rejected');
  await expect(rejected).toContainText('row 3, code');
  await expect(rejected).toContainText('row 3, name_km');
  await expect(page.getByTestId('geo-count-districts')).toHaveText(afterGood);
  await shot(page, info, '11-geography-rejected-en');

  await setLanguage(page, 'km');
  await expectKhmerPage(page);
  await shot(page, info, '12-geography-rejected-km');
  await setLanguage(page, 'en');
});

test('an administrator disables an account; its open session ends at once', async ({ browser, page }, info) => {
  const other = await browser.newContext();
  const clerkPage = await other.newPage();
  await clerkPage.goto(serverUrl(info));
  await signIn(clerkPage, 'demo-education', 'demo-education-password');
  await expect(clerkPage.getByRole('heading', { level: 1, name: en.home.welcome.replace('{{username}}', 'demo-education') })).toBeVisible();

  await page.goto(serverUrl(info));
  await signIn(page, 'demo-admin', 'demo-admin-password');
  await go(page, en.nav.accounts);
  await page.getByRole('button', { name: 'Disable demo-education', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Enable demo-education', exact: true })).toBeVisible();

  await clerkPage.reload();
  await expect(clerkPage.getByRole('heading', { name: en.auth.signInTitle })).toBeVisible();
  await signIn(clerkPage, 'demo-education', 'demo-education-password');
  await expect(clerkPage.getByText(en.auth.disabled)).toBeVisible();
  await other.close();

  await page.getByRole('button', { name: 'Enable demo-education', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Disable demo-education', exact: true })).toBeVisible();
});

test('the auditor reads the trail and verifies the chain, in English and Khmer', async ({ page }, info) => {
  await page.goto(serverUrl(info));
  await signIn(page, 'demo-auditor', 'demo-auditor-password');
  await go(page, en.nav.audit);
  await expect(page.getByRole('table').getByText('auth.login').first()).toBeVisible();
  await page.getByRole('button', { name: en.audit.verify }).click();
  await expect(page.getByTestId('audit-verify-result')).toContainText('The chain is intact');
  await shot(page, info, '20-audit-en');
  await setLanguage(page, 'km');
  await page.getByRole('button', { name: km.audit.verify }).click();
  await expect(page.getByTestId('audit-verify-result')).toContainText(/[\u1780-\u17FF]/);
  await expectKhmerPage(page);
  await shot(page, info, '21-audit-km');
  await setLanguage(page, 'en');
});

test('wrong passwords lock the account and the page says so', async ({ page }, info) => {
  // A fresh account made through the API as the demo administrator, so that no other test's account is locked.
  const url = serverUrl(info);
  const login = await page.request.post(`${url}/api/auth/login`, { data: { username: 'demo-admin', password: 'demo-admin-password' } });
  const csrf = (await login.json()).csrfToken;
  const orgs = (await (await page.request.get(`${url}/api/organisations`)).json()).items as { id: string; sector: string }[];
  const username = `lock-me-${info.project.name}`;
  const created = await page.request.post(`${url}/api/accounts`, {
    data: { username, role: 'analyst', organisationId: orgs.find((o) => o.sector === 'oversight')!.id },
    headers: { 'x-csrf-token': csrf },
  });
  expect(created.status()).toBe(201);
  const { oneTimePassword } = await created.json();
  await page.request.post(`${url}/api/auth/logout`, { headers: { 'x-csrf-token': csrf } });

  await page.goto(url);
  for (let i = 0; i < 5; i++) {
    await signIn(page, username, `not the password ${i}`);
    await expect(page.getByText(i < 4 ? en.auth.badCredentials : en.auth.locked)).toBeVisible();
  }
  await signIn(page, username, oneTimePassword);
  await expect(page.getByText(en.auth.locked)).toBeVisible();
  await shot(page, info, '30-locked-en');
});
