import { Page, Browser, Locator } from '@playwright/test';
import { test, expect, expectAccessible } from './helpers';
import { logIn, USERNAMES } from './helpers';

async function newPage(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await logIn(page, username);
  return page;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

test('a manager runs an audit round and a reviewer audits a file', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const year = new Date().getFullYear();

  // The manager opens a round: bad input first, then a good one.
  await logIn(page, 'chef');
  await page.getByRole('navigation').getByRole('link', { name: 'Aktgranskning' }).click();
  await expect(page.getByRole('heading', { name: 'Aktgranskning', level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const form = page.getByRole('region', { name: 'Öppna en granskningsomgång' });
  await form.getByLabel('Granskningen ska vara klar senast').fill('2000-01-01');
  await form.getByRole('button', { name: 'Öppna omgången och lotta akterna' }).click();
  await expect(form.getByText('Datumet har redan passerat.').first()).toBeVisible();

  const due = new Date();
  due.setDate(due.getDate() + 30);
  await form.getByLabel('Granskningen ska vara klar senast').fill(isoDate(due));
  await form.getByRole('button', { name: 'Öppna omgången och lotta akterna' }).click();

  // The draft pairing, re-drawn once, then published.
  await expect(page.getByRole('heading', { name: `Aktgranskning ${year}`, level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Utkast till lottning' })).toBeVisible();
  const pairs = page.getByRole('region', { name: 'Akter och granskare' }).getByRole('row');
  await expect(pairs.nth(1)).toBeVisible();
  const seed = await page.getByText(/^Slumpfrö:/).textContent();
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'Dra om' }).click();
  await expect(page.getByText(/^Slumpfrö:/)).not.toHaveText(seed ?? '');

  // One pairing given to another reviewer: a blank reason is refused at its field (and
  // in that row's summary), nothing changes; with a reason the row says why.
  await page.waitForLoadState('networkidle');
  // The last row: the first one's reviewer is read below.
  const swappable = pairs.filter({ has: page.locator('summary', { hasText: 'Byt granskare' }) })
    .filter({ hasNotText: 'Skyddad identitet' }).last();
  const swapClient = (await swappable.getByRole('cell').first().innerText()).trim();
  const swapRow = pairs.filter({ has: page.getByRole('cell', { name: swapClient, exact: true }) }).first();
  await swapRow.locator('summary', { hasText: 'Byt granskare' }).click();
  // Every row has these fields; the client's name tells them apart.
  await expect(swapRow.getByRole('combobox', { name: `Ny granskare – ${swapClient}` })).toBeVisible();
  const swapReason = swapRow.getByRole('textbox', { name: /^Motivering/ });
  await swapReason.fill('   ');
  await swapRow.getByRole('button', { name: 'Byt', exact: true }).click();
  await expectRefused(swapReason, 'Fältet måste fyllas i.');
  await expect(swapRow.getByRole('alert').getByRole('link', { name: 'Fältet måste fyllas i.' })).toBeVisible();
  await expect(swapRow.getByText(/^Bytt:/)).toHaveCount(0);
  await expectAccessible(page);
  await swapReason.fill('Granskaren är jävig: känner klientens familj.');
  await swapRow.getByRole('button', { name: 'Byt', exact: true }).click();
  await expect(swapRow.getByText('Bytt: Granskaren är jävig: känner klientens familj.')).toBeVisible();
  await expect(swapRow.getByRole('alert')).toHaveCount(0);

  await page.getByRole('button', { name: 'Publicera' }).click();
  await expect(page.getByText('Pågår', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Hur långt granskningen har kommit' })).toBeVisible();
  const roundUrl = page.url();

  // Who reviews the first file?
  const reviewerName = (await pairs.nth(1).getByRole('cell').nth(2).textContent())?.trim() ?? '';
  const username = USERNAMES[reviewerName.replace(/samma som förra året.*/, '').trim()];
  expect(username, `reviewer ${reviewerName}`).toBeTruthy();

  // The reviewer sees the list, opens an assigned file and answers the checklist.
  const reviewer = await newPage(browser, username);
  await reviewer.getByRole('navigation').getByRole('link', { name: 'Aktgranskning' }).click();
  const mine = reviewer.getByRole('region', { name: 'Mina granskningar' });
  await expect(mine.getByRole('link').first()).toBeVisible();
  // Files without a plan are in the round too, answered for "the year without a plan"
  // (rules.spec and the server tests); this test takes the first file with a plan.
  const files = await mine.getByRole('link').count();
  let withPlan = false;
  for (let i = 0; i < files && !withPlan; i++) {
    await reviewer.getByRole('navigation').getByRole('link', { name: 'Aktgranskning' }).click();
    await reviewer.getByRole('region', { name: 'Mina granskningar' }).getByRole('link').nth(i).click();
    await expect(reviewer.getByRole('heading', { name: new RegExp(`Aktgranskning ${year}`), level: 1 })).toBeVisible();
    await expect(reviewer.getByRole('heading', { name: /Genomförandeplan/ }).first()).toBeVisible();
    await reviewer.waitForLoadState('networkidle');
    // A file without a plan has "the year without a plan" as its one period instead.
    withPlan = (await reviewer.getByText(/Ingen plan gällde under året/).count()) === 0;
    if (!withPlan) {
      await expect(reviewer.getByRole('heading', { name: /^Året utan plan: / })).toBeVisible();
    }
  }
  expect(withPlan, 'a reviewed file with a plan').toBe(true);
  await expect(reviewer.getByRole('heading', { name: 'Genomförandeplanen' }).first()).toBeVisible();
  await expect(reviewer.getByRole('heading', { name: 'Journalanteckningar i perioden' }).first()).toBeVisible();
  await reviewer.waitForLoadState('networkidle');

  // Submitting too early names what is missing.
  await reviewer.getByRole('button', { name: 'Lämna in granskningen' }).click();
  await expect(reviewer.getByRole('alert').getByRole('link', { name: /^Planperiod \d+, fråga 1: Genomförandeplanen är upprättad inom 14 dagar/ }).first()).toBeVisible();

  // Every period: "Ja" throughout, one step (tab) at a time.
  const steps = reviewer.getByRole('navigation', { name: 'Planperioder' }).getByRole('button');
  const periods = await steps.count();
  expect(periods).toBeGreaterThanOrEqual(1);
  for (let p = 0; p < periods; p++) {
    await steps.nth(p).click();
    const yes = reviewer.getByRole('region', { name: /^Checklista/ }).getByRole('radio', { name: 'Ja', exact: true });
    const count = await yes.count();
    expect(count).toBeGreaterThanOrEqual(9);
    for (let i = 0; i < count; i++) {
      await yes.nth(i).check();
    }
  }
  await steps.first().click();
  const firstQuestion = reviewer.getByRole('group', { name: /^Fråga 1: Genomförandeplanen är upprättad inom 14 dagar/ });
  await firstQuestion.getByRole('radio', { name: 'Delvis' }).check();
  const comment = firstQuestion.getByRole('textbox', { name: /^Fråga 1: Genomförandeplanen är upprättad inom 14 dagar.* – kommentar$/ });
  await comment.fill('Underskriften kom efter 20 dagar.');
  await comment.blur();
  await expect(reviewer.getByText(/^Sparat \d\d:\d\d$/)).toBeVisible();

  // Reload: the answers are kept.
  await reviewer.reload();
  const again = reviewer.getByRole('group', { name: /^Fråga 1: Genomförandeplanen är upprättad inom 14 dagar/ });
  await expect(again.getByRole('radio', { name: 'Delvis' })).toBeChecked();
  await expect(again.getByRole('textbox', { name: /– kommentar$/ })).toHaveValue('Underskriften kom efter 20 dagar.');
  await reviewer.waitForLoadState('networkidle');

  await reviewer.getByRole('button', { name: 'Lämna in granskningen' }).click();
  await expect(reviewer.getByText('Granskningen är inlämnad och låst. Chefen kan öppna den igen.')).toBeVisible();
  await expect(again.getByRole('radio', { name: 'Ja' })).toBeDisabled();

  // The manager sees the submission and the results.
  await page.goto(roundUrl);
  const progress = page.getByRole('region', { name: 'Hur långt granskningen har kommit' });
  const row = progress.getByRole('row', { name: new RegExp(reviewerName) });
  await expect(row.getByRole('cell').nth(2)).toHaveText('1');
  await expect(page.getByRole('cell', { name: 'Inlämnad' }).first()).toBeVisible();
  const results = page.getByRole('region', { name: 'Resultat' });
  await expect(results.getByRole('heading', { name: /Hela enheten/ })).toBeVisible();
  const item = results.getByRole('table').first().getByRole('row', { name: /Genomförandeplanen är upprättad inom 14 dagar/ });
  // Partly on the first question of one period: counted under "Delvis".
  await expect(item.getByRole('cell').nth(1)).toHaveText(/^1 \(\d+ %\)$/);
  await expect(results.getByRole('link', { name: 'Ladda ner resultatet som CSV' })).toHaveAttribute('download', `aktgranskning-${year}.csv`);

  // The manager reopens the submitted review: a blank reason is refused at the field;
  // with one, the review is open again and the row says why.
  const submittedRow = page.getByRole('region', { name: 'Akter och granskare' }).getByRole('row')
    .filter({ has: page.locator('summary', { hasText: 'Öppna igen' }) }).first();
  const reopenClient = (await submittedRow.getByRole('cell').first().innerText()).trim();
  const reopenRow = page.getByRole('region', { name: 'Akter och granskare' }).getByRole('row')
    .filter({ has: page.getByRole('cell', { name: reopenClient, exact: true }) }).first();
  await page.waitForLoadState('networkidle');
  await reopenRow.locator('summary', { hasText: 'Öppna igen' }).click();
  const reopenReason = reopenRow.getByRole('textbox', { name: /^Motivering/ });
  await reopenReason.fill('   ');
  await reopenRow.getByRole('button', { name: 'Öppna granskningen igen' }).click();
  await expectRefused(reopenReason, 'Fältet måste fyllas i.');
  await expectAccessible(page);
  await reopenReason.fill('Fråga 1 behöver en kommentar om underskriften.');
  await reopenRow.getByRole('button', { name: 'Öppna granskningen igen' }).click();
  await expect(reopenRow.getByText('Öppnad igen: Fråga 1 behöver en kommentar om underskriften.')).toBeVisible();
  await expect(reopenRow.locator('summary', { hasText: 'Öppna igen' })).toHaveCount(0);

  // The reviewer finds it open, answers kept, and hands it in again (audit4's findings
  // are this review's).
  await reviewer.reload();
  await expect(again.getByRole('radio', { name: 'Delvis' })).toBeChecked();
  await expect(again.getByRole('radio', { name: 'Ja' })).toBeEnabled();
  await reviewer.waitForLoadState('networkidle');
  await reviewer.getByRole('button', { name: 'Lämna in granskningen' }).click();
  await expect(reviewer.getByText('Granskningen är inlämnad och låst. Chefen kan öppna den igen.')).toBeVisible();
  await page.reload();
  await expect(reopenRow.locator('summary', { hasText: 'Öppna igen' })).toBeVisible();
});

/** The field's refusal: the sentence is its accessible description, and it is marked invalid. */
async function expectRefused(field: Locator, sentence: string) {
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(new RegExp(sentence.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
}
