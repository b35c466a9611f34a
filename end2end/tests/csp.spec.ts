import { test, expect, Page } from '@playwright/test';
import { PASSWORD, secondStep } from './helpers';

// Issue 14, item 8: the Content-Security-Policy allows scripts only from Akta and with
// the page's nonce. Every page must still hydrate, with no CSP violation in the console.

function watchForViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to (execute|load|connect|apply|compile)/i.test(text)) {
      violations.push(text);
    }
  });
  page.on('pageerror', (err) => violations.push(`page error: ${err.message}`));
  return violations;
}

async function logIn(page: Page, username: string) {
  await page.goto('/logga-in');
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await secondStep(page, username);
  await expect(page.getByRole('heading', { name: /Välkommen/ })).toBeVisible();
}

/** Hydrated: a button that only the wasm handles works (the language switch). */
async function expectHydrated(page: Page) {
  await page.getByRole('button', { name: 'In English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('button', { name: 'På svenska' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
}

const pages: Record<string, string[]> = {
  anna: ['/', '/klienter', '/klienter/ny', '/intag', '/granskning', '/avvikelser', '/byt-losenord'],
  chef: ['/', '/logg', '/granskning', '/avvikelser'],
  admin: ['/', '/admin/anvandare', '/admin/gallring'],
};

for (const [user, paths] of Object.entries(pages)) {
  test(`every page of ${user} hydrates under the CSP without a violation`, async ({ page }) => {
    const violations = watchForViolations(page);
    const response = await page.goto('/logga-in');
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{16,}'/);
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? '';
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('ws:');
    await logIn(page, user);
    for (const path of paths) {
      await page.goto(path);
      await expect(page.locator('main h1').first()).toBeVisible();
      await expectHydrated(page);
    }
    if (user === 'anna') {
      // A file page, reached by a link (client-side navigation) and by reload.
      await page.goto('/');
      await page.getByRole('table').getByRole('link').first().click();
      await expect(page).toHaveURL(/\/akter\//);
      await expect(page.locator('main h1').first()).toBeVisible();
      await page.reload();
      await expectHydrated(page);
    }
    expect(violations).toEqual([]);
  });
}
