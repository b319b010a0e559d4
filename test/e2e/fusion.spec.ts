import { expect, test, type Page } from '@playwright/test';
import { openApp } from './helpers';

const mm = async (page: Page, id: string) => Number.parseFloat((await page.getByTestId(id).textContent()) ?? 'NaN');

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
  expect([before.width, before.height]).toEqual([580, 376]);
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
  expect([pixels.width, pixels.height]).toEqual([380, 500]);
});
