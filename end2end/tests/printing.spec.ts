import { test, expect, logIn } from './helpers';

test('every printed page carries the unit’s name, which the screen does not show', async ({ page }) => {
  // The demo unit's name (set by `akta demo`; the administrator changes it on the
  // accounts page, tested in server/tests/api/unit_name.rs).
  await logIn(page, 'anna');
  const file = page.getByRole('region', { name: 'Mina akter' }).getByRole('table').getByRole('link').first();
  await file.click();
  await expect(page.getByRole('heading', { name: 'Journal', level: 2 })).toBeVisible();
  await page.getByRole('link', { name: /Månadsrapport/ }).first().click();
  await expect(page.locator('main h1')).toBeVisible();
  const name = page.locator('main .unit-name');
  await expect(name).toBeHidden();
  await page.emulateMedia({ media: 'print' });
  await expect(name).toBeVisible();
  await expect(name).toHaveText('Behandlingsenheten Norrbro (demo)');
});
