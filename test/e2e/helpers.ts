import { expect, type Page } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const TESTDATA_DIR = resolve(import.meta.dirname, '../../../shared/testdata');
export const hasTestdata = existsSync(TESTDATA_DIR);
export const NO_TESTDATA = `../shared/testdata is absent (${TESTDATA_DIR}): real-CT end-to-end tests skipped`;

/** Opens the app and waits until the bundled case is on screen. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await page.waitForSelector('body[data-loaded]:not([data-busy])', { timeout: 60_000 });
}

/** Gives files or a folder to one of the app's inputs and waits until the load is over. */
export async function loadThrough(page: Page, input: '#folder-input' | '#files-input', paths: string | string[]): Promise<void> {
  await page.setInputFiles(input, paths);
  // The busy flag appears synchronously on change and is gone when loading ended, well or badly.
  await page.waitForFunction(() => !document.body.dataset.busy, undefined, { timeout: 120_000 });
}

export async function summaryText(page: Page): Promise<string> {
  return (await page.getByTestId('volume-summary').textContent()) ?? '';
}

/** Canvas of a planning view (cornerstone draws each viewport into a 2D canvas). */
export async function viewStatistics(page: Page, view: 'axial' | 'sagittal' | 'coronal'): Promise<{ mean: number; sd: number }> {
  return page.evaluate((id) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`#view-${id} canvas`)!;
    const context = canvas.getContext('2d')!;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    let sumSq = 0;
    const n = data.length / 4;
    for (let p = 0; p < data.length; p += 4) {
      const grey = data[p]!;
      sum += grey;
      sumSq += grey * grey;
    }
    const mean = sum / n;
    return { mean, sd: Math.sqrt(sumSq / n - mean * mean) };
  }, view);
}

/** Hovers a point of a view (fractions of its size) and returns the readout's position and HU. */
export async function readAt(page: Page, view: 'axial' | 'sagittal' | 'coronal', fx: number, fy: number): Promise<{ lps: number[]; hu: number | undefined }> {
  const box = (await page.locator(`#view-${view}`).boundingBox())!;
  await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
  const readout = page.getByTestId('cursor-readout');
  await expect(readout).toHaveAttribute('data-lps', /,/);
  const lps = ((await readout.getAttribute('data-lps')) ?? '').split(',').map(Number);
  const hu = await readout.getAttribute('data-hu');
  return { lps, hu: hu === null || hu === '' ? undefined : Number(hu) };
}

export function freshDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeFiles(dir: string, files: { name: string; bytes: Uint8Array }[]): string[] {
  return files.map(({ name, bytes }) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  });
}
