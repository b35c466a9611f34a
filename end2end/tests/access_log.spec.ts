import { Page } from '@playwright/test';
import { test, expect } from './helpers';
import { logIn } from './helpers';

async function fillAssignment(page: Page) {
  await page.getByLabel('Uppdraget kom in').fill('2026-11-02');
  await page.getByLabel('Datum för biståndsbeslutet').fill('2026-10-28');
  await page.getByLabel('Socialsekreterare', { exact: true }).fill('Siv Sekreterare');
  await page.getByLabel('Socialsekreterarens enhet').fill('Vuxenenheten');
  await page.getByLabel('Insats', { exact: true }).selectOption({ label: 'Individuell behandling' });
  await page.getByLabel('Beviljad insats enligt beslutet').fill('Individuell behandling, samtal varje vecka');
  await page.getByLabel('Insatsen gäller från').fill('2026-11-09');
}

test('the manager reviews the access log and narrows it to one user', async ({ page, browser }) => {
  // Something to find: Anna logs in and looks at her clients.
  const anna = await browser.newPage();
  await logIn(anna, 'anna', { fresh: true });
  await anna.goto('/klienter');
  await expect(anna.getByRole('table')).toBeVisible();
  await anna.close();

  await logIn(page, 'chef', { fresh: true });
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

test('a number of a client in another team gets a neutral answer, and the manager sees the refusal', async ({ page, browser }) => {
  // Anna registers a client; Johan, who is not on the team, tries the same number.
  const anna = await browser.newPage();
  await logIn(anna, 'anna');
  await anna.goto('/klienter/ny');
  await anna.getByLabel('Förnamn').fill('Vera');
  await anna.getByLabel('Efternamn').fill('Varsam');
  await anna.getByLabel('Personnummer eller samordningsnummer').fill('19770622-1236');
  await fillAssignment(anna);
  await anna.getByRole('button', { name: 'Registrera och öppna akten' }).click();
  await expect(anna).toHaveURL(/\/akter\/[a-z0-9]{12}$/);
  await anna.close();

  const johan = await browser.newPage();
  await logIn(johan, 'johan');
  await johan.goto('/klienter/ny');
  await johan.getByLabel('Förnamn').fill('Vera');
  await johan.getByLabel('Efternamn').fill('Annan');
  const number = johan.getByLabel('Personnummer eller samordningsnummer');
  await number.fill('197706221236');
  await fillAssignment(johan);
  await johan.getByRole('button', { name: 'Registrera och öppna akten' }).click();
  const message = 'Det finns redan en klient med detta personnummer. Be chefen att lägga till dig i arbetsgruppen.';
  await expect(johan.getByRole('alert')).toContainText(message);
  await expect(number).toHaveAttribute('aria-invalid', 'true');
  // Nothing about the file or its client.
  await expect(johan.getByText('Varsam')).toHaveCount(0);
  await expect(johan).toHaveURL(/\/klienter\/ny$/);
  await johan.screenshot({ path: 'test-results/neutral-answer.png', fullPage: true });
  await johan.close();

  await logIn(page, 'chef');
  await page.goto('/logg');
  await page.getByLabel('Urval').selectOption({ label: 'Nekad åtkomst' });
  await page.getByRole('button', { name: 'Visa' }).click();
  const row = page.getByRole('table').getByRole('row').filter({ hasText: 'Johan Lund' }).filter({ hasText: 'Vera Varsam' });
  await expect(row.first()).toContainText('Försökte registrera en klient som redan finns');
  await expect(row.first()).toContainText('Nekades åtkomst');
});

test('the manager reads the refusals and failed logins and records a systematic review', async ({ page, browser }) => {
  // Something for the views: a failed login, and a staff member trying the log.
  const stranger = await browser.newPage();
  await stranger.goto('/logga-in');
  await stranger.getByLabel('Användarnamn').fill('okand-person');
  await stranger.getByLabel('Lösenord').fill('fel-losenord');
  await stranger.getByRole('button', { name: 'Logga in' }).click();
  await expect(stranger.getByRole('alert')).toBeVisible();
  await stranger.close();
  const anna = await browser.newPage();
  await logIn(anna, 'anna');
  await anna.goto('/logg');
  await expect(anna.getByRole('alert').first()).toContainText('Du har inte behörighet');
  await anna.close();

  await logIn(page, 'chef');
  await page.goto('/logg');
  await expect(page.getByText('Kontorstid är vardagar 07.00–18.00 svensk tid')).toBeVisible();
  const table = page.getByRole('table').first();

  await page.getByLabel('Urval').selectOption({ label: 'Misslyckade inloggningar' });
  await page.getByRole('button', { name: 'Visa' }).click();
  const failed = table.getByRole('row').filter({ hasText: 'okand-person' });
  await expect(failed.first()).toContainText('Misslyckad inloggning');
  await expect(failed.first()).toContainText('Okänd (ingen inloggning)');
  await expect(failed.first()).toContainText('127.0.0.1');

  await page.getByLabel('Urval').selectOption({ label: 'Nekad åtkomst' });
  await page.getByRole('button', { name: 'Visa' }).click();
  await expect(table.getByRole('row').nth(1)).toContainText('Nekades åtkomst');
  await expect(table.getByRole('row').filter({ hasText: 'Anna Berg' }).first()).toContainText('Rollen har inte behörighet.');
  await expect(table.getByRole('row').filter({ hasText: 'Loggade in' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/access-log-refusals.png', fullPage: true });

  // Recording the review: a wrong period is told beside the field, then it is kept.
  await page.getByLabel('Granskad period från och med').fill('2026-11-30');
  await page.getByLabel('Granskad period till och med').fill('2026-11-01');
  await page.getByRole('button', { name: 'Anteckna granskningen' }).click();
  await expect(page.getByLabel('Granskad period till och med')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Granskad period från och med').fill('2026-11-01');
  await page.getByLabel('Granskad period till och med').fill('2026-11-30');
  await page.getByLabel('Iakttagelser och åtgärder').fill('Stickprov på tio akter; inga läsningar utan behov.');
  await page.getByRole('button', { name: 'Anteckna granskningen' }).click();
  await expect(page.getByRole('status')).toHaveText('Granskningen är antecknad.');
  const reviews = page.getByRole('region', { name: 'Systematisk granskning av loggen' }).getByRole('table');
  const recorded = reviews.getByRole('row').filter({ hasText: '2026-11-01 – 2026-11-30' });
  await expect(recorded).toContainText('Eva Holm');
  await expect(recorded).toContainText('Stickprov på tio akter');
  await page.screenshot({ path: 'test-results/access-log-review-recorded.png', fullPage: true });
});
