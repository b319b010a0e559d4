import { expect, test } from '@playwright/test';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCaseVolume } from '../../scripts/lib/readCaseVolume';
import { huAtCtPoint } from '../../src/core/volume/ctVolume';
import { freshDir, loadThrough, openApp, readAt, summaryText } from './helpers';

const SAMPLE = resolve(import.meta.dirname, '../../sample-dicom');

test('the bundled cases are offered; the lumbar one opens by default, the hip and its effusion variant on request', async ({ page }) => {
  await openApp(page);
  const options = await page.getByTestId('case-select').locator('option').allTextContents();
  expect(options).toHaveLength(3);
  expect(options[0]).toContain('Lumbar intradiscal');
  expect(options[1]).toContain('Hip joint');
  expect(options[2]).toContain('with an effusion');
  await expect(page.getByTestId('case-select')).toHaveValue('lumbar');
  await expect(page.getByTestId('case-panel')).toContainText('L4–L5 disc, nucleus centre');
  await expect(page.getByTestId('case-panel')).toContainText('curvilinear 3.5 MHz');
  await expect(page.getByTestId('case-panel')).toContainText('22 G, 15 cm');
  await page.screenshot({ path: 'test-results/case-lumbar.png' });

  await page.getByTestId('case-select').selectOption('hip');
  await page.getByRole('button', { name: 'Open case' }).click();
  await page.waitForFunction(() => !document.body.dataset.busy && document.body.dataset.loaded?.endsWith('.2.2'));
  expect(await summaryText(page)).toContain('300 × 312 × 91');
  expect(await summaryText(page)).toContain('HFS');
  await expect(page.getByTestId('case-panel')).toContainText('Anterior joint recess at the head–neck junction');
  await expect(page.getByTestId('case-panel')).toContainText('linear 7.5 MHz');
  await expect(page.getByTestId('overlay-axial')).toContainText('Anterior joint recess');
  await page.screenshot({ path: 'test-results/case-hip.png' });

  await page.getByTestId('case-select').selectOption('hip-effusion');
  await page.getByRole('button', { name: 'Open case' }).click();
  await page.waitForFunction(() => !document.body.dataset.busy && document.body.dataset.loaded?.endsWith('.3.2'));
  expect(await summaryText(page)).toContain('300 × 312 × 91');
  await expect(page.getByTestId('case-panel')).toContainText('Anterior joint recess at the head–neck junction');
});

test('cornerstone decodes the shipped RLE phantom to the same HU as the generator wrote', async ({ page }) => {
  const volume = readCaseVolume(join(SAMPLE, 'lumbar'));
  await openApp(page);
  for (const [fx, fy] of [
    [0.5, 0.5],
    [0.35, 0.6],
    [0.62, 0.42],
    [0.45, 0.75],
  ] as const) {
    const { lps, hu } = await readAt(page, 'axial', fx, fy);
    expect(hu).toBe(huAtCtPoint(volume, [lps[0]!, lps[1]!, lps[2]!]));
  }
});

test('a broken case file is named with its faulty fields and the CT still loads', async ({ page }) => {
  const dir = freshDir('ctsim-case-');
  for (const name of readdirSync(join(SAMPLE, 'hip'))) {
    if (name.endsWith('.dcm')) copyFileSync(join(SAMPLE, 'hip', name), join(dir, name));
  }
  writeFileSync(
    join(dir, 'case.json'),
    JSON.stringify({
      schema: 'us-ct-fusion-case',
      schemaVersion: 1,
      id: 'x',
      title: 'Broken',
      description: 'd',
      series: { seriesInstanceUid: '1', patientPosition: 'HFS' },
      targets: [{ id: 't', name: 'T', priority: 'main', centre: [0, 0], acceptanceRadiusMm: 3 }],
      avoid: [],
      fiducials: { skinMarkers: [] },
      procedure: { name: 'p', approach: 'a', probe: { type: 'linear', frequencyMHz: 7.5 }, needle: { gauge: 22, lengthMm: 90, type: 'spinal' } },
    }),
  );
  await openApp(page);
  await loadThrough(page, '#folder-input', dir);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('case.json is not a valid case file');
  await expect(alert).toContainText('targets[0].priority: expected one of "primary", "secondary", found "main"');
  await expect(alert).toContainText('targets[0].centre: expected [x, y, z]');
  expect(await summaryText(page)).toContain('300 × 312 × 91');
  await expect(page.getByTestId('case-panel')).toContainText('No case file');
});
