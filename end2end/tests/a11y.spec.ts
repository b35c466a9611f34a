import { Page } from '@playwright/test';
import { test, expect, expectAccessible, logIn } from './helpers';

// axe (WCAG 2.2 A and AA) on every page each role reaches, after hydration.
// Pages with a form are checked as they first show; the form specs check their
// error states.

/** Opens a page and waits until it has hydrated and its data has arrived. */
async function visit(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('main h1').first()).toBeVisible();
  await expect(page.getByText('Hämtar …')).toHaveCount(0);
  await page.waitForLoadState('networkidle');
}

/** The first of the user's own files, from the start page. */
async function firstFile(page: Page): Promise<string> {
  const link = page.getByRole('region', { name: 'Mina akter' }).getByRole('table').getByRole('link').first();
  await expect(link).toBeVisible();
  const href = await link.getAttribute('href');
  if (!href) throw new Error('no file link');
  return href;
}

test('every page a staff member reaches passes axe', async ({ page }) => {
  await page.goto('/logga-in');
  await expectAccessible(page);
  await logIn(page, 'anna');
  await expectAccessible(page);
  const file = await firstFile(page);
  for (const path of [
    file,
    `${file}/plan`,
    `${file}/team`,
    `${file}/uppfoljningar`,
    `${file}/genomgang`,
    `${file}/manadsrapport`,
    `${file}/avslut`,
    '/klienter',
    '/klienter/ny',
    '/avvikelser',
    '/granskning',
    '/intag',
  ]) {
    await visit(page, path);
    await expectAccessible(page);
  }
  // An intake registration of the open intake (one is registered if she has none),
  // and the password page.
  await visit(page, '/intag');
  const intake = page.locator('main a[href^="/intag/"]').first();
  if ((await intake.count()) === 0) {
    // Registering opens the new registration's page.
    await page.getByLabel('Pseudonym').fill('Grön 14');
    await page.getByLabel('Insats').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Registrera aktualisering' }).click();
    await expect(page.getByRole('heading', { name: 'Grön 14', level: 1 })).toBeVisible();
    await page.waitForLoadState('networkidle');
  } else {
    await visit(page, (await intake.getAttribute('href')) ?? '');
  }
  await expect(page).toHaveURL(/\/intag\/[a-z0-9]+$/);
  await expectAccessible(page);
  await visit(page, '/byt-losenord');
  await expectAccessible(page);
});

test('every page the manager reaches passes axe', async ({ page }) => {
  await logIn(page, 'chef');
  await expectAccessible(page);
  for (const path of ['/avvikelser', '/granskning', '/logg', '/klienter']) {
    await visit(page, path);
    await expectAccessible(page);
  }
  // The latest audit round and a file the manager opens from the register.
  await visit(page, '/granskning');
  const round = page.getByRole('link', { name: /^Omgång|Granskning \d{4}/ }).first();
  if ((await round.count()) > 0) {
    await round.click();
    await expect(page.locator('main h1').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expectAccessible(page);
  }
});

test('every page the administrator reaches passes axe', async ({ page }) => {
  await logIn(page, 'admin');
  await expectAccessible(page);
  for (const path of ['/admin/anvandare', '/admin/gallring']) {
    await visit(page, path);
    await expectAccessible(page);
  }
});
