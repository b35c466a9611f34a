import { Page, Browser } from '@playwright/test';
import { test, expect } from './helpers';
import { logIn, USERNAMES } from './helpers';

// The reviewer's workbench (issue 15): one plan period per screen at 1280×900, the plan,
// the period's journal and the checklist all in view; answering by keyboard alone;
// choosing a goal narrows the entries; an incomplete submit names what is missing.

const year = new Date().getFullYear();
const viewport = { width: 1280, height: 900 };

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

async function newPage(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', viewport });
  const page = await context.newPage();
  await logIn(page, username);
  return page;
}

/** This year's round, published: the one audit.spec.ts opened (specs run in name order), or a new one. */
async function thisYearsRound(page: Page) {
  await logIn(page, 'chef');
  await page.goto('/granskning');
  await page.waitForLoadState('networkidle');
  const link = page.getByRole('link', { name: `Aktgranskning ${year}`, exact: true });
  if (await link.count() > 0) {
    await link.first().click();
    await expect(page.getByRole('heading', { name: `Aktgranskning ${year}`, level: 1 })).toBeVisible();
    return;
  }
  const form = page.getByRole('region', { name: 'Öppna en granskningsomgång' });
  const due = new Date();
  due.setDate(due.getDate() + 30);
  await form.getByLabel('Granskningen ska vara klar senast').fill(isoDate(due));
  await form.getByRole('button', { name: 'Öppna omgången och lotta akterna' }).click();
  await expect(page.getByRole('heading', { name: 'Utkast till lottning' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'Publicera' }).click();
  await expect(page.getByText('Pågår', { exact: true })).toBeVisible();
}

test('the workbench: plan, journal and checklist in view, keyboard answers, goals narrow the entries', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await thisYearsRound(page);

  // A review nobody has started, of a file with a plan (files without one are in the
  // round too, with "the year without a plan" as their period): its reviewer and client.
  const rows = page.getByRole('region', { name: 'Akter och granskare' }).getByRole('row').filter({ hasText: 'Inte påbörjad' });
  await expect(rows.first()).toBeVisible();
  let reviewer: Page | null = null;
  const candidates = Math.min(await rows.count(), 12);
  for (let i = 0; i < candidates && !reviewer; i++) {
    const row = rows.nth(i);
    const client = (await row.getByRole('cell').nth(0).textContent())?.trim() ?? '';
    const reviewerName = (await row.getByRole('cell').nth(2).textContent())?.replace(/samma som förra året.*|andra granskning.*/, '').trim() ?? '';
    const username = USERNAMES[reviewerName];
    expect(username, `reviewer ${reviewerName}`).toBeTruthy();
    const candidate = await newPage(browser, username);
    await candidate.goto('/granskning');
    await candidate.getByRole('region', { name: 'Mina granskningar' }).getByRole('link', { name: client }).first().click();
    await expect(candidate.getByRole('heading', { name: new RegExp(`Aktgranskning ${year}`), level: 1 })).toBeVisible();
    await candidate.waitForLoadState('networkidle');
    if ((await candidate.getByText(/Ingen plan gällde under året/).count()) === 0
        && (await candidate.getByRole('region', { name: 'Genomförandeplanen' }).count()) > 0) {
      reviewer = candidate;
    } else {
      await candidate.context().close();
    }
  }
  if (!reviewer) throw new Error('no unstarted review of a file with a plan');

  // All three panes at once, without scrolling the page.
  const plan = reviewer.getByRole('region', { name: 'Genomförandeplanen' });
  const journal = reviewer.getByRole('region', { name: 'Journalanteckningar i perioden' });
  const checklist = reviewer.getByRole('region', { name: /^Checklista/ });
  const firstQuestion = checklist.getByRole('group', { name: /^Fråga 1: / });
  const firstGoal = plan.getByRole('listitem').first();
  const firstEntry = journal.getByRole('listitem').filter({ has: reviewer.locator('.entry-body') }).first();
  await expect(firstQuestion).toBeInViewport();
  await expect(firstGoal).toBeInViewport();
  await expect(firstEntry).toBeInViewport();
  expect(await reviewer.evaluate(() => window.scrollY)).toBe(0);
  // The checklist stays in view: its pane ends inside the window.
  const box = await checklist.boundingBox();
  expect(box && box.y + box.height).toBeLessThanOrEqual(viewport.height);

  // Goals no entry mentions and weeks without entries are shown.
  await expect(journal.getByText(/^(Mål som ingen anteckning i perioden är kopplad till:|Varje mål har minst en kopplad anteckning\.)$/)).toBeVisible();
  await expect(journal.getByText(/^(Kalenderveckor \(måndag–söndag\) utan en anteckning signerad samma vecka:|Varje kalendervecka har en anteckning signerad samma vecka\.)$/)).toBeVisible();

  // Choosing a goal with entries narrows the journal to them.
  const entries = journal.locator('li.entry:visible');
  const all = await entries.count();
  const goalWithEntries = plan.getByRole('listitem').filter({ hasNotText: 'ingen anteckning i perioden' }).getByRole('button').first();
  if (await goalWithEntries.count() > 0) {
    const title = (await goalWithEntries.textContent())?.trim() ?? '';
    await goalWithEntries.click();
    await expect(goalWithEntries).toHaveAttribute('aria-pressed', 'true');
    await expect(journal.getByText(new RegExp(`^\\d+ av ${all} anteckningar är kopplade till målet ”`))).toBeVisible();
    const shown = await entries.count();
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(all);
    for (let i = 0; i < shown; i++) {
      await expect(entries.nth(i).locator('.entry-goals')).toContainText(title);
    }
    await journal.getByRole('button', { name: 'Visa alla anteckningar' }).click();
    await expect(entries).toHaveCount(all);
  }

  // Submitting too early names each missing question and links to it.
  await reviewer.getByRole('button', { name: 'Lämna in granskningen' }).click();
  const summary = reviewer.getByRole('alert');
  await expect(summary.getByText(/^Granskningen kan inte lämnas in än: \d+ frågor är inte besvarade\.$/)).toBeVisible();
  const firstMissing = summary.getByRole('link', { name: /^Planperiod \d+, fråga 1: / }).first();
  await expect(firstMissing).toBeVisible();
  await expect(summary.getByRole('link', { name: /^Planperiod \d+: den sammantagna bedömningen$/ }).first()).toBeVisible();
  await firstMissing.click();
  await expect(firstQuestion.getByRole('radio', { name: 'Ja' })).toBeFocused();

  // Every question of every period by keyboard alone: Space answers the focused
  // radio group, Tab goes to its comment and on to the next question; "Nästa period"
  // moves the focus into the next period's checklist.
  const progress = reviewer.getByText(/^\d+ av \d+ besvarade$/).first();
  const total = Number((await progress.textContent())?.match(/av (\d+)/)?.[1]);
  const steps = await reviewer.getByRole('navigation', { name: 'Planperioder' }).getByRole('button').count();
  for (let period = 0; period < steps; period++) {
    const active = reviewer.getByRole('region', { name: /^Checklista/ });
    // The questions' fieldsets (the folded "last review" above them is a group too).
    const groups = await active.locator('fieldset').count();
    for (let g = 0; g < groups; g++) {
      await expect(reviewer.locator(':focus')).toHaveAttribute('type', 'radio');
      await reviewer.keyboard.press('Space');
      await reviewer.keyboard.press('Tab');
      await reviewer.keyboard.press('Tab');
    }
    if (period + 1 < steps) {
      // Past the previous-period button, if there is one, to the next.
      const next = active.getByRole('button', { name: 'Nästa period →' });
      for (let i = 0; i < 3 && !(await next.evaluate((el) => el === document.activeElement)); i++) {
        await reviewer.keyboard.press('Tab');
      }
      await expect(next).toBeFocused();
      await reviewer.keyboard.press('Enter');
      await expect(reviewer.getByRole('region', { name: /^Checklista/ }).getByRole('heading')).toBeFocused();
      // To the first question, past last year's review of the file (a folded summary)
      // when the drawn file had one.
      await reviewer.keyboard.press('Tab');
      if ((await reviewer.evaluate(() => document.activeElement?.tagName)) === 'SUMMARY') {
        await reviewer.keyboard.press('Tab');
      }
    }
  }
  await expect(reviewer.getByText(`${total} av ${total} besvarade`, { exact: true }).first()).toBeVisible();
  await expect(reviewer.getByText(/^Sparat \d\d:\d\d$/)).toBeVisible();
  await reviewer.waitForLoadState('networkidle');

  // Autosave: after a reload every answer is there, and the review can be submitted.
  await reviewer.reload();
  await expect(reviewer.getByText(`${total} av ${total} besvarade`, { exact: true }).first()).toBeVisible();
  await reviewer.waitForLoadState('networkidle');
  await reviewer.getByRole('button', { name: 'Lämna in granskningen' }).click();
  await expect(reviewer.getByText('Granskningen är inlämnad och låst. Chefen kan öppna den igen.')).toBeVisible();
});

test('closing a round asks first, naming the unsubmitted reviews; the manager reopens it', async ({ page }) => {
  test.setTimeout(120_000);
  await thisYearsRound(page);
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'Avsluta omgången' }).click();
  const confirm = page.getByRole('region', { name: 'Avsluta omgången?' });
  await expect(confirm.getByText(/^\d+ av \d+ granskningar är inte inlämnade?\. När omgången är avslutad/)).toBeVisible();
  await expect(confirm.getByRole('listitem').first()).toContainText(' – granskare ');
  await expect(confirm.getByText('Du kan öppna omgången igen inom 14 dagar.')).toBeVisible();
  // Cancel: nothing happened.
  await confirm.getByRole('button', { name: 'Avbryt' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByText('Pågår', { exact: true })).toBeVisible();
  // Close, then reopen.
  await page.getByRole('button', { name: 'Avsluta omgången' }).click();
  await page.getByRole('button', { name: 'Ja, avsluta omgången' }).click();
  await expect(page.getByText('Avslutad', { exact: true })).toBeVisible();
  const reopen = page.getByRole('region', { name: 'Öppna omgången igen' });
  await expect(reopen.getByText(/^Omgången är avslutad\. Du kan öppna den igen till och med \d{4}-\d\d-\d\d/)).toBeVisible();
  await reopen.getByRole('button', { name: 'Öppna omgången igen' }).click();
  await expect(page.getByText('Pågår', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Avsluta omgången' })).toBeVisible();
});

// Issue 14, item 9: the reviewer's access ends at the due date; the manager may give
// one review more time, and a day that cannot be is refused at its field.
test('a manager gives one review more time; a bad day is refused at its field', async ({ page }) => {
  test.setTimeout(120_000);
  await thisYearsRound(page);
  await page.waitForLoadState('networkidle');
  const lead = await page.locator('p.lead').first().innerText();
  const due = lead.match(/klar senast (\d{4}-\d\d-\d\d)/)?.[1];
  expect(due, lead).toBeTruthy();
  const open = page.getByRole('row').filter({ has: page.getByText('Ge mer tid') }).filter({ hasNotText: 'Skyddad identitet' });
  const client = (await open.first().getByRole('cell').first().innerText()).trim();
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: client, exact: true }) }).first();
  await row.locator('summary', { hasText: 'Ge mer tid' }).click();
  const field = row.getByLabel(`Mer tid till och med – ${client}`);
  await expect(field).toBeVisible();

  const yesterday = new Date();
  yesterday.setDate(yesterday.getDate() - 1);
  await field.fill(isoDate(yesterday));
  await row.getByRole('button', { name: 'Ge mer tid' }).click();
  // The message stands at the field (and in the form's summary above it).
  await expect(row.locator('[id$="until-error"]')).toHaveText('Datumet har redan passerat.');

  const later = new Date(`${due}T12:00:00Z`);
  later.setUTCDate(later.getUTCDate() + 10);
  await field.fill(isoDate(later));
  await row.getByRole('button', { name: 'Ge mer tid' }).click();
  await expect(row.getByText(`Mer tid till ${isoDate(later)}`)).toBeVisible();
  await expect(row.locator('[id$="until-error"]')).toHaveCount(0);
});

// Issue 15, part 3: "Påminn" reaches the reviewer on every page until they open their
// reviews; their start page lists the reviews they owe.
test('a manager reminds a reviewer: the reminder shows on every page until the reviews are opened', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await thisYearsRound(page);
  await page.waitForLoadState('networkidle');
  const button = page.getByRole('button', { name: /^Påminn / }).first();
  const name = ((await button.textContent()) ?? '').replace('Påminn', '').trim();
  expect(USERNAMES[name], name).toBeTruthy();
  await button.click();
  await expect(page.getByRole('status').filter({ hasText: 'Påminnelsen är skickad.' })).toBeVisible();
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
  await expect(row).toContainText('inte öppnad än');

  const reviewer = await newPage(browser, USERNAMES[name]);
  const banner = reviewer.getByRole('complementary', { name: 'Påminnelser' });
  await expect(banner).toContainText(/Påminnelse från Eva Holm \(\d{4}-\d\d-\d\d\): du har (en granskning|\d+ granskningar) kvar i aktgranskning \d{4}/);
  await expect(reviewer.getByRole('heading', { name: 'Mina granskningar' })).toBeVisible();
  await reviewer.goto('/klienter');
  await expect(banner).toBeVisible();
  await banner.getByRole('link', { name: 'Till mina granskningar' }).click();
  await expect(reviewer.getByRole('heading', { name: 'Aktgranskning', level: 1 })).toBeVisible();
  await reviewer.waitForLoadState('networkidle');
  await reviewer.goto('/klienter');
  await expect(reviewer.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(banner).toHaveCount(0);
  await reviewer.context().close();

  await page.reload();
  await expect(row).toContainText('öppnad');
  await expect(row).not.toContainText('inte öppnad');
});

// Issue 13, item 5: a file without a plan in the year is answered for "the year without
// a plan", its journal beside the checklist, and the answer is kept.
test('a file without a plan is reviewed for the year without a plan', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await thisYearsRound(page);
  const rows = page.getByRole('region', { name: 'Akter och granskare' }).getByRole('row').filter({ hasText: 'Inte påbörjad' });
  await expect(rows.first()).toBeVisible();
  let reviewer: Page | null = null;
  const candidates = Math.min(await rows.count(), 40);
  for (let i = 0; i < candidates && !reviewer; i++) {
    const row = rows.nth(i);
    const client = (await row.getByRole('cell').nth(0).textContent())?.trim() ?? '';
    const reviewerName = (await row.getByRole('cell').nth(2).textContent())?.replace(/samma som förra året.*|andra granskning.*|Mer tid till.*/, '').trim() ?? '';
    const username = USERNAMES[reviewerName];
    if (!username) continue;
    const candidate = await newPage(browser, username);
    await candidate.goto('/granskning');
    const link = candidate.getByRole('region', { name: 'Mina granskningar' }).getByRole('link', { name: client }).first();
    if (await link.count() === 0) { await candidate.context().close(); continue; }
    await link.click();
    await expect(candidate.getByRole('heading', { name: new RegExp(`Aktgranskning ${year}`), level: 1 })).toBeVisible();
    await candidate.waitForLoadState('networkidle');
    if (await candidate.getByText(/Ingen plan gällde under året/).count() > 0) {
      reviewer = candidate;
    } else {
      await candidate.context().close();
    }
  }
  if (!reviewer) throw new Error('no unstarted review of a file without a plan');
  await expect(reviewer.getByRole('heading', { name: /^Året utan plan: \d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d/ })).toBeVisible();
  const checklist = reviewer.getByRole('region', { name: /^Checklista/ });
  const first = checklist.getByRole('group', { name: /^Fråga 1: / });
  await first.getByRole('radio', { name: 'Nej' }).check();
  await expect(reviewer.getByText(/^1 av \d+ besvarade$/).first()).toBeVisible();
  await reviewer.waitForLoadState('networkidle');
  await reviewer.reload();
  await expect(checklist.getByRole('group', { name: /^Fråga 1: / }).getByRole('radio', { name: 'Nej' })).toBeChecked();
  // Submitting now names what is left, by the year without a plan.
  await reviewer.getByRole('button', { name: 'Lämna in granskningen' }).click();
  await expect(reviewer.getByRole('alert').getByRole('link', { name: /^Året utan plan, fråga 2: / }).first()).toBeVisible();
  await reviewer.context().close();
});
