import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { defaultUltrasoundSettings, synthesizeUltrasound } from '../../../src/core/ultrasound/synthesizeUltrasound';
import { NavigationSession } from '../../../src/core/navigation/navigationSession';
import { PROBE_MODELS } from '../../../src/core/tracking/probeModels';
import { applyToPoint, invert, transformOf } from '../../../src/core/frames/transform';
import type { CtVolume } from '../../../src/core/volume/ctVolume';
import type { CaseFile } from '../../../src/core/cases/caseFile';
import { readCaseVolume } from '../../../scripts/lib/readCaseVolume';
import { caseAcousticRegions } from '../../../src/core/cases/caseAcousticRegions';
import { validateCaseFile } from '../../../src/core/cases/validateCaseFile';

const folder = resolve(import.meta.dirname, '../../../sample-dicom/lumbar');
const caseFile = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
const lumbar = readCaseVolume(folder);

/** A block of tissue: x < −10 mm fat, −10…10 muscle, > 10 fluid (HU −100, 50, 8), 1 mm voxels, small noise. */
function tissueBlock(): CtVolume {
  const n = 80;
  const hu = new Int16Array(n * n * n);
  let seed = 1;
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const x = i - 40;
        seed = (seed * 1103515245 + 12345) >>> 0;
        const noise = ((seed >>> 16) / 65536 - 0.5) * 6;
        hu[i + j * n + k * n * n] = Math.round((x < -10 ? -100 : x <= 10 ? 50 : 8) + noise);
      }
  return {
    geometry: {
      dimensions: [n, n, n],
      spacingMm: [1, 1, 1],
      originInCt: [-40, -40, -40],
      axesInCt: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    },
    huVoxels: hu,
    seriesInstanceUid: '',
    seriesDescription: '',
    warnings: [],
  };
}

const linear = PROBE_MODELS['linear-7.5'];
/** Linear probe on top of the block: image x along Ct x (shifted by `slideMm`), depth along +y from y = −38. */
const linearImageToCt = (slideMm = 0) => {
  const s = linear.mmPerPixel;
  return transformOf('Image', 'Ct', [s, 0, 0, -((linear.columns - 1) / 2) * s + slideMm, 0, s, 0, -38, 0, 0, s, 0, 0, 0, 0, 1]);
};

describe('synthetic ultrasound', () => {
  it('puts a complete shadow behind bone: 3–8 mm under the spinous process is ≥ 20 dB below the tissue above it', () => {
    const session = new NavigationSession(lumbar, caseFile, 3);
    session.placeProbeOverTarget(0);
    const settings = defaultUltrasoundSettings(session.probeModel);
    const frame = synthesizeUltrasound(lumbar, session.trueImageToCt()!, session.probeModel, settings);
    const stepMm = settings.depthMm / frame.samples;
    const line = frame.lineDb.subarray(128 * frame.samples, 129 * frame.samples);
    // The bone surface: the brightest echo between 2 and 7 cm on the centre line (over the spinous process).
    let surface = Math.round(20 / stepMm);
    for (let s = surface; s < 70 / stepMm; s++) if (line[s]! > line[surface]!) surface = s;
    const mean = (fromMm: number, toMm: number) => {
      const values = Array.from(line.subarray(surface + Math.round(fromMm / stepMm), surface + Math.round(toMm / stepMm)));
      return 10 * Math.log10(values.reduce((sum, db) => sum + 10 ** (db / 10), 0) / values.length);
    };
    expect(mean(-8, -3) - mean(3, 8)).toBeGreaterThanOrEqual(20);
  });

  it('does not show the disc centre from behind: the nucleus lies in the shadow of the posterior arch', () => {
    const session = new NavigationSession(lumbar, caseFile, 3);
    session.placeProbeOverTarget(0);
    const model = session.probeModel;
    const settings = defaultUltrasoundSettings(model);
    const imageToCt = session.trueImageToCt()!;
    const frame = synthesizeUltrasound(lumbar, imageToCt, model, settings);
    const [column, row] = applyToPoint(invert(imageToCt), caseFile.targets[0]!.centre);
    const value = frame.image[Math.round(row) * model.columns + Math.round(column)]!;
    expect(value).toBeLessThan(10); // black: > 40 dB down in a 60 dB display
  });

  it('shows fluid ≥ 30 dB under muscle, and fat darker than muscle (mean echo power on the scan lines, 6–16 mm deep)', () => {
    const block = tissueBlock();
    const settings = { ...defaultUltrasoundSettings(linear), depthMm: 40 };
    const frame = synthesizeUltrasound(block, linearImageToCt(), linear, settings);
    const powerAt = (xMm: number) => {
      // The scan lines within ±3 mm of x (the array spans ±19 mm over 256 lines).
      const line = (x: number) => Math.round(((x + linear.footprintWidthMm / 2) / linear.footprintWidthMm) * settings.lines - 0.5);
      const step = settings.depthMm / frame.samples;
      let sum = 0;
      let count = 0;
      for (let l = line(xMm - 3); l <= line(xMm + 3); l++)
        for (let s = Math.round(6 / step); s < 16 / step; s++) {
          sum += 10 ** (frame.lineDb[l * frame.samples + s]! / 10);
          count++;
        }
      return 10 * Math.log10(sum / count);
    };
    const fat = powerAt(-15);
    const muscle = powerAt(0);
    const fluid = powerAt(15);
    expect(fluid).toBeLessThan(muscle - 30);
    expect(fat).toBeLessThan(muscle);
  });

  it('anchors speckle to the tissue: sliding the probe 1 mm shifts the pattern by 1 mm', () => {
    const block = tissueBlock();
    const settings = { ...defaultUltrasoundSettings(linear), depthMm: 40 };
    const a = synthesizeUltrasound(block, linearImageToCt(0), linear, settings).image;
    const b = synthesizeUltrasound(block, linearImageToCt(1), linear, settings).image;
    const shift = Math.round(1 / linear.mmPerPixel); // 10 px
    const correlation = (offset: number) => {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let r = 100; r < 300; r += 2)
        for (let c = 120; c < 180; c++) {
          xs.push(a[r * linear.columns + c + offset]!);
          ys.push(b[r * linear.columns + c]!);
        }
      const mx = xs.reduce((s, v) => s + v, 0) / xs.length;
      const my = ys.reduce((s, v) => s + v, 0) / ys.length;
      let sxy = 0,
        sxx = 0,
        syy = 0;
      for (let i = 0; i < xs.length; i++) {
        sxy += (xs[i]! - mx) * (ys[i]! - my);
        sxx += (xs[i]! - mx) ** 2;
        syy += (ys[i]! - my) ** 2;
      }
      return sxy / Math.sqrt(sxx * syy);
    };
    // The same tissue point appears 10 px to the left after sliding 1 mm to the right.
    expect(correlation(shift)).toBeGreaterThan(0.8);
    expect(correlation(0)).toBeLessThan(0.5);
  });
});

describe('the needle in the ultrasound', () => {
  const block = tissueBlock();
  // Low gain: the shaft must not saturate the display, or brightness could not be compared.
  const settings = { ...defaultUltrasoundSettings(linear), depthMm: 40, gainDb: defaultUltrasoundSettings(linear).gainDb - 25 };
  /** Mean echo power (linear) within 1 mm of the needle's in-plane projection, in dB. */
  const brightness = (outOfPlaneMm: number, angleDeg: number) => {
    const a = (angleDeg * Math.PI) / 180;
    // In the image plane (z = 0 plus the offset), through (0, −18, z), tilted by `angle` from the probe face.
    const centre: [number, number, number] = [0, -18, outOfPlaneMm];
    const half = 12;
    const tip: [number, number, number] = [centre[0] + Math.cos(a) * half, centre[1] + Math.sin(a) * half, centre[2]];
    const hub: [number, number, number] = [centre[0] - Math.cos(a) * half, centre[1] - Math.sin(a) * half, centre[2]];
    const frame = synthesizeUltrasound(block, linearImageToCt(), linear, settings, { tip, hub, diameterMm: 0.72 });
    let sum = 0;
    let count = 0;
    for (let t = -8; t <= 8; t += 0.5) {
      const x = centre[0] + Math.cos(a) * t;
      const y = centre[1] + Math.sin(a) * t;
      const column = Math.round(x / linear.mmPerPixel + (linear.columns - 1) / 2);
      const row = Math.round((y + 38) / linear.mmPerPixel);
      let best = 0;
      for (let r = row - 5; r <= row + 5; r++) best = Math.max(best, frame.image[r * linear.columns + column]!);
      sum += best;
      count++;
    }
    return sum / count;
  };

  it('is brightest in plane and fades as it leaves the elevation beam', () => {
    const inPlane = brightness(0, 0);
    const half = brightness(0.6, 0);
    const out = brightness(2, 0);
    expect(inPlane).toBeGreaterThan(half);
    expect(half).toBeGreaterThan(out);
    expect(inPlane - out).toBeGreaterThan(30);
  });

  it('is brightest perpendicular to the beam and fades as the angle steepens', () => {
    const flat = brightness(0, 0);
    const steep = brightness(0, 45);
    const steeper = brightness(0, 70);
    expect(flat).toBeGreaterThan(steep);
    expect(steep).toBeGreaterThan(steeper);
  });
});

describe('acoustic overrides from the case file', () => {
  const block = tissueBlock();
  const settings = { ...defaultUltrasoundSettings(linear), depthMm: 40 };
  // A vessel along Ct z (across the image) in the muscle band, 18 mm deep, radius 4 mm.
  const vessel = {
    type: 'tube' as const,
    points: [
      [0, -20, -30],
      [0, -20, 30],
    ] as [number, number, number][],
    radiusMm: 4,
  };
  const centre = { c: (linear.columns - 1) / 2, r: 18 / linear.mmPerPixel };
  const meanInDisc = (image: Uint8ClampedArray, dx: number, dyMm: number, radiusMm: number) => {
    let sum = 0;
    let count = 0;
    const rp = radiusMm / linear.mmPerPixel;
    const cy = centre.r + dyMm / linear.mmPerPixel;
    const cx = centre.c + dx / linear.mmPerPixel;
    for (let r = Math.floor(cy - rp); r <= cy + rp; r++)
      for (let c = Math.floor(cx - rp); c <= cx + rp; c++) {
        if ((r - cy) ** 2 + (c - cx) ** 2 > rp * rp) continue;
        sum += image[r * linear.columns + c]!;
        count++;
      }
    return sum / count;
  };

  /** Grey levels of the pixels within `radiusMm` of the vessel's centre, offset by (dx, dy) mm. */
  const greysInDisc = (image: Uint8ClampedArray, dxMm: number, dyMm: number, radiusMm: number, fromMm = 0) => {
    const values: number[] = [];
    for (let r = 0; r < linear.rows; r++)
      for (let c = 0; c < linear.columns; c++) {
        const d = Math.hypot((r - centre.r) * linear.mmPerPixel - dyMm, (c - centre.c) * linear.mmPerPixel - dxMm);
        if (d <= radiusMm && d >= fromMm) values.push(image[r * linear.columns + c]!);
      }
    return values;
  };
  const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

  it('shows a blood-filled lumen anechoic although its HU is muscle: < 1 % of its pixels above the muscle median', () => {
    const plain = synthesizeUltrasound(block, linearImageToCt(), linear, settings).image;
    const withLumen = synthesizeUltrasound(block, linearImageToCt(), linear, settings, undefined, { regions: [{ medium: 'blood', shape: vessel }], timeMs: 0 }).image;
    // Without the override the vessel is invisible (the block is muscle there): about the muscle's own grey.
    expect(Math.abs(meanInDisc(plain, 0, 0, 2.5) - meanInDisc(plain, 0, -9, 2.5))).toBeLessThan(15);
    // With it, the lumen (3.5 mm around the axis: inside the wall echo) is black against the muscle beside it.
    const muscleMedian = medianOf(greysInDisc(withLumen, 0, -9, 3));
    const lumen = greysInDisc(withLumen, 0, 0, 3.5);
    expect(muscleMedian).toBeGreaterThan(5);
    expect(lumen.filter((g) => g > muscleMedian).length / lumen.length).toBeLessThan(0.01);
  });

  it('makes an artery pulsate: the lumen is wider at systole than at diastole', () => {
    const artery = { medium: 'blood' as const, shape: vessel, pulsation: { beatsPerMinute: 60, radiusChangeMm: 1 } };
    const diastole = synthesizeUltrasound(block, linearImageToCt(), linear, settings, undefined, { regions: [artery], timeMs: 0 });
    const systole = synthesizeUltrasound(block, linearImageToCt(), linear, settings, undefined, { regions: [artery], timeMs: 500 });
    expect(diastole.pulsating).toBe(true);
    // The ring 4.3–4.7 mm from the centre is muscle at diastole, lumen at systole (radius 5 mm):
    // its pixels above the muscle's median grey, lower half (the upper wall echo is brighter).
    const ring = (image: Uint8ClampedArray) => greysInDisc(image, 0, 0, 4.7, 4.3).filter((_, i, all) => i >= all.length / 2);
    const muscleMedian = medianOf(greysInDisc(diastole.image, 0, -9, 3));
    const brightShare = (values: number[]) => values.filter((g) => g > muscleMedian).length / values.length;
    expect(brightShare(ring(systole.image))).toBeLessThan(brightShare(ring(diastole.image)) - 0.2);
    const still = synthesizeUltrasound(block, linearImageToCt(), linear, settings, undefined, { regions: [{ medium: 'blood', shape: vessel }], timeMs: 0 });
    expect(still.pulsating).toBe(false);
  });

  it('reads vessel lumens from the shipped hip case: the femoral artery is anechoic and pulsates', () => {
    const hipCase = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../sample-dicom/hip/case.json'), 'utf8')) as CaseFile;
    // The case's tissues (cartilage, capsule, muscles with their fibres) come first, the vessel lumens last.
    const regions = caseAcousticRegions(hipCase).filter((r) => r.medium === 'blood');
    expect(regions).toHaveLength(2);
    expect(regions[0]!.pulsation?.beatsPerMinute).toBeGreaterThan(0);
    // The case's default gain (dB) is read and checked.
    expect(hipCase.procedure.probe.gainDb).toBe(46);
    expect(defaultUltrasoundSettings(PROBE_MODELS['linear-7.5'], hipCase.procedure.probe.gainDb).gainDb).toBe(46);
    const withGain = (gainDb: unknown) => validateCaseFile({ ...hipCase, procedure: { ...hipCase.procedure, probe: { ...hipCase.procedure.probe, gainDb } } });
    expect(withGain(80)).toEqual({ ok: false, errors: ['procedure.probe.gainDb: expected a gain in dB from 0 to 60, found 80'] });
    expect(withGain('loud')).toEqual({ ok: false, errors: ['procedure.probe.gainDb: expected a gain in dB from 0 to 60, found "loud"'] });
    expect(validateCaseFile({ ...hipCase, avoid: [{ ...hipCase.avoid[1]!, acoustic: { medium: 'lava' } }] })).toEqual({
      ok: false,
      errors: ['avoid[0].acoustic.medium: expected one of "blood", "fluid", "gas", found "lava"'],
    });
  });
});

describe('injectate in the ultrasound', () => {
  const block = tissueBlock();
  const settings = { ...defaultUltrasoundSettings(linear), depthMm: 40 };
  // The probe face is at y = −38 looking +y; a sphere centred 16 mm deep, radius 4 mm: its near surface 12 mm deep.
  const sphere = { type: 'sphere' as const, centre: [0, -22, 0] as [number, number, number], radiusMm: 4 };
  const centreLine = (frame: ReturnType<typeof synthesizeUltrasound>) => frame.lineDb.subarray(128 * frame.samples, 129 * frame.samples);
  const meanDb = (line: Float32Array, fromMm: number, toMm: number) => {
    const step = settings.depthMm / line.length;
    const values = Array.from(line.subarray(Math.round(fromMm / step), Math.round(toMm / step)));
    return 10 * Math.log10(values.reduce((sum, db) => sum + 10 ** (db / 10), 0) / values.length);
  };

  it('shows gas as a bright surface with a dirty shadow: reverberation copies at twice its depth, fainter haze behind', () => {
    const frame = synthesizeUltrasound(block, linearImageToCt(), linear, settings, undefined, { regions: [{ medium: 'gas', shape: sphere }], timeMs: 0 });
    const line = centreLine(frame);
    expect(meanDb(line, 11.5, 12.5)).toBeGreaterThan(meanDb(line, 6, 10) + 10);
    // Behind the gas the tissue is gone (≥ 10 dB down): a grey haze, not the black of a clean bone shadow…
    expect(meanDb(line, 14, 20)).toBeLessThan(meanDb(line, 6, 10) - 10);
    expect(meanDb(line, 14, 20)).toBeGreaterThan(meanDb(line, 6, 10) - 60);
    // …but an A-line rings at twice the gas depth (24 mm), above the haze around it.
    expect(meanDb(line, 23.5, 24.5)).toBeGreaterThan(meanDb(line, 19, 22) + 6);
  });

  it('shows injected fluid anechoic, with the tissue planes it fills silenced', () => {
    const plain = synthesizeUltrasound(block, linearImageToCt(), linear, settings);
    const frame = synthesizeUltrasound(block, linearImageToCt(), linear, settings, undefined, { regions: [{ medium: 'fluid', shape: sphere }], timeMs: 0 });
    expect(meanDb(centreLine(frame), 14, 18)).toBeLessThan(meanDb(centreLine(plain), 14, 18) - 20);
  });
});
