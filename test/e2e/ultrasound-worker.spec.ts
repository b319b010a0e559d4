import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

const frames = (page: import('@playwright/test').Page) => page.evaluate(() => Number(document.querySelector<HTMLCanvasElement>('[data-testid="us-canvas"]')!.dataset.frames ?? 0));

test('an ultrasound worker that fails is reported and replaced: the next probe move computes a frame again', async ({ page }) => {
  const workers: import('@playwright/test').Worker[] = [];
  page.on('worker', (worker) => workers.push(worker));
  await openApp(page);
  await expect.poll(() => frames(page), { timeout: 60_000 }).toBeGreaterThan(0);
  const usWorkers = workers.filter((w) => w.url().includes('ultrasound'));
  expect(usWorkers.length).toBeGreaterThan(0);
  // A real failure inside the worker: an exception nobody catches (as a bug in the synthesis would be).
  await usWorkers[0]!.evaluate(() =>
    setTimeout(() => {
      throw new Error('injected failure');
    }, 0),
  );
  await expect(page.getByRole('alert')).toContainText('could not compute this frame (', { timeout: 30_000 });
  await expect(page.getByRole('alert')).toContainText('restarted');
  const before = await frames(page);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => frames(page), { timeout: 60_000 }).toBeGreaterThan(before);
  // The replaced workers exist and the page still works.
  expect(workers.filter((w) => w.url().includes('ultrasound')).length).toBeGreaterThan(usWorkers.length);
});
