import { expect, test, type Page } from '@playwright/test';

/**
 * The workspace at a classroom projector's 1280 × 800 and at 1600 × 1000 (issue 12): the fused
 * images large (at least twice the old 294 × 190 CSS px each), no main panel over another,
 * nothing of the fusion tile's bar over the images, a dismissable alert, disabled controls that
 * say why, and a labelled room.
 */
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1600, height: 1000 },
] as const;

const MAIN_PANELS = ['.toolbar', '#alert', '.statusbar', '#view-axial', '#view-sagittal', '#view-coronal', '#view-fusion', '#view-room', '.side'];

interface Box {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

const boxesOf = (page: Page, selectors: readonly string[]) =>
  page.evaluate(
    (list) =>
      list.flatMap((selector) => {
        const element = document.querySelector<HTMLElement>(selector);
        if (!element || element.hidden || element.getClientRects().length === 0) return [];
        const r = element.getBoundingClientRect();
        return [{ name: selector, x: r.x, y: r.y, width: r.width, height: r.height }];
      }),
    selectors,
  );

/** Pairs of boxes that overlap by more than half a pixel each way. */
function overlaps(boxes: readonly Box[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (w > 0.5 && h > 0.5) found.push(`${a.name} × ${b.name} (${w.toFixed(1)} × ${h.toFixed(1)} px)`);
    }
  }
  return found;
}

const sizeOf = (page: Page, id: string) =>
  page.evaluate((i) => {
    const r = document.getElementById(i)!.getBoundingClientRect();
    return { width: r.width, height: r.height };
  }, id);

async function openLumbar(page: Page) {
  await page.goto('/?seed=7');
  await page.waitForSelector('body[data-loaded]:not([data-busy])', { timeout: 60_000 });
  // The ultrasound canvas takes the probe's grid with the workers' first frame.
  await expect.poll(async () => Number((await page.locator('#us-canvas').getAttribute('data-frames')) ?? 0), { timeout: 60_000 }).toBeGreaterThan(0);
}

for (const size of SIZES) {
  test.describe(`at ${size.width} × ${size.height}`, () => {
    test.use({ viewport: size });

    test('the fused images are large, and no panel overlaps another or the images', async ({ page }) => {
      await openLumbar(page);
      for (const id of ['us-canvas', 'fusion-canvas']) {
        await expect.poll(async () => (await sizeOf(page, id)).width, { message: `${id} width` }).toBeGreaterThanOrEqual(2 * 294);
        expect((await sizeOf(page, id)).height, `${id} height`).toBeGreaterThanOrEqual(2 * 190);
      }
      expect(overlaps(await boxesOf(page, MAIN_PANELS))).toEqual([]);
      // Inside the fusion tile: the captions and the bar of status and controls beside, not over, the images.
      expect(overlaps(await boxesOf(page, ['#us-canvas', '#fusion-canvas', '#us-image-title', '#ct-image-title', '.fusion-bar']))).toEqual([]);
      // The page fits the window: no scrolling of the page itself.
      const page_ = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight, iw: innerWidth, ih: innerHeight }));
      expect(page_.w).toBeLessThanOrEqual(page_.iw);
      expect(page_.h).toBeLessThanOrEqual(page_.ih);
      await expect(page.getByTestId('us-image-title')).toHaveText('Ultrasound (simulated)');
      await expect(page.getByTestId('ct-image-title')).toHaveText('CT at the tracked plane (fusion)');
      await page.screenshot({ path: `test-results/layout-fusion-${size.width}.png` });

      // The other layout: the planning views large, still no overlap, every control still there.
      await page.getByTestId('workspace-planning').check();
      await expect.poll(async () => (await sizeOf(page, 'view-axial')).height).toBeGreaterThan(size.height * 0.35);
      expect(overlaps(await boxesOf(page, MAIN_PANELS))).toEqual([]);
      await expect(page.getByTestId('attempt-start')).toBeVisible();
      await expect(page.getByTestId('doppler-toggle')).toBeVisible();
      await page.screenshot({ path: `test-results/layout-planning-${size.width}.png` });
      await page.getByTestId('workspace-fusion').check();
      await expect.poll(async () => (await sizeOf(page, 'us-canvas')).width).toBeGreaterThanOrEqual(2 * 294);
    });

    test('the alert closes with its button; a disabled Start says why', async ({ page }) => {
      await openLumbar(page);
      // An out-of-range velocity scale raises an alert.
      await page.getByTestId('doppler-scale').fill('999');
      // Enter commits the value (a change event), so leaving the field later does not raise it again.
      await page.getByTestId('doppler-scale').press('Enter');
      const alert = page.locator('#alert');
      await expect(alert).toBeVisible();
      await expect(alert).toContainText('Velocity scale');
      await expect(alert).toHaveAttribute('data-kind', 'error');
      expect(overlaps(await boxesOf(page, MAIN_PANELS))).toEqual([]);
      await page.getByTestId('alert-close').click();
      await expect(alert).toBeHidden();

      // While an attempt runs, Start is disabled, and its title says why.
      const start = page.getByTestId('attempt-start');
      await expect(start).toBeEnabled();
      await start.click();
      await expect(start).toBeDisabled();
      expect((await start.getAttribute('title')) ?? '').not.toBe('');
      expect(await start.evaluate((b) => Number(getComputedStyle(b).opacity))).toBeLessThan(1);
    });

    test('the room labels what it shows', async ({ page }) => {
      await openLumbar(page);
      const labels = page.locator('#view-room .room-label');
      for (const text of ['Patient skin', 'Field generator', 'Working volume', 'CT table', 'Probe']) await expect(labels.filter({ hasText: text })).toHaveCount(1);
      // The labels do not take the pointer: Shift+click on the skin still reaches the canvas.
      expect(await labels.first().evaluate((l) => getComputedStyle(l).pointerEvents)).toBe('none');
    });
  });
}
