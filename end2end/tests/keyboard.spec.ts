import { Locator, Page } from '@playwright/test';
import { test, expect, logIn } from './helpers';

// The journal and the plan by keyboard alone: every field is reached with Tab, typed
// into, and every button pressed with Enter or Space. No mouse click after logging in.

/** Presses Tab until `target` has focus (fails if it never gets it). */
async function tabTo(page: Page, target: Locator, max = 400) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`never reached by Tab: ${target}`);
}

/** The first of the user's files with a plan in force, opened by keyboard. */
async function openFileWithPlan(page: Page) {
  const links = page.getByRole('region', { name: 'Mina akter' }).getByRole('table').getByRole('link');
  await expect(links.first()).toBeVisible();
  const count = await links.count();
  for (let i = 0; i < count; i++) {
    await page.goto('/');
    await tabTo(page, links.nth(i));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Journal', level: 2 })).toBeVisible();
    if ((await page.getByText('(gäller nu)').count()) > 0) return;
  }
  throw new Error('no file with a plan in force');
}

const editor = (page: Page) => page.getByRole('region', { name: 'Ny journalanteckning' });

test('write, sign and correct a journal entry by keyboard alone', async ({ page }) => {
  await logIn(page, 'karin');
  await openFileWithPlan(page);
  await page.waitForLoadState('networkidle');

  const text = `Skrivet med tangentbordet ${Date.now()}`;
  const body = editor(page).getByLabel('Text', { exact: true });
  await tabTo(page, body);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  await expect(page.getByRole('status').filter({ hasText: /Utkastet är sparat/ })).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Signera', exact: true }));
  await page.keyboard.press('Enter');
  const done = page.getByRole('status').filter({ hasText: 'Anteckningen är signerad' });
  await expect(done).toBeVisible();
  await expect(done).toBeFocused();

  const signed = page.getByRole('article').filter({ hasText: text });
  await expect(signed).toBeVisible();
  await tabTo(page, signed.getByText('Rätta', { exact: true }));
  await page.keyboard.press('Enter');
  await tabTo(page, signed.getByLabel('Rättad text'));
  await page.keyboard.press('Control+A');
  await page.keyboard.type(`${text}, rättad.`);
  await tabTo(page, signed.getByLabel('Skäl till rättelsen'));
  await page.keyboard.type('Skrivfel');
  await tabTo(page, signed.getByRole('button', { name: 'Signera rättelsen' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('article').filter({ hasText: 'Rättad – se senare anteckning' }).first()).toContainText(text);
  // Focus is on the correction, the new entry.
  await expect(page.getByRole('article').filter({ hasText: `${text}, rättad.` })).toBeFocused();
});

test('revise the plan, add a goal and record the signature by keyboard alone', async ({ page }) => {
  // Tab through a long page, one key at a time.
  test.setTimeout(180_000);
  await logIn(page, 'lena');
  await openFileWithPlan(page);
  await tabTo(page, page.getByRole('link', { name: 'Genomförandeplan och checklista' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: /^Genomförandeplan – / })).toBeVisible();
  await page.waitForLoadState('networkidle');

  const revise = page.getByRole('region', { name: 'Revidera planen' });
  if ((await revise.count()) > 0) {
    await tabTo(page, revise.getByLabel('Orsak till revideringen'));
    await page.keyboard.type('Uppföljning, ny inriktning');
    await tabTo(page, revise.getByRole('button', { name: 'Revidera planen' }));
    await page.keyboard.press('Enter');
  }
  const draft = page.getByRole('article').filter({ hasText: 'Utkast – inte signerad av klienten' });
  await expect(draft).toBeVisible();

  await tabTo(page, draft.getByText('Lägg till mål', { exact: true }));
  await page.keyboard.press('Enter');
  const title = `Arbete eller studier ${Date.now()}`;
  await tabTo(page, draft.getByLabel('Mål', { exact: true }).last());
  await page.keyboard.type(title);
  await tabTo(page, draft.getByLabel('Vad ska göras').last());
  await page.keyboard.type('Kontakta arbetsförmedlingen');
  await tabTo(page, draft.getByLabel('Vem gör det').last());
  await page.keyboard.type('Klienten');
  await tabTo(page, draft.getByRole('button', { name: 'Spara målet' }).last());
  await page.keyboard.press('Enter');
  await expect(draft.getByText(title).first()).toBeVisible();

  await tabTo(page, draft.getByLabel('Klientens synpunkter och delaktighet'));
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Klienten vill komma igång med arbete.');
  await tabTo(page, draft.getByRole('button', { name: 'Spara', exact: true }));
  await page.keyboard.press('Enter');
  await expect(draft.getByRole('status').filter({ hasText: 'Sparat.' })).toBeVisible();
  // The signature's radio group: Tab enters it, Space chooses.
  const method = draft.getByRole('radio').first();
  await tabTo(page, method);
  await page.keyboard.press('Space');
  await expect(method).toBeChecked();
  await tabTo(page, draft.getByRole('button', { name: 'Registrera underskrift' }));
  await page.keyboard.press('Enter');
  const inForce = page.getByRole('article').filter({ hasText: title }).first();
  await expect(inForce.getByText('Gäller', { exact: true })).toBeVisible();
});
