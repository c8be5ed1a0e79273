/** Helpers for the browser tests: the project's server, signing in, navigation that works on phone and desktop,
 * screenshots, and the check that a page reads in Khmer. */
import { expect, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EN as en, KM as km } from '../src/web/i18n/catalogues.js';
import { serverFor } from './servers.js';

export function serverUrl(info: TestInfo): string {
  return serverFor(info.project.name).url;
}

export function adminOneTimePassword(info: TestInfo): string {
  return serverFor(info.project.name).adminPassword;
}

export async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel(en.auth.username).or(page.getByLabel(km.auth.username)).fill(username);
  await page.getByLabel(en.auth.password, { exact: true }).or(page.getByLabel(km.auth.password, { exact: true })).fill(password);
  await page.getByRole('button', { name: en.auth.signIn }).or(page.getByRole('button', { name: km.auth.signIn })).click();
}

/** Open a page from the main menu (on a phone the menu is behind a button). */
export async function go(page: Page, label: string) {
  await expect(page.getByTestId('sign-out')).toBeVisible(); // the shell is up
  const menu = page.getByTestId('menu-button');
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  const link = page.locator('#main-nav').getByRole('link', { name: label, exact: true });
  await link.click();
  // (on a phone the drawer closes after the choice, so the current link is looked up hidden or not)
  await expect(page.locator('#main-nav a[aria-current="page"]')).toHaveText(label);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

export async function setLanguage(page: Page, lang: 'en' | 'km') {
  await page.getByTestId('lang-switch').selectOption(lang);
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

export async function shot(page: Page, info: TestInfo, name: string) {
  const dir = join('test-results', 'screenshots', info.project.name);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

type Tree = { [k: string]: string | Tree };
function leaves(t: Tree, prefix = ''): [string, string][] {
  return Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
}
const kmByKey = new Map(leaves(km as Tree));
/** English catalogue strings that have a different Khmer translation (placeholders cut out, long enough to matter). */
const ENGLISH_ONLY = leaves(en as Tree)
  .filter(([k, v]) => kmByKey.get(k) !== v)
  .flatMap(([, v]) => v.split(/\{\{[^}]+\}\}/))
  .map((s) => s.trim())
  // single short words ("system", "account") also occur inside data such as organisation names
  .filter((s) => /[A-Za-z]{3}/.test(s) && (s.includes(' ') ? s.length >= 5 : s.length >= 8));

/** The page reads in Khmer: Khmer script is shown and no English catalogue string is left on it. */
export async function expectKhmerPage(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('lang', 'km');
  // Data is not UI text: table cells, the account and organisation names in the header, and select options
  // (organisation names, usernames) are left out; every other visible string must be Khmer.
  const text = await page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('td, th[scope="row"], .account-name, .account-org, option, code, script, style').forEach((e) => e.remove());
    return clone.textContent ?? '';
  });
  expect(text).toMatch(/[\u1780-\u17FF]{3}/);
  const left = ENGLISH_ONLY.filter((s) => text.includes(s));
  expect(left, `English strings on a Khmer page: ${left.join(' | ')}`).toEqual([]);
}

/** The Khmer font really renders: a Khmer string is wider than one glyph box per character would make it look identical to tofu. */
export async function expectKhmerFontLoaded(page: Page) {
  const ok = await page.evaluate(async () => {
    await document.fonts.ready;
    return document.fonts.check('16px "Noto Sans Khmer"', 'ខ្មែរ');
  });
  expect(ok).toBe(true);
}

export { en, km };
