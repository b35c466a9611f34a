import { Page, Browser } from '@playwright/test';
import { test, expect } from './helpers';
import { logIn, USERNAMES } from './helpers';

// The rest of the file audit (issue 6): files per reviewer, double review and its
// agreement on the dashboard, the round's own checklist, year over year, and the
// contact person's view of the results of their files.

async function newPage(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await logIn(page, username);
  return page;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const lastYear = new Date().getFullYear() - 1;
// audit.spec.ts opens this year's round; this spec opens next year's.
const nextYear = new Date().getFullYear() + 1;

test('double review: agreement on the dashboard, a round with second reviews and its own checklist', async ({ page }) => {
  test.setTimeout(120_000);
  await logIn(page, 'chef');
  await page.goto('/granskning');
  await page.waitForLoadState('networkidle');

  // Year over year: last year's demo round is in the table.
  const years = page.getByRole('region', { name: 'Resultat år för år' });
  await expect(years.getByRole('columnheader', { name: String(lastYear) })).toBeVisible();
  await expect(years.getByRole('row', { name: /Genomförandeplanen är upprättad inom 14 dagar/ })).toContainText(/% ja \(n = \d+\)/);

  // Last year's round: the double review's agreement per item, explained.
  await page.getByRole('link', { name: `Aktgranskning ${lastYear}` }).click();
  const agreement = page.getByRole('region', { name: 'Samstämmighet i dubbelgranskningen' });
  await expect(agreement).toBeVisible();
  await expect(agreement.getByText(/akter granskas två gånger; \d+ av dem har båda granskningarna inlämnade/)).toBeVisible();
  await expect(agreement.getByRole('columnheader', { name: 'Cohens kappa' })).toBeVisible();
  await expect(agreement.getByRole('columnheader', { name: 'Gwets AC1' })).toBeVisible();
  await expect(agreement.getByText(/1 betyder full samstämmighet, 0 inte bättre än slumpen/)).toBeVisible();
  const row = agreement.getByRole('row', { name: /Genomförandeplanen är upprättad inom 14 dagar/ });
  await expect(row.getByRole('cell').nth(0)).toHaveText(/^\d+$/);
  await expect(row.getByRole('cell').nth(3)).toHaveText(/^-?\d,\d\d$/);
  await expect(page.getByText('Akter som granskats två gånger räknas en gång', { exact: false })).toBeVisible();

  // Open next year's round: too few reviewers for the limit first (nothing stored).
  await page.goto('/granskning');
  await page.waitForLoadState('networkidle');
  const form = page.getByRole('region', { name: 'Öppna en granskningsomgång' });
  const due = new Date();
  due.setDate(due.getDate() + 30);
  await form.getByLabel('År som granskas').fill(String(nextYear));
  await form.getByLabel('Granskningen ska vara klar senast').fill(isoDate(due));
  await form.getByLabel('Antal akter som granskas två gånger').fill('2');
  await form.getByLabel('Högst antal akter per granskare').fill('1');
  await form.getByRole('button', { name: 'Öppna omgången och lotta akterna' }).click();
  await expect(form.getByText(/^För få granskare: \d+ akter med högst 1 per granskare kräver minst \d+ granskare, 10 är valda\.$/).first()).toBeVisible();

  await form.getByLabel('Högst antal akter per granskare').fill('');
  await form.getByRole('button', { name: 'Öppna omgången och lotta akterna' }).click();
  await expect(page.getByRole('heading', { name: `Aktgranskning ${nextYear}`, level: 1 })).toBeVisible();
  await expect(page.getByText('2 akter granskas två gånger')).toBeVisible();
  const pairs = page.getByRole('region', { name: 'Akter och granskare' });
  await expect(pairs.getByText('andra granskning')).toHaveCount(2);

  // The round's own checklist, versioned.
  const checklist = page.getByRole('region', { name: /^Checklista version 1$/ });
  await expect(checklist).toBeVisible();
  await page.waitForLoadState('networkidle');
  const first = checklist.getByRole('textbox', { name: 'Frågans text' }).first();
  await first.fill('Planen är gjord inom 14 dagar och undertecknad av klienten.');
  await checklist.getByRole('button', { name: /^Spara frågan/ }).first().click();
  const v2 = page.getByRole('region', { name: 'Checklista version 2' });
  await expect(v2).toBeVisible();
  await expect(v2.getByRole('textbox', { name: 'Frågans text' }).first()).toHaveValue('Planen är gjord inom 14 dagar och undertecknad av klienten.');
  await v2.getByLabel('Ny fråga').fill('Är samtycke till samverkan dokumenterat?');
  await v2.getByRole('button', { name: 'Lägg till frågan' }).click();
  await expect(page.getByRole('region', { name: 'Checklista version 3' }).getByRole('textbox', { name: 'Frågans text' })).toHaveCount(9);
  await expect(page.getByText('Checklista version 3').first()).toBeVisible();
});

test("a contact person reads the results of their own files, the reviewer's name only by the setting", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await logIn(page, 'chef');
  await page.goto('/granskning');
  await page.getByRole('link', { name: `Aktgranskning ${lastYear}` }).click();
  const pairs = page.getByRole('region', { name: 'Akter och granskare' });
  const firstRow = pairs.getByRole('row').nth(1);
  await expect(firstRow).toBeVisible();
  const contactName = (await firstRow.getByRole('cell').nth(1).textContent())?.trim() ?? '';
  const reviewerName = (await firstRow.getByRole('cell').nth(2).textContent())?.replace(/samma som förra året.*|andra granskning.*/, '').trim() ?? '';
  const username = USERNAMES[contactName];
  expect(username, `contact person ${contactName}`).toBeTruthy();

  const me = await newPage(browser, username);
  await me.getByRole('navigation').getByRole('link', { name: 'Aktgranskning' }).click();
  const mine = me.getByRole('region', { name: 'Granskning av mina akter' });
  // A file reviewed in last year's round (this year's may be there too).
  const lastYears = mine.getByRole('row').filter({ hasText: String(lastYear) }).first();
  await expect(lastYears.getByRole('link')).toBeVisible();
  await lastYears.getByRole('link').click();
  await expect(me.getByRole('heading', { name: /^Granskningsresultat: / , level: 1 })).toBeVisible();
  await expect(me.getByRole('heading', { name: `Aktgranskning ${lastYear}` }).first()).toBeVisible();
  await expect(me.getByRole('rowheader', { name: /Genomförandeplanen är upprättad inom 14 dagar/ }).first()).toBeVisible();
  await expect(me.getByText(/granskad av/)).toHaveCount(0);
  const resultsUrl = me.url();

  // The manager turns the setting on: now the reviewer's name shows.
  await page.goto('/granskning');
  await page.waitForLoadState('networkidle');
  const settings = page.getByRole('region', { name: 'Inställningar för aktgranskningen' });
  await settings.getByLabel('Visa granskarens namn för huvudbehandlaren').check();
  await settings.getByRole('button', { name: 'Spara inställningen' }).click();
  await expect(settings.getByText('Sparat.')).toBeVisible();

  await me.goto(resultsUrl);
  await expect(me.getByText(/granskad av /).first()).toBeVisible();
  expect(reviewerName.length).toBeGreaterThan(0);

  // Someone who is not the contact person gets "not found".
  const otherName = Object.keys(USERNAMES).find((n) => n !== contactName) ?? '';
  const other = await newPage(browser, USERNAMES[otherName]);
  await other.goto(resultsUrl);
  await expect(other.getByText(/finns inte|hittades inte/i).first()).toBeVisible();
});
