import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hasTestdata, loadThrough, NO_TESTDATA, openApp, TESTDATA_DIR } from './helpers';

const SAMPLES = resolve(import.meta.dirname, '../../sample-dicom');
const hipCase = JSON.parse(readFileSync(join(SAMPLES, 'hip/case.json'), 'utf8')) as {
  series: { seriesInstanceUid: string };
  fiducials: { marker: { beadsInCt: [number, number, number][] } };
};

/** Maximum grey of a canvas (0 when black). */
const maxGrey = (page: Page, testId: string) =>
  page.evaluate((id) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${id}"]`)!;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let max = 0;
    for (let p = 0; p < data.length; p += 4) max = Math.max(max, data[p]!, data[p + 1]!, data[p + 2]!);
    return max;
  }, testId);

/** An attempt well under way on the lumbar phantom: registered, needle in, a CT pass shown. */
async function attemptUnderWay(page: Page) {
  await page.getByRole('button', { name: 'Register with the marker' }).click();
  await expect(page.getByTestId('registration-fre')).not.toHaveText('—');
  await page.locator('#attempt-start').click();
  await page.locator('#needle-at-plan').click();
  for (let k = 0; k < 5; k++) await page.keyboard.press('Shift+I');
  await page.locator('#ct-pass').click();
  await expect(page.getByTestId('ctpass-panel')).toBeVisible();
  await expect.poll(() => maxGrey(page, 'us-canvas'), { timeout: 60_000 }).toBeGreaterThan(100);
}

test('loading a CT without a case leaves nothing of the previous one: ultrasound, fused plane, room, pairs, targets, CT pass', async ({ page }) => {
  test.skip(!hasTestdata, NO_TESTDATA);
  await openApp(page);
  await attemptUnderWay(page);
  const lumbarUid = await page.evaluate(() => document.body.dataset.loaded);
  await loadThrough(page, '#folder-input', join(TESTDATA_DIR, 'ct-lumbar-tcia'));
  await expect.poll(() => page.evaluate(() => document.body.dataset.loaded)).not.toBe(lumbarUid);
  // The ultrasound and the fused plane are black, and say why.
  expect(await maxGrey(page, 'us-canvas')).toBeLessThan(8);
  await expect(page.getByTestId('us-preparing')).toBeHidden();
  await expect(page.getByTestId('fusion-status')).toContainText('No case');
  // The room is empty; no beads, pairs, residuals or targets of the phantom remain.
  await expect(page.locator('#view-room')).toHaveAttribute('data-room', 'empty');
  await expect(page.locator('#bead-list button')).toHaveCount(0);
  await expect(page.locator('#pair-table tbody tr')).toHaveCount(0);
  await expect(page.getByTestId('registration-fre')).toHaveText('—');
  await expect(page.getByTestId('registration-true-tre')).toHaveText('—');
  await expect(page.locator('#attempt-target option')).toHaveCount(0);
  await expect(page.locator('#attempt-start')).toBeDisabled();
  expect(await page.locator('#attempt-start').getAttribute('title')).toMatch(/case/i);
  // The attempt's panels are gone with it.
  await expect(page.getByTestId('ctpass-panel')).toBeHidden();
  await expect(page.locator('#attempt-controls')).toBeHidden();
  await expect(page.locator('#checklist li')).toHaveCount(0);
  for (const view of ['axial', 'sagittal', 'coronal']) expect(await maxGrey(page, `nav-overlay-${view}`)).toBe(0);
  await page.screenshot({ path: 'test-results/load-another-empty.png' });
});

test('opening the hip after the lumbar phantom: the room, beads and targets are the hip’s own', async ({ page }) => {
  await openApp(page);
  await attemptUnderWay(page);
  await page.getByTestId('case-select').selectOption('hip');
  await page.locator('#case-open-button').click();
  await expect.poll(() => page.evaluate(() => document.body.dataset.loaded), { timeout: 60_000 }).toBe(hipCase.series.seriesInstanceUid);
  await page.waitForSelector('body:not([data-busy])');
  await expect(page.locator('#view-room')).toHaveAttribute('data-room', hipCase.series.seriesInstanceUid);
  await expect(page.getByTestId('ctpass-panel')).toBeHidden();
  await expect(page.getByTestId('registration-fre')).toHaveText('—');
  // Every bead offered lies on one of the hip marker's beads (none left from the lumbar CT).
  const beads = await page.locator('#bead-list button').evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.lps!.split(',').map(Number)));
  expect(beads.length).toBeGreaterThanOrEqual(hipCase.fiducials.marker.beadsInCt.length);
  for (const truth of hipCase.fiducials.marker.beadsInCt) expect(Math.min(...beads.map((b) => Math.hypot(b[0]! - truth[0], b[1]! - truth[1], b[2]! - truth[2])))).toBeLessThan(1.5);
  const targets = await page.locator('#attempt-target option').allTextContents();
  expect(targets.join(' ')).toMatch(/hip|joint|recess/i);
  await expect.poll(() => maxGrey(page, 'us-canvas'), { timeout: 60_000 }).toBeGreaterThan(100);
});
