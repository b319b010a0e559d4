/**
 * CT load benchmark: loads a series in headless Chromium several times and prints the median
 * `ct-load` User Timing measure (files chosen → first CT frame rendered) and the peak memory
 * of the page (renderer + GPU process resident set, above the level before loading).
 *
 *   npm run bench              # every dataset, 5 runs each
 *   BENCH_RUNS=3 npm run bench
 *   BENCH_ONLY=fusion tsx scripts/bench-ct-load.ts   # only the fused-frame measures
 *
 * Datasets: ../shared/testdata/ct-lumbar-tcia when present (real, 512×512×134), a generated
 * 512×512×300 series (the size the goal is set for), and the bundled lumbar phantom (RLE).
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeCtSlice } from '../src/core/dicom/ctSliceDataset';
import { seededRandom } from '../src/core/random/seededRandom';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PORT = 4180;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Dataset {
  name: string;
  folder: string;
  voxelBytes: number;
}

function generatedSeries(columns: number, rows: number, slices: number): string {
  const dir = join(tmpdir(), `ctsim-bench-${columns}x${rows}x${slices}`);
  if (existsSync(join(dir, 'done'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const random = seededRandom(7);
  for (let k = 0; k < slices; k++) {
    const stored = new Uint16Array(rows * columns);
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < columns; i++) {
        const inside = ((i - columns / 2) / (columns * 0.45)) ** 2 + ((j - rows / 2) / (rows * 0.35)) ** 2 < 1;
        stored[j * columns + i] = inside ? Math.max(0, Math.round(1064 + 15 * random.gaussian() + (Math.hypot(i - columns / 2, j - rows * 0.6) < 30 ? 400 : 0))) : 24;
      }
    }
    writeFileSync(
      join(dir, `IM${String(k).padStart(4, '0')}.dcm`),
      writeCtSlice({
        studyInstanceUid: '2.25.77.1',
        seriesInstanceUid: '2.25.77.2',
        sopInstanceUid: `2.25.77.3.${k + 1}`,
        frameOfReferenceUid: '2.25.77.4',
        seriesDescription: `Benchmark ${columns}x${rows}x${slices}`,
        seriesNumber: 1,
        instanceNumber: k + 1,
        rows,
        columns,
        pixelSpacingMm: [0.8, 0.8],
        imagePositionInCt: [-204.8, -204.8, -300 + k * 1.0],
        imageOrientationInCt: [
          [1, 0, 0],
          [0, 1, 0],
        ],
        sliceThicknessMm: 1,
        storedPixels: stored,
        bitsStored: 12,
        rescaleSlope: 1,
        rescaleIntercept: -1024,
        patientPosition: 'HFS',
      }),
    );
  }
  writeFileSync(join(dir, 'done'), '');
  return dir;
}

function datasets(): Dataset[] {
  const list: Dataset[] = [];
  const tcia = resolve(ROOT, '../shared/testdata/ct-lumbar-tcia');
  if (existsSync(tcia)) list.push({ name: 'TCIA lumbar CT 512×512×134 (real)', folder: tcia, voxelBytes: 512 * 512 * 134 * 2 });
  list.push({ name: 'generated 512×512×300', folder: generatedSeries(512, 512, 300), voxelBytes: 512 * 512 * 300 * 2 });
  list.push({ name: 'bundled lumbar phantom 400×310×81 (RLE)', folder: join(ROOT, 'sample-dicom/lumbar'), voxelBytes: 400 * 310 * 81 * 2 });
  return list;
}

/** Resident memory (bytes) of the browser's renderer and GPU processes. */
function pageProcessesRss(browserPid: number): number {
  const { renderer, gpu } = rssByProcessType(browserPid);
  return renderer + gpu;
}

function rssByProcessType(browserPid: number): { renderer: number; gpu: number } {
  const totals = { renderer: 0, gpu: 0 };
  const children = (pid: number): number[] =>
    readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          return readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
        } catch {
          return false;
        }
      })
      .map(Number);
  const all: number[] = [];
  const walk = (pid: number) => children(pid).forEach((c) => (all.push(c), walk(c)));
  walk(browserPid);
  for (const pid of all) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const type = /--type=renderer/.test(cmd) ? 'renderer' : /--type=gpu-process/.test(cmd) ? 'gpu' : undefined;
      if (!type) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      totals[type] += Number(rss ?? 0) * 1024;
    } catch {
      /* process ended */
    }
  }
  return totals;
}

/** Waits until the page has painted its first simulated ultrasound frame. */
async function firstUltrasoundFrame(page: Page): Promise<void> {
  await page.waitForFunction(() => Number((document.querySelector('#us-canvas') as HTMLCanvasElement | null)?.dataset.frames ?? 0) >= 1, undefined, { timeout: 60_000 });
}

async function runOnce(browser: Browser, browserPid: number, dataset: Dataset): Promise<{ ms: number; peakBytes: number }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await page.waitForSelector('body[data-loaded]:not([data-busy])', { timeout: 120_000 });
  // The bundled case's CT reaches the ultrasound workers, which denoise it once (about 1 s):
  // start loading the next series when its first ultrasound frame is out, not while they work.
  await firstUltrasoundFrame(page);
  await page.waitForTimeout(500);
  const baseline = pageProcessesRss(browserPid);
  const baselineByType = rssByProcessType(browserPid);
  let peak = baseline;
  const peakByType = { ...baselineByType };
  const sample = () => {
    const now = rssByProcessType(browserPid);
    peak = Math.max(peak, now.renderer + now.gpu);
    peakByType.renderer = Math.max(peakByType.renderer, now.renderer);
    peakByType.gpu = Math.max(peakByType.gpu, now.gpu);
  };
  const sampler = setInterval(sample, 40);
  await page.evaluate(() => performance.clearMeasures('ct-load'));
  await page.setInputFiles('#folder-input', dataset.folder);
  await page.waitForFunction(() => performance.getEntriesByName('ct-load').length > 0 && !document.body.dataset.busy, undefined, { timeout: 300_000 });
  await page.waitForTimeout(300);
  clearInterval(sampler);
  peak = Math.max(peak, pageProcessesRss(browserPid));
  const ms = await page.evaluate(() => performance.getEntriesByName('ct-load').at(-1)!.duration);
  const phases = await page.evaluate(() =>
    ['headers', 'decode', 'display'].map((phase) => `${phase} ${Math.round(performance.getEntriesByName('ct-load:' + phase).at(-1)?.duration ?? NaN)}`).join(', '),
  );
  if (process.env.BENCH_PHASES) {
    const mib = (bytes: number) => Math.round(bytes / 1024 ** 2);
    console.log(
      `  ${dataset.name}: ${Math.round(ms)} ms (${phases} ms); peak above baseline: renderer +${mib(peakByType.renderer - baselineByType.renderer)} MiB, GPU process +${mib(peakByType.gpu - baselineByType.gpu)} MiB`,
    );
  }
  await context.close();
  return { ms, peakBytes: peak - baseline };
}

/**
 * `fusion-frame` (probe pose change → fused CT plane painted) and `fusion-frame-ultrasound` (pose
 * change → the worker's ultrasound for that pose painted beside it, the CT plane already there)
 * while the probe is moved by keys on the bundled lumbar case.
 */
async function fusionFrames(browser: Browser, workers?: number): Promise<Record<string, unknown>> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${PORT}/?seed=1${workers ? `&usWorkers=${workers}` : ''}`);
  await page.waitForSelector('body[data-loaded]:not([data-busy])', { timeout: 120_000 });
  await page.click('[data-testid=register-marker]');
  await page.click('#view-fusion');
  // The workers denoise the CT once when it arrives: start when the ultrasound shows.
  await firstUltrasoundFrame(page);
  await page.waitForTimeout(1000);
  await page.evaluate(() => {
    performance.clearMeasures('fusion-frame');
    performance.clearMeasures('fusion-frame-ultrasound');
    performance.clearMeasures('ultrasound-frame');
  });
  const keys = ['ArrowLeft', 'ArrowRight', 'w', 's', 'q', 'e', 'a', 'd'];
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press(keys[i % keys.length]!);
    await page.waitForTimeout(60);
  }
  await page.waitForTimeout(500);
  const durations = await page.evaluate(() => performance.getEntriesByName('fusion-frame').map((e) => e.duration));
  const withUltrasound = await page.evaluate(() => performance.getEntriesByName('fusion-frame-ultrasound').map((e) => e.duration));
  const synthesis = await page.evaluate(() => performance.getEntriesByName('ultrasound-frame').map((e) => e.duration));
  await context.close();
  const p90 = (values: number[]) => Number([...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)]!.toFixed(1));
  const row = {
    dataset: `fusion-frame, lumbar case, curvilinear probe (574×376 px), ${workers ?? 'default'} ultrasound worker(s)`,
    medianUltrasoundFrameMs: Number(median(synthesis).toFixed(1)),
    frames: durations.length,
    medianFusionFrameMs: Number(median(durations).toFixed(1)),
    p90Ms: p90(durations),
    ultrasoundFrames: withUltrasound.length,
    medianWithUltrasoundMs: Number(median(withUltrasound).toFixed(1)),
    p90WithUltrasoundMs: p90(withUltrasound),
  };
  console.log(`${row.dataset}: median fusion-frame ${row.medianFusionFrameMs} ms over ${row.frames} pose changes (90th percentile ${row.p90Ms} ms)`);
  console.log(
    `${row.dataset}: median pose change → ultrasound and CT plane painted ${row.medianWithUltrasoundMs} ms over ${row.ultrasoundFrames} frames (90th percentile ${row.p90WithUltrasoundMs} ms); the ultrasound itself (request → last part back) median ${row.medianUltrasoundFrameMs} ms`,
  );
  return row;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const m = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
};

async function main() {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { cwd: ROOT, stdio: 'ignore', detached: true });
  await new Promise((r) => setTimeout(r, 2500));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // The marker flag (ignored by Chromium) finds this browser's process for the memory readings.
    args: [
      `--ctsim-bench=${process.pid}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const browserPid = Number(
    execFileSync('pgrep', ['-o', '-f', '--', `--ctsim-bench=${process.pid}`])
      .toString()
      .trim(),
  );
  const results: Record<string, unknown>[] = [];
  try {
    for (const dataset of process.env.BENCH_ONLY === 'fusion' ? [] : datasets()) {
      const runs: { ms: number; peakBytes: number }[] = [];
      for (let run = 0; run < RUNS; run++) runs.push(await runOnce(browser, browserPid, dataset));
      const ms = median(runs.map((r) => r.ms));
      const peak = median(runs.map((r) => r.peakBytes));
      const row = {
        dataset: dataset.name,
        runs: RUNS,
        medianCtLoadMs: Math.round(ms),
        allCtLoadMs: runs.map((r) => Math.round(r.ms)),
        medianPeakMemoryMiB: Math.round(peak / 1024 ** 2),
        voxelMiB: Math.round(dataset.voxelBytes / 1024 ** 2),
        peakOverVoxelBytes: Number((peak / dataset.voxelBytes).toFixed(2)),
      };
      results.push(row);
      console.log(
        `${row.dataset}: median ct-load ${row.medianCtLoadMs} ms (runs ${row.allCtLoadMs.join(', ')}); ` +
          `median peak memory +${row.medianPeakMemoryMiB} MiB = ${row.peakOverVoxelBytes} × the ${row.voxelMiB} MiB of voxels`,
      );
    }
    for (const workers of [1, 2]) results.push(await fusionFrames(browser, workers));
  } finally {
    await browser.close();
    try {
      if (server.pid) process.kill(-server.pid);
    } catch {
      /* already gone */
    }
  }
  mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench-results/ct-load.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
}

await main();
