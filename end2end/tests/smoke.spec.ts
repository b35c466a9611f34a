import { Page } from '@playwright/test';
import { test, expect, enrol, secondStep } from './helpers';

// Demo accounts (README): every one has the password below.
const PASSWORD = 'demo-losenord';

async function logIn(page: Page, username: string, password = PASSWORD) {
  await page.goto('/');
  // Without a session every page leads to the login page.
  await expect(page).toHaveURL(/\/logga-in$/);
  await expect(page.getByRole('heading', { name: 'Logga in' })).toBeVisible();
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  if (password === PASSWORD) await secondStep(page, username);
}

test('a staff member logs in, sees the Swedish start page, switches to English and logs out', async ({ page }) => {
  await logIn(page, 'anna');
  await expect(page.getByRole('heading', { name: 'Välkommen, Anna Berg' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await expect(page.getByRole('heading', { name: 'Mina akter' })).toBeVisible();
  // Her own files, from the demo data, in a table.
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows.nth(1)).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(1);
  await expect(page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Start' })).toBeVisible();
  // Staff have no administration in their menu.
  await expect(page.getByRole('link', { name: 'Användare', exact: true })).toHaveCount(0);

  await page.getByRole('button', { name: 'In English' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, Anna Berg' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'My case files' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // The choice survives a reload.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Welcome, Anna Berg' })).toBeVisible();

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/logga-in/);
  await expect(page.getByRole('status')).toHaveText('You are logged out.');
  // After logging out the start page is closed again.
  await page.goto('/');
  await expect(page).toHaveURL(/\/logga-in$/);

  // Back to Swedish for the tests that follow.
  await page.getByRole('button', { name: 'På svenska' }).click();
  await expect(page.getByRole('heading', { name: 'Logga in' })).toBeVisible();
});

test('a wrong password shows the error and does not log in', async ({ page }) => {
  await logIn(page, 'anna', 'fel-losenord');
  await expect(page.getByRole('alert')).toContainText('Fel användarnamn eller lösenord.');
  await expect(page).toHaveURL(/\/logga-in$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/logga-in$/);
});

test('a staff member cannot open the admin page', async ({ page }) => {
  await logIn(page, 'johan');
  await expect(page.getByRole('heading', { name: /Välkommen/ })).toBeVisible();
  await page.goto('/admin/anvandare');
  await expect(page.getByRole('alert')).toContainText('Du har inte behörighet');
  await expect(page.getByRole('table')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Skapa konto' })).toHaveCount(0);
});

test('the administrator creates an account that can then log in', async ({ page, browser }) => {
  await logIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Användare' }).click();
  await expect(page.getByRole('heading', { name: 'Användare', level: 1 })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Anna Berg' })).toBeVisible();

  // Bad input: messages beside the fields and in the summary.
  await page.getByLabel('Användarnamn').fill('ny användare');
  await page.getByLabel('Namn', { exact: true }).fill('Nina Ny');
  await page.getByLabel('Lösenord', { exact: true }).fill('kort');
  await page.getByRole('button', { name: 'Skapa konto' }).click();
  await expect(page.getByText('Använd bara a–z, 0–9, punkt, bindestreck och understreck.').first()).toBeVisible();
  await expect(page.getByText('Lösenordet måste ha minst 10 tecken.').first()).toBeVisible();

  await page.getByLabel('Användarnamn').fill('nina');
  await page.getByLabel('Lösenord', { exact: true }).fill('ett-bra-losenord');
  await page.getByLabel('Roll', { exact: true }).selectOption('staff');
  await page.getByRole('button', { name: 'Skapa konto' }).click();
  await expect(page.getByRole('status')).toContainText('Kontot nina är skapat.');
  await expect(page.getByRole('cell', { name: 'Nina Ny' })).toBeVisible();

  const other = await browser.newPage();
  await logIn(other, 'nina', 'ett-bra-losenord');
  // The administrator chose that password: Nina chooses her own before anything else.
  await expect(other.getByRole('heading', { name: 'Byt lösenord', level: 1 })).toBeVisible();
  await expect(other.getByText(/Administratören har satt ditt lösenord/)).toBeVisible();
  await other.getByLabel('Nuvarande lösenord').fill('ett-bra-losenord');
  await other.getByLabel('Nytt lösenord', { exact: true }).fill('ninas eget lösenord 2026');
  await other.getByLabel('Nytt lösenord igen').fill('ninas eget lösenord 2026');
  await other.getByRole('button', { name: 'Byt lösenord' }).click();
  // Then the second factor staff need, before anything else.
  await expect(other).toHaveURL(/\/tvastegsverifiering$/);
  await enrol(other, 'nina');
  await other.getByRole('link', { name: 'Till startsidan' }).click();
  await expect(other.getByRole('heading', { name: 'Välkommen, Nina Ny' })).toBeVisible();
  await expect(other.getByText('Du har inga öppna akter.')).toBeVisible();
  await other.close();
});
