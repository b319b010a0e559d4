// Takes a screenshot of the running app for a person to look at:
//   node scripts/screenshot.mjs [url] [out.png] [folder-to-load]
import { chromium } from '@playwright/test';

const [url = 'http://127.0.0.1:4173', out = 'screenshot.png', folder] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(url);
await page.waitForSelector('body[data-loaded]', { timeout: 60_000 }).catch(() => console.log('no load'));
if (folder) {
  const before = await page.getAttribute('body', 'data-loaded');
  const { statSync } = await import('node:fs');
  await page.setInputFiles(statSync(folder).isDirectory() ? '#folder-input' : '#files-input', folder);
  await page
    .waitForFunction((b) => document.body.dataset.loaded !== b && !document.body.dataset.busy, before, { timeout: 120_000 })
    .catch(() => console.log('folder did not load'));
}
await page.waitForTimeout(500);
await page.screenshot({ path: out });
console.log(await page.evaluate(() => performance.getEntriesByName('ct-load').map((e) => e.duration)));
await browser.close();
