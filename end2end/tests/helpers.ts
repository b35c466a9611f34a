import { expect, Page } from '@playwright/test';

/** The password of every demo account (server/src/demo.rs). */
export const PASSWORD = 'demo-losenord';

/** Usernames of the demo staff by display name (server/src/demo.rs). */
export const USERNAMES: Record<string, string> = {
  'Anna Berg': 'anna',
  'Johan Lund': 'johan',
  'Sara Nilsson': 'sara',
  'Omar Haddad': 'omar',
  'Lena Ström': 'lena',
  'Peter Sjöberg': 'peter',
  'Maria Ek': 'maria',
  'Ali Yilmaz': 'ali',
  'Karin Dahl': 'karin',
  'Nils Åkesson': 'nils',
};

/** Logs a demo user in and waits for the start page. */
export async function logIn(page: Page, username: string) {
  await page.goto('/logga-in');
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { name: /Välkommen/ })).toBeVisible();
}
