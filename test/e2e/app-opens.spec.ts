import { expect, test } from '@playwright/test';
import { openApp, readAt, summaryText, viewStatistics } from './helpers';

test('the simulator opens with the bundled case loaded in three planning views', async ({ page }) => {
  await openApp(page);
  const summary = await summaryText(page);
  expect(summary).toContain('Synthetic phantom: basic torso');
  expect(summary).toContain('192 × 192 × 60');
  expect(summary).toContain('1.8 × 1.8 × 3 mm');
  expect(summary).toMatch(/axial; rows → L, columns → P; HFS/);
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
  // The crosshair starts at the volume centre: (0, −18.5, −324) mm in LPS.
  await expect(page.getByTestId('overlay-axial')).toContainText('z = -324.0 mm');
  await expect(page.getByTestId('overlay-sagittal')).toContainText('x = 0.0 mm');

  // Hovering the axial view's centre reads the crosshair point and soft-tissue HU.
  const centre = await readAt(page, 'axial', 0.5, 0.5);
  expect(centre.lps[2]).toBeCloseTo(-324, 1);
  expect(Math.abs(centre.lps[0]!)).toBeLessThan(3);
  expect(centre.hu).toBeGreaterThan(-30);
  expect(centre.hu).toBeLessThan(100);

  // Clicking in the axial view moves the sagittal and coronal planes to that point.
  const box = (await page.locator('#view-axial').boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.5);
  const sagittalX = async () => Number(/x = (-?[\d.]+) mm/.exec((await page.getByTestId('overlay-sagittal').textContent()) ?? '')?.[1]);
  await expect.poll(sagittalX).toBeGreaterThan(40); // screen right is the patient's left (+x)

  // One wheel notch moves the axial plane by one slice (3 mm).
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.mouse.wheel(0, -100);
  // Wheel up brings the slice toward the viewer: the axial camera looks from the feet, so z falls.
  await expect(page.getByTestId('overlay-axial')).toContainText('z = -327.0 mm');

  await page.getByRole('button', { name: 'Bone' }).click();
  await expect(page.getByTestId('window-readout')).toHaveText('W 1800 / L 400');
  await page.getByRole('button', { name: 'Lung' }).click();
  await expect(page.getByTestId('window-readout')).toHaveText('W 1500 / L -600');

  // Right-drag changes window and level freely.
  await page.mouse.move(box.x + 100, box.y + 100);
  await page.mouse.down({ button: 'right' });
  await page.mouse.move(box.x + 150, box.y + 80, { steps: 4 });
  await page.mouse.up({ button: 'right' });
  await expect(page.getByTestId('window-readout')).toHaveText('W 1700 / L -520');
});
