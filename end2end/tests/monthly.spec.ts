import { Page } from '@playwright/test';
import { test, expect } from './helpers';
import { logIn } from './helpers';

/** The first of the user's own files, from the start page's file list. */
async function firstFile(page: Page): Promise<string> {
  const links = page.getByRole('region', { name: 'Mina akter' }).getByRole('table').getByRole('link');
  await expect(links.first()).toBeVisible();
  const href = await links.first().getAttribute('href');
  expect(href).toMatch(/^\/akter\//);
  return href ?? '';
}

/** Chooses the newest month (the current one: the demo has not reviewed it yet). */
async function chooseNewestMonth(page: Page): Promise<string> {
  const chooser = page.getByLabel('Månad', { exact: true });
  const month = await chooser.locator('option').first().getAttribute('value');
  await chooser.selectOption(month ?? '');
  await page.getByRole('button', { name: 'Visa' }).click();
  await expect(page).toHaveURL(new RegExp(`manad=${month}`));
  return month ?? '';
}

test('the contact person reviews the month with a phrasing and signs it into the journal', async ({ page }) => {
  await logIn(page, 'anna');
  const file = await firstFile(page);
  await page.goto(file);
  await page.getByRole('link', { name: 'Genomgång av social journal' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Genomgång av social journal/ })).toBeVisible();
  await chooseNewestMonth(page);
  await expect(page.getByRole('heading', { name: 'Mönster som systemet har hittat' })).toBeVisible();
  await page.waitForLoadState('networkidle');

  // Phrasing 1 puts the seed's Swedish text, period and client filled in, into the box.
  await page.getByLabel(/^1\. Klienten har avböjt en insats/).check();
  const text = page.getByLabel('Vad du har sett');
  await expect(text).toHaveValue(/^Vid genomgång av den sociala journalen under perioden \d+–\d+ \S+ \d{4}/);
  await expect(text).toHaveValue(/\(skriv vilken insats\/ aktivitet\)/);

  // Signing as it is: the placeholder and the missing action are named next to the fields.
  await page.getByRole('button', { name: 'Signera genomgången' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.locator('#text-error')).toHaveText('Ersätt texten inom parentes med det som gäller.');
  await expect(page.locator('#action_what-error')).toHaveText('Fältet måste fyllas i.');
  await expect(page.locator('#follow_up_on-error')).toBeVisible();

  const written = (await text.inputValue()).replace('(skriv vilken insats/ aktivitet)', 'gruppbehandlingen');
  await text.fill(written);
  await page.getByLabel('Vilken åtgärd').fill('Samtal med klienten om vad som hindrar deltagandet.');
  await page.getByLabel('Hur', { exact: true }).fill('Vid nästa enskilda samtal');
  const inTwoWeeks = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('När åtgärden följs upp').fill(inTwoWeeks);
  await page.getByLabel('Hur den följs upp').fill('Vid måldialogen');
  await page.getByRole('button', { name: 'Signera genomgången' }).click();

  const signed = page.getByRole('region', { name: 'Signerad genomgång' });
  await expect(signed).toBeVisible();
  await expect(signed).toContainText('avböjt insatsen gruppbehandlingen');
  await signed.getByRole('link', { name: 'Visa genomgångarna i journalen' }).click();
  const entry = page.locator('article.entry').first();
  await expect(entry).toContainText('Genomgång av social journal');
  await expect(entry).toContainText('gruppbehandlingen');
  await expect(entry).toContainText('Åtgärd: Samtal med klienten');
});

test('the contact person writes and signs the monthly report, which prints as a clean page', async ({ page }) => {
  await logIn(page, 'anna');
  const file = await firstFile(page);
  await page.goto(file);
  await page.getByRole('link', { name: 'Månadsrapport' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Månadsrapport/ })).toBeVisible();
  const month = await chooseNewestMonth(page);
  await page.waitForLoadState('networkidle');

  const perGoal = page.getByRole('group', { name: 'Utvärdering per mål' });
  if ((await perGoal.count()) > 0) {
    for (const box of await perGoal.getByRole('textbox').all()) {
      await box.fill('Arbetet går enligt planen.');
    }
  } else {
    await page.getByLabel('Utvärdering av månaden').fill('Deltog i alla gruppträffar.');
  }
  await page.getByLabel('Händelser av vikt för behandlingen').fill('Klienten har fått ett förstahandskontrakt.');
  await page.getByLabel('Åtgärder som vidtagits vid avvikelser').fill('Samtal dagen efter varje avvikelse.');
  // Whether the client wants a copy must be answered.
  await page.getByRole('button', { name: 'Signera månadsrapporten' }).click();
  await expect(page.getByText('Välj ett av alternativen.').first()).toBeVisible();
  await page.getByLabel('Ja, klienten får en kopia').check();
  await page.getByRole('button', { name: 'Signera månadsrapporten' }).click();

  const report = page.getByRole('article');
  await expect(report.getByRole('heading', { level: 1, name: `Månadsrapport ${month}` })).toBeVisible();
  await expect(report).toContainText('Klienten har fått ett förstahandskontrakt.');
  await expect(report).toContainText('Till socialsekreterare');
  await expect(report.getByRole('button', { name: 'Skriv ut' })).toBeVisible();
  // Read-only now: no form. Printed, only the report remains.
  await expect(page.getByRole('button', { name: 'Signera månadsrapporten' })).toHaveCount(0);
  await page.emulateMedia({ media: 'print' });
  await expect(report.getByRole('button', { name: 'Skriv ut' })).toBeHidden();
  await expect(page.getByLabel('Månad', { exact: true })).toBeHidden();
  await expect(page.getByRole('navigation')).toBeHidden();
  await expect(report).toContainText('Samtal dagen efter varje avvikelse.');
});
