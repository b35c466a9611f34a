import { Page } from '@playwright/test';
import { test, expect, logIn } from './helpers';

// Bad input the browser lets through but the server refuses: each refusal shows as a
// sentence at its field, and nothing is stored. (Every spec also fails on a refusal
// that shows nothing: see `test` in helpers.ts.)

/** Opens the first of the user's open files (not in the motivation group) for which
 *  `fits` holds, on the page `fits` opened; returns the file's address. */
async function openOwnFile(page: Page, fits: (file: string) => Promise<boolean> = async () => true): Promise<string> {
  const links = page.getByRole('region', { name: 'Mina akter' }).getByRole('table').getByRole('link');
  await expect(links.first()).toBeVisible();
  const count = await links.count();
  for (let i = 0; i < count; i++) {
    await page.goto('/');
    await links.nth(i).click();
    await expect(page.getByRole('heading', { name: 'Journal', level: 2 })).toBeVisible();
    const service = await page.locator('dl.facts div').filter({ hasText: 'Insats' }).locator('dd').textContent();
    const file = new URL(page.url()).pathname;
    if (!service?.includes('Motivationsgrupp') && (await fits(file))) return file;
  }
  throw new Error('no such file');
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test('closing a file on a day ahead is refused at the end date, and the file stays open', async ({ page }) => {
  await logIn(page, 'ali');
  // A file Ali may close: one where he is the contact person, not only on the care team
  // (other tests add him to colleagues' files).
  const file = await openOwnFile(page, async () => {
    await page.getByRole('link', { name: 'Avsluta akten' }).click();
    await expect(page.getByRole('heading', { name: /^Avsluta akten/ })).toBeVisible();
    return (await page.getByLabel('Slutdatum').count()) > 0;
  });
  await page.getByLabel('Slutdatum').fill(inDays(3));
  await page.getByLabel('Orsak till avslut').selectOption({ index: 1 });
  await page.getByLabel('Given behandling').fill('Samtal varannan vecka.');
  await page.getByLabel('Resultat (behandlarens bedömning)').fill('Delvis nådda mål.');
  await page.getByLabel('Klientens syn på avslutet').fill('Nöjd.');
  await page.getByLabel('Klientens syn på insatsen som helhet').fill('Bra.');
  await page.getByRole('button', { name: 'Spara slutrapporten och avsluta akten' }).click();
  const field = page.locator('.field').filter({ has: page.getByLabel('Slutdatum') });
  await expect(field.getByText('Datumet ligger i framtiden.')).toBeVisible();
  await expect(page.getByLabel('Slutdatum')).toHaveAttribute('aria-invalid', 'true');
  // Nothing was stored: the file is open.
  await page.goto(file);
  await expect(page.getByRole('region', { name: 'Ny journalanteckning' })).toBeVisible();
});

test('a follow-up booked for a day that has passed is refused at the date', async ({ page }) => {
  await logIn(page, 'ali');
  const book = page.getByRole('region', { name: 'Boka uppföljning' });
  // A file without a booked follow-up: the booking form is there.
  await openOwnFile(page, async (file) => {
    await page.goto(`${file}/uppfoljningar`);
    await expect(page.locator('main h1')).toBeVisible();
    await page.waitForLoadState('networkidle');
    return (await book.count()) > 0;
  });
  await book.getByLabel('Datum för uppföljningen').fill(inDays(-2));
  await book.getByRole('button', { name: 'Boka uppföljning' }).click();
  await expect(book.getByText('Datumet har redan passerat.').first()).toBeVisible();
  await page.reload();
  await expect(page.getByRole('region', { name: 'Boka uppföljning' })).toBeVisible();
});

test('the administrator cannot deactivate their own account, and is told why', async ({ page }) => {
  await logIn(page, 'admin');
  await page.goto('/admin/anvandare');
  const own = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'admin', exact: true }) });
  await own.getByRole('button', { name: 'Inaktivera' }).click();
  await expect(page.getByText('Du kan inte inaktivera eller ta bort administratörsrollen från ditt eget konto.').first()).toBeVisible();
  await page.reload();
  await expect(own.getByRole('button', { name: 'Inaktivera' })).toBeVisible();
});
