import { Page } from '@playwright/test';
import { test, expect } from './helpers';
import { logIn, USERNAMES } from './helpers';

/** The addresses of the user's files, from the start page's file list. */
async function myFiles(page: Page): Promise<string[]> {
  await page.goto('/');
  const links = page.getByRole('region', { name: 'Mina akter' }).getByRole('table').getByRole('link');
  await expect(links.first()).toBeVisible();
  const hrefs = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
  return hrefs.filter((h) => h.startsWith('/akter/'));
}

/** A file of the user's without co-workers whose service has a plan (so follow-ups). */
async function fileForFollowUp(page: Page): Promise<string> {
  for (const href of await myFiles(page)) {
    await page.goto(href);
    await expect(page.getByRole('heading', { name: 'Journal', level: 2 })).toBeVisible();
    const alone = (await page.locator('dl.facts div').filter({ hasText: 'Medbehandlare' }).locator('dd').textContent()) === '—';
    if (!alone) continue;
    await page.goto(`${href}/uppfoljningar`);
    await expect(page.getByRole('heading', { name: /^Uppföljningar/, level: 1 })).toBeVisible();
    if ((await page.getByText('Motivationsgruppen har ingen genomförandeplan').count()) === 0) {
      return href;
    }
  }
  throw new Error('no file for a follow-up');
}

test('staff see what is due and overdue in their files, soonest first', async ({ page, browser }) => {
  // The demo is generated relative to today, so ask the manager's overview who has
  // something due, then look at that person's start page.
  await logIn(page, 'chef');
  const perStaff = page.getByRole('region', { name: 'Enhetens frister' }).getByRole('table', { name: 'Per huvudbehandlare' });
  await expect(perStaff.getByRole('row').nth(1)).toBeVisible();
  let username = '';
  let expected = 0;
  for (const row of await perStaff.getByRole('row').all()) {
    const cells = (await row.locator('th, td').allTextContents()).map((t) => t.trim());
    const [name, , overdue, soon] = cells;
    const due = Number(overdue) + Number(soon);
    if (USERNAMES[name] && due > 0) {
      username = USERNAMES[name];
      expected = due;
      break;
    }
  }
  expect(username, 'a staff member with something due').not.toBe('');

  const context = await browser.newContext({ locale: 'en-US' });
  const staff = await context.newPage();
  await logIn(staff, username);
  const work = staff.getByRole('region', { name: 'Mitt arbete' });
  await expect(work.getByRole('status')).toContainText(/\d+ försenade och \d+ snart förfallna uppgifter i \d+ öppna akter/);
  const list = work.getByRole('table', { name: 'Uppgifter att göra, det närmaste först' });
  await expect(list.getByRole('row').nth(1)).toBeVisible();
  // Their own list holds at least the files they are contact person for.
  expect(await list.getByRole('row').count()).toBeGreaterThanOrEqual(expected + 1);
  const dues = await list.getByRole('row').locator('td:first-child').allTextContents();
  expect([...dues].sort()).toEqual(dues);
  await expect(list.getByText(/Försenad (1 dag|\d+ dagar)|Förfaller snart/).first()).toBeVisible();
  await context.close();
});

test('staff document a follow-up into the journal, and close a file with a final report', async ({ page }) => {
  await logIn(page, 'karin');
  await expect(page.getByRole('region', { name: 'Mitt arbete' }).getByRole('status')).toBeVisible();

  // A follow-up: booked (unless one already is), then documented.
  const file = await fileForFollowUp(page);
  if ((await page.getByRole('heading', { name: 'Boka uppföljning' }).count()) > 0) {
    await page.getByRole('button', { name: 'Boka uppföljning' }).click();
  }
  const form = page.getByRole('region', { name: 'Dokumentera uppföljningen' });
  await expect(form).toBeVisible();
  // Bad input first: nothing is saved, the problems are named at the fields.
  await form.getByLabel('Resultat av uppföljningen').fill('   ');
  await form.getByLabel('Deltagare').fill('Klienten');
  await form.getByRole('button', { name: 'Spara och signera i journalen' }).click();
  await expect(form.getByRole('alert')).toContainText('Välj ett av alternativen.');
  const outcome = `Målen om sömn är nådda; ett nytt mål om arbetsträning. Test ${Date.now()}`;
  await form.getByLabel('Deltagare').fill('Klienten, socialsekreteraren Siv och Karin');
  await form.getByLabel('Resultat av uppföljningen').fill(outcome);
  await form.getByLabel('Ja, planen revideras').check();
  await form.getByRole('button', { name: 'Spara och signera i journalen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Uppföljningen är dokumenterad' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /Uppföljning hållen/ }).first()).toBeVisible();
  // The revision of the plan is one click away.
  await expect(page.getByRole('link', { name: 'Starta revidering av planen' }).first()).toHaveAttribute('href', `${file}/plan`);

  // It is in the journal, signed, as a follow-up.
  await page.goto(file);
  const entry = page.getByRole('article').filter({ hasText: outcome });
  await expect(entry).toBeVisible();
  await expect(entry).toContainText('Planen revideras: ja');

  // Closing: the final report, then the file is read-only.
  await page.getByRole('link', { name: 'Avsluta akten' }).click();
  await expect(page.getByRole('heading', { name: /^Avsluta akten/ })).toBeVisible();
  await page.getByLabel('Orsak till avslut').selectOption({ label: 'Klienten avbröt insatsen i förtid' });
  await page.getByLabel('Given behandling').fill('Individuella samtal varje vecka.');
  await page.getByLabel('Resultat (behandlarens bedömning)').fill('Sömnen är bättre; arbetsmålet hann inte påbörjas.');
  await page.getByLabel('Klientens syn på avslutet').fill('Klienten ville sluta nu.');
  await page.getByLabel('Klientens syn på insatsen som helhet').fill('Bra bemötande.');
  await page.getByRole('button', { name: 'Spara slutrapporten och avsluta akten' }).click();
  const report = page.getByRole('article', { name: 'Slutrapport' });
  await expect(report).toBeVisible();
  await expect(report).toContainText('Klienten ville sluta nu.');
  await expect(report.locator('dl.facts div').filter({ hasText: 'Bortfall' }).locator('dd')).toHaveText('Ja');
  await expect(page.getByRole('button', { name: 'Skriv ut' })).toBeVisible();

  await page.goto(file);
  await expect(page.getByText('Akten är avslutad och kan bara läsas.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Ny journalanteckning' })).toHaveCount(0);
  await page.goto(`${file}/uppfoljningar`);
  await expect(page.getByRole('heading', { name: /Uppföljning hållen/ }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Boka uppföljning' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Dokumentera uppföljningen' })).toHaveCount(0);
});

test('the manager sees the unit’s deadlines with counts per staff member and dropouts', async ({ page }) => {
  await logIn(page, 'chef');
  const unit = page.getByRole('region', { name: 'Enhetens frister' });
  await expect(unit).toBeVisible();
  const perStaff = unit.getByRole('table', { name: 'Per huvudbehandlare' });
  await expect(perStaff.getByRole('row').nth(1)).toBeVisible();
  await expect(unit.getByText(/Avslutade akter: \d+, varav \d+ bortfall/)).toBeVisible();
  await expect(unit.getByRole('table', { name: 'Uppgifter att göra, det närmaste först' }).getByRole('columnheader', { name: 'Huvudbehandlare' })).toBeVisible();
});
