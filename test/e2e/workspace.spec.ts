import { expect, test, type Page } from '@playwright/test';
import { readAt } from './helpers';

/**
 * The planning workspace (issue 12): cornerstone3D tools on the planning views, the CT-pass
 * viewer scrolling, windowing and oriented as the planning axial, and the navigation overlay.
 * Uses the test hook `window.__planning` (src/app/viewer/planningInteraction.ts).
 */
// The page's objects, reached through the hook inside page.evaluate, where the app's private
// members and cornerstone's viewports are read too: typed loosely on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Hook = { views: any; interaction: any };

async function openLumbar(page: Page) {
  await page.goto('/?seed=7');
  await page.waitForSelector('body[data-loaded]:not([data-busy])');
}

const sliceIndex = async (page: Page, view: string) => Number(await page.getByTestId(`slice-${view}`).textContent());

test('the planning views use the tools: wheel scrolls, W/L drags, a length reads true mm, an angle reads degrees', async ({ page }) => {
  await openLumbar(page);
  const box = (await page.locator('#view-axial').boundingBox())!;
  await expect(page.getByTestId('tool-crosshairs')).toHaveAttribute('aria-pressed', 'true');

  // Wheel: one slice per notch, the crosshair (and the other views' lines) follow.
  const before = await sliceIndex(page, 'axial');
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page.mouse.wheel(0, 100);
  await expect.poll(() => sliceIndex(page, 'axial')).not.toBe(before);
  const after = await sliceIndex(page, 'axial');
  expect(Math.abs(after - before)).toBe(1);
  const z = await page.evaluate(() => (window as unknown as { __planning: Hook }).__planning.interaction.crosshair()[2]);
  expect(Math.abs(z - -24.6)).toBeCloseTo(2.5, 0); // one 2.5 mm slice from the target's plane

  // Window/level: the W/L tool on the left button; the readout follows, the three views share it.
  await page.getByTestId('tool-window').click();
  await expect(page.getByTestId('window-readout')).toHaveText('W 400 / L 40');
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3 + 60, box.y + box.height * 0.3 + 30, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByTestId('window-readout')).not.toHaveText('W 400 / L 40');
  const voi = await page.evaluate(() => {
    const { views } = (window as unknown as { __planning: Hook }).__planning;
    return ['axial', 'sagittal', 'coronal'].map((n) => views.viewport(n).getProperties().voiRange);
  });
  expect(voi[1]).toEqual(voi[0]);
  expect(voi[2]).toEqual(voi[0]);

  // Right drag zooms (whatever the left tool), the wheel still scrolls.
  const scale = () => page.evaluate(() => (window as unknown as { __planning: Hook }).__planning.views.viewport('axial').getCamera().parallelScale as number);
  const scaleBefore = await scale();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6);
  await page.mouse.down({ button: 'right' });
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6 + 40, { steps: 5 });
  await page.mouse.up({ button: 'right' });
  await expect.poll(scale).not.toBeCloseTo(scaleBefore, 3);
  await page.keyboard.press('r'); // reset zoom and the crosshair
  // The reset reaches the cameras asynchronously: measure only once the view is back to its fit.
  await expect.poll(scale).toBeCloseTo(scaleBefore, 3);

  // Length: a horizontal segment. The truth: the pixel distance × mm per pixel, from the camera
  // (2·parallelScale mm span the canvas height), checked against the volume's 0.9 mm voxels: the
  // view fits the 400-voxel-wide (360 mm) slice across its width.
  await page.getByTestId('tool-length').click();
  // Inside the slice (a tall view shows air above and below it).
  const a = [box.x + box.width * 0.25, box.y + box.height * 0.35] as const;
  const b = [box.x + box.width * 0.75, box.y + box.height * 0.35] as const;
  const hover = await readAt(page, 'axial', 0.5, 0.2);
  expect(Number.isFinite(hover.lps[0])).toBe(true);
  await page.mouse.move(a[0], a[1]);
  await page.mouse.down();
  // The tool creates its annotation on the first move: give it that moment, or a busy page drops the
  // start of the drag and the segment begins a step later.
  await page.mouse.move(a[0] + 1, a[1]);
  await page.waitForTimeout(150);
  await page.mouse.move(b[0], b[1], { steps: 10 });
  await page.waitForTimeout(150);
  await page.mouse.up();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __planning: Hook }).__planning.interaction.measurements().length)).toBe(1);
  const [length] = await page.evaluate(() => (window as unknown as { __planning: Hook }).__planning.interaction.measurements());
  // The known answer: the tool's millimetres are the LPS distance between its two handles, and the
  // segment lies along the axial's x (horizontal on screen); the view fits the 400-voxel slice.
  const voxelsAcross = await page.evaluate(() => {
    const { views, interaction } = (window as unknown as { __planning: Hook }).__planning;
    const element = views.element('axial');
    const mmPerPixel = (2 * views.viewport('axial').getCamera().parallelScale) / element.clientHeight;
    return (element.clientWidth * mmPerPixel) / interaction.volume.geometry.spacingMm[0];
  });
  expect(voxelsAcross).toBeGreaterThanOrEqual(399);
  expect(length.tool).toBe('Length');
  const [p0, p1] = length.points as number[][];
  expect(Math.abs(length.value - Math.hypot(p1![0]! - p0![0]!, p1![1]! - p0![1]!, p1![2]! - p0![2]!))).toBeLessThan(0.05);
  expect(Math.abs(p1![1]! - p0![1]!)).toBeLessThan(1);
  expect(Math.abs(p1![2]! - p0![2]!)).toBeLessThan(0.01);
  expect(length.value).toBeGreaterThan(50);
  await expect(page.locator('#view-axial svg text', { hasText: ' mm' }).first()).toBeVisible();

  // Angle: three clicks, a right angle within a degree.
  await page.getByTestId('tool-angle').click();
  const c = [box.x + box.width * 0.5, box.y + box.height * 0.75] as const;
  const dy = 80;
  await page.mouse.click(c[0] + 80, c[1]);
  await page.mouse.click(c[0], c[1]);
  await page.mouse.click(c[0], c[1] - dy);
  await expect.poll(() => page.evaluate(() => (window as unknown as { __planning: Hook }).__planning.interaction.measurements().length)).toBe(2);
  const angle = (await page.evaluate(() => (window as unknown as { __planning: Hook }).__planning.interaction.measurements()))[1];
  expect(angle.tool).toBe('Angle');
  expect(Math.abs(angle.value - 90)).toBeLessThan(1);
  await page.getByTestId('tool-crosshairs').click();
  await page.screenshot({ path: 'test-results/workspace-measurements.png' });
});

/** Mean grey of a square of a canvas's pixels (2D context or WebGL-backed 2D copy). */
async function meanGrey(page: Page, selector: string, x: number, y: number, half = 4): Promise<number> {
  return page.evaluate(
    ({ selector, x, y, half }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(selector)!;
      const { data } = canvas.getContext('2d')!.getImageData(Math.round(x - half), Math.round(y - half), 2 * half + 1, 2 * half + 1);
      let sum = 0;
      for (let p = 0; p < data.length; p += 4) sum += data[p]!;
      return sum / (data.length / 4);
    },
    { selector, x, y, half },
  );
}

test('the CT-pass axial has the planning axial orientation (the marker at patient right-posterior is lower left in both), scrolls and windows', async ({ page }) => {
  await openLumbar(page);
  await page.getByTestId('attempt-mode').selectOption('ct');
  await page.getByTestId('attempt-start').click();
  await page.getByTestId('plan-reviewed').click();
  await page.getByTestId('ct-pass').click();
  await expect(page.getByTestId('ctpass-panel')).toBeVisible();
  const canvas = page.getByTestId('ctpass-axial');
  await expect(canvas).toHaveAttribute('data-slice', /\d+/);
  const slice = Number(await canvas.getAttribute('data-slice'));

  // The marker block's centre (the mean of its beads: patient right, posterior) at this slice's z.
  const marker = { x: -70.5, y: 130.3 };
  const geometry = await page.evaluate((k) => {
    const { interaction } = (window as unknown as { __planning: Hook }).__planning;
    const g = interaction.volume.geometry;
    const z = g.originInCt[2] + k * g.spacingMm[2] * g.axesInCt[2][2];
    return { z, columns: 0 };
  }, slice);
  // CT-pass pixels: the plane is centred on the slice's middle column (x 0.05, y 20.45), 0.9 mm pixels,
  // right = +x (patient left), down = +y (posterior), if oriented as the planning axial.
  const size = await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
  const pixel = (x: number, y: number) => [(size[0]! - 1) / 2 + (x - 0.05) / 0.9, (size[1]! - 1) / 2 + (y - 20.45) / 0.9] as const;
  const [mx, my] = pixel(marker.x, marker.y);
  const [ox, oy] = pixel(-marker.x, marker.y); // the mirror point: air beside the patient's left back
  const ctPassMarker = await meanGrey(page, '[data-testid="ctpass-axial"]', mx, my);
  const ctPassMirror = await meanGrey(page, '[data-testid="ctpass-axial"]', ox, oy);
  expect(ctPassMarker).toBeGreaterThan(ctPassMirror + 60);

  // The planning axial through the same slice: the marker is where worldToCanvas puts it, lower left.
  const planning = await page.evaluate(
    ({ z, marker }) => {
      const { interaction, views } = (window as unknown as { __planning: Hook }).__planning;
      interaction.setCrosshair([0, 20, z]);
      const viewport = views.viewport('axial');
      const at = viewport.worldToCanvas([marker.x, marker.y, z]);
      const mirror = viewport.worldToCanvas([-marker.x, marker.y, z]);
      return { at, mirror, width: views.element('axial').clientWidth, height: views.element('axial').clientHeight };
    },
    { z: geometry.z, marker },
  );
  expect(planning.at[0]).toBeLessThan(planning.width / 2);
  expect(planning.at[1]).toBeGreaterThan(planning.height / 2);
  await page.waitForTimeout(300);
  const ratio = await page.evaluate(() => window.devicePixelRatio);
  const planningMarker = await meanGrey(page, '#view-axial canvas.cornerstone-canvas', planning.at[0] * ratio, planning.at[1] * ratio);
  const planningMirror = await meanGrey(page, '#view-axial canvas.cornerstone-canvas', planning.mirror[0] * ratio, planning.mirror[1] * ratio);
  expect(planningMarker).toBeGreaterThan(planningMirror + 60);
  // And the CT-pass image is on screen the same way round: pixel column ∝ screen x.
  expect(mx).toBeLessThan(size[0]! / 2);

  // Wheel scrolls one slice, drag windows, double click returns to the pass.
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 100);
  await expect.poll(async () => Math.abs(Number(await canvas.getAttribute('data-slice')) - slice)).toBe(1);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 50, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect(canvas).toHaveAttribute('data-window', '600/40');
  await canvas.dblclick();
  await expect(canvas).toHaveAttribute('data-slice', String(slice));
  await expect(canvas).toHaveAttribute('data-window', '400/40');
  await page.getByTestId('ctpass-panel').screenshot({ path: 'test-results/workspace-ctpass.png' });
});

test('the navigation overlay draws the navigated needle, its trajectory, the ultrasound plane and structures, and follows the tip', async ({ page }) => {
  await openLumbar(page);
  // The app's own path: registered, the probe along the planned path, the needle pushed in; the
  // views draw what the navigation shows (tracked, through the registration) and follow its tip.
  await page.getByTestId('attempt-start').click();
  await page.getByTestId('register-marker').click();
  await page.getByTestId('align-probe').click();
  await page.getByTestId('needle-at-plan').click();
  for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+I');
  await page.waitForTimeout(800);
  const result = await page.evaluate(() => {
    const { interaction, views } = (window as unknown as { __planning: Hook }).__planning;
    const tip = interaction.crosshair();
    return { crosshair: tip, tip, at: views.viewport('axial').worldToCanvas(tip) };
  });
  // Follow: the slices (and the crosshair) went to the tip.
  for (let i = 0; i < 3; i++) expect(result.crosshair[i]).toBeCloseTo(result.tip[i]!, 1);
  await page.waitForTimeout(300);
  const needlePixels = (view: string, at: number[], half: number) =>
    page.evaluate(
      ({ view, at, half }) => {
        const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="nav-overlay-${view}"]`)!;
        const r = window.devicePixelRatio;
        const { data } = canvas
          .getContext('2d')!
          .getImageData(Math.round((at[0]! - half) * r), Math.round((at[1]! - half) * r), Math.round(2 * half * r), Math.round(2 * half * r));
        let yellow = 0;
        let any = 0;
        for (let p = 0; p < data.length; p += 4) {
          if (data[p + 3]! > 0) any++;
          if (data[p]! > 200 && data[p + 1]! > 170 && data[p + 2]! < 120 && data[p + 3]! > 200) yellow++;
        }
        return { yellow, any };
      },
      { view, at, half },
    );
  const atTip = await needlePixels('axial', result.at, 8);
  expect(atTip.yellow).toBeGreaterThan(20);
  // A corner far from everything stays clear.
  expect((await needlePixels('axial', [12, 200], 6)).any).toBe(0);
  // Sagittal and coronal draw too; the ultrasound plane's line is orange somewhere in the axial.
  const orange = await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="nav-overlay-axial"]')!;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let p = 0; p < data.length; p += 4) if (data[p]! > 230 && data[p + 1]! > 120 && data[p + 1]! < 180 && data[p + 2]! < 90 && data[p + 3]! > 200) n++;
    return n;
  });
  expect(orange).toBeGreaterThan(30);
  for (const view of ['sagittal', 'coronal']) {
    const at = await page.evaluate(
      (v) => (window as unknown as { __planning: Hook }).__planning.views.viewport(v).worldToCanvas((window as unknown as { __planning: Hook }).__planning.interaction.crosshair()),
      view,
    );
    expect((await needlePixels(view, at, 8)).yellow).toBeGreaterThan(20);
  }
  await page.locator('#views').screenshot({ path: 'test-results/workspace-navigation.png' });

  // A structure chosen in the plan panel is drawn outlined. (Its cost is for `npm run bench`, not a test.)
  await page.evaluate(() => (window as unknown as { __planning: Hook }).__planning.interaction.showStructure('dural-sac'));
  const red = await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="nav-overlay-axial"]')!;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let p = 0; p < data.length; p += 4) if (data[p + 3]! > 0) n++;
    return n;
  });
  expect(red).toBeGreaterThan(50);
  await page.locator('#views').screenshot({ path: 'test-results/workspace-structure.png' });
});
