import { test as base, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** What an error shown to the user looks like: an alert or error summary, or a
 *  message at a field. */
const SHOWN_ERROR = '[role=alert], .error-summary, .field-error';
/** What a refusal of bad input must show: the sentence at a field, or a summary line
 *  that names and links to the field. "The form has errors" alone names nothing. */
const SHOWN_FIELD_ERROR = '.field-error, .error-summary li a';

/**
 * Playwright's `test`, with one rule added to every test that uses it: each refusal
 * a server function gives the browser (a POST to /api/ answered with 400 or more)
 * must show on screen within a few seconds. A refusal that shows nothing is a
 * defect (the user believes it was saved), so the test fails at its end.
 */
export const test = base.extend<{ refusalsShown: void }>({
  refusalsShown: [
    async ({ page }, use) => {
      const silent: string[] = [];
      const checks: Promise<void>[] = [];
      page.on('response', (response) => {
        const request = response.request();
        if (request.method() !== 'POST' || response.status() < 400) return;
        const path = new URL(response.url()).pathname;
        if (!path.startsWith('/api/')) return;
        checks.push(
          (async () => {
            // A refusal of bad input (400, `{"Invalid": [...]}`) names its fields.
            const body = await response.text().catch(() => '');
            const invalid = response.status() === 400 && body.startsWith('{"Invalid"');
            await page
              .locator(invalid ? SHOWN_FIELD_ERROR : SHOWN_ERROR)
              .filter({ visible: true })
              .first()
              .waitFor({ state: 'visible', timeout: 5_000 })
              .catch(() => {
                if (!page.isClosed()) silent.push(`${response.status()} ${path}${invalid ? ' (no field named)' : ''}`);
              });
          })(),
        );
      });
      await use();
      await Promise.all(checks);
      expect(silent, 'server refusals that showed nothing on screen').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** No WCAG 2.2 A/AA violation that axe finds on the page as it is now. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found, `axe on ${page.url()}`).toEqual([]);
}

/** The password of every demo account (server/src/demo/mod.rs). */
export const PASSWORD = 'demo-losenord';

/** Usernames of the demo staff by display name (server/src/demo/mod.rs). */
export const USERNAMES: Record<string, string> = {
  'Anna Berg': 'anna',
  'Johan Lund': 'johan',
  'Sara Nilsson': 'sara',
  'Omar Haddad': 'omar',
  'Lena Ström': 'lena',
  'Peter Sjöberg': 'peter',
  'Maria Ek': 'maria',
  'Ali Yilmaz': 'ali',
  'Karin Dahl': 'karin',
  'Nils Åkesson': 'nils',
};

/** Logs a demo user in and waits for the start page. */
export async function logIn(page: Page, username: string) {
  await page.goto('/logga-in');
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { name: /Välkommen/ })).toBeVisible();
}
