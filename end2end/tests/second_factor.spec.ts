import { Page } from '@playwright/test';
import { test, expect, expectAccessible, logIn, enrol, nextCode, totp } from './helpers';

// Two-step verification (issue 17): an authenticator app's code after the password,
// required for managers and administrators and, unless the administrator turns it
// off, for staff; recovery codes for a lost phone; the administrator's reset.

const TEMPORARY = 'tillfälligt lösenord 2026';
const CHOSEN = 'mitt eget långa lösenord';

async function createAccount(page: Page, username: string, role: 'Behandlare' | 'Enhetschef') {
  await page.goto('/admin/anvandare');
  await page.waitForLoadState('networkidle');
  const form = page.getByRole('region', { name: 'Nytt konto' });
  await form.getByLabel('Användarnamn', { exact: true }).fill(username);
  await form.getByLabel('Namn', { exact: true }).fill(`Test ${username}`);
  await form.getByLabel('Roll', { exact: true }).selectOption({ label: role });
  await form.getByLabel('Lösenord', { exact: true }).fill(TEMPORARY);
  await form.getByRole('button', { name: 'Skapa konto' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Kontot ${username} är skapat.` })).toBeVisible();
}

async function password(page: Page, username: string, pw: string) {
  await page.goto('/logga-in');
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(pw);
  await page.getByRole('button', { name: 'Logga in' }).click();
}

async function changeTemporaryPassword(page: Page) {
  await expect(page.getByRole('heading', { name: 'Byt lösenord', level: 1 })).toBeVisible();
  await page.getByLabel('Nuvarande lösenord').fill(TEMPORARY);
  await page.getByLabel('Nytt lösenord', { exact: true }).fill(CHOSEN);
  await page.getByLabel('Nytt lösenord igen').fill(CHOSEN);
  const changed = page.waitForResponse((r) => r.url().endsWith('/api/account/change_password'));
  await page.getByRole('button', { name: 'Byt lösenord' }).click();
  expect((await changed).status()).toBe(200);
}

async function logOut(page: Page) {
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await expect(page).toHaveURL(/\/logga-in/);
}

test('a new manager is sent to enrol, logs in with the app’s code, a wrong code is refused and a recovery code works once', async ({ page }) => {
  await logIn(page, 'admin');
  await createAccount(page, 'tvasteg.chef', 'Enhetschef');
  await logOut(page);

  // First the administrator's password is changed, then the app is enrolled:
  // nothing else opens before that.
  await password(page, 'tvasteg.chef', TEMPORARY);
  await changeTemporaryPassword(page);
  await expect(page).toHaveURL(/\/tvastegsverifiering$/);
  await expect(page.getByRole('heading', { name: 'Tvåstegsverifiering', level: 1 })).toBeVisible();
  await expect(page.getByText('Ditt konto behöver tvåstegsverifiering innan du kan fortsätta.')).toBeVisible();
  await page.goto('/klienter');
  await expect(page).toHaveURL(/\/tvastegsverifiering$/);
  await page.waitForLoadState('networkidle');
  await expectAccessible(page);

  // A wrong first code is refused at the field; the right one turns it on.
  await page.getByRole('button', { name: 'Visa QR-kod' }).click();
  await expect(page.getByRole('img', { name: 'QR-kod att skanna med autentiseringsappen' })).toBeVisible();
  const secret = (await page.locator('code.secret').innerText()).replace(/\s/g, '');
  const now = Math.floor(Date.now() / 30_000);
  const wrong = ['000000', '111111'].find((c) => ![now - 1, now, now + 1].some((s) => totp(secret, s) === c))!;
  await page.getByLabel('Kod från appen').fill(wrong);
  await page.getByRole('button', { name: 'Slå på tvåstegsverifiering' }).click();
  await expect(page.getByLabel('Kod från appen')).toHaveAccessibleDescription(/Koden stämmer inte/);
  await page.reload();
  const codes = await enrol(page, 'tvasteg.chef');
  expect(codes).toHaveLength(10);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Till startsidan' }).click();
  await expect(page.getByRole('heading', { name: /Välkommen/ })).toBeVisible();
  await logOut(page);

  // The password alone is not a login now.
  await password(page, 'tvasteg.chef', CHOSEN);
  await expect(page).toHaveURL(/\/logga-in\/kod$/);
  await page.waitForLoadState('networkidle');
  await expectAccessible(page);
  await page.goto('/');
  await expect(page).toHaveURL(/\/logga-in$/);

  await password(page, 'tvasteg.chef', CHOSEN);
  const code = page.getByLabel('Kod', { exact: true });
  await code.fill(wrong);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(code).toHaveAccessibleDescription(/Koden stämmer inte eller har redan använts/);
  await code.fill(await nextCode('tvasteg.chef'));
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { name: 'Välkommen, Test tvasteg.chef' })).toBeVisible();
  await logOut(page);

  // A recovery code instead of the phone: once.
  await password(page, 'tvasteg.chef', CHOSEN);
  await page.getByLabel('Kod', { exact: true }).fill(codes[0]);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { name: /Välkommen/ })).toBeVisible();
  await page.goto('/tvastegsverifiering');
  await expect(page.getByText('Oanvända återställningskoder: 9.')).toBeVisible();
  await logOut(page);
  await password(page, 'tvasteg.chef', CHOSEN);
  await page.getByLabel('Kod', { exact: true }).fill(codes[0]);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByLabel('Kod', { exact: true })).toHaveAccessibleDescription(/har redan använts/);
  await page.getByLabel('Kod', { exact: true }).fill(codes[1]);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { name: /Välkommen/ })).toBeVisible();

  // The manager's log tells it all.
  await page.goto('/logg');
  await page.waitForLoadState('networkidle');
  const table = page.getByRole('table').first();
  await expect(table).toContainText('med återställningskod (8 kvar)');
  await page.getByLabel('Urval').selectOption({ label: 'Misslyckade inloggningar' });
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await expect(page.getByRole('table').first()).toContainText('rätt lösenord, fel kod');
});

test('the administrator resets a lost phone: the account enrols again, and its old sessions end', async ({ page, browser }) => {
  const manager = await browser.newPage();
  await password(manager, 'tvasteg.chef', CHOSEN);
  await manager.getByLabel('Kod', { exact: true }).fill(await nextCode('tvasteg.chef'));
  await manager.getByRole('button', { name: 'Logga in' }).click();
  await expect(manager.getByRole('heading', { name: /Välkommen/ })).toBeVisible();

  await logIn(page, 'admin');
  await page.goto('/admin/anvandare');
  await page.waitForLoadState('networkidle');
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'tvasteg.chef', exact: true }) });
  await expect(row).toContainText('Påslagen');
  await row.getByRole('button', { name: 'Nollställ tvåsteg – tvasteg.chef' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Tvåstegsverifieringen för tvasteg.chef är nollställd.' })).toBeVisible();
  await expect(row).toContainText('Inte registrerad');
  await expect(row.getByRole('button', { name: /Nollställ tvåsteg/ })).toHaveCount(0);
  await expectAccessible(page);

  // The manager's session proved the old enrolment: it now leads to enrolling anew.
  await manager.goto('/klienter');
  await expect(manager).toHaveURL(/\/tvastegsverifiering$/);
  await expect(manager.getByText('Ditt konto behöver tvåstegsverifiering innan du kan fortsätta.')).toBeVisible();
  await manager.close();

  // And at the next login the password leads straight to the enrolment.
  await logOut(page);
  await password(page, 'tvasteg.chef', CHOSEN);
  await expect(page).toHaveURL(/\/tvastegsverifiering$/);
  await enrol(page, 'tvasteg.chef');
});

test('the administrator decides whether staff need the second factor; managers always do', async ({ page }) => {
  await logIn(page, 'admin');
  await page.goto('/admin/anvandare');
  await page.waitForLoadState('networkidle');
  const rules = page.getByRole('region', { name: 'Inloggning' });
  const staffToo = rules.getByRole('group', { name: 'Personal måste också ha tvåstegsverifiering' });
  await expect(staffToo.getByRole('radio', { name: 'Ja' })).toBeChecked();
  await staffToo.getByRole('radio', { name: 'Nej' }).check();
  await rules.getByRole('button', { name: 'Spara' }).click();
  await expect(rules.getByRole('status')).toHaveText('Inloggningsreglerna är sparade.');
  await createAccount(page, 'tvasteg.personal', 'Behandlare');
  await logOut(page);

  // Without the requirement a new staff member's password is enough.
  await password(page, 'tvasteg.personal', TEMPORARY);
  await changeTemporaryPassword(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Välkommen, Test tvasteg.personal' })).toBeVisible();

  // The requirement back on: at the next request she is sent to enrol.
  const admin = await page.context().browser()!.newPage();
  await logIn(admin, 'admin');
  await admin.goto('/admin/anvandare');
  await admin.waitForLoadState('networkidle');
  const again = admin.getByRole('region', { name: 'Inloggning' });
  await again.getByRole('radio', { name: 'Ja' }).check();
  await again.getByRole('button', { name: 'Spara' }).click();
  await expect(again.getByRole('status')).toHaveText('Inloggningsreglerna är sparade.');
  await admin.close();
  await page.goto('/klienter');
  await expect(page).toHaveURL(/\/tvastegsverifiering$/);
});
