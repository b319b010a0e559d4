/**
 * Session-length latency benchmark (issue 12): pose change → ultrasound and CT painted (the
 * app's `fusion-frame-ultrasound` User Timing measure) while the probe is moved by keys during a
 * rehearsal, on a fresh attempt and on one that already holds 30 minutes of recorded samples
 * and events. Prints one line:
 *
 *   session latency: fresh median X ms p90 Y ms; after 30 min median X ms p90 Y ms
 *
 * Both attempts are built here in Node with the app's own recorder (ProcedureRun), end in the
 * same state (the probe over the target, the needle 20 mm in at the planned entry, registered
 * with the marker) and are put in IndexedDB as the unfinished attempt — the legacy whole-record
 * form every version of the app resumes — then resumed through the resume banner, so the two
 * differ only by the 30 minutes behind them. The long one: samples at the recorder's rate
 * (one per 50 ms, the probe and the needle moving throughout: 36 000 samples) with the events
 * that brings (punctures, resistance, warnings, needle out, CT passes).
 *
 *   tsx scripts/bench-session-latency.ts            # 2 runs of each, 60 key presses per run
 *   BENCH_RUNS=3 BENCH_PRESSES=80 tsx scripts/bench-session-latency.ts
 *   BENCH_NO_BUILD=1 …                              # use the existing dist/
 *   BENCH_APP_DIR=/tmp/old-checkout BENCH_NO_BUILD=1 …   # serve another checkout's dist/ (a before/after)
 */
import { chromium, type Page } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CaseFile } from '../src/core/cases/caseFile';
import { normalize, subtract, addScaled } from '../src/core/geometry/vec3';
import { NavigationSession } from '../src/core/navigation/navigationSession';
import { moveProbe } from '../src/core/navigation/probeMotion';
import { RigidNeedle } from '../src/core/needle/needleMechanics';
import { entryForTarget } from '../src/core/planning/entryForTarget';
import { ProcedureRun } from '../src/core/rehearsal/procedureRun';
import { DEFAULT_SESSION_SETTINGS, type SessionRecord } from '../src/core/rehearsal/sessionRecord';
import { readCaseVolume } from './lib/readCaseVolume';

const ROOT = resolve(import.meta.dirname, '..');
const PORT = Number(process.env.BENCH_PORT ?? 4186);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const PRESSES = Number(process.env.BENCH_PRESSES ?? 60);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const APP_DIR = process.env.BENCH_APP_DIR ? resolve(process.env.BENCH_APP_DIR) : ROOT;
const SEED = 1;
const SAMPLE_MS = 50;
const LONG_MINUTES = 30;

// ---------------------------------------------------------------------------------------------
// The two attempts, recorded in Node as the app records them.

const folder = join(ROOT, 'sample-dicom/lumbar');
const caseFile = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
const volume = readCaseVolume(folder);

function buildAttempt(minutes: number): SessionRecord {
  const session = new NavigationSession(volume, caseFile, SEED);
  session.placeProbeOverTarget(0);
  const homeProbe = session.probe()!;
  const model = session.probeModel;
  const target = caseFile.targets.find((t) => t.priority === 'primary') ?? caseFile.targets[0]!;
  const entry = entryForTarget(volume, caseFile, target)!;
  const direction = normalize(subtract(target.centre, entry));
  const atEntry = { tip: addScaled(entry, direction, -0.5), direction };
  const spec = { gauge: session.needleModel.gauge, lengthMm: session.needleModel.lengthMm };
  const run = new ProcedureRun(caseFile, model, {
    id: `bench-${minutes}min`,
    targetId: target.id,
    mode: 'fusion',
    seed: SEED,
    startedAt: new Date().toISOString(),
    settings: { ...DEFAULT_SESSION_SETTINGS, needle: spec, probeId: model.id },
  });
  run.planReviewed(200);
  run.registered(500, { method: 'marker', freMm: 0.3, predictedTreMm: 0.6, trueTreMm: 0.8 });
  let t = 1000;
  const record = (needle: RigidNeedle | undefined, force = false) => {
    const state = needle?.state();
    const events = run.update(
      t,
      {
        probeToCt: session.probe()!,
        imageToCt: session.trueImageToCt()!,
        probeModel: model,
        ...(state ? { needle: { tip: state.tip, hub: state.hub, insertedMm: state.insertedMm } } : {}),
      },
      force,
    );
    return events;
  };
  if (minutes > 0) {
    // 30 minutes of scanning and needling: the probe slides and tilts back and forth, the needle
    // goes in, is steered, comes out and goes in again, a CT pass every 10 minutes.
    const needle = new RigidNeedle(volume, spec, atEntry, caseFile.feedbackRegions ?? []);
    const total = (minutes * 60_000) / SAMPLE_MS;
    const cycle = 1200; // one minute
    const probeMoves = [
      { kind: 'slide', alongArrayMm: 0.4, alongElevationMm: 0 },
      { kind: 'slide', alongArrayMm: -0.4, alongElevationMm: 0 },
      { kind: 'tilt', degrees: 0.3 },
      { kind: 'tilt', degrees: -0.3 },
    ] as const;
    for (let i = 0; i < total; i++) {
      t += SAMPLE_MS;
      const phase = i % cycle;
      // The hand on the probe: a few mm either way around the home pose.
      const move = probeMoves[Math.floor(i / 40) % 2 === 0 ? (i % 2) * 2 : 1 + (i % 2) * 2]!;
      session.setProbe(phase === 0 ? homeProbe : moveProbe(volume, model, session.probe()!, move), t);
      let feedback: readonly ReturnType<RigidNeedle['advance']>[number][] = [];
      if (phase < 450) feedback = needle.advance(0.1);
      else if (phase < 800) {
        const turn = needle.redirect(phase % 40 < 20 ? 0.1 : -0.1, 0);
        feedback = turn.ok ? turn.feedback : needle.advance(phase % 2 ? 0.05 : -0.05);
      } else if (phase < 1150) feedback = needle.advance(-0.15);
      else if (phase === 1150) needle.aim(atEntry.tip, atEntry.direction);
      if (feedback.length) run.needleEvents(t, feedback);
      record(needle);
      if (i > 0 && i % ((10 * 60_000) / SAMPLE_MS) === 0) {
        const s = needle.state();
        run.ctPass(t, s.insertedMm > 0 ? { tip: s.tip, hub: s.hub } : undefined);
      }
    }
    needle.advance(-200);
  }
  // The common end: the probe home, the needle 20 mm in at the planned entry.
  t += 1000;
  session.setProbe(homeProbe, t);
  const needle = new RigidNeedle(volume, spec, atEntry, caseFile.feedbackRegions ?? []);
  run.needleEvents(t, needle.advance(20));
  record(needle, true);
  return run.record;
}

// ---------------------------------------------------------------------------------------------
// The browser.

async function waitForUltrasound(page: Page, moreThan = 0): Promise<void> {
  await page.waitForFunction((n) => Number((document.querySelector('#us-canvas') as HTMLCanvasElement | null)?.dataset.frames ?? 0) > n, moreThan, { timeout: 60_000 });
}

/** Resumes `record` as the unfinished attempt and collects pose change → ultrasound and CT painted over PRESSES key presses, ms. */
async function measure(browser: import('@playwright/test').Browser, recordJson: string): Promise<number[]> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${PORT}/?seed=${SEED}`);
  await page.waitForSelector('body[data-loaded]:not([data-busy])', { timeout: 120_000 });
  await waitForUltrasound(page);
  // The unfinished attempt, as every version of the app wrote it: the whole record under "current".
  await page.evaluate(async (json) => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const request = indexedDB.open('us-ct-fusion-simulator');
      request.onsuccess = () => ok(request.result);
      request.onerror = () => fail(request.error);
    });
    await new Promise<void>((ok, fail) => {
      const tx = db.transaction('sessions', 'readwrite');
      tx.objectStore('sessions').put(JSON.parse(json), 'current');
      tx.oncomplete = () => ok();
      tx.onerror = () => fail(tx.error);
    });
    db.close();
  }, recordJson);
  await page.reload();
  await page.waitForSelector('body[data-loaded]:not([data-busy])', { timeout: 120_000 });
  await page.getByTestId('resume-banner').waitFor({ state: 'visible', timeout: 60_000 });
  await page.getByTestId('resume-session').click();
  await page.waitForFunction(() => document.querySelector('#checklist [data-step="register"]')?.getAttribute('data-state') === 'done', undefined, { timeout: 60_000 });
  await page.locator('#view-fusion').focus();
  await waitForUltrasound(page);
  // The resumed attempt's first save and the workers' first frames are over before measuring.
  await page.waitForTimeout(3000);
  await page.evaluate(() => performance.clearMeasures('fusion-frame-ultrasound'));
  const keys = ['ArrowLeft', 'ArrowRight', 'w', 's', 'q', 'e', 'a', 'd'];
  for (let i = 0; i < PRESSES; i++) {
    await page.keyboard.press(keys[i % keys.length]!);
    await page.waitForTimeout(120 + (i % 3) * 40);
  }
  await page.waitForTimeout(800);
  const durations = await page.evaluate(() => performance.getEntriesByName('fusion-frame-ultrasound').map((e) => e.duration));
  await context.close();
  return durations;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  if (q === 0.5) {
    const m = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
};

async function main() {
  const fresh = JSON.stringify(buildAttempt(0));
  const long = buildAttempt(LONG_MINUTES);
  const longJson = JSON.stringify(long);
  if (process.env.BENCH_VERBOSE) console.log(`long attempt: ${long.samples.length} samples, ${long.events.length} events, ${(longJson.length / 1024 ** 2).toFixed(1)} MiB of JSON`);
  if (!process.env.BENCH_NO_BUILD) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: APP_DIR, stdio: 'inherit' });
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { cwd: APP_DIR, stdio: 'ignore', detached: true });
  await new Promise((r) => setTimeout(r, 2500));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const freshMs: number[] = [];
  const longMs: number[] = [];
  try {
    // Alternated, so a slow moment of the machine falls on both.
    for (let r = 0; r < RUNS; r++) {
      const a = await measure(browser, fresh);
      const b = await measure(browser, longJson);
      if (process.env.BENCH_VERBOSE)
        console.log(
          `run ${r + 1}: fresh median ${quantile(a, 0.5).toFixed(1)} ms (${a.length}), after ${LONG_MINUTES} min median ${quantile(b, 0.5).toFixed(1)} ms (${b.length}), max ${Math.max(...b).toFixed(0)} ms`,
        );
      freshMs.push(...a);
      longMs.push(...b);
    }
  } finally {
    await browser.close();
    try {
      if (server.pid) process.kill(-server.pid);
    } catch {
      /* already gone */
    }
  }
  const f = (v: number) => v.toFixed(1);
  console.log(
    `session latency: fresh median ${f(quantile(freshMs, 0.5))} ms p90 ${f(quantile(freshMs, 0.9))} ms; after ${LONG_MINUTES} min median ${f(quantile(longMs, 0.5))} ms p90 ${f(quantile(longMs, 0.9))} ms`,
  );
}

await main();
