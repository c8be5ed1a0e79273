/**
 * A new administrator's first session, as the issue describes it: sign in with the one-time password printed at
 * first start, choose a password, create a police unit, an NGO and an analyst account, switch to Khmer and read
 * every page in Khmer; the language is remembered for the account.
 */
import { expect, test } from '@playwright/test';
import { adminOneTimePassword, en, expectKhmerFontLoaded, expectKhmerPage, go, km, serverUrl, setLanguage, shot, signIn } from './lib.js';

test('first run: administrator sets up the system, in English then Khmer', async ({ page }, info) => {
  const newPassword = 'a long admin passphrase 2027';
  await page.goto(serverUrl(info));
  await expect(page.getByRole('heading', { name: en.auth.signInTitle })).toBeVisible();
  await shot(page, info, '01-sign-in-en');

  await signIn(page, 'admin', adminOneTimePassword(info));
  await expect(page.getByRole('heading', { name: en.password.title })).toBeVisible();
  await shot(page, info, '02-forced-password-change-en');
  await page.getByLabel(en.password.current).fill(adminOneTimePassword(info));
  await page.getByLabel(en.password.new, { exact: true }).fill('short');
  await page.getByLabel(en.password.repeat).fill('short');
  await page.getByRole('button', { name: en.password.save }).click();
  await expect(page.getByText('Must be at least 12 characters.').first()).toBeVisible();
  await page.getByLabel(en.password.new, { exact: true }).fill(newPassword);
  await page.getByLabel(en.password.repeat).fill(newPassword);
  await page.getByRole('button', { name: en.password.save }).click();
  await expect(page.getByRole('heading', { level: 1, name: en.home.welcome.replace('{{username}}', 'admin') })).toBeVisible();

  // A police unit and an NGO.
  await go(page, en.nav.organisations);
  const orgForm = page.locator('form', { has: page.getByRole('button', { name: en.organisations.create }) });
  const suffix = info.project.name;
  for (const [name, sector, kind, province] of [
    [`Kandal anti-drug police ${suffix}`, 'enforcement', 'police_unit', 'KH-8'],
    [`Street outreach NGO ${suffix}`, 'health', 'ngo', 'KH-12'],
  ] as const) {
    await orgForm.getByLabel(en.organisations.name).fill(name);
    await orgForm.getByLabel(en.organisations.sector).selectOption(sector);
    await orgForm.getByLabel(en.organisations.kind).selectOption(kind);
    await orgForm.getByLabel(en.organisations.province).selectOption(province);
    await orgForm.getByRole('button', { name: en.organisations.create }).click();
    await expect(page.getByRole('cell', { name }).or(page.getByText(name)).first()).toBeVisible();
  }
  await shot(page, info, '03-organisations-en');

  // An analyst account in the national committee (demo data has one).
  await go(page, en.nav.accounts);
  const accForm = page.locator('form', { has: page.getByRole('button', { name: en.accounts.create }) });
  const username = `analyst-${suffix}`;
  await accForm.getByLabel(en.accounts.username).fill(username);
  await accForm.getByLabel(en.accounts.organisation).selectOption({ label: `National drug-control committee (demo) — ${en.sectors.oversight}` });
  await accForm.getByLabel(en.accounts.role).selectOption('analyst');
  await accForm.getByRole('button', { name: en.accounts.create }).click();
  const otp = page.getByTestId('one-time-password');
  await expect(otp).toBeVisible();
  await expect(otp).toContainText(/[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}/);
  await shot(page, info, '04-account-created-en');

  // Khmer: every page reads in Khmer, with the Khmer font.
  await setLanguage(page, 'km');
  await expectKhmerFontLoaded(page);
  for (const [key, name] of [
    ['home', km.nav.home],
    ['organisations', km.nav.organisations],
    ['accounts', km.nav.accounts],
    ['geography', km.nav.geography],
    ['password', km.nav.changePassword],
  ] as const) {
    await go(page, name);
    await expectKhmerPage(page);
    await shot(page, info, `05-${key}-km`);
  }

  // The choice is remembered for the account: sign out, clear the browser's memory, sign in again.
  await page.getByTestId('sign-out').click();
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await signIn(page, 'admin', newPassword);
  await expect(page.locator('html')).toHaveAttribute('lang', 'km');
  await go(page, km.nav.home);
  await expect(page.getByRole('heading', { level: 1, name: km.home.welcome.replace('{{username}}', 'admin') })).toBeVisible();
  await expectKhmerPage(page);
  await setLanguage(page, 'en');
});
