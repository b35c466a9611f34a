// Screenshots of the review workbench at 1280×900 and 1920×1080, the close confirmation and
// the print view (not a test). Against a running demo server (bash start-akta.sh PORT):
//   node workbench-screenshots.mjs PORT OUTDIR [which not-started review, 0-based]
import { chromium } from '@playwright/test';
const [port, out] = [process.argv[2] ?? '3600', process.argv[3] ?? '/tmp/shots'];
const base = `http://127.0.0.1:${port}`;
const USERS = { 'Anna Berg': 'anna', 'Johan Lund': 'johan', 'Sara Nilsson': 'sara', 'Omar Haddad': 'omar', 'Lena Ström': 'lena', 'Peter Sjöberg': 'peter', 'Maria Ek': 'maria', 'Ali Yilmaz': 'ali', 'Karin Dahl': 'karin', 'Nils Åkesson': 'nils' };
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
async function login(ctx, user) {
  const page = await ctx.newPage();
  await page.goto(base + '/logga-in');
  await page.getByLabel('Användarnamn').fill(user);
  await page.getByLabel('Lösenord').fill('demo-losenord');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByRole('heading', { name: /Välkommen/ }).waitFor();
  return page;
}
const year = new Date().getFullYear();
const chefCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const chef = await login(chefCtx, 'chef');
await chef.goto(base + '/granskning');
await chef.waitForLoadState('networkidle');
const link = chef.getByRole('link', { name: `Aktgranskning ${year}`, exact: true });
if (await link.count() === 0) {
  const form = chef.getByRole('region', { name: 'Öppna en granskningsomgång' });
  const due = new Date(); due.setDate(due.getDate() + 30);
  await form.getByLabel('Granskningen ska vara klar senast').fill(due.toISOString().slice(0, 10));
  await form.getByRole('button', { name: 'Öppna omgången och lotta akterna' }).click();
  await chef.getByRole('heading', { name: 'Utkast till lottning' }).waitFor();
  await chef.waitForLoadState('networkidle');
  await chef.getByRole('button', { name: 'Publicera' }).click();
  await chef.getByText('Pågår', { exact: true }).waitFor();
} else {
  await link.click();
}
await chef.waitForLoadState('networkidle');
const row = chef.getByRole('region', { name: 'Akter och granskare' }).getByRole('row').filter({ hasText: 'Inte påbörjad' }).nth(Number(process.argv[4] ?? 0));
const client = (await row.getByRole('cell').nth(0).textContent()).trim();
const reviewer = USERS[(await row.getByRole('cell').nth(2).textContent()).replace(/samma som förra året.*|andra granskning.*/, '').trim()];
console.log('client', client, 'reviewer', reviewer);
await chef.getByRole('button', { name: 'Avsluta omgången' }).click();
await chef.getByRole('heading', { name: 'Avsluta omgången?' }).waitFor();
await chef.screenshot({ path: `${out}/close-confirm-1280.png` });
for (const [w, h] of [[1280, 900], [1920, 1080]]) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h } });
  const page = await login(ctx, reviewer);
  await page.goto(base + '/granskning');
  await page.getByRole('region', { name: 'Mina granskningar' }).getByRole('link', { name: client }).first().click();
  await page.getByRole('region', { name: 'Genomförandeplanen' }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${out}/workbench-${w}x${h}.png` });
  if (w === 1280) {
    const goal = page.getByRole('region', { name: 'Genomförandeplanen' }).getByRole('listitem').filter({ hasNotText: 'ingen anteckning i perioden' }).getByRole('button').first();
    if (await goal.count()) await goal.click();
    await page.getByRole('button', { name: 'Lämna in granskningen' }).click();
    await page.getByRole('alert').waitFor();
    await page.screenshot({ path: `${out}/workbench-goal-and-errors-1280.png` });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: `${out}/workbench-print.png`, fullPage: true });
    await page.pdf({ path: `${out}/workbench.pdf` }).catch(() => {});
  }
  await ctx.close();
}
await browser.close();
