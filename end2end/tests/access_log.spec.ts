import { test, expect } from './helpers';
import { logIn } from './helpers';

test('the manager reviews the access log and narrows it to one user', async ({ page, browser }) => {
  // Something to find: Anna logs in and looks at her clients.
  const anna = await browser.newPage();
  await logIn(anna, 'anna');
  await anna.goto('/klienter');
  await expect(anna.getByRole('table')).toBeVisible();
  await anna.close();

  await logIn(page, 'chef');
  await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Åtkomstlogg' }).click();
  await expect(page.getByRole('heading', { name: 'Åtkomstlogg', level: 1 })).toBeVisible();
  const table = page.getByRole('table');
  // Newest first: her own visit to the start page is at the top, in Swedish sentences.
  await expect(table.getByRole('row').nth(1)).toContainText('Eva Holm');
  await expect(table.getByRole('row').filter({ hasText: 'Eva Holm' }).filter({ hasText: 'Loggade in' }).first()).toBeVisible();

  await page.getByLabel('Användare', { exact: true }).selectOption({ label: 'Anna Berg' });
  await page.getByRole('button', { name: 'Visa' }).click();
  await expect(table.getByRole('row').nth(1)).toContainText('Anna Berg');
  await expect(table.getByRole('row').filter({ hasText: 'Eva Holm' })).toHaveCount(0);
  await expect(table.getByRole('row').filter({ hasText: 'Såg en lista med akter' }).first()).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: 'Loggade in' }).first()).toBeVisible();
  await page.screenshot({ path: 'test-results/access-log.png', fullPage: true });

  // A date range in the future has nothing.
  await page.getByLabel('Från och med datum').fill('2099-01-01');
  await page.getByRole('button', { name: 'Visa' }).click();
  await expect(page.getByText('Inga händelser matchar.')).toBeVisible();
});

test('the access log is the manager’s only', async ({ page }) => {
  await logIn(page, 'anna');
  await expect(page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Klienter' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Åtkomstlogg' })).toHaveCount(0);
  await page.goto('/logg');
  await expect(page.getByRole('alert').first()).toContainText('Du har inte behörighet');
  await expect(page.getByRole('table')).toHaveCount(0);
});
