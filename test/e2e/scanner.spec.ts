import { expect, test, type Page } from '@playwright/test';

/** The scanner's tests: depth re-grids both panes, the status shows the frequency in use, colour Doppler on the hip. */

async function openLumbar(page: Page, seed = 5) {
  await page.goto(`/?seed=${seed}`);
  await page.waitForSelector('body[data-loaded]:not([data-busy])');
}

async function setScanner(page: Page, name: string, value: string) {
  const details = page.getByTestId('scanner-controls');
  if (!(await details.getAttribute('open'))) await page.getByText('Scanner').click();
  const input = page.locator(`#scanner-settings input[name="${name}"]`);
  await input.fill(value);
  await input.press('Enter');
  await input.blur();
}

/** Rows of the depth scale's major (1 cm) ticks on a canvas: the tick's blue-grey (#c8d2dc) at column 10, where grey B-mode has r = b. */
const majorTicks = (page: Page, id: string) =>
  page.evaluate((selector) => {
    const canvas = document.querySelector<HTMLCanvasElement>(selector)!;
    const { data } = canvas.getContext('2d')!.getImageData(10, 0, 1, canvas.height);
    const rows: number[] = [];
    for (let r = 0; r < canvas.height; r++) if (data[r * 4]! > 150 && data[r * 4 + 2]! - data[r * 4]! > 12) rows.push(r);
    return { rows, width: canvas.width, height: canvas.height };
  }, `#${id}`);

/** Mean grey of the ultrasound's bottom tenth (the deep image) and the canvas size. */
const deepMean = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('#us-canvas')!;
    const rows = Math.round(canvas.height / 10);
    const { data } = canvas.getContext('2d')!.getImageData(0, canvas.height - rows - 2, canvas.width, rows);
    let sum = 0;
    for (let p = 0; p < data.length; p += 4) sum += data[p]!;
    return sum / (data.length / 4);
  });

test('depth re-grids the image: at 80 mm the fan fills the pane and the CT pane shares its scale (same depth ticks)', async ({ page }) => {
  await openLumbar(page);
  await page.getByTestId('register-marker').click();
  await expect(page.getByTestId('fusion-status')).toContainText('tracking ok');
  await expect.poll(async () => Number((await page.locator('#us-canvas').getAttribute('data-frames')) ?? 0)).toBeGreaterThan(0);
  const before = await majorTicks(page, 'fusion-canvas');
  // 15 cm: 16 major ticks (0…15 cm).
  expect(before.rows).toHaveLength(16);
  await setScanner(page, 'depthMm', '80');
  await expect(page.getByTestId('fusion-status')).toContainText('depth 8 cm');
  await expect.poll(async () => (await majorTicks(page, 'us-canvas')).rows.length).toBe(9);
  const us = await majorTicks(page, 'us-canvas');
  const ct = await majorTicks(page, 'fusion-canvas');
  // The same grid and the same ticks: 0…8 cm over the whole height (1 cm = 375/8 px).
  expect([ct.width, ct.height]).toEqual([us.width, us.height]);
  expect(ct.rows).toEqual(us.rows);
  expect(us.rows.at(-1)! - us.rows[0]!).toBeGreaterThan(us.height - 4);
  expect(us.width).toBeGreaterThan(before.width);
  // The fan reaches the bottom of the image (it used to end at 8 cm of a 15 cm image).
  await expect.poll(() => deepMean(page)).toBeGreaterThan(3);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.locator('#view-fusion').screenshot({ path: 'test-results/scanner-depth-80-1600.png' });
});

test('the status line shows the frequency in use', async ({ page }) => {
  await openLumbar(page);
  await page.getByTestId('register-marker').click();
  await expect(page.getByTestId('fusion-status')).toContainText('Curvilinear 3.5 MHz · tracking ok');
  await setScanner(page, 'frequencyMHz', '8');
  await expect(page.getByTestId('fusion-status')).toContainText('Curvilinear 8 MHz · tracking ok');
});

async function openHip(page: Page, seed = 7) {
  await openLumbar(page, seed);
  await page.getByTestId('case-select').selectOption('hip');
  await page.getByRole('button', { name: 'Open case' }).click();
  await page.waitForFunction(() => !document.body.dataset.busy && document.body.dataset.loaded?.endsWith('.2.2'));
}

/** Red (towards) and blue (away) Doppler pixels on the ultrasound canvas. */
const dopplerColours = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('#us-canvas')!;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let red = 0;
    let blue = 0;
    for (let p = 0; p < data.length; p += 4) {
      const [r, g, b] = [data[p]!, data[p + 1]!, data[p + 2]!];
      if (r > 100 && b === 0 && r > g + 20) red++;
      if (b > 100 && r === 0 && b > g + 20) blue++;
    }
    return { red, blue };
  });

test('colour Doppler maps the femoral vessels on the hip: red and blue in the box, and the checklist step completes', async ({ page }) => {
  test.setTimeout(120_000);
  await openHip(page);
  await page.getByTestId('attempt-mode').selectOption('fusion');
  await page.getByTestId('attempt-start').click();
  await page.getByTestId('plan-reviewed').click();
  await page.getByTestId('register-marker').click();
  await expect.poll(() => page.locator('#checklist [data-step="doppler"]').getAttribute('data-state')).toBe('current');
  const tile = page.locator('#view-fusion');
  await tile.focus();
  // From over the hip recess, slide medially (+x, the patient's left is the array's marked side) over the bundle, then tilt for an angle to the flow.
  for (let i = 0; i < 29; i++) await page.keyboard.press('ArrowRight');
  for (let i = 0; i < 10; i++) await page.keyboard.press('w');
  await page.getByTestId('doppler-toggle').click();
  await expect(page.getByTestId('doppler-toggle')).toHaveAttribute('aria-pressed', 'true');
  await tile.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press(']');
  await page.setViewportSize({ width: 1600, height: 1000 });
  await expect.poll(async () => (await dopplerColours(page)).red, { timeout: 20_000 }).toBeGreaterThan(50);
  await page.locator('#us-canvas').screenshot({ path: 'test-results/scanner-doppler-systole-1600.png' });
  await expect.poll(async () => (await dopplerColours(page)).blue, { timeout: 20_000 }).toBeGreaterThan(50);
  await expect.poll(() => page.locator('#checklist [data-step="doppler"]').getAttribute('data-state')).toBe('done');
  await page.locator('#view-fusion').screenshot({ path: 'test-results/scanner-doppler-hip-1600.png' });
  await page.screenshot({ path: 'test-results/scanner-doppler-hip-page-1600.png' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: 'test-results/scanner-doppler-hip-page-1280.png' });
  // The key turns it off: no colour left.
  await tile.focus();
  await page.keyboard.press('c');
  await expect(page.getByTestId('doppler-toggle')).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(async () => (await dopplerColours(page)).red).toBe(0);
});
