import { Page, Browser } from '@playwright/test';
import { test, expect, expectAccessible, logIn, USERNAMES } from './helpers';

// Findings that become actions (issue 15, part 2): the reviewer's "no" or "partly"
// takes a recommendation; the file's contact person answers each finding with an
// action and its day (refused at the field when the day is missing); the manager's
// round page lists the findings and which are late; the next year's reviewer sees
// last round's findings beside the checklist.

const year = new Date().getFullYear();

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

async function newPage(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await logIn(page, username);
  return page;
}

async function roundPage(page: Page) {
  await logIn(page, 'chef');
  await page.goto('/granskning');
  await page.getByRole('link', { name: `Aktgranskning ${year}`, exact: true }).first().click();
  await expect(page.getByRole('heading', { name: `Aktgranskning ${year}`, level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
}

test('a reviewer recommends, the contact person records an action, the manager sees it late', async ({ page, browser }) => {
  test.setTimeout(180_000);
  // This year's round (opened by audit.spec, reviewed in part by it and audit3): its
  // findings, each with the client and the contact person.
  await roundPage(page);
  const findings = page.getByRole('region', { name: 'Fynd och åtgärder' });
  await expect(findings.getByText(/^\d+ fynd · \d+ (öppet|öppna) · \d+ (försenat|försenade)$/)).toBeVisible();
  const row = findings.getByRole('row').filter({ hasText: 'Inte besvarat' }).first();
  await expect(row).toBeVisible();
  const client = (await row.getByRole('cell').nth(0).innerText()).trim();
  const contact = (await row.getByRole('cell').nth(1).innerText()).trim();
  const username = USERNAMES[contact];
  expect(username, `contact person ${contact}`).toBeTruthy();
  await expectAccessible(page);

  // The contact person: the audit start page counts the open findings, the file's
  // results page has a form per finding.
  const owner = await newPage(browser, username);
  await owner.goto('/granskning');
  const mine = owner.getByRole('region', { name: 'Granskning av mina akter' });
  const fileRow = mine.getByRole('row').filter({ hasText: String(year) }).filter({ has: owner.getByRole('link', { name: client, exact: true }) }).first();
  await expect(fileRow.getByText(/^\d+ fynd att följa upp$/)).toBeVisible();
  await fileRow.getByRole('link', { name: client, exact: true }).click();
  await expect(owner.getByRole('heading', { name: new RegExp(`^Granskningsresultat: `), level: 1 })).toBeVisible();
  await owner.waitForLoadState('networkidle');
  // This year's review (last year's, from the demo, is on the page too).
  const thisYear = owner.locator('section.review-result')
    .filter({ has: owner.getByRole('heading', { level: 2, name: new RegExp(String(year)) }) });
  const followUp = thisYear.getByRole('region', { name: 'Fynd att följa upp' }).first();
  const open = followUp.getByRole('region').filter({ hasText: 'Inte besvarat' }).first();
  await expect(open).toBeVisible();
  // Pinned by its heading's id: its status text changes once it is answered.
  const headingId = await open.getByRole('heading').getAttribute('id');
  const card = owner.locator(`section.finding:has(> h4[id="${headingId}"])`);
  await expectAccessible(owner);

  // An action without its day is refused at the day's field, and nothing is saved.
  await card.getByRole('textbox', { name: 'Åtgärd' }).fill('Planen skrivs om med klienten.');
  await card.getByRole('button', { name: 'Spara svar och åtgärd' }).click();
  const day = card.getByLabel('Klar senast');
  await expect(card.locator('.field-error', { hasText: 'Skriv när åtgärden ska vara klar.' })).toBeVisible();
  await expect(day).toHaveAttribute('aria-invalid', 'true');
  await expect(card.getByRole('heading').getByText('Inte besvarat')).toBeVisible();

  // With a day that has passed: saved, and the finding is late.
  const yesterday = new Date();
  yesterday.setDate(yesterday.getDate() - 1);
  await card.getByRole('textbox', { name: 'Ditt svar till granskaren' }).fill('Jag håller med.');
  await day.fill(isoDate(yesterday));
  await card.getByRole('button', { name: 'Spara svar och åtgärd' }).click();
  await expect(card.getByText('Sparat.')).toBeVisible();
  await expect(card.getByText(`Försenad – skulle vara klar ${isoDate(yesterday)}`)).toBeVisible();
  await expect(card.getByText('Skriv när åtgärden ska vara klar.')).toHaveCount(0);

  // Kept after a reload.
  await owner.reload();
  await owner.waitForLoadState('networkidle');
  await expect(owner.getByText(`Försenad – skulle vara klar ${isoDate(yesterday)}`).first()).toBeVisible();
  const kept = owner.getByRole('region').filter({ hasText: `Försenad – skulle vara klar ${isoDate(yesterday)}` }).last();
  await expect(kept.getByRole('textbox', { name: 'Åtgärd' })).toHaveValue('Planen skrivs om med klienten.');

  // The manager sees the action and that it is late.
  await page.reload();
  await page.waitForLoadState('networkidle');
  const late = page.getByRole('region', { name: 'Fynd och åtgärder' }).getByRole('row')
    .filter({ hasText: 'Planen skrivs om med klienten.' });
  await expect(late.getByText(`Försenad – skulle vara klar ${isoDate(yesterday)}`)).toBeVisible();
  await expect(late.getByRole('cell').nth(0)).toHaveText(client);
  await owner.context().close();
});

test('the reviewer writes a recommendation beside a no and sees last year\'s review beside the checklist', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await roundPage(page);
  const rows = page.getByRole('region', { name: 'Akter och granskare' }).getByRole('row').filter({ hasText: 'Inte påbörjad' });
  await expect(rows.first()).toBeVisible();
  const client = (await rows.first().getByRole('cell').nth(0).innerText()).trim();
  const reviewerName = (await rows.first().getByRole('cell').nth(2).innerText()).replace(/samma som förra året.*|andra granskning.*/s, '').trim();
  const reviewer = await newPage(browser, USERNAMES[reviewerName]);
  await reviewer.goto('/granskning');
  await reviewer.getByRole('region', { name: 'Mina granskningar' }).getByRole('link', { name: client }).first().click();
  await expect(reviewer.getByRole('heading', { name: new RegExp(`Aktgranskning ${year}`), level: 1 })).toBeVisible();
  await reviewer.waitForLoadState('networkidle');

  const checklist = reviewer.getByRole('region', { name: /^Checklista/ });
  const question = checklist.getByRole('group', { name: /^Fråga 2: / });
  const recommendation = question.getByRole('textbox', { name: /^Fråga 2: .* – rekommendation$/ });
  // Only beside a "no" or "partly".
  await question.getByRole('radio', { name: 'Ja', exact: true }).check();
  await expect(recommendation).toBeHidden();
  await question.getByRole('radio', { name: 'Nej', exact: true }).check();
  await expect(recommendation).toBeVisible();
  await recommendation.fill('Koppla anteckningarna till målen.');
  await recommendation.blur();
  await expect(reviewer.getByText(/^Sparat \d\d:\d\d$/)).toBeVisible();
  await reviewer.waitForLoadState('networkidle');
  await reviewer.reload();
  await reviewer.waitForLoadState('networkidle');
  await expect(reviewer.getByRole('region', { name: /^Checklista/ }).getByRole('textbox', { name: /^Fråga 2: .* – rekommendation$/ }))
    .toHaveValue('Koppla anteckningarna till målen.');

  // Last year's review (the demo's round), folded above the questions.
  const earlier = reviewer.getByRole('region', { name: /^Checklista/ }).locator('details.earlier summary');
  await expect(earlier).toHaveText(new RegExp(`^Förra granskningen \\(${year - 1}\\): `));
  await earlier.click();
  await expect(reviewer.getByText('Se efter om åtgärderna syns i årets journal.').first()).toBeVisible();
  await expectAccessible(reviewer);
  await reviewer.context().close();
});
