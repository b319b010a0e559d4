import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { validateCaseFile } from '../../src/core/cases/validateCaseFile';
import { openApp } from './helpers';

/** The authoring panel (a <details> in the side panel), opened. */
async function openPanel(page: Page): Promise<Locator> {
  const panel = page.getByTestId('case-authoring');
  if (!(await panel.evaluate((d: HTMLDetailsElement) => d.open))) await panel.locator('summary').click();
  return panel;
}

/** The crosshair the panel places items at (Ct mm, full precision). */
async function crosshairOf(panel: Locator): Promise<number[]> {
  return ((await panel.getByTestId('authoring-crosshair').getAttribute('data-lps')) ?? '').split(',').map(Number);
}

async function downloadOf(page: Page, click: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { download, bytes: readFileSync((await download.path())!) };
}

test('an instructor writes a case for the loaded CT: saved as case.json, restored after a reload, exported as a zip with the series', async ({ page }) => {
  await openApp(page);
  const panel = await openPanel(page);
  await panel.getByRole('button', { name: 'New draft for this CT' }).click();
  await expect(panel.getByTestId('authoring-status')).toContainText('New draft for this CT');
  // The draft belongs to the loaded series, with its patient position.
  const uid = await page.evaluate(() => document.body.dataset.loaded);
  await expect(panel).toContainText(uid!);
  await expect(panel.getByLabel('Patient position', { exact: true })).toHaveValue('HFP');

  // Saving an incomplete draft names each missing field in an alert, and downloads nothing.
  await panel.getByRole('button', { name: 'Save case.json' }).click();
  const problems = panel.getByRole('alert');
  await expect(problems).toContainText('title: expected a non-empty string');
  await expect(problems).toContainText('description: expected a non-empty string');
  await expect(problems).toContainText('targets: add at least one primary target');

  await panel.getByLabel('Id', { exact: true }).fill('authored-lumbar');
  await panel.getByLabel('Title', { exact: true }).fill('Authored lumbar case');
  await panel.getByLabel('Description', { exact: true }).fill('A target placed at the crosshair, one structure to avoid and one skin marker.');
  await panel.getByLabel('Name', { exact: true }).fill('Test procedure');
  await panel.getByLabel('Approach', { exact: true }).fill('Postero-lateral, in plane');

  // Move the crosshair by clicking the axial view, then place the items there.
  const before = await crosshairOf(panel);
  const box = (await page.locator('#view-axial').boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.56, box.y + box.height * 0.47);
  await expect.poll(async () => (await crosshairOf(panel)).join(',')).not.toBe(before.join(','));
  const crosshair = await crosshairOf(panel);
  expect(crosshair).toHaveLength(3);

  await panel.getByLabel('Target name', { exact: true }).fill('Authored target');
  await panel.getByRole('button', { name: 'Add target at crosshair' }).click();
  await panel.getByLabel('Structure name', { exact: true }).fill('Authored vessel');
  await panel.getByLabel('Structure kind', { exact: true }).selectOption('artery');
  await panel.getByLabel('Structure radius (mm)', { exact: true }).fill('6');
  await panel.getByRole('button', { name: 'Add sphere at crosshair' }).click();
  await panel.getByRole('button', { name: 'Add skin marker at crosshair' }).click();
  await expect(panel.getByTestId('authoring-targets')).toContainText('5 mm at');
  await expect(panel.getByTestId('authoring-avoid')).toContainText('sphere 6 mm');
  await expect(panel.getByTestId('authoring-skin-markers').locator('li')).toHaveCount(1);
  await expect(problems).toBeHidden();

  const saved = await downloadOf(page, () => panel.getByRole('button', { name: 'Save case.json' }).click());
  expect(saved.download.suggestedFilename()).toBe('case.json');
  const validation = validateCaseFile(JSON.parse(saved.bytes.toString('utf8')));
  if (!validation.ok) throw new Error(validation.errors.join('\n'));
  const caseFile = validation.caseFile;
  expect(caseFile.id).toBe('authored-lumbar');
  expect(caseFile.series.seriesInstanceUid).toBe(uid);
  expect(caseFile.targets).toHaveLength(1);
  const target = caseFile.targets[0]!;
  expect(target).toMatchObject({ name: 'Authored target', priority: 'primary', acceptanceRadiusMm: 5 });
  target.centre.forEach((v, i) => expect(Math.abs(v - crosshair[i]!)).toBeLessThanOrEqual(0.01));
  expect(caseFile.avoid).toHaveLength(1);
  expect(caseFile.avoid[0]).toMatchObject({ name: 'Authored vessel', kind: 'artery', shape: { type: 'sphere', radiusMm: 6 }, acoustic: { medium: 'blood' } });
  expect(caseFile.fiducials.skinMarkers).toHaveLength(1);
  expect(caseFile.fiducials.skinMarkers[0]!.id).toBe('S1');
  await page.screenshot({ path: 'test-results/authoring-draft.png' });

  // Every edit was autosaved: a reload restores the draft for this series.
  await expect(panel.locator('[data-autosave="saved"]')).toBeAttached();
  await page.reload();
  await page.waitForSelector('body[data-loaded]:not([data-busy])', { timeout: 60_000 });
  const restored = page.getByTestId('case-authoring');
  await expect(restored.getByTestId('authoring-status')).toContainText('Draft restored from');
  await expect(restored).toHaveJSProperty('open', true);
  await expect(restored.getByLabel('Title', { exact: true })).toHaveValue('Authored lumbar case');
  await expect(restored.getByTestId('authoring-targets')).toContainText('5 mm at');

  // Export: case.json and the 81 DICOM files of the series, as loaded.
  const zipped = await downloadOf(page, () => restored.getByRole('button', { name: 'Export zip' }).click());
  expect(zipped.download.suggestedFilename()).toBe('authored-lumbar.zip');
  const entries = unzipSync(new Uint8Array(zipped.bytes));
  const names = Object.keys(entries);
  expect(names).toContain('authored-lumbar/case.json');
  expect(names.filter((n) => n.endsWith('.dcm'))).toHaveLength(81);
  expect(names).toHaveLength(82);
  const inZip = validateCaseFile(JSON.parse(strFromU8(entries['authored-lumbar/case.json']!)));
  expect(inZip.ok && inZip.caseFile.targets[0]!.centre).toEqual(target.centre);
  const original = new Uint8Array(await (await page.request.get('/sample-dicom/lumbar/CT0001.dcm')).body());
  expect(entries['authored-lumbar/CT0001.dcm']).toEqual(original);
  await expect(restored.getByTestId('authoring-status')).toContainText('81 DICOM files');

  // "Use this case now" opens it on the running app.
  await restored.getByRole('button', { name: 'Use this case now' }).click();
  await expect(page.getByTestId('case-panel')).toContainText('Authored lumbar case');
  await expect(page.getByTestId('case-panel')).toContainText('Authored target');
  await page.screenshot({ path: 'test-results/authoring-used.png' });
});

test('a draft can start as a copy of the open case; a tube is drawn point by point', async ({ page }) => {
  await openApp(page);
  const panel = await openPanel(page);
  await panel.getByRole('button', { name: 'Edit a copy of the loaded case' }).click();
  await expect(panel.getByLabel('Title', { exact: true })).toHaveValue(/Lumbar intradiscal injection/);
  await expect(panel.getByTestId('authoring-targets').locator('li')).toHaveCount(8);
  await expect(panel.getByTestId('authoring-marker')).toContainText('5 beads');

  // A tube needs two different points: the same crosshair twice is refused.
  await panel.getByLabel('Structure name', { exact: true }).fill('Drawn vein');
  await panel.getByLabel('Structure kind', { exact: true }).selectOption('vein');
  await panel.getByRole('button', { name: 'Start tube at crosshair' }).click();
  await panel.getByRole('button', { name: 'Add tube point 2 at crosshair' }).click();
  await expect(panel.getByRole('alert')).toContainText('still on the last point');
  const box = (await page.locator('#view-sagittal').boundingBox())!;
  const first = await crosshairOf(panel);
  await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.3);
  // cornerstone's crosshairs tool moves the cameras, then the app reads the new crosshair from them.
  await expect.poll(async () => (await crosshairOf(panel)).join(',')).not.toBe(first.join(','));
  await panel.getByRole('button', { name: 'Add tube point 2 at crosshair' }).click();
  await panel.getByRole('button', { name: 'Finish tube' }).click();
  await expect(panel.getByTestId('authoring-avoid')).toContainText('tube 5 mm, 2 points');

  // Removing an item takes it off the list (and off the saved file).
  const count = await panel.getByTestId('authoring-avoid').locator('li').count();
  await panel.getByRole('button', { name: 'Remove Drawn vein' }).click();
  await expect(panel.getByTestId('authoring-avoid').locator('li')).toHaveCount(count - 1);
  const saved = await downloadOf(page, () => panel.getByRole('button', { name: 'Save case.json' }).click());
  const validation = validateCaseFile(JSON.parse(saved.bytes.toString('utf8')));
  expect(validation.ok).toBe(true);
});
