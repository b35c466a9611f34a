import { Locator, Page } from '@playwright/test';
import { test, expect, expectAccessible, logIn, PASSWORD } from './helpers';

// Each kind of bad input a form lets through and the server refuses, form by form:
// the sentence is at the field (tied to it with aria-describedby), the page stays
// accessible in its error state, and nothing is stored. Maria Ek is used by no other
// spec, so her files can take the one change these tests make (a plan draft).

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The field's refusal: the sentence is its accessible description, and it is marked invalid. */
async function expectRefused(field: Locator, sentence: string | RegExp) {
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(typeof sentence === 'string' ? new RegExp(escape(sentence)) : sentence);
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Maria's files, from her start page. */
async function marias(page: Page): Promise<string[]> {
  await page.goto('/');
  const links = page.getByRole('region', { name: 'Mina akter' }).getByRole('table').getByRole('link');
  await expect(links.first()).toBeVisible();
  const hrefs = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
  return hrefs.filter((h) => h.startsWith('/akter/'));
}

/** The first of Maria's files whose file page has `has`. */
async function fileWith(page: Page, has: (page: Page) => Locator): Promise<string> {
  for (const href of await marias(page)) {
    await page.goto(href);
    await expect(page.getByRole('heading', { name: 'Journal', level: 2 })).toBeVisible();
    await page.waitForLoadState('networkidle');
    if ((await has(page).count()) > 0) return href;
  }
  throw new Error('no such file');
}

test('a correction without a reason, or with a reason too long, is refused at the reason', async ({ page }) => {
  await logIn(page, 'maria');
  await fileWith(page, (p) => p.getByRole('article').filter({ has: p.getByText('Rätta', { exact: true }) }));
  const entry = page.getByRole('article').filter({ has: page.getByText('Rätta', { exact: true }) }).first();
  const heading = (await entry.getByRole('heading').textContent()) ?? '';
  await entry.getByText('Rätta', { exact: true }).click();
  await entry.getByLabel('Rättad text').fill('En rättad text.');
  await entry.getByRole('button', { name: 'Signera rättelsen' }).click();
  const reason = entry.getByLabel('Skäl till rättelsen');
  await expectRefused(reason, 'Fältet måste fyllas i.');
  await expectAccessible(page);

  await reason.fill('x'.repeat(501));
  await entry.getByRole('button', { name: 'Signera rättelsen' }).click();
  await expectRefused(reason, 'Texten är för lång (högst 500 tecken).');
  await expect(entry.getByLabel('Rättad text')).toHaveValue('En rättad text.');

  // Nothing was stored: the entry is not marked as corrected.
  await page.reload();
  const again = page.getByRole('article').filter({ has: page.getByRole('heading', { name: heading, exact: true }) }).first();
  await expect(again.getByText('Rätta', { exact: true })).toBeVisible();
  await expect(again.getByText('Rättad – se senare anteckning')).toHaveCount(0);
});

test('the plan: a revision, a goal and the signature each refuse bad input at the field', async ({ page }) => {
  test.setTimeout(120_000);
  await logIn(page, 'maria');
  const file = await fileWith(page, (p) => p.getByText('(gäller nu)'));
  await page.goto(`${file}/plan`);
  await expect(page.getByRole('heading', { name: /^Genomförandeplan – / })).toBeVisible();
  await page.waitForLoadState('networkidle');

  // A revision: a reason is required, and it may start at most 30 days ahead.
  const revise = page.getByRole('region', { name: 'Revidera planen' });
  if ((await revise.count()) > 0) {
    await revise.getByLabel('Orsak till revideringen').fill('   ');
    await revise.getByRole('button', { name: 'Revidera planen' }).click();
    await expectRefused(revise.getByLabel('Orsak till revideringen'), 'Fältet måste fyllas i.');
    await revise.getByLabel('Orsak till revideringen').fill('Uppföljning: nytt delmål');
    await revise.getByLabel('Gäller från').fill(inDays(40));
    await revise.getByRole('button', { name: 'Revidera planen' }).click();
    await expectRefused(revise.getByLabel('Gäller från'), 'Datumet får ligga högst 30 dagar fram i tiden.');
    await expectAccessible(page);
    await expect(page.getByRole('article').filter({ hasText: 'Utkast – inte signerad av klienten' })).toHaveCount(0);
    // A good one: the draft to work in.
    await revise.getByLabel('Gäller från').fill(inDays(0));
    await revise.getByRole('button', { name: 'Revidera planen' }).click();
  }
  const draft = page.getByRole('article').filter({ hasText: 'Utkast – inte signerad av klienten' });
  await expect(draft).toBeVisible();

  // A goal without a title, due before the plan starts.
  await draft.getByText('Lägg till mål', { exact: true }).click();
  const goal = draft.locator('details.add-goal');
  await goal.getByLabel('Mål', { exact: true }).fill('   ');
  await goal.getByLabel('Vad ska göras').fill('Kontakta arbetsförmedlingen');
  await goal.getByLabel('Vem gör det').fill('Klienten');
  await goal.getByLabel('När (senast)').fill('2001-01-01');
  await goal.getByRole('button', { name: 'Spara målet' }).click();
  await expectRefused(goal.getByLabel('Mål', { exact: true }), 'Fältet måste fyllas i.');
  await expectRefused(goal.getByLabel('När (senast)'), 'Datumet ligger före planens startdatum eller underskrift.');
  await expectAccessible(page);

  // The signature: not on a day ahead.
  const sign = draft.getByRole('region', { name: 'Klientens underskrift' });
  await sign.getByLabel('Datum för underskrift').fill(inDays(2));
  await sign.getByRole('button', { name: 'Registrera underskrift' }).click();
  await expectRefused(sign.getByLabel('Datum för underskrift'), 'Datumet ligger i framtiden.');

  // Nor without the client's view: the summary names it and links to its field.
  const view = draft.getByLabel('Klientens synpunkter och delaktighet');
  await view.fill('');
  await draft.getByRole('button', { name: 'Spara', exact: true }).click();
  await expect(draft.getByRole('status').filter({ hasText: 'Sparat.' })).toBeVisible();
  await sign.getByLabel('Datum för underskrift').fill(inDays(0));
  await sign.getByRole('button', { name: 'Registrera underskrift' }).click();
  const link = sign.getByRole('alert').getByRole('link', { name: 'Skriv klientens synpunkter och delaktighet innan planen signeras.' });
  await expect(link).toBeVisible();
  await link.click();
  await expect(view).toBeFocused();
  await page.reload();
  await expect(page.getByRole('article').filter({ hasText: 'Utkast – inte signerad av klienten' })).toBeVisible();
});

test('a new file ending before it starts, or with a bad e-mail address, is refused at those fields', async ({ page }) => {
  await logIn(page, 'maria');
  await page.goto('/klienter/ny');
  await expect(page.getByRole('heading', { name: 'Ny klient och akt', level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Förnamn').fill('Ulla');
  await page.getByLabel('Efternamn').fill('Felsson');
  await page.getByLabel('Personnummer eller samordningsnummer').fill('19121212-1212');
  await page.getByLabel('Uppdraget kom in').fill('2026-11-02');
  await page.getByLabel('Datum för biståndsbeslutet').fill('2026-10-28');
  await page.getByLabel('Socialsekreterare', { exact: true }).fill('Siv Sekreterare');
  await page.getByLabel('Socialsekreterarens enhet').fill('Vuxenenheten');
  // The browser takes this as an e-mail address; the server wants a domain with a dot.
  await page.getByLabel('Socialsekreterarens e-post (frivilligt)').fill('namn@kommun');
  await page.getByLabel('Insats', { exact: true }).selectOption({ label: 'Individuell behandling' });
  await page.getByLabel('Beviljad insats enligt beslutet').fill('Samtal varje vecka');
  await page.getByLabel('Insatsen gäller från').fill('2026-11-09');
  await page.getByLabel('Insatsen gäller till (frivilligt)').fill('2026-11-01');
  await page.getByRole('button', { name: 'Registrera och öppna akten' }).click();

  await expectRefused(page.getByLabel('Insatsen gäller till (frivilligt)'), 'Slutdatumet ligger före startdatumet.');
  await expectRefused(page.getByLabel('Socialsekreterarens e-post (frivilligt)'), 'Skriv en giltig e-postadress, t.ex. namn@kommun.se.');
  await expect(page).toHaveURL(/\/klienter\/ny$/);
  await expectAccessible(page);

  await page.goto('/klienter');
  await page.getByRole('searchbox', { name: 'Namn eller person-/samordningsnummer' }).fill('Felsson');
  await page.getByRole('button', { name: 'Sök' }).click();
  await expect(page.getByText('Inga akter matchar sökningen.')).toBeVisible();
});

test('a follow-up documented as held tomorrow is refused at the date', async ({ page }) => {
  await logIn(page, 'maria');
  let found = false;
  for (const href of await marias(page)) {
    await page.goto(`${href}/uppfoljningar`);
    await expect(page.getByRole('heading', { name: /^Uppföljningar/, level: 1 })).toBeVisible();
    await page.waitForLoadState('networkidle');
    if ((await page.getByRole('region', { name: 'Dokumentera uppföljningen' }).count()) > 0) {
      found = true;
      break;
    }
  }
  expect(found, 'a file of Maria’s with a follow-up booked').toBe(true);
  const form = page.getByRole('region', { name: 'Dokumentera uppföljningen' });
  const held = form.getByLabel('Datum då uppföljningen hölls');
  await held.fill(inDays(1));
  await form.getByLabel('Deltagare').fill('Klienten och Maria');
  await form.getByLabel('Resultat av uppföljningen').fill('Målen gäller som förut.');
  await form.getByRole('radio').last().check();
  await form.getByRole('button', { name: 'Spara och signera i journalen' }).click();
  await expectRefused(held, 'Datumet ligger i framtiden.');
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByRole('region', { name: 'Dokumentera uppföljningen' })).toBeVisible();
});

test('a client’s deviation closed without the action taken is refused at the field', async ({ page }) => {
  await logIn(page, 'chef');
  await page.goto('/avvikelser?status=open&typ=client');
  const link = page.getByRole('table', { name: 'Avvikelser, den senaste först' }).getByRole('link', { name: /Klienten avvek/ }).first();
  await expect(link).toBeVisible();
  await link.click();
  await expect(page.getByRole('heading', { name: /^Avvikelse – / })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expectAccessible(page);
  const form = page.getByRole('region', { name: 'Stäng avvikelsen' });
  await form.getByLabel('Vidtagen åtgärd').fill('   ');
  await form.getByRole('button', { name: 'Stäng avvikelsen' }).click();
  await expectRefused(form.getByLabel('Vidtagen åtgärd'), 'Fältet måste fyllas i.');
  await expectAccessible(page);
  await page.reload();
  await expect(page.locator('dl.facts')).toContainText('Öppen');
});

test('a password change with a wrong current password, or two different new ones, is refused at the field', async ({ page }) => {
  await logIn(page, 'maria');
  await page.goto('/byt-losenord');
  await expect(page.getByRole('heading', { name: 'Byt lösenord', level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expectAccessible(page);
  const current = page.getByLabel('Nuvarande lösenord');
  const fresh = page.getByLabel('Nytt lösenord', { exact: true });
  const again = page.getByLabel('Nytt lösenord igen');
  await current.fill('inte-mitt-losenord');
  await fresh.fill('tre ord i rad som ingen gissar');
  await again.fill('tre ord i rad som ingen gissar');
  await page.getByRole('button', { name: 'Byt lösenord' }).click();
  await expectRefused(current, 'Det nuvarande lösenordet stämmer inte.');

  await current.fill(PASSWORD);
  await again.fill('tre ord i rad som någon gissar');
  await page.getByRole('button', { name: 'Byt lösenord' }).click();
  await expectRefused(again, 'Lösenorden är inte likadana. Skriv samma nya lösenord två gånger.');
  await expectAccessible(page);

  // The password is unchanged: she logs in with it again.
  await page.context().clearCookies();
  await logIn(page, 'maria');
});

test('the administrator’s new password for someone is refused at the field when it is a common one', async ({ page }) => {
  await logIn(page, 'admin');
  await page.goto('/admin/anvandare');
  await page.waitForLoadState('networkidle');
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'maria', exact: true }) });
  await row.getByText('Nytt lösenord', { exact: true }).click();
  const field = row.getByLabel('Nytt lösenord för maria');
  await field.fill('1234567890');
  await row.getByRole('button', { name: 'Spara lösenord' }).click();
  await expectRefused(field, /ett av de vanligaste lösenorden/);
  await expectAccessible(page);
  // The refusal is maria's: another account's reset form, opened, is clean.
  const other = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'chef', exact: true }) });
  await other.getByText('Nytt lösenord', { exact: true }).click();
  const otherField = other.getByLabel('Nytt lösenord för chef');
  await expect(otherField).toBeVisible();
  await expect(otherField).not.toHaveAttribute('aria-invalid', 'true');
  await expect(other.getByRole('alert')).toHaveCount(0);
  await page.context().clearCookies();
  await logIn(page, 'maria');
});
