/**
 * The enforcement pillar as its users work it: a police clerk records a 3-person, 2-seizure case on the form,
 * corrects it, updates a disposition and voids it; an analyst reads the campaign's first week and its press
 * sentences. Each walk runs in English and in Khmer, on the phone and the desktop project.
 */
import { expect, test, type Page } from '@playwright/test';
import { en, expectKhmerPage, go, km, serverUrl, setLanguage, shot, signIn } from './lib.js';

const fill = (s: string, vars: Record<string, string | number>) => s.replace(/\{\{(\w+)\}\}/g, (_, k) => String(vars[k]));

async function maybeKhmer(page: Page, lang: 'en' | 'km') {
  if (lang === 'km') await expectKhmerPage(page);
}

for (const lang of ['en', 'km'] as const) {
  const C = lang === 'en' ? en : km;

  test(`clerk records, corrects, updates and voids a case (${lang})`, async ({ page }, info) => {
    await page.goto(serverUrl(info));
    await signIn(page, 'demo-clerk', 'demo-clerk-password');
    await setLanguage(page, lang);
    await go(page, C.cases.nav.new);
    await maybeKhmer(page, lang);

    const ref = `E2E-${info.project.name}-${lang}-1`;
    await page.getByLabel(C.cases.form.unitReference).fill(ref);
    await page.getByRole('radio', { name: C.enforcement.caseTypes.trafficking }).check();
    await page.getByLabel(fill(C.cases.form.personSex, { n: 1 })).selectOption('male');
    await page.getByLabel(fill(C.cases.form.personAgeBand, { n: 1 })).selectOption('25_34');
    await page.getByRole('button', { name: C.cases.form.addLikeThis }).click();
    await page.getByRole('button', { name: C.cases.form.addLikeThis }).click();
    await page.getByLabel(fill(C.cases.form.personSex, { n: 3 })).selectOption('female');
    await page.getByLabel(fill(C.cases.form.personRole, { n: 3 })).selectOption('alleged_user');
    await page.getByLabel(fill(C.cases.form.seizureDrug, { n: 1 })).selectOption('crystal_meth');
    await page.getByLabel(fill(C.cases.form.seizureQuantity, { n: 1 })).fill('១២៥'); // Khmer digits: 125
    await page.getByRole('button', { name: C.cases.form.addSeizure }).click();
    await page.getByLabel(fill(C.cases.form.seizureDrug, { n: 2 })).selectOption('meth_tablets');
    await page.getByLabel(fill(C.cases.form.seizureQuantity, { n: 2 })).fill('200');
    await shot(page, info, `40-case-form-${lang}`);
    await page.getByRole('button', { name: C.cases.form.save }).click();
    await expect(page.getByText(C.cases.case.saved)).toBeVisible();
    await expect(page.getByText(ref).first()).toBeVisible();
    await expect(page.getByText('125').first()).toBeVisible();
    await maybeKhmer(page, lang);
    await shot(page, info, `41-case-saved-${lang}`);

    // A correction: person 2's nationality was wrong.
    await page.getByRole('button', { name: C.cases.case.correct }).click();
    await page.getByLabel(fill(C.cases.form.personNationality, { n: 2 })).selectOption('VN');
    await page.getByRole('button', { name: C.cases.form.save }).click();
    await expect(page.getByRole('button', { name: C.cases.case.correct })).toBeVisible(); // back on the case page
    await expect(page.getByText(C.cases.countries.VN, { exact: true }).first()).toBeVisible();
    await expect(page.getByText(C.cases.case.saved)).toBeVisible();

    // A later disposition: person 1 is sent to court.
    await page.getByLabel(fill(C.cases.form.personDisposition, { n: 1 })).selectOption('sent_to_court');
    await page.getByRole('button', { name: fill(C.cases.case.updatePersonN, { n: 1 }) }).click();
    await expect(page.getByText(fill(C.cases.case.dispositionUpdated, { n: 1 }))).toBeVisible();

    // Void, with a reason and an inline confirmation.
    await page.getByLabel(C.cases.void.reason).selectOption('entered_in_error');
    await page.getByRole('button', { name: C.cases.void.void }).click();
    await page.getByRole('button', { name: C.cases.void.confirm }).click();
    await expect(page.getByText(C.cases.case.voidedBadge).first()).toBeVisible();
    await expect(page.getByRole('button', { name: C.cases.case.correct })).toHaveCount(0);
    for (const a of ['create', 'update', 'disposition', 'void'] as const) {
      await expect(page.getByText(C.cases.history.actions[a], { exact: true }).first()).toBeVisible();
    }
    await maybeKhmer(page, lang);
    await shot(page, info, `42-case-voided-${lang}`);
    await setLanguage(page, 'en');
  });

  test(`analyst reads the first week's report and press sentences (${lang})`, async ({ page }, info) => {
    await page.goto(serverUrl(info));
    await signIn(page, 'demo-analyst', 'demo-analyst-password');
    await setLanguage(page, lang);
    await go(page, C.report.nav);
    await page.getByLabel(C.report.period, { exact: true }).selectOption('week');
    await page.getByLabel(C.report.week, { exact: true }).selectOption('1');
    const n = (x: number) => (lang === 'km' ? x.toLocaleString('en-US').replace(/[0-9]/g, (d) => String.fromCharCode(0x17e0 + Number(d))) : x.toLocaleString('en-US'));
    await expect(page.getByTestId('headline-cases')).toHaveText(n(261));
    await expect(page.getByTestId('headline-persons')).toHaveText(n(652));
    await expect(page.getByTestId('headline-traffickers')).toHaveText(n(371));
    await expect(page.getByTestId('headline-users')).toHaveText(n(281));
    await expect(page.getByTestId('press-en')).toContainText(
      'In the first 7 days of the campaign, 261 cases led to the arrest of 652 people: 371 suspected traffickers and 281 alleged users.',
    );
    await expect(page.getByTestId('press-km')).toContainText('ករណីចំនួន ២៦១');
    await expect(page.getByTestId('press-km')).toContainText('៦៥២ នាក់');
    // The table is one click away from the chart.
    const panel = page.getByRole('region', { name: C.report.charts.disposition });
    await panel.getByRole('button', { name: C.report.showTable }).click();
    await expect(panel.getByRole('table')).toBeVisible();
    await expect(panel.getByRole('link', { name: C.report.downloadCsv })).toBeVisible();
    await maybeKhmer(page, lang);
    await shot(page, info, `50-report-week1-${lang}`);
    // The map filters to a province.
    await page.getByRole('group', { name: C.report.map.title }).getByRole('button', { name: new RegExp(lang === 'en' ? '^Phnom Penh' : '^ភ្នំពេញ') }).click();
    await expect(page).toHaveURL(/province=KH-12/);
    await shot(page, info, `51-report-phnom-penh-${lang}`);
    await setLanguage(page, 'en');
  });
}
