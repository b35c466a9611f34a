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

test('the administrator names the unit: empty is refused at the field, a name is saved', async ({ page }) => {
  await logIn(page, 'admin');
  await page.goto('/admin/anvandare');
  const form = page.getByRole('region', { name: 'Enheten' });
  const field = form.getByLabel('Enhetens namn');
  await expect(field).toHaveValue('Behandlingsenheten Norrbro (demo)');
  await page.waitForLoadState('networkidle');
  // Spaces only: the browser's own check lets it through, the server refuses it.
  await field.fill('   ');
  await form.getByRole('button', { name: 'Spara namnet' }).click();
  await expect(form.locator('#unit_name-error')).toBeVisible();
  // The same name again (other specs print it): saved, and the message is gone.
  await field.fill('Behandlingsenheten Norrbro (demo)');
  await form.getByRole('button', { name: 'Spara namnet' }).click();
  await expect(form.getByRole('status')).toHaveText('Enhetens namn är sparat.');
  await expect(form.locator('#unit_name-error')).toHaveCount(0);
});
