import { expect, test, type Page } from '@playwright/test';

/**
 * Issue 12: the attempt in progress streams to IndexedDB (a header and append-only chunks);
 * it resumes after a reload, again after a second one, and an attempt saved by the previous
 * version (the whole record under "current" in a version-1 database) still resumes.
 */
const stepState = (page: Page, step: string) => page.locator(`#checklist [data-step="${step}"]`).getAttribute('data-state');
const depthMm = async (page: Page) => Number.parseFloat((await page.getByTestId('needle-depth').textContent()) ?? 'NaN');

async function openLumbar(page: Page) {
  await page.goto('/?seed=7');
  await page.waitForSelector('body[data-loaded]:not([data-busy])');
}

async function startWithNeedleIn(page: Page) {
  await page.getByTestId('attempt-mode').selectOption('fusion');
  await page.getByTestId('attempt-start').click();
  await expect.poll(() => stepState(page, 'plan')).toBe('current');
  await page.getByTestId('plan-reviewed').click();
  await page.getByTestId('register-marker').click();
  await expect.poll(() => stepState(page, 'register')).toBe('done');
  await page.getByTestId('needle-at-plan').click();
  await page.locator('#view-fusion').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+I');
  // All three pushes shown: the readouts follow the tracker (its latency, then at most 10 updates a second).
  await expect.poll(() => depthMm(page)).toBeGreaterThan(25);
  await page.waitForTimeout(400);
}

async function reloadAndResume(page: Page) {
  await page.waitForTimeout(1500); // the autosave writes at least once a second
  await page.reload();
  await page.waitForSelector('body[data-loaded]:not([data-busy])');
  await expect(page.getByTestId('resume-banner')).toBeVisible();
  await page.getByTestId('resume-session').click();
  await expect.poll(() => stepState(page, 'register')).toBe('done');
}

/** The keys of the store "attempt" and whether "sessions" still holds a whole record under "current". */
const stored = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<{ keys: unknown[]; legacy: boolean }>((resolve, reject) => {
        const request = indexedDB.open('us-ct-fusion-simulator');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction(['attempt', 'sessions'], 'readonly');
          const keys = tx.objectStore('attempt').getAllKeys();
          const legacy = tx.objectStore('sessions').getKey('current');
          tx.oncomplete = () => {
            db.close();
            resolve({ keys: keys.result, legacy: legacy.result !== undefined });
          };
        };
      }),
  );

test('the attempt is saved as a header and chunks of what is new, and resumes after one reload and after another', async ({ page }) => {
  test.setTimeout(120_000);
  await openLumbar(page);
  await startWithNeedleIn(page);
  await page.waitForTimeout(1500);
  const first = await stored(page);
  expect(first.keys).toContain('header');
  expect(first.keys.filter((k) => typeof k === 'number').length).toBeGreaterThan(2);
  expect(first.legacy).toBe(false);
  const depth1 = await depthMm(page);
  await reloadAndResume(page);
  expect(Math.abs((await depthMm(page)) - depth1)).toBeLessThan(0.5);
  // Carries on: the new movement joins the stored chunks, and a second reload finds it.
  await page.locator('#view-fusion').focus();
  await page.keyboard.press('Shift+I');
  await expect.poll(() => depthMm(page)).toBeGreaterThan(depth1 + 5);
  const depth2 = await depthMm(page);
  await reloadAndResume(page);
  expect(Math.abs((await depthMm(page)) - depth2)).toBeLessThan(0.5);
  // Finishing leaves nothing to resume.
  await page.getByTestId('finish-attempt').click();
  await expect(page.getByTestId('report-headline')).toBeVisible();
  await expect.poll(async () => (await stored(page)).keys.length).toBe(0);
});

test('an attempt saved by the previous version (the whole record in a version-1 database) still resumes', async ({ page, context }) => {
  test.setTimeout(120_000);
  // Record an attempt, and read it back whole, as the previous version stored it.
  await openLumbar(page);
  await startWithNeedleIn(page);
  const depth = await depthMm(page);
  await page.waitForTimeout(1500);
  const record = await page.evaluate(
    () =>
      new Promise<unknown>((resolve, reject) => {
        const request = indexedDB.open('us-ct-fusion-simulator');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction('attempt', 'readonly');
          const keys = tx.objectStore('attempt').getAllKeys();
          const values = tx.objectStore('attempt').getAll();
          tx.oncomplete = () => {
            db.close();
            const header = values.result[keys.result.indexOf('header')] as Record<string, unknown>;
            const samples: unknown[] = [];
            const events: unknown[] = [];
            keys.result.forEach((key, i) => {
              if (typeof key !== 'number') return;
              const chunk = values.result[i] as { samplesFrom: number; samples: unknown[]; eventsFrom: number; events: unknown[] };
              samples.length = chunk.samplesFrom;
              samples.push(...chunk.samples);
              events.length = chunk.eventsFrom;
              events.push(...chunk.events);
            });
            resolve({ ...header, samples, events });
          };
        };
      }),
  );
  // A new browser profile with the previous version's database: version 1, the record under "current".
  const other = await context.browser()!.newContext();
  const old = await other.newPage();
  await old.goto('/sample-dicom/index.json'); // the app's origin, without the app
  await old.evaluate(
    (saved) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('us-ct-fusion-simulator', 1);
        request.onupgradeneeded = () => {
          for (const name of ['sessions', 'cases', 'settings']) request.result.createObjectStore(name);
        };
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction('sessions', 'readwrite');
          tx.objectStore('sessions').put(saved, 'current');
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
        };
      }),
    record,
  );
  await old.goto('/?seed=7');
  await old.waitForSelector('body[data-loaded]:not([data-busy])');
  await expect(old.getByTestId('resume-banner')).toBeVisible();
  await old.getByTestId('resume-session').click();
  await expect.poll(() => stepState(old, 'register')).toBe('done');
  // The readouts follow the tracker (its latency, then at most 10 updates a second): wait for the resumed depth.
  await expect.poll(async () => Math.abs((await depthMm(old)) - depth)).toBeLessThan(0.5);
  // Its first save moves it to the new form.
  await old.waitForTimeout(1500);
  const after = await stored(old);
  expect(after.keys).toContain('header');
  expect(after.legacy).toBe(false);
  await other.close();
});
