import { test, expect } from './helpers';
import { logIn } from './helpers';

test('a therapist registers an anonymous open intake, keeps notes and closes it; the manager sees only a count', async ({ page, browser }) => {
  await logIn(page, 'anna');
  await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Öppet intag' }).click();
  await expect(page.getByRole('heading', { name: 'Öppet intag', level: 1 })).toBeVisible();

  // A pseudonym that could be a personnummer is refused at the field.
  await page.getByLabel('Pseudonym').fill('Tolvan 19121212');
  await page.getByLabel('Insats').selectOption({ label: 'MI-grupp' });
  await page.getByRole('button', { name: 'Registrera aktualisering' }).click();
  await expect(page.getByText('Pseudonymen får inte innehålla sex siffror eller fler').first()).toBeVisible();

  await page.getByLabel('Pseudonym').fill('Turkos 31');
  await page.getByLabel('Kön (för statistik)').selectOption({ label: 'Kvinna' });
  await page.getByLabel('Åldersgrupp (för statistik)').selectOption({ label: '26–35 år' });
  await page.getByRole('textbox', { name: 'Minnesanteckningar' }).fill('Första träffen i gruppen.');
  await page.getByRole('button', { name: 'Registrera aktualisering' }).click();
  await expect(page.getByRole('heading', { name: 'Turkos 31', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/intag\/[0-9a-z]+$/);

  await page.getByRole('textbox', { name: 'Minnesanteckningar' }).fill('Första träffen i gruppen.\nAndra träffen: aktiv.');
  await page.getByRole('button', { name: 'Spara anteckningar' }).click();
  await expect(page.getByRole('status')).toContainText('Anteckningarna är sparade.');
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Minnesanteckningar' })).toHaveValue(/Andra träffen: aktiv\./);
  const url = page.url();
  await page.screenshot({ path: 'test-results/open-intake.png', fullPage: true });

  // A colleague cannot open it.
  const johan = await browser.newPage();
  await logIn(johan, 'johan');
  await johan.goto(url);
  await expect(johan.getByRole('alert').first()).toBeVisible();
  await expect(johan.getByText('Turkos 31')).toHaveCount(0);
  await johan.close();

  // Closing needs the confirmation, then deletes everything at once.
  await page.getByLabel('Jag förstår att allt om aktualiseringen raderas').check();
  await page.getByRole('button', { name: 'Avsluta och radera' }).click();
  await expect(page.getByRole('status')).toContainText('Aktualiseringen är avslutad och raderad.');
  await expect(page.getByRole('link', { name: 'Turkos 31' })).toHaveCount(0);
  await page.goto(url);
  await expect(page.getByRole('alert').first()).toBeVisible();

  // The manager sees anonymous statistics: the count, no pseudonym.
  const chef = await browser.newPage();
  await logIn(chef, 'chef');
  await chef.goto('/intag');
  const stats = chef.getByRole('table', { name: /Antal avslutade aktualiseringar/ });
  await expect(stats).toBeVisible();
  await expect(stats.getByRole('row').filter({ hasText: 'MI-grupp' }).filter({ hasText: 'Kvinna' }).filter({ hasText: '26–35 år' }).first()).toBeVisible();
  await expect(chef.getByText('Turkos 31')).toHaveCount(0);
  await chef.screenshot({ path: 'test-results/open-intake-statistics.png', fullPage: true });
  await chef.close();
});

test('the administrator sees what is due for culling within 90 days, by file id only', async ({ page }) => {
  await logIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Gallring' }).click();
  await expect(page.getByRole('heading', { name: 'Gallring', level: 1 })).toBeVisible();
  const due = page.getByRole('region', { name: 'Att gallra inom 90 dagar' });
  await expect(due.getByRole('table')).toBeVisible();
  // The demo unit has four old closed files due around today.
  await expect(due.getByRole('row')).toHaveCount(5);
  await expect(due.getByText(/4 akter ska gallras till och med/)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Gallringslogg' })).toBeVisible();
  await page.screenshot({ path: 'test-results/culling.png', fullPage: true });
});

test('staff cannot open the culling page', async ({ page }) => {
  await logIn(page, 'anna');
  await expect(page.getByRole('link', { name: 'Gallring' })).toHaveCount(0);
  await page.goto('/admin/gallring');
  await expect(page.getByRole('alert').first()).toContainText('Du har inte behörighet');
});
