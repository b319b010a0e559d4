import { expect, test } from '@playwright/test';
import { makeSeries } from '../unit/fixtures/syntheticSeries';
import { freshDir, loadThrough, openApp, writeFiles } from './helpers';

test('no request leaves the app origin while it opens and loads a CT', async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.context().on('request', (request) => requests.push(request.url()));
  await openApp(page);
  const dir = freshDir('ctsim-privacy-');
  writeFiles(dir, makeSeries({ slices: 4, columns: 24, rows: 24 }).files);
  await loadThrough(page, '#folder-input', dir);
  const foreign = requests.filter((url) => !url.startsWith(origin + '/') && !url.startsWith('data:') && !url.startsWith('blob:'));
  expect(requests.length).toBeGreaterThan(10);
  expect(foreign).toEqual([]);
});

test('patient identity is never shown, and a series that is not de-identified gets a notice', async ({ page }) => {
  const series = makeSeries({
    slices: 3,
    edit: (_k, elements) =>
      elements
        .filter((e) => !(e.tag[0] === 0x0012 && e.tag[1] === 0x0062))
        .map((e) => (e.tag[0] === 0x0010 && e.tag[1] === 0x0010 ? { ...e, value: 'DOE^JANE' } : e.tag[0] === 0x0010 && e.tag[1] === 0x0020 ? { ...e, value: 'MRN-778899' } : e)),
  });
  const dir = freshDir('ctsim-identity-');
  writeFiles(dir, series.files);
  await openApp(page);
  await expect(page.locator('#identity-notice')).toBeHidden();
  await loadThrough(page, '#folder-input', dir);
  await expect(page.locator('#identity-notice')).toBeVisible();
  await expect(page.locator('#identity-notice')).toContainText('not marked as de-identified');
  const text = await page.locator('body').innerText();
  expect(text).not.toContain('DOE');
  expect(text).not.toContain('778899');
});
