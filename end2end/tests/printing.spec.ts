import { test, expect, logIn } from './helpers';

test('the administrator names the unit, and every printed page carries the name', async ({ page, browser }) => {
  await logIn(page, 'admin');
  await page.goto('/admin/anvandare');
  const unit = page.getByRole('region', { name: 'Enheten' });
  await expect(unit.getByLabel('Enhetens namn')).toHaveValue('Behandlingsenheten Norrbro (demo)');
  // An empty name is refused at the field.
  await unit.getByLabel('Enhetens namn').fill('  ');
  await unit.getByRole('button', { name: 'Spara namnet' }).click();
  await expect(unit.getByText('Fältet måste fyllas i.')).toBeVisible();
  await unit.getByLabel('Enhetens namn').fill('Behandlingsenheten Källan');
  await unit.getByRole('button', { name: 'Spara namnet' }).click();
  await expect(unit.getByRole('status')).toHaveText('Enhetens namn är sparat.');

  // A staff member prints a file's monthly report: the unit's name is on the paper,
  // and not on the screen.
  const staff = await browser.newPage();
  await logIn(staff, 'anna');
  const file = staff.getByRole('region', { name: 'Mina akter' }).getByRole('table').getByRole('link').first();
  await file.click();
  await expect(staff.getByRole('heading', { name: 'Journal', level: 2 })).toBeVisible();
  await staff.getByRole('link', { name: /Månadsrapport/ }).first().click();
  await expect(staff.locator('main h1')).toBeVisible();
  const name = staff.locator('main .unit-name');
  await expect(name).toBeHidden();
  await staff.emulateMedia({ media: 'print' });
  await expect(name).toBeVisible();
  await expect(name).toHaveText('Behandlingsenheten Källan');
  await staff.close();
});
