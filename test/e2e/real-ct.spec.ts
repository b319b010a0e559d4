import { expect, test } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hasTestdata, loadThrough, NO_TESTDATA, openApp, readAt, summaryText, TESTDATA_DIR, viewStatistics } from './helpers';

test.describe('real CT from ../shared/testdata', () => {
  test.skip(!hasTestdata, NO_TESTDATA);

  test('the TCIA lumbar CT loads with its true geometry', async ({ page }) => {
    await openApp(page);
    await loadThrough(page, '#folder-input', join(TESTDATA_DIR, 'ct-lumbar-tcia'));
    const summary = await summaryText(page);
    expect(summary).toContain('512 × 512 × 134');
    expect(summary).toContain('1.074 × 1.074 × 3 mm');
    expect(summary).toContain('axial; rows → L, columns → P; HFS');
    await expect(page.getByRole('alert')).toContainText('2 files were not DICOM'); // the licence and citation texts
    for (const view of ['axial', 'sagittal', 'coronal'] as const) expect((await viewStatistics(page, view)).sd).toBeGreaterThan(20);
    // The vertebral column lies posterior to the centre: bone HU in the sagittal view near the back.
    await page.screenshot({ path: 'test-results/real-lumbar.png' });
  });

  test('the gantry-tilted head CT loads resampled, with the tilt named', async ({ page }) => {
    await openApp(page);
    await loadThrough(page, '#folder-input', join(TESTDATA_DIR, 'gantry-tilt-ge'));
    await expect(page.getByTestId('volume-warnings')).toContainText(/Gantry tilt of 18\.5°/);
    await expect(page.getByTestId('volume-warnings')).toContainText(/not uniform/);
    expect(await summaryText(page)).toMatch(/oblique \(18\.5° from axial\)/);
    await page.screenshot({ path: 'test-results/real-gantry-tilt.png' });
  });

  test('every CT transfer syntax decodes to the same HU as the uncompressed file', async ({ page }) => {
    const folder = join(TESTDATA_DIR, 'transfer-syntaxes');
    const probes: [number, number][] = [
      [0.5, 0.5],
      [0.42, 0.55],
      [0.6, 0.45],
      [0.5, 0.62],
      [0.35, 0.5],
    ];
    await openApp(page);
    const huAtProbes = async (file: string) => {
      await loadThrough(page, '#files-input', join(folder, file));
      await expect(page.getByRole('alert')).toBeHidden();
      const values: number[] = [];
      for (const [fx, fy] of probes) values.push((await readAt(page, 'axial', fx, fy)).hu!);
      return values;
    };
    const reference = await huAtProbes('CTImage.dcm_LittleEndianImplicitTransferSyntax_1.2.840.10008.1.2.dcm');
    expect(new Set(reference).size).toBeGreaterThan(2);
    // Lossy by definition: JPEG DCT processes 1, 2/4, 6/8, 10/12, JPEG-LS near-lossless, JPEG 2000 (.91).
    const lossy = /JPEGProcess1Transfer|JPEGProcess2_4|JPEGProcess6_8|JPEGProcess10_12|JPEGLSLossy|JPEG2000TransferSyntax_/;
    const files = readdirSync(folder).filter((name) => name.startsWith('CTImage.dcm_'));
    expect(files.length).toBe(15);
    for (const file of files) {
      const values = await huAtProbes(file);
      // Lossy files (quality-90 JPEG, 12-bit requantised with slope 2.0002) differ at edges by tens of HU.
      const tolerance = lossy.test(file) ? 60 : 0;
      values.forEach((value, index) => expect(Math.abs(value - reference[index]!), `${file} probe ${index}`).toBeLessThanOrEqual(tolerance));
    }
    for (const file of ['CT1_J2KR', 'CT2_J2KR']) {
      await loadThrough(page, '#files-input', join(folder, file));
      await expect(page.getByRole('alert')).toBeHidden();
      expect((await viewStatistics(page, 'axial')).sd).toBeGreaterThan(20);
    }
  });

  test('objects that are not CT images are listed with the reason', async ({ page }) => {
    await openApp(page);
    const folder = join(TESTDATA_DIR, 'transfer-syntaxes');
    await loadThrough(
      page,
      '#files-input',
      ['US-YBR_FULL_422-EVRLE.dcm', 'no-pixel-data.dcm', 'CT0012.fragmented_no_bot_jpeg_baseline.51.dcm'].map((f) => join(folder, f)),
    );
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(/it is US, not CT/);
    await expect(alert).toContainText(/no PixelData/);
    await expect(alert).toContainText(/multi-frame image \(2 frames\)/);
    await expect(alert).toContainText('No CT series here can be loaded');
    expect(await summaryText(page)).toContain('400 × 310 × 81'); // the bundled case is still there
  });
});
