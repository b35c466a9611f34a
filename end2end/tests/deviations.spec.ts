import { test, expect } from './helpers';
import { logIn } from './helpers';

test('staff close a raised deviation of the unit with reason and preventive actions', async ({ page }) => {
  await logIn(page, 'anna');
  await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Avvikelser' }).click();
  await expect(page.getByRole('heading', { name: 'Avvikelser', level: 1 })).toBeVisible();

  // The unit's open deviations only; the system raised them from missed deadlines.
  const filter = page.getByRole('form', { name: 'Filtrera avvikelserna' });
  await filter.getByLabel('Läge').selectOption({ label: 'Öppna' });
  await filter.getByLabel('Typ').selectOption({ label: 'Enhetens' });
  await filter.getByRole('button', { name: 'Visa' }).click();
  await expect(page).toHaveURL(/typ=unit/);
  const list = page.getByRole('table', { name: 'Avvikelser, den senaste först' });
  const first = list.getByRole('row').nth(1);
  await expect(first).toContainText('Missad frist:');
  await expect(first).toContainText('Öppen');
  await first.getByRole('link', { name: /Missad frist/ }).click();

  await expect(page.getByRole('heading', { name: /^Avvikelse – / })).toBeVisible();
  const form = page.getByRole('region', { name: 'Stäng avvikelsen' });
  // Blank and too long first: the problems are named at each field, nothing is closed.
  await form.getByLabel('Skäl till avvikelsen').fill('   ');
  await form.getByLabel('Åtgärder för att det inte ska hända igen').fill('x'.repeat(2001));
  await form.getByRole('button', { name: 'Stäng avvikelsen' }).click();
  await expect(form.getByRole('alert')).toBeVisible();
  await expect(form.getByLabel('Skäl till avvikelsen')).toHaveAccessibleDescription(/Fältet måste fyllas i/);
  await expect(form.getByLabel('Åtgärder för att det inte ska hända igen')).toHaveAccessibleDescription(/högst 2000 tecken/);
  await expect(page.locator('dl.facts')).toContainText('Öppen');

  const reason = `Huvudbehandlaren var sjuk och ingen ersättare utsågs. Test ${Date.now()}`;
  await form.getByLabel('Skäl till avvikelsen').fill(reason);
  await form.getByLabel('Åtgärder för att det inte ska hända igen').fill('Ersättare utses vid frånvaro längre än en vecka.');
  await form.getByRole('button', { name: 'Stäng avvikelsen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Avvikelsen är stängd.' })).toBeVisible();
  const closed = page.getByRole('region', { name: 'Stängd' });
  await expect(closed).toContainText(reason);
  await expect(closed).toContainText('Stängd av Anna Berg');
  await expect(page.getByRole('region', { name: 'Stäng avvikelsen' })).toHaveCount(0);

  // It is in the register's closed deviations.
  await page.goto('/avvikelser?status=closed&typ=unit');
  const link = page.getByRole('table', { name: 'Avvikelser, den senaste först' }).getByRole('link', { name: /Missad frist/ });
  await expect(link.first()).toBeVisible();
});

test('the manager sees open and closed deviations per kind and the trend per month', async ({ page }) => {
  await logIn(page, 'chef');
  await page.goto('/avvikelser');
  const overview = page.getByRole('region', { name: 'Översikt' });
  const counts = overview.getByRole('table', { name: 'Avvikelser per typ och läge' });
  for (const kind of ['Enhetens', 'Klientens']) {
    const cells = await counts.getByRole('row', { name: new RegExp(`^${kind}`) }).getByRole('cell').allTextContents();
    expect(cells.map(Number).every((n) => n > 0), `${kind}: open and closed ${cells}`).toBe(true);
  }
  const trend = overview.getByRole('table', { name: /Avvikelser per månad, de senaste 12 månaderna/ });
  // A header row and twelve months, the current one last, each with its numbers as text.
  await expect(trend.getByRole('row')).toHaveCount(13);
  const months = await trend.getByRole('rowheader').allTextContents();
  expect([...months].sort()).toEqual(months);
  const now = new Date();
  expect(months[11]).toBe(`${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`);
  const numbers = (await trend.getByRole('cell').allTextContents()).filter((t) => /^\d+$/.test(t.trim())).map(Number);
  expect(numbers.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

  // The manager's list names the contact person, and pages through the unit.
  const list = page.getByRole('table', { name: 'Avvikelser, den senaste först' });
  await expect(list.getByRole('columnheader', { name: 'Huvudbehandlare' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Sidor i registret' })).toContainText(/Visar 1–25 av \d+/);
  await page.getByRole('link', { name: 'Nästa sida' }).click();
  await expect(page).toHaveURL(/sida=2/);
  await expect(page.getByRole('navigation', { name: 'Sidor i registret' })).toContainText(/Visar 26–/);
});
