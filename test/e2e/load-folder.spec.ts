import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { makeSeries } from '../unit/fixtures/syntheticSeries';
import { freshDir, loadThrough, openApp, readAt, summaryText, writeFiles } from './helpers';

test('a folder chosen in the folder picker loads, with its geometry in the summary', async ({ page }) => {
  // Oblique, feet-first-like ordering, non-square pixels and an origin far from zero; the file
  // names run opposite to the positions, and a text file sits among the slices.
  const series = makeSeries({ columns: 64, rows: 48, slices: 20, pixelSpacingMm: [0.9, 0.7] });
  const dir = freshDir('ctsim-folder-');
  writeFiles(
    dir,
    series.files.map((f, k) => ({ name: `IM${String(100 - k).padStart(4, '0')}`, bytes: f.bytes })),
  );
  writeFileSync(join(dir, 'README.txt'), 'exported by hand');

  await openApp(page);
  await loadThrough(page, '#folder-input', dir);
  const summary = await summaryText(page);
  expect(summary).toContain('synthetic test series');
  expect(summary).toContain('64 × 48 × 20');
  expect(summary).toContain('0.7 × 0.9 × 2.5 mm');
  expect(summary).toMatch(/oblique \(1[0-9.]+° from axial\)/);
  expect(summary).toContain('100.0, 200.0, 300.0 mm');
  await expect(page.getByRole('alert')).toContainText('1 file was not DICOM and was skipped');

  // The readout's HU is the linear field the series was written with, at the point read.
  const { lps, hu } = await readAt(page, 'axial', 0.5, 0.5);
  const expected = 2 * (lps[0]! - 100) - 3 * (lps[1]! - 200) + 5 * (lps[2]! - 300);
  expect(Math.abs(hu! - expected)).toBeLessThan(12); // nearest voxel: within one voxel's worth of gradient
});

test('several files from the file input load, and the series list offers each series', async ({ page }) => {
  const a = makeSeries({ columns: 32, rows: 32, slices: 6, seriesInstanceUid: '2.25.501' });
  const b = makeSeries({ columns: 40, rows: 40, slices: 9, seriesInstanceUid: '2.25.502' });
  const dir = freshDir('ctsim-files-');
  const paths = writeFiles(dir, [...a.files.map((f) => ({ ...f, name: 'a-' + f.name })), ...b.files.map((f) => ({ ...f, name: 'b-' + f.name }))]);
  await openApp(page);
  await loadThrough(page, '#files-input', paths);
  // The CT with more slices is picked automatically; the other can be loaded from the list.
  expect(await summaryText(page)).toContain('40 × 40 × 9');
  const rows = page.getByTestId('series-list').locator('tr[data-series-uid]');
  await expect(rows).toHaveCount(2);
  await page.locator('tr[data-series-uid="2.25.501"] button', { hasText: 'Load' }).click();
  await page.waitForFunction(() => document.body.dataset.loaded === '2.25.501' && !document.body.dataset.busy);
  expect(await summaryText(page)).toContain('32 × 32 × 6');
});

test('files dropped on the page load', async ({ page }) => {
  const series = makeSeries({ columns: 20, rows: 18, slices: 5, seriesInstanceUid: '2.25.601' });
  await openApp(page);
  await page.evaluate(
    (files) => {
      const transfer = new DataTransfer();
      for (const { name, base64 } of files) {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], name));
      }
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, cancelable: true }));
    },
    series.files.map((f) => ({ name: f.name, base64: Buffer.from(f.bytes).toString('base64') })),
  );
  await page.waitForFunction(() => document.body.dataset.loaded === '2.25.601' && !document.body.dataset.busy);
  expect(await summaryText(page)).toContain('20 × 18 × 5');
  await expect(page.locator('#drop-overlay')).toBeHidden();
});
