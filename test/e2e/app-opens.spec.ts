import { expect, test } from '@playwright/test';
import { openApp, readAt, summaryText, viewStatistics } from './helpers';

test('the simulator opens with the bundled case loaded in three planning views', async ({ page }) => {
  await openApp(page);
  const summary = await summaryText(page);
  expect(summary).toContain('Synthetic phantom: lumbar spine L1-S1, prone');
  expect(summary).toContain('400 × 310 × 81');
  expect(summary).toContain('0.9 × 0.9 × 2.5 mm');
  // Prone: rows run to the patient's right, columns anterior.
  expect(summary).toMatch(/axial; rows → R, columns → A; HFP/);
  await expect(page.getByRole('alert')).toBeHidden();

  // Every view shows an image, not a black or uniform canvas.
  for (const view of ['axial', 'sagittal', 'coronal'] as const) {
    const stats = await viewStatistics(page, view);
    expect(stats.sd, `${view} view contrast`).toBeGreaterThan(20);
  }
  const loadTime = await page.evaluate(() => performance.getEntriesByName('ct-load').map((e) => e.duration));
  expect(loadTime.length).toBe(1);
  await page.screenshot({ path: 'test-results/app-opens.png' });
});

test('crosshair, scrolling, window presets and the cursor readout work', async ({ page }) => {
  await openApp(page);
  // The lumbar case opens on its primary target, the L4–L5 nucleus centre (0, 21.9, −24.6) mm.
  await expect(page.getByTestId('overlay-axial')).toContainText('z = -24.6 mm');
  await expect(page.getByTestId('overlay-sagittal')).toContainText('x = 0.0 mm');
  await expect(page.getByTestId('overlay-sagittal')).toContainText('L4–L5 disc, nucleus centre');

  // The axial view is centred on the volume's middle column, (0, 20.45) mm: inside the L4–L5
  // disc on this plane, so the readout gives disc HU (nucleus 60–90, annulus 80–120, noise 14).
  const centre = await readAt(page, 'axial', 0.5, 0.5);
  expect(centre.lps[2]).toBeCloseTo(-24.6, 1);
  expect(Math.abs(centre.lps[0]!)).toBeLessThan(3);
  expect(centre.hu).toBeGreaterThan(30);
  expect(centre.hu).toBeLessThan(160);

  // Clicking in the axial view (off the crosshair lines, which a click would grab) moves the
  // sagittal and coronal planes to that point.
  const box = (await page.locator('#view-axial').boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.4);
  const sagittalX = async () => Number(/x = (-?[\d.]+) mm/.exec((await page.getByTestId('overlay-sagittal').textContent()) ?? '')?.[1]);
  await expect.poll(sagittalX).toBeGreaterThan(40); // screen right is the patient's left (+x)

  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.mouse.wheel(0, -100);
  // Wheel up brings the slice toward the viewer: the axial camera looks from the feet, so z falls
  // by one slice; cornerstone's StackScrollTool lands on the next slice centre (z = −105 + 2.5 k),
  // −27.5 mm, below the target's −24.6 mm.
  await expect(page.getByTestId('overlay-axial')).toContainText('z = -27.5 mm');

  await page.getByRole('button', { name: 'Bone' }).click();
  await expect(page.getByTestId('window-readout')).toHaveText('W 1800 / L 400');
  await page.getByRole('button', { name: 'Lung' }).click();
  await expect(page.getByTestId('window-readout')).toHaveText('W 1500 / L -600');

  // The window/level tool on the left button changes window and level freely (right drag zooms
  // now, as in radiology viewers): dragging right widens, dragging up lowers the level.
  await page.getByTestId('tool-window').click();
  await page.mouse.move(box.x + 100, box.y + 100);
  await page.mouse.down();
  await page.mouse.move(box.x + 150, box.y + 80, { steps: 4 });
  await page.mouse.up();
  const [width, level] = /W (-?\d+) \/ L (-?\d+)/
    .exec((await page.getByTestId('window-readout').textContent()) ?? '')!
    .slice(1)
    .map(Number);
  expect(width).toBeGreaterThan(1500);
  expect(level).not.toBe(-600);
});
