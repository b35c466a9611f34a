import { test as base, expect, Page, Cookie } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

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

/** Logs a demo user in and waits for the start page. The session of an earlier
 *  login of the same account is used again while it lasts (a browser left open):
 *  each login costs a code of the authenticator app, and the server takes each code
 *  once, so fresh logins of one account come at most about one per half-minute.
 *  `fresh`: a new login all the same (a test of what a login writes). */
export async function logIn(page: Page, username: string, options: { fresh?: boolean } = {}) {
  const saved = options.fresh ? undefined : readSessions()[username];
  if (saved) {
    await page.context().addCookies([saved]);
    await page.goto('/');
    const welcome = page.getByRole('heading', { name: /Välkommen/ });
    const still = await Promise.race([
      welcome.waitFor({ timeout: 10_000 }).then(() => true),
      page.waitForURL((url) => url.pathname !== '/', { timeout: 10_000 }).then(() => false),
    ]).catch(() => false);
    if (still && (await welcome.isVisible())) return;
  }
  await page.goto('/logga-in');
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await secondStep(page, username);
  await expect(page.getByRole('heading', { name: /Välkommen/ })).toBeVisible();
  const cookie = (await page.context().cookies()).find((c) => c.name.endsWith('akta_session'));
  if (cookie) {
    const sessions = readSessions();
    sessions[username] = cookie;
    fs.writeFileSync(SESSIONS_FILE, JSON.stringify(sessions));
  }
}

/**
 * The login's second step after a right password, as the person would take it with
 * their authenticator app: the code, or — the first time, for an account whose role
 * needs a second factor — the enrolment (QR code's key read off the page, the app's
 * code, the recovery codes shown once), then the start page.
 */
export async function secondStep(page: Page, username: string) {
  await page.waitForURL((url) => url.pathname !== '/logga-in');
  const path = new URL(page.url()).pathname;
  if (path === '/logga-in/kod') {
    await page.getByLabel('Kod', { exact: true }).fill(await nextCode(username));
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL((url) => url.pathname !== '/logga-in/kod');
  } else if (path === '/tvastegsverifiering') {
    await enrol(page, username);
    await page.getByRole('link', { name: 'Till startsidan' }).click();
  }
}

/** Enrols the authenticator app on the enrolment page; the recovery codes shown. */
export async function enrol(page: Page, username: string): Promise<string[]> {
  await page.getByRole('button', { name: 'Visa QR-kod' }).click();
  await expect(page.getByRole('img', { name: /QR-kod/ })).toBeVisible();
  const secret = (await page.locator('code.secret').innerText()).replace(/\s/g, '');
  remember(username, secret);
  await page.getByLabel('Kod från appen').fill(await nextCode(username));
  await page.getByRole('button', { name: 'Slå på tvåstegsverifiering' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Tvåstegsverifiering är påslagen.' })).toBeVisible();
  return page.getByRole('list', { name: 'Dina återställningskoder' }).getByRole('listitem').allInnerTexts();
}

/**
 * The tests' authenticator app: the secrets enrolled during this run (in a file, so
 * they outlive a restarted worker; global-setup.ts empties it) and the last step each
 * gave a code for — the server accepts a code once, of the step before, the current
 * or the next.
 */
const APP_FILE = path.join(__dirname, '..', '.tmp', 'authenticator.json');
/** The last session of each account's login (global-setup.ts empties it too). */
const SESSIONS_FILE = path.join(__dirname, '..', '.tmp', 'sessions.json');

function readSessions(): Record<string, Cookie> {
  try {
    return JSON.parse(fs.readFileSync(SESSIONS_FILE, 'utf8'));
  } catch {
    return {};
  }
}
type AppState = Record<string, { secret: string; step: number }>;

function readApp(): AppState {
  try {
    return JSON.parse(fs.readFileSync(APP_FILE, 'utf8'));
  } catch {
    return {};
  }
}

function remember(username: string, secret: string) {
  const app = readApp();
  app[username] = { secret, step: 0 };
  fs.mkdirSync(path.dirname(APP_FILE), { recursive: true });
  fs.writeFileSync(APP_FILE, JSON.stringify(app));
}

/** A code the server has not seen: of this step or the next, later than the last. */
export async function nextCode(username: string): Promise<string> {
  const app = readApp();
  const entry = app[username];
  if (!entry) throw new Error(`the tests' app has no secret for ${username}`);
  let now = Math.floor(Date.now() / 1000 / 30);
  let step = Math.max(entry.step + 1, now);
  while (step > now + 1) {
    // Both usable steps are spent: wait for the next one (rare: the same account
    // logging in three times within half a minute).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    now = Math.floor(Date.now() / 1000 / 30);
  }
  entry.step = step;
  fs.writeFileSync(APP_FILE, JSON.stringify(app));
  return totp(entry.secret, step);
}

/** RFC 6238 with the defaults every authenticator app uses: HMAC-SHA1, 6 digits. */
export function totp(base32: string, step: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, '0');
}
