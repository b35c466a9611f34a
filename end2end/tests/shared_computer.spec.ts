import { Page } from '@playwright/test';
import { test, expect } from './helpers';
import { logIn } from './helpers';

// A shared computer in a treatment unit: one tab, several people in turn.

async function unsavedKeys(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Object.keys(window.sessionStorage).filter((k) => k.startsWith('akta-osparat-')),
  );
}

async function leaveUnsaved(page: Page, owner: string, file: string) {
  await page.evaluate(
    ([owner, file]) => {
      window.sessionStorage.setItem(
        `akta-osparat-${file}`,
        JSON.stringify({ owner, entry: null, event_date: '2026-01-01', category: 'event', body: `${owner}s osparade text`, goals: [] }),
      );
    },
    [owner, file],
  );
}

test("unsaved journal text leaves the tab at logout and never reaches the next user", async ({ page }) => {
  await logIn(page, 'anna');
  await leaveUnsaved(page, 'anna', 'abcdefghijkm');
  expect(await unsavedKeys(page)).toHaveLength(1);
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await expect(page).toHaveURL(/\/logga-in/);
  expect(await unsavedKeys(page)).toHaveLength(0);

  // Anna's session ends without a logout; Johan logs in in the same tab.
  await logIn(page, 'anna');
  await leaveUnsaved(page, 'anna', 'abcdefghijkm');
  await page.context().clearCookies();
  await logIn(page, 'johan');
  expect(await unsavedKeys(page)).toHaveLength(0);
});

test('the chosen language holds on every page, and the skip link moves focus to the content', async ({ page }) => {
  await logIn(page, 'anna');
  await page.getByRole('table').getByRole('link').first().click();
  await expect(page).toHaveURL(/\/akter\//);
  await page.getByRole('button', { name: 'In English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // A full load of another page is still English (the cookie is the site's, not the path's).
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Welcome, Anna Berg' })).toBeVisible();
  await page.getByRole('button', { name: 'På svenska' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');

  await page.goto('/');
  await expect(page.getByRole('heading', { name: /Välkommen/ })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Hoppa till innehållet' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
});
