import { expect, test, type Page } from '@playwright/test';
import { openApp } from './helpers';

const mm = async (page: Page, id: string) => Number.parseFloat((await page.getByTestId(id).textContent()) ?? 'NaN');

/** Every `stride`-th red value of the fusion canvas, as a string: changes when the image changes. */
const fusionFingerprint = (page: Page, stride = 499) =>
  page.evaluate((step) => {
    const canvas = document.querySelector<HTMLCanvasElement>('#fusion-canvas')!;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const out: number[] = [];
    for (let p = 0; p < data.length; p += 4 * step) out.push(data[p]!);
    return out.join(',');
  }, stride);

/** Mean grey level and a coarse fingerprint of the fusion canvas. */
const fusionPixels = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('#fusion-canvas')!;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    const fingerprint: number[] = [];
    for (let p = 0; p < data.length; p += 4) sum += data[p]!;
    for (let p = 0; p < data.length; p += 4 * 997) fingerprint.push(data[p]!);
    return { mean: sum / (data.length / 4), fingerprint, width: canvas.width, height: canvas.height };
  });

test('automatic registration with the external marker, then the CT follows the probe', async ({ page }) => {
  await page.goto('/?seed=11');
  await page.waitForSelector('body[data-loaded]:not([data-busy])');
  await expect(page.getByTestId('fusion-status')).toContainText('Not registered');
  await page.getByTestId('register-marker').click();
  await expect(page.getByTestId('fusion-status')).toContainText('tracking ok');
  const fre = await mm(page, 'registration-fre');
  const tre = await mm(page, 'registration-tre');
  const trueTre = await mm(page, 'registration-true-tre');
  expect(fre).toBeGreaterThan(0);
  expect(fre).toBeLessThan(2);
  expect(tre).toBeGreaterThan(0);
  expect(trueTre).toBeLessThan(3);

  // The fused view has the curvilinear probe's geometry and shows anatomy.
  const before = await fusionPixels(page);
  expect([before.width, before.height]).toEqual([574, 376]);
  expect(before.mean).toBeGreaterThan(20);

  // Tilting the probe from the keyboard reslices the CT.
  await page.locator('#view-fusion').click();
  for (let i = 0; i < 4; i++) await page.keyboard.press('w');
  await expect.poll(async () => (await fusionPixels(page)).fingerprint.join(',')).not.toBe(before.fingerprint.join(','));
  const frames = await page.evaluate(() => performance.getEntriesByName('fusion-frame').length);
  expect(frames).toBeGreaterThan(1);
  await page.screenshot({ path: 'test-results/fusion-lumbar.png' });
});

test('the hip case navigates with the linear probe', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('case-select').selectOption('hip');
  await page.getByRole('button', { name: 'Open case' }).click();
  await page.waitForFunction(() => !document.body.dataset.busy && document.body.dataset.loaded?.endsWith('.2.2'));
  await page.getByTestId('register-marker').click();
  await expect(page.getByTestId('fusion-status')).toContainText('Linear 7.5 MHz · tracking ok');
  expect(await mm(page, 'registration-fre')).toBeLessThan(2);
  const pixels = await fusionPixels(page);
  expect([pixels.width, pixels.height]).toEqual([380, 501]);
});

test('manual registration with 4 touched skin markers, and a badly touched one flagged as the outlier', async ({ page }) => {
  const { readFileSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  const caseFile = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../sample-dicom/lumbar/case.json'), 'utf8')) as {
    fiducials: { skinMarkers: { id: string; centre: number[] }[] };
  };
  await page.goto('/?seed=21');
  await page.waitForSelector('body[data-loaded]:not([data-busy])');
  await page.getByText('Manual point pairs').click();
  const beads = page.getByTestId('bead-list').locator('button');
  await expect(beads).toHaveCount(9); // 5 marker beads + 4 skin markers
  const beadPositions = (await beads.evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.lps!))).map((s) => s.split(',').map(Number));

  const pickAndTouch = async (slipOn?: string) => {
    for (const marker of caseFile.fiducials.skinMarkers) {
      // The trainee recognises which bead is which skin marker (here: the nearest to its listed place).
      const nearest = beadPositions
        .map((p, i) => ({ i, d: Math.hypot(p[0]! - marker.centre[0]!, p[1]! - marker.centre[1]!, p[2]! - marker.centre[2]!) }))
        .sort((a, b) => a.d - b.d)[0]!;
      await beads.nth(nearest.i).click();
      const row = page.locator(`tr[data-fiducial="${marker.id}"]`);
      await row.locator('button[data-action="pick"]').click();
      // A tracker sample can drop out (the app then asks to touch again), as with a real tracker.
      const touch = row.locator('button[data-action="touch"]');
      for (let attempt = 0; attempt < 3 && (await touch.textContent()) !== 'Touched ✓'; attempt++) {
        await touch.click({ modifiers: marker.id === slipOn ? ['Shift'] : [] });
      }
      await expect(touch).toHaveText('Touched ✓');
    }
    await page.getByTestId('register-pairs').click();
  };

  await pickAndTouch();
  const fre = Number.parseFloat((await page.getByTestId('registration-fre').textContent()) ?? 'NaN');
  expect(fre).toBeGreaterThan(0);
  expect(fre).toBeLessThan(3);
  await expect(page.locator('tr.outlier')).toHaveCount(0);
  await expect(page.getByTestId('fusion-status')).toContainText('tracking ok');

  await page.getByRole('button', { name: 'Clear pairs' }).click();
  await pickAndTouch('S3');
  await expect(page.locator('tr.outlier')).toHaveCount(1);
  await expect(page.locator('tr.outlier')).toHaveAttribute('data-fiducial', 'S3');
  await expect(page.getByRole('alert')).toContainText('Fiducial S3 disagrees with the others');
  await page.screenshot({ path: 'test-results/manual-registration.png' });
});

test('patient motion: the fusion follows with the reference sensor, not without', async ({ page }) => {
  await page.goto('/?seed=5');
  await page.waitForSelector('body[data-loaded]:not([data-busy])');
  await page.getByTestId('register-marker').click();
  await expect(page.getByTestId('fusion-status')).toContainText('tracking ok');
  await page.getByText('Instructor', { exact: true }).click();
  const snapshot = () =>
    page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('#fusion-canvas')!;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const out: number[] = [];
      for (let p = 0; p < data.length; p += 4 * 101) out.push(data[p]!);
      return out;
    });
  const difference = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
  const before = await snapshot();
  await page.getByTestId('move-patient').click();
  await page.waitForTimeout(400);
  const followed = await snapshot();
  // With the reference sensor the image barely changes (tracker noise only)…
  expect(difference(before, followed)).toBeLessThan(6);
  await page.getByTestId('reference-sensor').uncheck();
  await page.getByTestId('move-patient').click();
  await page.waitForTimeout(400);
  // …without it the CT no longer matches the probe.
  expect(difference(followed, await snapshot())).toBeGreaterThan(10);
});

test('plane + point registration from one touched landmark with the probe held axial', async ({ page }) => {
  await page.goto('/?seed=8');
  await page.waitForSelector('body[data-loaded]:not([data-busy])');
  await page.getByText('Manual point pairs').click();
  await page.getByTestId('plane-point').click();
  await expect(page.getByRole('alert')).toContainText('first pick one skin marker');
  // S1: go to its bead, pick, touch.
  const { readFileSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  const s1 = (JSON.parse(readFileSync(resolve(import.meta.dirname, '../../sample-dicom/lumbar/case.json'), 'utf8')) as { fiducials: { skinMarkers: { centre: number[] }[] } })
    .fiducials.skinMarkers[0]!.centre;
  const beads = page.getByTestId('bead-list').locator('button');
  const positions = (await beads.evaluateAll((b) => b.map((x) => (x as HTMLElement).dataset.lps!))).map((s) => s.split(',').map(Number));
  const nearest = positions.map((p, i) => ({ i, d: Math.hypot(p[0]! - s1[0]!, p[1]! - s1[1]!, p[2]! - s1[2]!) })).sort((a, b) => a.d - b.d)[0]!;
  await beads.nth(nearest.i).click();
  await page.locator('tr[data-fiducial="S1"] button[data-action="pick"]').click();
  const touch = page.locator('tr[data-fiducial="S1"] button[data-action="touch"]');
  for (let attempt = 0; attempt < 3 && (await touch.textContent()) !== 'Touched ✓'; attempt++) await touch.click();
  await expect(touch).toHaveText('Touched ✓');
  await page.getByTestId('plane-point').click();
  await expect(page.getByTestId('registration-tre')).toHaveText('—');
  // The true TRE appears once the registration is done ('—' before it, as the predicted TRE stays).
  await expect(page.getByTestId('registration-true-tre')).toHaveText(/\d/);
  const trueTre = Number.parseFloat((await page.getByTestId('registration-true-tre').textContent()) ?? 'NaN');
  expect(trueTre).toBeLessThan(6);
  await expect(page.getByTestId('fusion-status')).toContainText('tracking ok');
});

test('the 3D room shows the skin, and Shift+click on it puts the probe there', async ({ page }) => {
  await page.goto('/?seed=5');
  await page.waitForSelector('body[data-loaded]:not([data-busy])');
  await page.getByTestId('register-marker').click();
  await expect(page.getByTestId('fusion-status')).toContainText('tracking ok');
  const roomPixels = () =>
    page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('#view-room canvas')!;
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const context = copy.getContext('2d')!;
      context.drawImage(canvas, 0, 0);
      const { data } = context.getImageData(0, 0, copy.width, copy.height);
      let skin = 0;
      for (let p = 0; p < data.length; p += 4) if (data[p]! > 120 && data[p]! > data[p + 2]! + 30) skin++; // skin-coloured pixels
      return skin / (data.length / 4);
    });
  expect(await roomPixels()).toBeGreaterThan(0.05);
  const fingerprint = () => fusionFingerprint(page);
  const before = await fingerprint();
  const box = (await page.locator('#view-room').boundingBox())!;
  await page.keyboard.down('Shift');
  await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.5);
  await page.keyboard.up('Shift');
  await expect.poll(fingerprint).not.toBe(before);
  await page.screenshot({ path: 'test-results/room-view.png' });
});

test('the tracked needle is drawn on the fusion view and moves with the keys', async ({ page }) => {
  await page.goto('/?seed=5');
  await page.waitForSelector('body[data-loaded]:not([data-busy])');
  await page.getByTestId('register-marker').click();
  await page.getByTestId('needle-at-entry').click();
  await page.locator('#view-fusion').click();
  /** Count and centroid (px) of the needle's yellow pixels; the CT itself is grey. */
  const needlePixels = () =>
    page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('#fusion-canvas')!;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      let sx = 0;
      let sy = 0;
      for (let p = 0; p < data.length; p += 4) {
        if (data[p]! > 110 && data[p + 1]! > 90 && data[p]! - data[p + 2]! > 60) {
          count++;
          sx += (p / 4) % canvas.width;
          sy += Math.floor(p / 4 / canvas.width);
        }
      }
      return { count, x: sx / Math.max(1, count), y: sy / Math.max(1, count) };
    });
  await expect.poll(async () => (await needlePixels()).count).toBeGreaterThan(40);
  const before = await needlePixels();
  for (let i = 0; i < 8; i++) await page.keyboard.press('Shift+I');
  // Pushed 8 cm deeper, the needle's drawing moves down into the image.
  await expect
    .poll(async () => {
      const now = await needlePixels();
      return Math.hypot(now.x - before.x, now.y - before.y);
    })
    .toBeGreaterThan(30);
  // The in-plane indicator: the needle's angle to the image plane and the tip's distance from it.
  await expect(page.getByTestId('fusion-status')).toContainText(/needle \d+° to the plane, tip \d+\.\d mm/);
  await page.screenshot({ path: 'test-results/needle-fusion.png' });
});

test('an instructor sees the tracker settings and a larger static error moves the fused CT', async ({ page }) => {
  await page.goto('/?seed=5');
  await page.waitForSelector('body[data-loaded]:not([data-busy])');
  await page.getByTestId('register-marker').click();
  await expect(page.getByTestId('fusion-status')).toContainText('tracking ok');
  await page.getByText('Instructor', { exact: true }).click();
  const settings = page.getByTestId('tracker-settings');
  await expect(settings.locator('input[name="jitterMm"]')).toHaveValue('0.14');
  await expect(settings.locator('input[name="updateRateHz"]')).toHaveValue('40');
  const fingerprint = () => fusionFingerprint(page);
  await page.waitForTimeout(300);
  const before = await fingerprint();
  await settings.locator('input[name="staticErrorMm"]').fill('12');
  await settings.locator('input[name="staticErrorMm"]').press('Enter');
  await settings.locator('input[name="staticErrorMm"]').blur();
  await expect.poll(fingerprint).not.toBe(before);
  await page.screenshot({ path: 'test-results/instructor.png' });
});

test('the simulated ultrasound is computed in a worker beside the CT, and the CT can be blended onto it', async ({ page }) => {
  await page.goto('/?seed=5');
  await page.waitForSelector('body[data-loaded]:not([data-busy])');
  // The ultrasound needs no registration: it comes from where the probe truly is. Until its first
  // frame (the workers denoise the CT first) the pane says it is being prepared.
  await expect.poll(async () => Number((await page.locator('#us-canvas').getAttribute('data-frames')) ?? 0)).toBeGreaterThan(0);
  await expect(page.getByTestId('us-preparing')).toBeHidden();
  const usPixels = () =>
    page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('#us-canvas')!;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let sum = 0;
      for (let p = 0; p < data.length; p += 4) sum += data[p]!;
      return { mean: sum / (data.length / 4), width: canvas.width, height: canvas.height };
    });
  const plain = await usPixels();
  expect([plain.width, plain.height]).toEqual([574, 376]);
  expect(plain.mean).toBeGreaterThan(15);
  await page.getByTestId('register-marker').click();
  await expect(page.getByTestId('fusion-status')).toContainText('tracking ok');
  await page.getByTestId('overlay-opacity').fill('0.8');
  await page.getByTestId('overlay-opacity').dispatchEvent('input');
  await expect.poll(async () => Math.abs((await usPixels()).mean - plain.mean)).toBeGreaterThan(3);
  const synthesis = await page.evaluate(() => performance.getEntriesByName('ultrasound-frame').length);
  expect(synthesis).toBeGreaterThan(0);
});

test('scanner controls: the case probe preselected, and a shallower depth re-grids the image (its deep rows still show tissue, the image gets wider)', async ({ page }) => {
  await page.goto('/?seed=5');
  await page.waitForSelector('body[data-loaded]:not([data-busy])');
  await page.getByText('Scanner').click();
  const depth = page.locator('#scanner-settings input[name="depthMm"]');
  await expect(depth).toHaveValue('150');
  await expect(page.locator('#scanner-settings input[name="frequencyMHz"]')).toHaveValue('3.5');
  const deepMean = () =>
    page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('#us-canvas')!;
      // Rows 300–340 of 376: 12–13.6 cm deep at 15 cm, 6.4–7.3 cm at 8 cm (the depth fills the rows).
      const { data } = canvas.getContext('2d')!.getImageData(0, 300, canvas.width, 40);
      let sum = 0;
      for (let p = 0; p < data.length; p += 4) sum += data[p]!;
      return sum / (data.length / 4);
    });
  await expect.poll(async () => Number((await page.locator('#us-canvas').getAttribute('data-frames')) ?? 0)).toBeGreaterThan(0);
  await expect.poll(deepMean).toBeGreaterThan(5);
  const width = () => page.locator('#us-canvas').evaluate((c: HTMLCanvasElement) => c.width);
  const widthAt150 = await width();
  await depth.fill('80');
  await depth.press('Enter');
  await depth.blur();
  await expect.poll(width).toBeGreaterThan(widthAt150);
  await expect.poll(deepMean).toBeGreaterThan(5);
});

test('both images carry the depth scale, the needle with its trajectory and the target; the overlay takes a colour map', async ({ page }) => {
  await page.goto('/?seed=5');
  await page.waitForSelector('body[data-loaded]:not([data-busy])');
  await page.getByTestId('register-marker').click();
  await page.getByTestId('needle-at-entry').click();
  await page.locator('#view-fusion').click();
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+I');
  await expect.poll(async () => Number((await page.locator('#us-canvas').getAttribute('data-frames')) ?? 0)).toBeGreaterThan(1);
  /** Pixels of the trajectory's light blue, the depth scale's ticks at 1 cm steps (column 5), and the mean red − blue. */
  const marks = (id: string) =>
    page.evaluate((selector) => {
      const canvas = document.querySelector<HTMLCanvasElement>(selector)!;
      const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let trajectory = 0;
      let redMinusBlue = 0;
      for (let p = 0; p < data.length; p += 4) {
        if (data[p]! < 170 && data[p + 1]! > 170 && data[p + 2]! > 210) trajectory++;
        redMinusBlue += data[p]! - data[p + 2]!;
      }
      const ticks: number[] = [];
      for (let cm = 1; cm <= 14; cm++) {
        const row = Math.round((cm * 10) / 0.4);
        if (row < height) ticks.push(Math.max(...[row - 1, row, row + 1].filter((r) => r < height).map((r) => data[(r * width + 5) * 4]!)));
      }
      return { trajectory, ticks, redMinusBlue: redMinusBlue / (data.length / 4) };
    }, id);
  for (const id of ['#us-canvas', '#fusion-canvas']) {
    await expect.poll(async () => (await marks(id)).trajectory).toBeGreaterThan(15);
    // Every cm tick down to 14 cm is drawn (light grey on black).
    expect((await marks(id)).ticks.every((v) => v > 120)).toBe(true);
  }
  await page.getByTestId('overlay-opacity').fill('0.7');
  await page.getByTestId('overlay-opacity').dispatchEvent('input');
  await page.getByTestId('overlay-colour').selectOption('hot');
  await expect.poll(async () => (await marks('#us-canvas')).redMinusBlue).toBeGreaterThan(20);
  await page.getByTestId('overlay-colour').selectOption('grey');
  await expect.poll(async () => (await marks('#us-canvas')).redMinusBlue).toBeLessThan(5);
  await page.locator('#view-fusion').screenshot({ path: 'test-results/fused-annotations.png' });
});
