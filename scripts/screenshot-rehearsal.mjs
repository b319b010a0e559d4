// The README's rehearsal picture: a lumbar attempt with fusion, needle at the disc centre, 20 mL of
// O₂/O₃ injected and spread, then the final CT pass. Needs a preview server:
//   npx vite build && npx vite preview --port 4173 &  node scripts/screenshot-rehearsal.mjs [url] [out.png]
import { chromium } from '@playwright/test';

const [url = 'http://127.0.0.1:4173', out = 'docs/screenshot-rehearsal.png'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(`${url}/?seed=7`);
await page.waitForSelector('body[data-loaded]:not([data-busy])', { timeout: 60_000 });
await page.getByTestId('attempt-start').click();
await page.getByTestId('plan-reviewed').click();
await page.getByTestId('register-marker').click();
await page.getByTestId('align-probe').click();
await page.getByTestId('needle-at-plan').click();
await page.locator('#view-fusion').focus();
for (let i = 0; i < 90; i++) {
  const distance = Number.parseFloat((await page.getByTestId('tip-to-target').textContent()) ?? 'NaN');
  if (distance < 2) break;
  await page.keyboard.press(distance > 15 ? 'Shift+I' : 'i');
}
await page.getByTestId('confirm-tip').click();
await page.getByTestId('inject').click();
await page.waitForTimeout(21_000); // 20 mL at 1 mL/s
await page.getByTestId('ct-pass').click();
await page.getByTestId('overlay-opacity').fill('0.3');
await page.getByTestId('overlay-opacity').dispatchEvent('input');
await page.evaluate(() => document.querySelector('.side')?.scrollTo(0, 0));
await page.waitForTimeout(1500);
await page.screenshot({ path: out });
console.log(`wrote ${out}`);
await browser.close();
