import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyToPoint, compose } from '../../../src/core/frames/transform';
import { addScaled, type Vec3 } from '../../../src/core/geometry/vec3';
import { imageToProbe, isInFieldOfView, PROBE_MODELS, type ProbeModel } from '../../../src/core/tracking/probeModels';
import { probePoseInCt } from '../../../src/core/tracking/simulatedRoom';
import { defaultUltrasoundSettings, synthesizeUltrasound } from '../../../src/core/ultrasound/synthesizeUltrasound';
import { huAtCtPoint, type CtVolume } from '../../../src/core/volume/ctVolume';
import { readCaseVolume } from '../../../scripts/lib/readCaseVolume';
import { readDicomFolder } from '../../../scripts/lib/readDicomFolder';
import { probeForImage } from '../../../scripts/lib/probeForImage';
import { parseUltrasoundImageArgs } from '../../../scripts/lib/ultrasoundImageArgs';
import { readNativeVolume } from '../fixtures/readNativeVolume';
import { hasTestdata, SKIP_REASON, TESTDATA_DIR } from '../fixtures/sharedTestdata';

/*
 * `npm run ultrasound-image` (scripts/ultrasound-image.ts), run as a child process through tsx
 * the way a user runs it, checked against the core synthesis called here in-process on a volume
 * read by the tests' own readers (readCaseVolume for the bundled RLE case, readNativeVolume for
 * the TCIA CT), so the command's DICOM reader, probe grid and pose are all checked at once.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const LUMBAR = join(ROOT, 'sample-dicom/lumbar');
const TRANSFER = join(TESTDATA_DIR, 'transfer-syntaxes');

function run(args: readonly string[]) {
  const result = spawnSync(process.execPath, [TSX, join(ROOT, 'scripts/ultrasound-image.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Reads a PNG written by scripts/lib/writePng.ts (8-bit, filter 0 on every row). */
function readPng(file: string): { width: number; height: number; colourType: number; pixels: Uint8Array } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  let width = 0;
  let height = 0;
  let colourType = -1;
  const idat: Buffer[] = [];
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('ascii', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      colourType = data[9]!;
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const channels = colourType === 0 ? 1 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels + 1;
  expect(raw.length).toBe(stride * height);
  const pixels = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    expect(raw[y * stride]).toBe(0);
    pixels.set(raw.subarray(y * stride + 1, (y + 1) * stride), y * width * channels);
  }
  return { width, height, colourType, pixels };
}

const vec = (v: Vec3) => v.join(',');

/** The core synthesis in-process for the same request: the probe grid of probeForImage, the app's pose convention and default settings. */
function inProcess(volume: CtVolume, base: ProbeModel, frequencyMHz: number, depthMm: number, mmPerPixel: number, origin: Vec3, beam: Vec3, lateral: Vec3) {
  const model = probeForImage(base, depthMm, frequencyMHz, mmPerPixel);
  const imageToCt = compose(probePoseInCt(origin, beam, lateral, model.sensorToFaceMm), imageToProbe(model));
  return { model, imageToCt, image: synthesizeUltrasound(volume, imageToCt, model, defaultUltrasoundSettings(model)).image };
}

/** Share of the field-of-view pixels that are not black, and their mean grey. */
function fieldStats(model: ProbeModel, image: Uint8Array | Uint8ClampedArray) {
  let inside = 0;
  let lit = 0;
  let sum = 0;
  for (let r = 0; r < model.rows; r++) {
    for (let c = 0; c < model.columns; c++) {
      if (!isInFieldOfView(model, c, r)) continue;
      inside++;
      const g = image[r * model.columns + c]!;
      if (g > 0) lit++;
      sum += g;
    }
  }
  return { litFraction: lit / inside, meanGrey: sum / inside, inside };
}

describe('the probe grid the command uses (probeForImage)', () => {
  it('puts the face centre at the top-centre pixel and the depth at the bottom row, for both probes', () => {
    for (const base of [PROBE_MODELS['curvilinear-3.5'], PROBE_MODELS['linear-7.5']]) {
      const model = probeForImage(base, 80, 5, 0.1);
      expect(model.columns % 2).toBe(1);
      expect(model.rows).toBe(801);
      const origin: Vec3 = [10, 20, 30];
      const beam: Vec3 = [0, -1, 0];
      const imageToCt = compose(probePoseInCt(origin, beam, [1, 0, 0], model.sensorToFaceMm), imageToProbe(model));
      const top = applyToPoint(imageToCt, [(model.columns - 1) / 2, 0, 0]);
      top.forEach((v, i) => expect(v).toBeCloseTo(origin[i]!, 9));
      const bottom = applyToPoint(imageToCt, [(model.columns - 1) / 2, model.rows - 1, 0]);
      addScaled(origin, beam, 80).forEach((v, i) => expect(bottom[i]).toBeCloseTo(v, 9));
      // Image +x runs along the lateral axis.
      const right = applyToPoint(imageToCt, [model.columns - 1, 0, 0]);
      expect(right[0] - origin[0]).toBeCloseTo(((model.columns - 1) / 2) * 0.1, 9);
    }
  });

  it('fills the image with the rectangle or the fan: its edges touch the image edges', () => {
    const linear = probeForImage(PROBE_MODELS['linear-7.5'], 80, 7.5, 0.2);
    // Every pixel of a linear image lies in the field (38 mm wide, 80 mm deep).
    expect(fieldStats(linear, new Uint8Array(linear.columns * linear.rows)).inside).toBe(linear.columns * linear.rows);
    const fan = probeForImage(PROBE_MODELS['curvilinear-3.5'], 60, 3.5, 0.2);
    const columnHasField = (c: number) => Array.from({ length: fan.rows }, (_, r) => isInFieldOfView(fan, c, r)).some(Boolean);
    expect(columnHasField(0) || columnHasField(1)).toBe(true);
    expect(columnHasField(fan.columns - 1) || columnHasField(fan.columns - 2)).toBe(true);
    expect(isInFieldOfView(fan, (fan.columns - 1) / 2, fan.rows - 1)).toBe(true);
    // (50 + 60)·sin 35° = 63.1 mm each side at 0.2 mm: 316 columns each side of the centre.
    expect(fan.columns).toBe(2 * 316 + 1);
  });

  it('refuses an image too large to write, naming a pixel size that fits', () => {
    expect(() => probeForImage(PROBE_MODELS['curvilinear-3.5'], 300, 3.5, 0.02)).toThrow(/--pixel-mm 0\.\d\d or more/);
  });
});

describe('argument checks', () => {
  const good = ['--ct', 'x', '--probe', 'linear', '--frequency', '7.5', '--depth', '40', '--origin', '0,0,0', '--beam', '0,-1,0', '--lateral', '1,0,0', '--out', 'a.png'];
  const withFlag = (flag: string, value: string) => {
    const args = [...good];
    args[args.indexOf(flag) + 1] = value;
    return args;
  };
  const without = (flag: string) => {
    const args = [...good];
    args.splice(args.indexOf(flag), 2);
    return args;
  };

  it('accepts a good command line with negative vectors and 0.1 mm pixels by default', () => {
    const args = parseUltrasoundImageArgs(withFlag('--lateral', '-2,0,0'));
    expect(args.mmPerPixel).toBe(0.1);
    expect(args.lateralInCt).toEqual([-1, 0, 0]);
    expect(args.beamInCt).toEqual([0, -1, 0]);
    expect(parseUltrasoundImageArgs([...good, '--pixel-mm=0.25']).mmPerPixel).toBe(0.25);
  });

  it.each([
    [without('--depth'), /missing --depth/],
    [[...without('--ct'), '--colour', 'x'], /unknown flag --colour/],
    [[...good, '--depth', '50'], /--depth is given twice/],
    [withFlag('--probe', 'phased'), /--probe must be linear or curvilinear, not "phased"/],
    [withFlag('--frequency', 'fast'), /--frequency must be a number \(MHz\), not "fast"/],
    [withFlag('--depth', '0'), /--depth 0 mm is out of range/],
    [withFlag('--origin', '1,2'), /--origin must be three numbers separated by commas/],
    [withFlag('--beam', '0,x,1'), /--beam must be three numbers/],
    [withFlag('--beam', '0,0,0'), /--beam is a zero vector/],
    [withFlag('--lateral', '0,0,0'), /--lateral is a zero vector/],
    [withFlag('--out', 'a.jpg'), /ending in \.png/],
    [[...good.slice(0, -1)], /--out needs a value/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseUltrasoundImageArgs(argv)).toThrow(message);
  });

  it('says by how many degrees the beam and the lateral axis miss perpendicular, and corrects within 1°', () => {
    // The lateral axis 10° from x toward the beam (−y): 80° between them, 10° off, refused with the angle.
    const tilted = [Math.cos((10 * Math.PI) / 180), -Math.sin((10 * Math.PI) / 180), 0].join(',');
    expect(() => parseUltrasoundImageArgs(withFlag('--lateral', tilted))).toThrow(/they are 10\.00° from it \(angle 80\.00°; up to 1° is corrected\)/);
    // 0.5° off: made perpendicular, and the amount reported.
    const slight = [Math.cos((0.5 * Math.PI) / 180), Math.sin((0.5 * Math.PI) / 180), 0].join(',');
    const args = parseUltrasoundImageArgs(withFlag('--lateral', slight));
    expect(args.lateralCorrectedByDeg).toBeCloseTo(0.5, 6);
    expect(Math.abs(args.lateralInCt[0] * args.beamInCt[0] + args.lateralInCt[1] * args.beamInCt[1] + args.lateralInCt[2] * args.beamInCt[2])).toBeLessThan(1e-12);
  });
});

describe('npm run ultrasound-image on the bundled lumbar case', () => {
  let volume: CtVolume;
  beforeAll(() => {
    volume = readCaseVolume(LUMBAR);
  });

  it('writes the bare B-mode image equal to the core synthesis for the same pose, and prints one JSON line', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'us-image-')), 'lumbar.png');
    const origin: Vec3 = [0, 120, -24.55];
    const beam: Vec3 = [0, -1, 0];
    const lateral: Vec3 = [1, 0, 0];
    const result = run([
      '--ct',
      LUMBAR,
      '--probe',
      'curvilinear',
      '--frequency',
      '3.5',
      '--depth',
      '90',
      '--origin',
      vec(origin),
      '--beam',
      vec(beam),
      '--lateral',
      vec(lateral),
      '--out',
      out,
      '--pixel-mm',
      '0.2',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]!);
    const expected = inProcess(volume, PROBE_MODELS['curvilinear-3.5'], 3.5, 90, 0.2, origin, beam, lateral);
    expect(json).toMatchObject({ out, width: expected.model.columns, height: expected.model.rows, mmPerPixel: 0.2, settings: { ...defaultUltrasoundSettings(expected.model) } });
    expect(json.settings).toMatchObject({ frequencyMHz: 3.5, depthMm: 90, focusDepthMm: 45 });
    const png = readPng(out);
    expect(png.colourType).toBe(0);
    expect([png.width, png.height]).toEqual([expected.model.columns, expected.model.rows]);
    // (50 + 90)·sin 35° = 80.3 mm each side: 402 columns each side at 0.2 mm; 90 mm deep: 451 rows.
    expect([png.width, png.height]).toEqual([805, 451]);
    const stats = fieldStats(expected.model, png.pixels);
    expect(stats.litFraction).toBeGreaterThan(0.5);
    expect(stats.meanGrey).toBeGreaterThan(20);
    expect(Buffer.from(png.pixels).equals(Buffer.from(expected.image))).toBe(true);
  });

  it('exits with a clear message for bad input, on stderr, with nothing on stdout', () => {
    const bad = run([
      '--ct',
      LUMBAR,
      '--probe',
      'linear',
      '--frequency',
      '7.5',
      '--depth',
      '40',
      '--origin',
      '0,120,0',
      '--beam',
      '0,-1,0',
      '--lateral',
      '0,1,0.2',
      '--out',
      '/tmp/x.png',
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/--beam and --lateral must be perpendicular; they are 78\.69° from it/);
    expect(bad.stderr).toMatch(/usage: npm run -s ultrasound-image/);
  });

  it('refuses a folder without a CT series, saying what it holds', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'us-image-empty-'));
    writeFileSync(join(folder, 'notes.txt'), 'not DICOM');
    await expect(readDicomFolder(folder)).rejects.toThrow(/no DICOM file among its 1 file/);
    await expect(readDicomFolder(join(folder, 'missing'))).rejects.toThrow(/no such folder/);
    const result = run([
      '--ct',
      folder,
      '--probe',
      'linear',
      '--frequency',
      '7.5',
      '--depth',
      '40',
      '--origin',
      '0,0,0',
      '--beam',
      '0,-1,0',
      '--lateral',
      '1,0,0',
      '--out',
      join(folder, 'x.png'),
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--ct .*: no DICOM file among its 1 file\(s\)/);
  });
});

describe.skipIf(!hasTestdata)(`npm run ultrasound-image on real CT${hasTestdata ? '' : ' — ' + SKIP_REASON}`, () => {
  it('images the L3 spinous process of ct-lumbar-tcia (supine, back at +y) like the core does in-process', () => {
    const folder = join(TESTDATA_DIR, 'ct-lumbar-tcia');
    const volume = readNativeVolume(folder);
    // The L3 spinous tip of test/unit/ultrasound/ultrasoundRealCt.test.ts; the face 2 mm behind the skin above it.
    let y = 178;
    while ((huAtCtPoint(volume, [8, y, 197]) ?? -1000) > -400) y += 0.5;
    const origin: Vec3 = [8, y + 2, 197];
    const beam: Vec3 = [0, -1, 0];
    const lateral: Vec3 = [1, 0, 0];
    const out = join(mkdtempSync(join(tmpdir(), 'us-image-tcia-')), 'l3.png');
    const result = run([
      '--ct',
      folder,
      '--probe',
      'curvilinear',
      '--frequency',
      '3.5',
      '--depth',
      '100',
      '--origin',
      vec(origin),
      '--beam',
      vec(beam),
      '--lateral',
      vec(lateral),
      '--out',
      out,
      '--pixel-mm',
      '0.25',
    ]);
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout);
    expect(json.ct).toMatchObject({ dimensions: [512, 512, 134], transferSyntaxes: ['1.2.840.10008.1.2'] });
    const expected = inProcess(volume, PROBE_MODELS['curvilinear-3.5'], 3.5, 100, 0.25, origin, beam, lateral);
    const png = readPng(out);
    expect([png.width, png.height]).toEqual([json.width, json.height]);
    expect([png.width, png.height]).toEqual([expected.model.columns, expected.model.rows]);
    expect(fieldStats(expected.model, png.pixels).litFraction).toBeGreaterThan(0.5);
    expect(Buffer.from(png.pixels).equals(Buffer.from(expected.image))).toBe(true);
  });

  describe('reads the transfer syntaxes of ../shared/testdata/transfer-syntaxes', () => {
    let reference: CtVolume;
    beforeAll(async () => {
      reference = (await readDicomFolder(single('CTImage.dcm_LittleEndianExplicitTransferSyntax_1.2.840.10008.1.2.1.dcm'))).volume;
    });
    /** A folder holding one file of the transfer-syntax set. */
    function single(name: string): string {
      const folder = mkdtempSync(join(tmpdir(), 'us-image-ts-'));
      copyFileSync(join(TRANSFER, name), join(folder, name));
      return folder;
    }
    /** Mean |ΔHU| from the uncompressed slice, and the correlation of the two. */
    const compare = (volume: CtVolume) => {
      const a = reference.huVoxels;
      const b = volume.huVoxels;
      const n = a.length;
      let sum = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0; // prettier-ignore
      for (let p = 0; p < n; p++) {
        const x = a[p]!;
        const y = b[p]!;
        sum += Math.abs(y - x);
        sa += x;
        sb += y;
        saa += x * x;
        sbb += y * y;
        sab += x * y;
      }
      return { meanAbsolute: sum / n, correlation: (sab - (sa * sb) / n) / Math.sqrt((saa - (sa * sa) / n) * (sbb - (sb * sb) / n)) };
    };

    it.each([
      ['LittleEndianImplicitTransferSyntax_1.2.840.10008.1.2', 0],
      ['BigEndianExplicitTransferSyntax_1.2.840.10008.1.2.2', 0],
      ['DeflatedExplicitVRLittleEndianTransferSyntax_1.2.840.10008.1.2.1.99', 0],
      ['RLELosslessTransferSyntax_1.2.840.10008.1.2.5', 0],
      ['JPEGProcess14TransferSyntax_1.2.840.10008.1.2.4.57', 0],
      ['JPEGProcess14SV1TransferSyntax_1.2.840.10008.1.2.4.70', 0],
      ['JPEGLSLosslessTransferSyntax_1.2.840.10008.1.2.4.80', 0],
      ['JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90', 0],
      // Lossy: the 8-bit (RescaleSlope 32) and 12-bit (slope 2) JPEG copies were re-quantised
      // from the 16-bit slice, which shifts them by 19–29 HU on average (measured: mean |ΔHU|
      // 19.8, 29.0, 29.0, 30.0; correlation with the original ≥ 0.99993).
      ['JPEGLSLossyTransferSyntax_1.2.840.10008.1.2.4.81', 1],
      ['JPEG2000TransferSyntax_1.2.840.10008.1.2.4.91', 2],
      ['JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50', 35],
      ['JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51', 35],
      ['JPEGProcess6_8TransferSyntax_1.2.840.10008.1.2.4.53', 35],
      ['JPEGProcess10_12TransferSyntax_1.2.840.10008.1.2.4.55', 35],
    ])('%s (mean |ΔHU| ≤ %d)', async (syntax, tolerance) => {
      const name = `CTImage.dcm_${syntax}.dcm`;
      const { volume, transferSyntaxes } = await readDicomFolder(single(name));
      expect(transferSyntaxes).toEqual([syntax.split('_').pop()]);
      expect(volume.geometry).toEqual(reference.geometry);
      const { meanAbsolute, correlation } = compare(volume);
      if (tolerance === 0) expect(meanAbsolute).toBe(0);
      else expect(meanAbsolute).toBeLessThanOrEqual(tolerance);
      expect(correlation).toBeGreaterThan(0.9995);
    });

    it('refuses the 2-frame CT and the SR without pixel data, with the reason', async () => {
      await expect(readDicomFolder(single('CT0012.fragmented_no_bot_jpeg_baseline.51.dcm'))).rejects.toThrow(/multi-frame image \(2 frames\)/);
      await expect(readDicomFolder(single('no-pixel-data.dcm'))).rejects.toThrow(/no CT series; .*no image \(no PixelData\)/);
    });

    it('runs the command on a one-slice JPEG 2000 lossless folder: the same image as from the uncompressed slice', () => {
      const z = reference.geometry.originInCt[2];
      const args = (folder: string, out: string) => [
        '--ct',
        folder,
        '--probe',
        'linear',
        '--frequency',
        '7.5',
        '--depth',
        '60',
        '--origin',
        `0,-120,${z}`,
        '--beam',
        '0,1,0',
        '--lateral',
        '1,0,0',
        '--out',
        out,
        '--pixel-mm',
        '0.2',
      ];
      const folder = single('CTImage.dcm_JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90.dcm');
      const j2k = run(args(folder, join(folder, 'j2k.png')));
      expect(j2k.stderr).toBe('');
      const plain = single('CTImage.dcm_LittleEndianExplicitTransferSyntax_1.2.840.10008.1.2.1.dcm');
      const native = run(args(plain, join(plain, 'native.png')));
      const a = readPng(join(folder, 'j2k.png'));
      const b = readPng(join(plain, 'native.png'));
      // The slice is a head: scalp, then the skull's bright surface echo and its complete shadow.
      expect(fieldStats(probeForImage(PROBE_MODELS['linear-7.5'], 60, 7.5, 0.2), a.pixels).litFraction).toBeGreaterThan(0.01);
      expect(Math.max(...a.pixels)).toBeGreaterThanOrEqual(220);
      expect(Buffer.from(a.pixels).equals(Buffer.from(b.pixels))).toBe(true);
      expect(JSON.parse(native.stdout).notes.join(' ')).toMatch(/single slice/);
    });
  });
});
