import { Page } from '@playwright/test';
import { test, expect } from './helpers';
import { logIn } from './helpers';

/** Opens one of the user's files that has a plan in force (and, if asked, no
 *  co-workers); returns its address. */
async function openFileWithPlan(page: Page, withoutCoWorkers = false): Promise<string> {
  // The file list, not the due list above it.
  const files = () => page.getByRole('region', { name: 'Mina akter' }).getByRole('table').getByRole('link');
  // The list arrives after the page: count its links once they are there.
  await expect(files().first()).toBeVisible();
  const count = await files().count();
  for (let i = 0; i < count; i++) {
    await page.goto('/');
    await files().nth(i).click();
    await expect(page.getByRole('heading', { name: 'Journal', level: 2 })).toBeVisible();
    const inForce = (await page.getByText('(gäller nu)').count()) > 0;
    const alone = (await page.locator('dl.facts div').filter({ hasText: 'Medbehandlare' }).locator('dd').textContent()) === '—';
    if (inForce && (!withoutCoWorkers || alone)) {
      return page.url();
    }
  }
  throw new Error('no such file');
}

const editor = (page: Page) => page.getByRole('region', { name: 'Ny journalanteckning' });
const filters = (page: Page) => page.getByRole('form', { name: 'Visa' });

test('a contact person reads the journal beside the plan, writes, signs and corrects an entry', async ({ page }) => {
  await logIn(page, 'sara');
  const url = await openFileWithPlan(page);

  // The file: who, what, the plan periods with goals, and the journal newest first.
  await expect(page.getByRole('heading', { name: 'Genomförandeplan' })).toBeVisible();
  await expect(page.getByText('Huvudbehandlare', { exact: true })).toBeVisible();
  const entries = page.getByRole('article');
  await expect(entries.first()).toBeVisible();
  await expect(entries.first()).toContainText('Planperiod');
  await expect(page.getByText(/Visar 1–\d+ av \d+/)).toBeVisible();

  // The rule for entries is shown as help.
  await expect(page.getByText(/Skriv kortfattat och sakligt/)).toBeVisible();

  // Write: the draft saves itself.
  await editor(page).getByLabel('Kategori').selectOption('event');
  const goals = editor(page).getByRole('group', { name: 'Mål som anteckningen gäller' }).getByRole('checkbox');
  await goals.first().check();
  const text = `Klienten har betalat hyran i tid. Test ${Date.now()}`;
  await editor(page).getByLabel('Text', { exact: true }).fill(text);
  await expect(page.getByRole('status').filter({ hasText: /Utkastet är sparat/ })).toBeVisible();

  // Nothing is lost on reload: the editor opens on the draft, where it was left.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Dina utkast' })).toBeVisible();
  await expect(editor(page).getByLabel('Text', { exact: true })).toHaveValue(text);
  await expect(goals.first()).toBeChecked();
  await editor(page).getByRole('button', { name: 'Fortsätt skriva' }).first().click();
  await expect(editor(page).getByLabel('Text', { exact: true })).toHaveValue(text);

  // Sign: the entry is listed, with its goal, and can no longer be edited; focus
  // moves to the message that says so.
  await page.getByRole('button', { name: 'Signera', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Anteckningen är signerad' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Anteckningen är signerad' })).toBeFocused();
  const signed = page.getByRole('article').filter({ hasText: text });
  await expect(signed).toBeVisible();
  await expect(signed.getByRole('list', { name: 'Mål som anteckningen gäller' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Dina utkast' })).toHaveCount(0);

  // A correction is a new entry; the original stays, marked.
  await signed.getByText('Rätta', { exact: true }).click();
  await signed.getByLabel('Rättad text').fill(`${text} Rättelse: hyran betalades den 25:e.`);
  await signed.getByLabel('Skäl till rättelsen').fill('Fel datum i första anteckningen');
  await signed.getByRole('button', { name: 'Signera rättelsen' }).click();
  const original = page.getByRole('article').filter({ hasText: 'Rättad – se senare anteckning' });
  await expect(original).toContainText(text);
  const correction = page.getByRole('article').filter({ hasText: 'Rättelse av en tidigare anteckning' }).first();
  await expect(correction).toContainText('Fel datum i första anteckningen');

  // Filter by category.
  await filters(page).getByLabel('Kategori').selectOption('deviation');
  await filters(page).getByRole('button', { name: 'Visa' }).click();
  await expect(page).toHaveURL(/kategori=deviation/);
  const shown = page.getByRole('article');
  const n = await shown.count();
  for (let i = 0; i < n; i++) {
    await expect(shown.nth(i).getByRole('heading')).toContainText('Avvikelse från planen');
  }
  expect(url).toContain('/akter/');
});

test('bad input gets a clear message beside the field and nothing is signed', async ({ page }) => {
  await logIn(page, 'omar');
  await openFileWithPlan(page);
  const before = await page.getByText(/Visar 1–\d+ av (\d+)/).textContent();
  await editor(page).getByLabel('Text', { exact: true }).fill('   ');
  await page.getByRole('button', { name: 'Signera', exact: true }).click();
  await expect(page.getByText('Fältet måste fyllas i.')).toBeVisible();
  // Each sentence is the field's description, which a screen reader reads with it.
  await expect(editor(page).getByLabel('Text', { exact: true })).toHaveAccessibleDescription(/Fältet måste fyllas i\./);
  await editor(page).getByLabel('Händelsedatum').fill('2999-01-01');
  await editor(page).getByLabel('Text', { exact: true }).fill('Text');
  await page.getByRole('button', { name: 'Signera', exact: true }).click();
  await expect(page.getByText('Datumet ligger i framtiden.')).toBeVisible();
  await expect(editor(page).getByLabel('Händelsedatum')).toHaveAccessibleDescription(/Datumet ligger i framtiden\./);
  await page.reload();
  await expect(page.getByText(/Visar 1–\d+ av (\d+)/)).toHaveText(before ?? '');
});

test('a staff member outside the care team cannot open the file', async ({ page, browser }) => {
  await logIn(page, 'peter');
  const url = await openFileWithPlan(page, true);
  const other = await browser.newPage();
  await logIn(other, 'nils');
  await other.goto(url);
  await expect(other.getByRole('alert')).toContainText('Det du sökte finns inte.');
  await expect(other.getByRole('article')).toHaveCount(0);
  await other.close();
});

test('nothing typed is lost when the connection drops, even over a reload', async ({ page }) => {
  await logIn(page, 'lena');
  await openFileWithPlan(page);
  // The server cannot be reached for saves.
  await page.route('**/api/journal/save_draft', (route) => route.abort('internetdisconnected'));
  const text = `Skrivet utan anslutning ${Date.now()}`;
  await editor(page).getByLabel('Text', { exact: true }).fill(text);
  await expect(page.getByRole('status').filter({ hasText: /Inte sparat/ })).toBeVisible();
  // Reload while the text never reached the server: the browser kept it.
  await page.unroute('**/api/journal/save_draft');
  await page.reload();
  await expect(editor(page).getByLabel('Text', { exact: true })).toHaveValue(text);
  await expect(page.getByRole('status').filter({ hasText: /återställts/ })).toBeVisible();
  // ...and now it is saved as the author's draft.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Dina utkast' })).toBeVisible();
  await expect(page.getByText(text.slice(0, 40))).toBeVisible();
});

test('the contact person ticks the intake checklist, revises the plan, adds a goal and records the signature', async ({ page }) => {
  await logIn(page, 'johan');
  await openFileWithPlan(page);
  await page.getByRole('link', { name: 'Genomförandeplan och checklista' }).click();
  await expect(page.getByRole('heading', { name: /^Genomförandeplan – / })).toBeVisible();

  // Intake checklist: ticked, and who ticked it is shown.
  const point = page.getByRole('checkbox', { name: /Sekretess och tystnadsplikt/ });
  if (await point.isChecked()) {
    await point.uncheck();
    await expect(point).not.toBeChecked();
  }
  await point.check();
  await expect(point).toBeChecked();
  await expect(page.getByRole('listitem').filter({ has: point })).toContainText('Johan Lund');
  await expect(page.getByText(/\d av 9 genomgångna/)).toBeVisible();

  // A revision is a new version that starts as a copy of the one in force.
  const revise = page.getByRole('region', { name: 'Revidera planen' });
  if ((await revise.count()) > 0) {
    await revise.getByLabel('Orsak till revideringen').fill('Uppföljning med klient och socialsekreterare');
    await revise.getByRole('button', { name: 'Revidera planen' }).click();
  }
  const draft = page.getByRole('article').filter({ hasText: 'Utkast – inte signerad av klienten' });
  await expect(draft).toBeVisible();

  // Add a goal.
  await draft.getByText('Lägg till mål', { exact: true }).click();
  const goalTitle = `Ordnat boende ${Date.now()}`;
  await draft.getByLabel('Mål', { exact: true }).last().fill(goalTitle);
  await draft.getByLabel('Vad ska göras').last().fill('Söka lägenhet via bostadsförmedlingen');
  await draft.getByLabel('Vem gör det').last().fill('Klienten, med stöd av behandlaren');
  await draft.getByRole('button', { name: 'Spara målet' }).last().click();
  await expect(draft.getByText(goalTitle).first()).toBeVisible();

  // The client's view, then the signature: the version comes into force.
  await draft.getByLabel('Klientens synpunkter och delaktighet').fill('Klienten har själv formulerat målen om boende.');
  await draft.getByRole('button', { name: 'Spara', exact: true }).click();
  await expect(draft.getByRole('status').filter({ hasText: 'Sparat.' })).toBeVisible();
  await draft.getByLabel('På papper').check();
  await draft.getByRole('button', { name: 'Registrera underskrift' }).click();
  const inForce = page.getByRole('article').filter({ hasText: goalTitle }).first();
  await expect(inForce.getByText('Gäller', { exact: true })).toBeVisible();
  await expect(inForce.getByText(/\(På papper\)/)).toBeVisible();
  await expect(inForce.getByRole('button', { name: 'Spara målet' })).toHaveCount(0);

  // Copies handed over.
  await inForce.getByText('Registrera utlämnade exemplar').click();
  const today = new Date().toISOString().slice(0, 10);
  await inForce.getByLabel('Exemplar till klienten').fill(today);
  await inForce.getByRole('button', { name: 'Spara datumen' }).click();
  await expect(inForce.locator('dl.facts').getByText(today).first()).toBeVisible();

  // The journal offers the new goal to link entries to.
  await page.getByRole('link', { name: /Till akten och journalen/ }).click();
  await expect(editor(page).getByRole('checkbox', { name: goalTitle })).toBeVisible();
});

test('a refused save on the plan page shows its sentence at the field instead of vanishing', async ({ page }) => {
  await logIn(page, 'sara');
  await openFileWithPlan(page);
  await page.getByRole('link', { name: 'Genomförandeplan och checklista' }).click();
  await expect(page.getByRole('heading', { name: /^Genomförandeplan – / })).toBeVisible();
  const signed = page.getByRole('article').filter({ hasText: 'Registrera utlämnade exemplar' }).first();
  await signed.getByText('Registrera utlämnade exemplar').click();
  const field = signed.getByLabel('Exemplar till klienten');
  await field.fill('2031-01-01');
  await signed.getByRole('button', { name: 'Spara datumen' }).click();
  // The refusal stays on screen: in the summary and beside the field, which names it.
  await expect(signed.getByRole('alert')).toContainText('Datumet ligger i framtiden.');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveValue('2031-01-01');
});
