import { Page } from '@playwright/test';
import { test, expect } from './helpers';
import { logIn } from './helpers';

function nav(page: Page) {
  return page.getByRole('navigation', { name: 'Huvudmeny' });
}

async function fillAssignment(page: Page) {
  await page.getByLabel('Uppdraget kom in').fill('2026-11-02');
  await page.getByLabel('Datum för biståndsbeslutet').fill('2026-10-28');
  await page.getByLabel('Socialsekreterare', { exact: true }).fill('Siv Sekreterare');
  await page.getByLabel('Socialsekreterarens enhet').fill('Vuxenenheten');
  await page.getByLabel('Insats', { exact: true }).selectOption({ label: 'Individuell behandling' });
  await page.getByLabel('Beviljad insats enligt beslutet').fill('Individuell behandling, samtal varje vecka');
  await page.getByLabel('Insatsen gäller från').fill('2026-11-09');
  await page.getByLabel('Insatsen gäller till (frivilligt)').fill('2027-05-09');
}

test('a staff member searches her clients and opens a file from the hits', async ({ page }) => {
  await logIn(page, 'anna');
  await nav(page).getByRole('link', { name: 'Klienter' }).click();
  await expect(page.getByRole('heading', { name: 'Klienter', level: 1 })).toBeVisible();
  // Without a search: every file she is on, with the contact person named.
  const table = page.getByRole('table');
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  // A client whose name is shown (protected identities are masked in the list).
  const firstLink = table.getByRole('link').filter({ hasNotText: 'Skyddad identitet' }).first();
  const name = (await firstLink.textContent())?.trim() ?? '';
  const lastName = name.split(' ').slice(-1)[0];

  await page.getByRole('searchbox', { name: 'Namn eller person-/samordningsnummer' }).fill(lastName.toLowerCase());
  await page.getByRole('button', { name: 'Sök' }).click();
  const hit = page.getByRole('table').getByRole('link', { name, exact: true }).first();
  await expect(hit).toBeVisible();
  await page.screenshot({ path: 'test-results/clients-search.png', fullPage: true });
  await hit.click();
  await expect(page).toHaveURL(/\/akter\/[a-z0-9]{12}$/);

  await page.goto('/klienter');
  await page.getByRole('searchbox', { name: 'Namn eller person-/samordningsnummer' }).fill('Ingen Sådan Person');
  await page.getByRole('button', { name: 'Sök' }).click();
  await expect(page.getByText('Inga akter matchar sökningen.')).toBeVisible();
});

test('a wrong personnummer is explained next to the field and nothing is stored', async ({ page }) => {
  await logIn(page, 'anna');
  await nav(page).getByRole('link', { name: 'Klienter' }).click();
  await page.getByRole('link', { name: 'Ny klient och akt' }).click();
  await expect(page.getByRole('heading', { name: 'Ny klient och akt', level: 1 })).toBeVisible();

  await page.getByLabel('Förnamn').fill('Tolvan');
  await page.getByLabel('Efternamn').fill('Tolvansson');
  const number = page.getByLabel('Personnummer eller samordningsnummer');
  await number.fill('19121212-1213');
  await fillAssignment(page);
  // She is the contact person unless she chooses someone else.
  await expect(page.getByLabel('Huvudbehandlare')).toHaveValue('anna');
  await page.getByRole('checkbox', { name: 'Johan Lund' }).check();
  await page.getByRole('button', { name: 'Registrera och öppna akten' }).click();

  const message = 'Numret stämmer inte: kontrollsiffran (den sista siffran) är fel. Kontrollera numret.';
  await expect(page.getByRole('alert')).toContainText(message);
  await expect(number).toHaveAttribute('aria-invalid', 'true');
  await expect(number).toHaveAccessibleDescription(new RegExp(message.replace(/[().]/g, '\\$&')));
  await expect(page).toHaveURL(/\/klienter\/ny$/);
  await page.screenshot({ path: 'test-results/new-file-error.png', fullPage: true });

  // Nothing was stored.
  await page.goto('/klienter');
  await page.getByRole('searchbox', { name: 'Namn eller person-/samordningsnummer' }).fill('Tolvansson');
  await page.getByRole('button', { name: 'Sök' }).click();
  await expect(page.getByText('Inga akter matchar sökningen.')).toBeVisible();
});

test('a staff member registers a client with the assignment and lands in the new file', async ({ page }) => {
  await logIn(page, 'anna');
  await page.goto('/klienter/ny');
  await page.getByLabel('Förnamn').fill('Tolvan');
  await page.getByLabel('Efternamn').fill('Tolvansson');
  await page.getByLabel('Personnummer eller samordningsnummer').fill('191212121212');
  await fillAssignment(page);
  await page.getByRole('checkbox', { name: 'Johan Lund' }).check();
  await page.getByRole('button', { name: 'Registrera och öppna akten' }).click();
  await expect(page).toHaveURL(/\/akter\/[a-z0-9]{12}$/);
  const fileUrl = page.url();

  await page.goto('/klienter');
  await page.getByRole('searchbox', { name: 'Namn eller person-/samordningsnummer' }).fill('19121212-1212');
  await page.getByRole('button', { name: 'Sök' }).click();
  const row = page.getByRole('row', { name: /Tolvan Tolvansson/ });
  await expect(row).toContainText('19121212-1212');
  await expect(row).toContainText('Individuell behandling');
  await expect(row).toContainText('Anna Berg');
  await expect(row.getByRole('link', { name: 'Tolvan Tolvansson' })).toHaveAttribute('href', new URL(fileUrl).pathname);
});

test('the care team is changed by the contact person', async ({ page }) => {
  await logIn(page, 'anna');
  await page.goto('/klienter');
  // An open file where she is the contact person (co-workers may only look at the
  // team, and a closed file's team no longer changes).
  const rows = page.getByRole('table').getByRole('row').filter({ hasText: 'Anna Berg' });
  const hrefs: string[] = [];
  for (const row of (await rows.all()).slice(0, 10)) {
    const href = await row.getByRole('link').first().getAttribute('href');
    if (href) hrefs.push(href);
  }
  const add = page.getByLabel('Lägg till medbehandlare');
  for (const href of hrefs) {
    await page.goto(`${href}/team`);
    await expect(page.getByRole('heading', { name: 'Arbetslag', level: 1 })).toBeVisible();
    await page.waitForLoadState('networkidle');
    if (await add.count() > 0) break;
  }
  // Anyone not yet on the team.
  const colleague = ((await add.locator('option').nth(1).textContent()) ?? '').trim();
  await add.selectOption({ label: colleague });
  await page.getByRole('button', { name: 'Lägg till', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Arbetslaget är ändrat.');
  const member = page.getByRole('listitem').filter({ hasText: colleague });
  await expect(member).toBeVisible();
  await page.screenshot({ path: 'test-results/team.png', fullPage: true });
  await page.getByRole('button', { name: `Ta bort ${colleague}` }).click();
  await expect(member).toHaveCount(0);
});

test('a 10-digit number shows the birth date it reads and is stored with 12 digits', async ({ page }) => {
  await logIn(page, 'anna');
  await page.goto('/klienter/ny');
  await expect(page.getByRole('heading', { name: 'Ny klient och akt', level: 1 })).toBeVisible();
  await page.getByLabel('Förnamn').fill('Nora');
  await page.getByLabel('Efternamn').fill('Nyström');
  // Skatteverket: a dash means under 100 years old today, so 05 is 2005, not 1905.
  await page.getByLabel('Personnummer eller samordningsnummer').fill('050505-3579');
  await expect(page.getByText('Numret läses som född 2005-05-05.')).toBeVisible();
  await page.screenshot({ path: 'test-results/new-file-birth-date.png', fullPage: true });
  await fillAssignment(page);
  await page.getByRole('button', { name: 'Registrera och öppna akten' }).click();
  await expect(page).toHaveURL(/\/akter\/[a-z0-9]{12}$/);

  await page.goto('/klienter');
  await page.getByRole('searchbox', { name: 'Namn eller person-/samordningsnummer' }).fill('050505-3579');
  await page.getByRole('button', { name: 'Sök' }).click();
  const row = page.getByRole('row', { name: /Nora Nyström/ });
  await expect(row).toContainText('20050505-3579');
});
