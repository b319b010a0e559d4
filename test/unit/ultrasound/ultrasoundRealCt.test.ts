import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { applyToPoint, compose, invert, type Transform } from '../../../src/core/frames/transform';
import type { Vec3 } from '../../../src/core/geometry/vec3';
import { skinContact } from '../../../src/core/navigation/skinContact';
import { imageToProbe, PROBE_MODELS } from '../../../src/core/tracking/probeModels';
import { probePoseInCt } from '../../../src/core/tracking/simulatedRoom';
import { defaultUltrasoundSettings, scanLine, synthesizeUltrasound, type UltrasoundFrame } from '../../../src/core/ultrasound/synthesizeUltrasound';
import { sampleCountFor } from '../../../src/core/ultrasound/ultrasoundSettings';
import { huAtCtPoint, type CtVolume } from '../../../src/core/volume/ctVolume';
import { readNativeVolume } from '../fixtures/readNativeVolume';
import { denoisedVolume, QUARTER } from '../../../src/core/ultrasound/denoisedVolume';
import { ctToCtIjk } from '../../../src/core/volume/volumeGeometry';
import { hasTestdata, SKIP_REASON, TESTDATA_DIR } from '../fixtures/sharedTestdata';

/*
 * Realism of the synthetic ultrasound on a real CT: ../shared/testdata/ct-lumbar-tcia (TCIA
 * Pancreatic-CT-CBCT-SEG, Pancreas-CT-CB_001, CC BY 4.0), contrast-enhanced, SUPINE (HFS):
 * the back lies on the table at +y, so a posterior view puts the probe on the back, beam −y.
 *
 * Landmarks in Ct (LPS mm), found once by hand on this volume (slice k sits at z = 85.91 + 3k):
 * levels counted up from the sacrum on a mid-sagittal reslice (five lumbar bodies above S1; the
 * iliac crests at the L4–L5 disc and the last ribs near T12 agree, so a level could be off by
 * one at most); positions read from HU profiles and axial/sagittal PNGs of the volume.
 */
/** The L3 spinous process at its solid inferior part (k = 37): centroid of HU > 300 at x = 7.7, its cortex meets a posterior beam at y ≈ 177–178. */
const L3_SPINOUS_TIP: Vec3 = [8, 178, 197];
/** The right L3–L4 articular pillar (facet joint) in the same axial plane: a vertical line at x = −6 first meets HU > 400 at y ≈ 151. */
const RIGHT_L3_L4_FACET: Vec3 = [-6, 151.5, 197];
/** Centre of the L3–L4 disc (k = 38, between endplates at k = 36 and 40): HU 80–120 from x ≈ −20 to 34 (i 237–288), y ≈ 80 to 127 (j 240–284). */
const L3_L4_DISC_CENTRE: Vec3 = [7.0, 103.3, 199.9];
/** Axis of the dural sac at L3–L4 (k 36–39): centroid of the CSF (−20…30 HU) in the canal, x 7–9, y 132–138; about 15 mm wide, 12 mm deep. */
const DURAL_SAC_AXIS = { x: 8, y: 135 };
const DURAL_SAC_RADIUS_MM = 8;

const model = PROBE_MODELS['curvilinear-3.5'];
const settings = { ...defaultUltrasoundSettings(model), samples: sampleCountFor(model.depthMm, model.frequencyMHz) }; // TGC on (tgc = 1)
const stepMm = settings.depthMm / settings.samples;
const samplesIn = (mm: number) => Math.round(mm / stepMm);
/** Above this the line has met bone; what lies beyond is in its shadow (or its cortex). */
const BONE_HU = 200;

interface Scan {
  readonly imageToCt: Transform<'Image', 'Ct'>;
  readonly frame: UltrasoundFrame;
  /** CT HU (nearest voxel) at every sample of every scan line, line-major like `frame.lineDb`. */
  readonly hu: Float32Array;
  /** Ct position of every sample, xyz interleaved. */
  readonly points: Float32Array;
}

/** Mean of dB values taken in power, as the ultrasound.test.ts shadow check averages. */
const powerMeanDb = (values: ArrayLike<number>) => 10 * Math.log10(Array.from(values).reduce((sum, db) => sum + 10 ** (db / 10), 0) / values.length);

/**
 * The curvilinear probe on the back of the supine patient at (x, z), beam along `beam`, array
 * along `array`, as scripts/render-ultrasound-pictures.ts places it. The ray to the skin starts
 * 5 mm behind the skin (found going out from inside the back), not 80 mm as there: that far out
 * it would meet the mattress and table first.
 */
function scanFromBack(volume: CtVolume, x: number, z: number, beam: Vec3, array: Vec3): Scan {
  let y = L3_SPINOUS_TIP[1];
  while ((huAtCtPoint(volume, [x, y, z]) ?? -1000) > -400) y += 0.5;
  const contact = skinContact(volume, [x, y + 5, z], beam);
  if (!contact) throw new Error(`no skin found behind (${x}, ${z})`);
  const imageToCt = compose(probePoseInCt(contact, beam, array, model.sensorToFaceMm), imageToProbe(model));
  const frame = synthesizeUltrasound(volume, imageToCt, model, settings);
  const hu = new Float32Array(settings.lines * settings.samples);
  const points = new Float32Array(3 * hu.length);
  for (let l = 0; l < settings.lines; l++) {
    const { origin, step } = scanLine(model, imageToCt, l, settings.lines, stepMm);
    for (let s = 0; s < settings.samples; s++) {
      const p: Vec3 = [origin[0] + step[0] * s, origin[1] + step[1] * s, origin[2] + step[2] * s];
      hu[l * settings.samples + s] = denoisedHuAt(volume, p);
      points.set(p, 3 * (l * settings.samples + s));
    }
  }
  return { imageToCt, frame, hu, points };
}

/** The denoised HU (what the ultrasound reads) of the voxel nearest a Ct point, −1000 outside. */
function denoisedHuAt(volume: CtVolume, p: Vec3): number {
  const [nx, ny, nz] = volume.geometry.dimensions;
  const [i, j, k] = ctToCtIjk(volume.geometry, p).map(Math.round) as [number, number, number];
  if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return -1000;
  return denoisedVolume(volume).quarterHu[i + j * nx + k * nx * ny]! / QUARTER;
}

/** The scan line (index) through a Ct point in the image plane, and the sample at its depth. */
function lineThrough(scan: Scan, point: Vec3): { line: number; sample: number } {
  const [column, row] = applyToPoint(invert(scan.imageToCt), point);
  const x = (column - (model.columns - 1) / 2) * model.mmPerPixel;
  const fromApex = row * model.mmPerPixel + model.radiusMm;
  const thetaDeg = (Math.atan2(x, fromApex) * 180) / Math.PI;
  return {
    line: Math.round(((thetaDeg + model.sectorDeg / 2) / model.sectorDeg) * settings.lines - 0.5),
    sample: Math.round((Math.hypot(x, fromApex) - model.radiusMm) / stepMm),
  };
}

const lineDb = (scan: Scan, line: number) => scan.frame.lineDb.subarray(line * settings.samples, (line + 1) * settings.samples);

/**
 * On the line through a bone point: the bone surface is the brightest echo within 5 mm of it;
 * returns the tissue 3–8 mm above it and the 3–8 mm below it (power means, dB).
 */
function aroundBoneSurface(scan: Scan, bonePoint: Vec3): { above: number; below: number; surfaceDepthMm: number } {
  const { line, sample } = lineThrough(scan, bonePoint);
  const db = lineDb(scan, line);
  let surface = sample - samplesIn(5);
  for (let s = surface; s <= sample + samplesIn(5); s++) if (db[s]! > db[surface]!) surface = s;
  const mean = (fromMm: number, toMm: number) => powerMeanDb(db.subarray(surface + samplesIn(fromMm), surface + samplesIn(toMm)));
  return { above: mean(-8, -3), below: mean(3, 8), surfaceDepthMm: surface * stepMm };
}

/**
 * Echo level of one tissue, located by the CT along each scan line: samples whose HU, and that
 * of every sample within 1.5 mm along the line (no interface echo), lies in [minHu, maxHu],
 * between the depths given, before the line first meets bone, and where `where` holds.
 * `db` is their power mean, `medianDb` the typical sample (the speckle background, which the
 * sparse strong echoes that dominate the power mean do not move).
 */
function tissueLevel(scan: Scan, minHu: number, maxHu: number, fromMm: number, toMm: number, where: (p: Vec3) => boolean = () => true, guardMm = 1.5, guardLines = 0) {
  const guard = samplesIn(guardMm);
  const values: number[] = [];
  let depthSum = 0;
  for (let l = 0; l < settings.lines; l++) {
    const base = l * settings.samples;
    for (let s = guard; s < Math.min(settings.samples - guard, samplesIn(toMm)); s++) {
      if (scan.hu[base + s]! > BONE_HU) break;
      if (s < samplesIn(fromMm)) continue;
      let inside = true;
      for (let t = s - guard; t <= s + guard && inside; t++) inside = scan.hu[base + t]! >= minHu && scan.hu[base + t]! <= maxHu;
      // Across the lines too: the neighbouring lines within `guardLines` at the same depth.
      for (let m = Math.max(0, l - guardLines); m <= Math.min(settings.lines - 1, l + guardLines) && inside; m++) {
        const v = scan.hu[m * settings.samples + s]!;
        inside = v >= minHu && v <= maxHu;
      }
      const k = 3 * (base + s);
      if (!inside || !where([scan.points[k]!, scan.points[k + 1]!, scan.points[k + 2]!])) continue;
      values.push(scan.frame.lineDb[base + s]!);
      depthSum += s * stepMm;
    }
  }
  const sorted = values.sort((a, b) => a - b);
  return { db: values.length ? powerMeanDb(values) : -Infinity, medianDb: sorted[sorted.length >> 1] ?? -Infinity, count: values.length, meanDepthMm: depthSum / values.length };
}

const FAT_HU = [-150, -50] as const;
const MUSCLE_HU = [20, 80] as const;

describe.skipIf(!hasTestdata)(`synthetic ultrasound on the real lumbar CT (ct-lumbar-tcia)${hasTestdata ? '' : ' — ' + SKIP_REASON}`, () => {
  let volume: CtVolume;
  /** Transverse posterior view over the L3 spinous process: array toward the patient's left. */
  let overSpinous: Scan;
  beforeAll(() => {
    volume = readNativeVolume(join(TESTDATA_DIR, 'ct-lumbar-tcia'));
    overSpinous = scanFromBack(volume, L3_SPINOUS_TIP[0], L3_SPINOUS_TIP[2], [0, -1, 0], [1, 0, 0]);
  });

  it('reads the volume the planner expects: 512×512×134 int16 HU in LPS', () => {
    expect(volume.geometry.dimensions).toEqual([512, 512, 134]);
    expect(volume.huVoxels).toBeInstanceOf(Int16Array);
    // Stored 0 with intercept −1000 is air; the landmarks are bone and disc.
    expect(huAtCtPoint(volume, [0, -170, 300])).toBeLessThan(-900);
    expect(huAtCtPoint(volume, [L3_SPINOUS_TIP[0], L3_SPINOUS_TIP[1] - 2, L3_SPINOUS_TIP[2]])).toBeGreaterThan(300);
    expect(huAtCtPoint(volume, L3_L4_DISC_CENTRE)).toBeGreaterThan(40);
    expect(huAtCtPoint(volume, L3_L4_DISC_CENTRE)).toBeLessThan(200);
  });

  it('shadows behind the spinous process and the facet: 3–8 mm under the bone surface is far below the tissue above it', () => {
    const spinous = aroundBoneSurface(overSpinous, L3_SPINOUS_TIP);
    const facet = aroundBoneSurface(overSpinous, RIGHT_L3_L4_FACET);
    // Measured 75.6 dB (spinous) and 86.7 dB (facet). A complete shadow is > 40 dB down (design
    // notes). Without the rough-surface loss, bone attenuation alone still gave 48 / 43 dB;
    // without bone attenuation either (no shadow), −2 / −19 dB.
    expect(spinous.above - spinous.below).toBeGreaterThanOrEqual(40);
    expect(facet.above - facet.below).toBeGreaterThanOrEqual(40);
  });

  it('does not show the L3–L4 disc centre from behind: it lies in the shadow of the posterior arch', () => {
    const scan = scanFromBack(volume, L3_L4_DISC_CENTRE[0], L3_L4_DISC_CENTRE[2], [0, -1, 0], [1, 0, 0]);
    const [column, row] = applyToPoint(invert(scan.imageToCt), L3_L4_DISC_CENTRE);
    const pixel = scan.frame.image[Math.round(row) * model.columns + Math.round(column)]!;
    const { line, sample } = lineThrough(scan, L3_L4_DISC_CENTRE);
    const disc: number[] = [];
    for (let l = line - 2; l <= line + 2; l++) disc.push(...lineDb(scan, l).subarray(sample - samplesIn(3), sample + samplesIn(3) + 1));
    const discDb = powerMeanDb(disc);
    const muscle = tissueLevel(scan, MUSCLE_HU[0], MUSCLE_HU[1], 30, 80);
    expect(pixel).toBeLessThan(10); // black: > 57 dB down in a 60 dB display
    // Measured: pixel 0; the disc −82.9 dB (the noise floor at its 118 mm depth), the paraspinal
    // muscle −8.8 dB: 74 dB apart.
    expect(discDb).toBeLessThan(muscle.db - 40);
  });

  it('shows the subcutaneous fat darker than the paraspinal muscle at the same depths (TGC on)', () => {
    // 30–50 mm: the deep fat and the superficial muscle, on lines clear of bone.
    const fat = tissueLevel(overSpinous, FAT_HU[0], FAT_HU[1], 30, 50);
    const muscle = tissueLevel(overSpinous, MUSCLE_HU[0], MUSCLE_HU[1], 30, 50);
    expect(fat.count).toBeGreaterThan(1000);
    expect(muscle.count).toBeGreaterThan(1000);
    // Measured 12.7 dB in power, 11.5 dB in median. Part of it is not the tissues' echogenicity:
    // CT noise (±20 HU) makes larger impedance steps in muscle than in fat, and those echoes
    // add to muscle. With fat given muscle's echogenicity (0.44 instead of 0.16) the same scan
    // measured 7.0 dB in power and 3.2 dB in median, so these thresholds fail then.
    expect(fat.db).toBeLessThan(muscle.db - 6);
    expect(fat.medianDb).toBeLessThan(muscle.medianDb - 6);
  });

  it('gives paraspinal muscle (eroded two PSF widths from interfaces) the echo power of the same tissue without CT noise, ± 1 dB', () => {
    // The left paraspinal lines (clear of the spinous process), 30–80 mm deep; muscle samples 3 mm
    // (two lateral PSF widths at 3.5 MHz) from any HU outside the muscle range along and across lines.
    const lines = { from: 20, to: 100 };
    const inLines = (l: number) => l >= lines.from && l < lines.to;
    const picked: number[] = [];
    const guard = samplesIn(3);
    const m = overSpinous.imageToCt.matrix;
    const normalRaw: Vec3 = [m[2]!, m[6]!, m[10]!];
    const normalSize = Math.hypot(...normalRaw);
    const normal: Vec3 = [normalRaw[0] / normalSize, normalRaw[1] / normalSize, normalRaw[2] / normalSize];
    for (let l = lines.from; l < lines.to; l++) {
      const base = l * settings.samples;
      for (let s = samplesIn(30); s < samplesIn(80); s++) {
        if (overSpinous.hu[base + s]! > BONE_HU) break;
        let inside = true;
        for (let t = s - guard; t <= s + guard && inside; t++) inside = overSpinous.hu[base + t]! >= MUSCLE_HU[0] && overSpinous.hu[base + t]! <= MUSCLE_HU[1];
        for (let m = l - 5; m <= l + 5 && inside; m++)
          inside = inLines(m) && overSpinous.hu[m * settings.samples + s]! >= MUSCLE_HU[0] && overSpinous.hu[m * settings.samples + s]! <= MUSCLE_HU[1];
        // And across the elevation beam (FWHM 3 mm): muscle 1.5 mm either side of the image plane.
        for (const e of [-1.5, 1.5]) {
          if (!inside) break;
          const k = 3 * (base + s);
          const v = denoisedHuAt(volume, [overSpinous.points[k]! + normal[0] * e, overSpinous.points[k + 1]! + normal[1] * e, overSpinous.points[k + 2]! + normal[2] * e]);
          inside = v >= MUSCLE_HU[0] && v <= MUSCLE_HU[1];
        }
        if (inside) picked.push(base + s);
      }
    }
    expect(picked.length).toBeGreaterThan(2000);
    // The reference: the same CT without its noise — every voxel's denoised HU, fat (−200…−30 HU)
    // and muscle set to their mean HU — scanned at the same pose with the same settings, so the
    // scatterers and the texture are the same and only the CT's noise and heterogeneity differ.
    const { quarterHu } = denoisedVolume(volume);
    const classMean = (lo: number, hi: number) => {
      let sum = 0;
      let n = 0;
      for (let v = 0; v < quarterHu.length; v += 7) {
        const h = quarterHu[v]! / QUARTER;
        if (h >= lo && h <= hi) {
          sum += h;
          n++;
        }
      }
      return sum / n;
    };
    const fatHu = Math.round(classMean(-200, -30));
    const muscleHu = Math.round(classMean(MUSCLE_HU[0], MUSCLE_HU[1]));
    const cleanedHu = new Int16Array(quarterHu.length);
    for (let v = 0; v < quarterHu.length; v++) {
      const h = quarterHu[v]! / QUARTER;
      cleanedHu[v] = h >= -200 && h <= -30 ? fatHu : h >= MUSCLE_HU[0] && h <= MUSCLE_HU[1] ? muscleHu : Math.round(h);
    }
    const reference = synthesizeUltrasound({ ...volume, huVoxels: cleanedHu }, overSpinous.imageToCt, model, settings);
    const real = powerMeanDb(picked.map((k) => overSpinous.frame.lineDb[k]!));
    const noiseFree = powerMeanDb(picked.map((k) => reference.lineDb[k]!));
    expect(Math.abs(real - noiseFree)).toBeLessThanOrEqual(1);
  });

  describe('the thecal sac through the right paramedian sagittal oblique window at L3–L4', () => {
    // 15 mm right of the sac, beam tilted 10° toward the midline, array along the spine
    // (superior to the image's right): the sawtooth of laminae with the sac between them.
    // A search over offsets 0–35 mm, tilts 0–25° and levels found this the clearest window.
    const tilt = (10 * Math.PI) / 180;
    let oblique: Scan;
    beforeAll(() => {
      oblique = scanFromBack(volume, DURAL_SAC_AXIS.x - 15, 195, [Math.sin(tilt), -Math.cos(tilt), 0], [0, 0, 1]);
    });
    const inSac = (p: Vec3) => Math.hypot(p[0] - DURAL_SAC_AXIS.x, p[1] - DURAL_SAC_AXIS.y) < DURAL_SAC_RADIUS_MM;

    it('shows the thecal sac anechoic: CSF ≥ 30 dB under the paraspinal muscle in mean echo power', () => {
      const csf = tissueLevel(oblique, -20, 30, 0, settings.depthMm, inSac);
      const muscle = tissueLevel(oblique, MUSCLE_HU[0], MUSCLE_HU[1], 30, settings.depthMm);
      expect(csf.count).toBeGreaterThan(100); // the window exists: the sac is seen, not shadowed
      expect(csf.db).toBeLessThan(muscle.db - 30);
    });
  });
});
