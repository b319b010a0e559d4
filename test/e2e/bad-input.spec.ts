import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { makeSeries } from '../unit/fixtures/syntheticSeries';
import { freshDir, hasTestdata, loadThrough, NO_TESTDATA, openApp, summaryText, TESTDATA_DIR, writeFiles } from './helpers';

test('generated broken input gives clear alerts and the next load works', async ({ page }) => {
  const dir = freshDir('ctsim-bad-');
  const good = makeSeries({ slices: 3, columns: 16, rows: 16 });
  const truncated = good.files[1]!.bytes.slice(0, good.files[1]!.bytes.length - 200);
  writeFiles(dir, [
    { name: 'empty.dcm', bytes: new Uint8Array() },
    { name: 'notes.txt', bytes: new TextEncoder().encode('not an image') },
    { name: 'slice-0.dcm', bytes: good.files[0]!.bytes },
    { name: 'slice-1.dcm', bytes: truncated },
    { name: 'slice-2.dcm', bytes: good.files[2]!.bytes },
  ]);
  await openApp(page);
  await loadThrough(page, '#folder-input', dir);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('2 files were not DICOM and were skipped');
  await expect(alert).toContainText(/slice-1\.dcm is truncated/);
  // The bundled case is still on screen and the app takes the next load.
  expect(await summaryText(page)).toContain('400 × 310 × 81');
  writeFileSync(join(dir, 'slice-1.dcm'), good.files[1]!.bytes);
  await loadThrough(page, '#folder-input', dir);
  await expect(alert).toContainText('2 files were not DICOM');
  await expect(alert).not.toContainText('truncated');
  expect(await summaryText(page)).toContain('16 × 16 × 3');
});

test.describe('shared bad files', () => {
  test.skip(!hasTestdata, NO_TESTDATA);

  test('each broken file is named with its problem, then a good series loads', async ({ page }) => {
    await openApp(page);
    await loadThrough(page, '#folder-input', join(TESTDATA_DIR, 'bad-files'));
    const alert = page.getByRole('alert');
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('5 files were not DICOM and were skipped');
    await expect(alert).toContainText(/ct_truncated_in_header_300B\.dcm: the file ends inside its DICOM header/);
    await expect(alert).toContainText(/dicm_magic_then_garbage\.dcm/);
    await expect(alert).toContainText(/ct_truncated_half\.dcm is truncated/);
    await expect(alert).toContainText(/ct_rows_600_pixeldata_too_short\.dcm is damaged/);
    await expect(alert).toContainText(/PixelSpacing \(0028,0030\)/);
    await expect(alert).toContainText(/cannot be placed in 3D/);
    // The gzipped, rescaled and signed copies of the same slice load; one was picked.
    expect(await summaryText(page)).toContain('512 × 512 × 1');
    await expect(page.getByTestId('series-list').locator('tr.refused')).toHaveCount(4);

    await page.getByRole('button', { name: 'Open case' }).click();
    await page.waitForFunction(() => !document.body.dataset.busy && document.body.dataset.loaded?.startsWith('2.25.271828'));
    await expect(alert).toBeHidden();
    expect(await summaryText(page)).toContain('400 × 310 × 81');
  });

  test('the three derived slices read identical HU: rescale slope 0.5, signed pixels, gzip', async ({ page }) => {
    await openApp(page);
    const read = async (file: string) => {
      await loadThrough(page, '#files-input', join(TESTDATA_DIR, file));
      const summary = await summaryText(page);
      return /HU(-?\d+)…(-?\d+)/.exec(summary.replace(/\s+/g, ''))?.slice(1);
    };
    const reference = await read('ct-lumbar-tcia/1-060.dcm');
    expect(reference).toBeDefined();
    for (const file of ['bad-files/ct_rescale_slope_0.5_HU_preserved.dcm', 'bad-files/ct_signed_pixelrep1_intercept0_HU_preserved.dcm', 'bad-files/ct_gzipped.dcm.gz']) {
      expect(await read(file), file).toEqual(reference);
    }
  });
});

test('a compressed slice cut short is named in the alert, without a hang, and the app stays usable', async ({ page }) => {
  const { readFileSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  const hip = resolve(import.meta.dirname, '../../sample-dicom/hip');
  const dir = freshDir('ctsim-rle-cut-');
  const files = ['CT0001.dcm', 'CT0002.dcm', 'CT0003.dcm'].map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(hip, name))) }));
  // RLE pixel data is encapsulated: its length cannot be checked from the header, so the decoder meets the cut.
  files[1] = { name: 'CT0002.dcm', bytes: files[1]!.bytes.slice(0, Math.round(files[1]!.bytes.length * 0.6)) };
  writeFiles(dir, files);
  await openApp(page);
  await loadThrough(page, '#folder-input', dir);
  await expect(page.getByRole('alert')).toContainText(/CT0002\.dcm could not be decoded/);
  expect(await summaryText(page)).toContain('400 × 310 × 81'); // the lumbar case is still shown
  await page.getByRole('button', { name: 'Open case' }).click();
  await page.waitForFunction(() => !document.body.dataset.busy);
  await expect(page.getByRole('alert')).toBeHidden();
});
