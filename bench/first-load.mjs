// First load of the login page and of a file page as a slow computer on a slow line sees
// it (issue 19): Chromium at 10 Mbit/s down and up, 20 ms round trip, CPU 4× slower,
// empty cache; then the same page again with the cache warm. The time is from the start
// of the navigation to the page being hydrated (the wasm sets `data-hydrated` on <html>).
// Not a test: it prints the times. Against a running server, e.g. the demo one:
//   (cd end2end && bash ./start-akta.sh 3205 &)
//   node bench/first-load.mjs [base URL, default http://127.0.0.1:3205] [runs, default 3]
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(path.join(path.dirname(fileURLToPath(import.meta.url)), '../end2end/'));
const { chromium } = require('playwright');

const base = process.argv[2] ?? 'http://127.0.0.1:3205';
const runs = Number(process.argv[3] ?? 3);
const user = process.env.AKTA_BENCH_USER ?? 'anna';
const password = process.env.AKTA_BENCH_PASSWORD ?? 'demo-losenord';
const LINE = {
  offline: false,
  latency: 20,
  downloadThroughput: (10 * 1000 * 1000) / 8,
  uploadThroughput: (10 * 1000 * 1000) / 8,
};
const CPU_SLOWDOWN = 4;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});

// Records, in the page, when <html> gets `data-hydrated`, in ms since the navigation began.
// (It runs before <html> exists, so it watches the document.)
const WATCH = () => {
  new MutationObserver((_, observer) => {
    if (document.documentElement?.hasAttribute('data-hydrated')) {
      window.__aktaHydratedAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
};

async function logIn(page) {
  await page.goto(`${base}/logga-in`);
  await page.getByLabel('Användarnamn').fill(user);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByRole('heading', { name: /Välkommen/ }).waitFor();
}

/** One load of `url` in `page`, throttled; returns the times in ms and bytes received. */
async function load(page, cdp, url) {
  await cdp.send('Network.emulateNetworkConditions', LINE);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  let bytes = 0;
  const onData = (e) => { bytes += e.encodedDataLength; };
  cdp.on('Network.loadingFinished', onData);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__aktaHydratedAt !== undefined, null, { timeout: 60_000 });
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      hydrated: window.__aktaHydratedAt,
      html: nav.responseEnd,
      load: nav.loadEventEnd,
    };
  });
  cdp.off('Network.loadingFinished', onData);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await cdp.send('Network.emulateNetworkConditions', { ...LINE, downloadThroughput: -1, uploadThroughput: -1, latency: 0 });
  return { ...t, bytes };
}

async function measure(name, prepare) {
  const cold = [];
  const warm = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(WATCH);
    const page = await context.newPage();
    const url = await prepare(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    cold.push(await load(page, cdp, url));
    warm.push(await load(page, cdp, url));
    await context.close();
  }
  const median = (xs, k) => xs.map((x) => x[k]).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [label, xs] of [['first load', cold], ['again (cache warm)', warm]]) {
    console.log(
      `${name.padEnd(12)} ${label.padEnd(19)} hydrated ${median(xs, 'hydrated').toFixed(0).padStart(5)} ms` +
        `  (html ${median(xs, 'html').toFixed(0)} ms, load event ${median(xs, 'load').toFixed(0)} ms,` +
        ` ${(median(xs, 'bytes') / 1024).toFixed(0)} KiB over the line; median of ${xs.length})`,
    );
  }
}

console.log(`${base}: 10 Mbit/s, ${LINE.latency} ms latency, CPU ${CPU_SLOWDOWN}× slower`);
await measure('login page', async () => `${base}/logga-in`);
await measure('file page', async (page) => {
  await logIn(page);
  const href = await page.locator('a[href^="/akter/"]').first().getAttribute('href');
  if (!href) throw new Error('the start page links to no file');
  return `${base}${href}`;
});
await browser.close();
