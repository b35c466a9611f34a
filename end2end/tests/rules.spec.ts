import { test, expect, logIn } from './helpers';

test('the manager sets the day the monthly review and report are due; a day outside 1–28 is refused at the field', async ({ page, browser }) => {
  await logIn(page, 'chef');
  const duties = page.getByRole('region', { name: 'Enhetens frister' });
  await expect(duties.getByText(/ska vara klar den 10:e i månaden efter/)).toBeVisible();
  const setting = duties.getByRole('region', { name: 'Enhetens frist för månadsgenomgång och månadsrapport' });
  const day = setting.getByLabel('Dag i månaden efter');
  await expect(day).toHaveValue('10');

  // The 31st does not exist in every month: refused beside the field, nothing changes.
  await day.fill('31');
  await setting.getByRole('button', { name: 'Spara fristen' }).click();
  await expect(setting.locator('.field-error')).toHaveText('Ange ett heltal från 1 till 28.');
  await expect(setting.getByRole('alert')).toBeVisible();
  await expect(duties.getByText(/ska vara klar den 10:e i månaden efter/)).toBeVisible();

  await day.fill('15');
  await setting.getByRole('button', { name: 'Spara fristen' }).click();
  await expect(setting.getByRole('status')).toContainText('Fristen är sparad.');
  await expect(duties.getByText(/ska vara klar den 15:e i månaden efter/)).toBeVisible();
  await page.screenshot({ path: 'test-results/due-day-setting.png', fullPage: true });
  await page.reload();
  await expect(page.getByRole('region', { name: 'Enhetens frister' }).getByText(/den 15:e i månaden efter/)).toBeVisible();

  // Staff read the same rule, and have no setting to change.
  const anna = await browser.newPage();
  await logIn(anna, 'anna');
  const mine = anna.getByRole('region', { name: 'Mitt arbete' });
  await expect(mine.getByText(/ska vara klar den 15:e i månaden efter/)).toBeVisible();
  await expect(anna.getByLabel('Dag i månaden efter')).toHaveCount(0);
  await anna.close();

  // Back to the 10th for the other specs.
  const again = page.getByRole('region', { name: 'Enhetens frist för månadsgenomgång och månadsrapport' });
  await again.getByLabel('Dag i månaden efter').fill('10');
  await again.getByRole('button', { name: 'Spara fristen' }).click();
  await expect(page.getByRole('region', { name: 'Enhetens frister' }).getByText(/den 10:e i månaden efter/)).toBeVisible();
});

test('an open intake open longer than its service is pointed out to its therapist', async ({ page }) => {
  await logIn(page, 'anna');
  await page.goto('/intag');
  await expect(page.getByRole('heading', { name: 'Öppet intag', level: 1 })).toBeVisible();
  // Primary group treatment lasts 12 weeks; this one started 13 weeks ago.
  const started = new Date(Date.now() - 91 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await page.getByLabel('Pseudonym').fill('Grå 77');
  await page.getByLabel('Insats').selectOption({ label: 'Primär gruppbehandling (12 veckor)' });
  await page.getByLabel('Startdatum').fill(started);
  await page.getByRole('button', { name: 'Registrera aktualisering' }).click();
  await expect(page.getByRole('heading', { name: 'Grå 77', level: 1 })).toBeVisible();
  const url = page.url();

  await page.goto('/intag');
  const row = page.getByRole('row').filter({ hasText: 'Grå 77' });
  await expect(row).toContainText('Pågått längre än insatsen');
  await expect(page.getByText(/primär gruppbehandling 12 veckor/)).toBeVisible();
  await page.screenshot({ path: 'test-results/intake-overstay-list.png', fullPage: true });

  // And in "my work" on the start page.
  await page.goto('/');
  const over = page.getByRole('region', { name: 'Aktualiseringar som pågått längre än insatsen' });
  await expect(over.getByRole('link', { name: 'Grå 77' })).toBeVisible();
  await expect(over).toContainText('avsluta om insatsen är klar');
  await over.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/intake-overstay-my-work.png', fullPage: true });

  // Closed, it is gone from both.
  await page.goto(url);
  await page.getByLabel('Jag förstår att allt om aktualiseringen raderas').check();
  await page.getByRole('button', { name: 'Avsluta och radera' }).click();
  await expect(page.getByRole('status')).toContainText('Aktualiseringen är avslutad och raderad.');
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'Mitt arbete' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Grå 77' })).toHaveCount(0);
});
