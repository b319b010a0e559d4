import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { readCaseVolume } from '../../../scripts/lib/readCaseVolume';
import type { CaseFile } from '../../../src/core/cases/caseFile';
import { burnIntoImage } from '../../../src/core/ctpass/burnIntoImage';
import { INJECTATE_HU, type InjectateInCt } from '../../../src/core/ctpass/burnInjectates';
import { axialSliceThrough, confirmationPlanes, needleObliquePlane, sagittalThrough } from '../../../src/core/ctpass/confirmationPlanes';
import {
  injectatesAt,
  injectateRadiusMm,
  injectedVolumeMl,
  injectionAcousticRegions,
  injectionDurationMs,
  sphereRadiusMm,
  type Injection,
} from '../../../src/core/ctpass/injectateSpread';
import { insertedLengthMm } from '../../../src/core/ctpass/insertedLength';
import type { MetalNeedleInCt } from '../../../src/core/ctpass/needleInCt';
import { addScaled, cross, dot, length, normalize, subtract, type Vec3 } from '../../../src/core/geometry/vec3';
import { ctToPlanePixel, planePixelToCt, reslicePlane, type ImagePlane } from '../../../src/core/reslice/reslicePlane';
import { gaugeDiameterMm } from '../../../src/core/tracking/needleModel';
import { acousticRegionsAt } from '../../../src/core/ultrasound/acousticRegions';
import type { CtVolume } from '../../../src/core/volume/ctVolume';
import { ctToCtIjk } from '../../../src/core/volume/volumeGeometry';
import { directionLetters } from '../../../src/app/procedure/ctPassView';

/**
 * A prone-like block (axes i = −x, j = −y as an HFP scan stores them; origin far from zero so Ct
 * and CtIjk cannot be confused): 0.8 × 0.8 × 2 mm voxels, x 20.8…100, y 120.8…200, z 300…378.
 * Soft tissue 50 HU (±3 HU noise) where y < 185, air above (the skin at y = 185); a bone plate
 * (700 HU) at z 340…346, x < 40.
 */
function proneBlock(): CtVolume {
  const [nx, ny, nz] = [100, 100, 40];
  const hu = new Int16Array(nx * ny * nz);
  let seed = 7;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const x = 100 - 0.8 * i;
        const y = 200 - 0.8 * j;
        const z = 300 + 2 * k;
        seed = (seed * 1103515245 + 12345) >>> 0;
        const noise = ((seed >>> 16) / 65536 - 0.5) * 6;
        const tissue = y >= 185 ? -1000 : z >= 340 && z <= 346 && x < 40 ? 700 : 50;
        hu[i + j * nx + k * nx * ny] = Math.round(tissue + (tissue > -1000 ? noise : 0));
      }
  return {
    geometry: {
      dimensions: [nx, ny, nz],
      spacingMm: [0.8, 0.8, 2],
      originInCt: [100, 200, 300],
      axesInCt: [
        [-1, 0, 0],
        [0, -1, 0],
        [0, 0, 1],
      ],
    },
    huVoxels: hu,
    seriesInstanceUid: '',
    seriesDescription: '',
    warnings: [],
  };
}

const block = proneBlock();
/** From posterior-left (+x, +y), in an axial plane; the tip at (60, 160, 331), 27.95 mm under the skin. */
const shaftDirection = normalize([-1, -2, 0]);
const tip: Vec3 = [60, 160, 331];
const needle: MetalNeedleInCt = { tip, hub: addScaled(tip, shaftDirection, -150), diameterMm: gaugeDiameterMm(22) };

const normalOf = (plane: ImagePlane): Vec3 => cross(plane.right, plane.down);
const distanceFromPlane = (plane: ImagePlane, p: Vec3): number => dot(subtract(p, plane.centreInCt), normalOf(plane));
const pixel = (image: Float32Array, plane: ImagePlane, p: Vec3): number => {
  const [c, r] = ctToPlanePixel(plane, p).map(Math.round) as [number, number];
  return image[r * plane.columns + c]!;
};
const expectVector = (actual: Vec3, expected: Vec3) => expect(length(subtract(actual, expected))).toBeLessThan(1e-12);
/** Distance from a point to the segment a–b, mm. */
function distanceToSegment(p: Vec3, a: Vec3, b: Vec3): number {
  const ab = subtract(b, a);
  const t = Math.max(0, Math.min(1, dot(subtract(p, a), ab) / dot(ab, ab)));
  return length(subtract(p, addScaled(a, ab, t)));
}

describe('confirmation planes', () => {
  it('lays the axial image on the slice nearest the tip, at the volume’s own pixels', () => {
    const { plane, sliceIndex } = axialSliceThrough(block.geometry, tip);
    expect(sliceIndex).toBe(Math.round(ctToCtIjk(block.geometry, tip)[2])); // z 331 → k 15.5 → 16
    expect(sliceIndex).toBe(16);
    expect(Math.abs(distanceFromPlane(plane, tip))).toBeLessThanOrEqual(block.geometry.spacingMm[2] / 2 + 1e-9);
    expect(ctToCtIjk(block.geometry, plane.centreInCt)[2]).toBeCloseTo(16, 9);
    expect(plane.right).toEqual([-1, 0, 0]);
    expect(plane.down).toEqual([0, -1, 0]);
    // 100 × 100 pixels of 0.8 mm: each pixel is a voxel of the slice, exactly.
    expect([plane.columns, plane.rows, plane.mmPerPixel]).toEqual([100, 100, 0.8]);
    const image = reslicePlane(block, plane);
    for (const [i, j] of [
      [0, 0],
      [37, 81],
      [99, 99],
    ] as const)
      expect(image[j * 100 + i]).toBe(block.huVoxels[i + j * 100 + 16 * 100 * 100]);
  });

  it('lays the oblique plane along the shaft: tip and hub in it, tip at the centre pixel, the inserted shaft and 3 cm more in view', () => {
    const { oblique, insertedMm } = confirmationPlanes(block, needle);
    expect(Math.abs(distanceFromPlane(oblique, needle.tip))).toBeLessThan(1e-6);
    expect(Math.abs(distanceFromPlane(oblique, needle.hub))).toBeLessThan(1e-6);
    expect(length(oblique.right)).toBeCloseTo(1, 12);
    expect(length(oblique.down)).toBeCloseTo(1, 12);
    expect(dot(oblique.right, oblique.down)).toBeCloseTo(0, 12);
    expect(Math.abs(dot(oblique.right, shaftDirection))).toBeCloseTo(1, 12);
    const [c, r] = ctToPlanePixel(oblique, needle.tip);
    expect([c, r]).toEqual([(oblique.columns - 1) / 2, (oblique.rows - 1) / 2]);
    expect(Number.isInteger(c)).toBe(true);
    expect(insertedMm).toBeCloseTo(25 / (2 / Math.sqrt(5)), 0); // skin at y = 185: 25 mm above the tip, on a shaft at 26.6° from y
    expect(((oblique.columns - 1) / 2) * oblique.mmPerPixel).toBeGreaterThanOrEqual(Math.max(40, insertedMm + 30) - oblique.mmPerPixel);
    expect(oblique.mmPerPixel).toBeGreaterThanOrEqual(0.5);
    expect(oblique.mmPerPixel).toBeLessThanOrEqual(0.8);
  });

  it('reads like the axial view: the needle enters from the same side, the feet are down; a craniocaudal shaft falls back to the axial’s down', () => {
    const oblique = needleObliquePlane(block.geometry, needle, 28);
    // The axial view's right is the patient's right (−x): the needle comes from +x, so hub → tip runs right.
    expect(dot(oblique.right, block.geometry.axesInCt[0])).toBeGreaterThan(0.25);
    expectVector(oblique.down, [0, 0, -1]);
    const reversed = needleObliquePlane(block.geometry, { tip: needle.hub, hub: needle.tip }, 28);
    expect(dot(reversed.right, block.geometry.axesInCt[0])).toBeGreaterThan(0.25);
    const vertical = needleObliquePlane(block.geometry, { tip: [60, 160, 331], hub: [60, 160, 420] }, 28);
    expect(vertical.right[2]).toBeCloseTo(-1, 12); // hub → tip
    expectVector(vertical.down, [0, -1, 0]);
    expect(() => needleObliquePlane(block.geometry, { tip, hub: tip }, 0)).toThrow(/same point/);
  });

  it('measures the inserted shaft from the skin, 0 for a needle in the air', () => {
    expect(insertedLengthMm(block, needle)).toBeCloseTo(27.95, 0);
    const outside: Vec3 = [60, 190, 331];
    expect(insertedLengthMm(block, { tip: outside, hub: [60, 250, 331] })).toBe(0);
  });

  it('makes a sagittal reformat through a point when there is no needle', () => {
    const plane = sagittalThrough(block.geometry, tip);
    expect(plane.centreInCt).toEqual(tip);
    expectVector(plane.down, [0, 0, -1]);
    expectVector(plane.right, [0, -1, 0]);
  });
});

describe('burning the needle into the CT', () => {
  it('shows the shaft as metal along its whole inserted length in the oblique, and leaves the CT untouched 10 mm from it', () => {
    const { oblique, insertedMm } = confirmationPlanes(block, needle);
    const before = reslicePlane(block, oblique);
    const after = burnIntoImage(before, oblique, block.geometry, needle, []);
    expect(pixel(after, oblique, needle.tip)).toBeGreaterThanOrEqual(2000);
    for (let mm = 0; mm <= insertedMm + 20; mm += 5) expect(pixel(after, oblique, addScaled(needle.tip, shaftDirection, -mm))).toBeGreaterThanOrEqual(2000);
    // Not past the tip: 3 mm beyond it the CT is back (the dark tail streak only darkens it).
    expect(pixel(after, oblique, addScaled(needle.tip, shaftDirection, 3))).toBeLessThan(100);
    // Every pixel 10 mm or more from the shaft is exactly as it was (streaks end 7 mm past the metal).
    let far = 0;
    for (let r = 0; r < oblique.rows; r++)
      for (let c = 0; c < oblique.columns; c++) {
        if (distanceToSegment(planePixelToCt(oblique, c, r), needle.tip, needle.hub) < 10) continue;
        far++;
        expect(after[r * oblique.columns + c]).toBe(before[r * oblique.columns + c]);
      }
    expect(far).toBeGreaterThan(oblique.rows * oblique.columns * 0.5);
    // The streaks are subtle: within 10 mm, apart from the metal, nothing moved by more than 300 HU.
    const beside = addScaled(needle.tip, oblique.down, 4);
    expect(Math.abs(pixel(after, oblique, beside) - pixel(before, oblique, beside))).toBeLessThan(300);
  });

  it('shows the tip in the axial slice nearest it, and the input image is left unchanged', () => {
    const { axial } = confirmationPlanes(block, needle);
    const before = reslicePlane(block, axial);
    const copy = before.slice();
    const after = burnIntoImage(before, axial, block.geometry, needle, []);
    expect(pixel(after, axial, needle.tip)).toBeGreaterThanOrEqual(2000);
    expect(before).toEqual(copy);
    // In place gives the same picture.
    const inPlace = burnIntoImage(copy, axial, block.geometry, needle, [], { out: copy });
    expect(inPlace).toBe(copy);
    expect(inPlace).toEqual(after);
  });

  it('leaves out a needle parallel to the slice but 5 mm off it; shows it 1 mm off', () => {
    const { plane } = axialSliceThrough(block.geometry, [60, 160, 332]); // slice k = 16, z = 332
    const before = reslicePlane(block, plane);
    const offBy = (mm: number): MetalNeedleInCt => ({ tip: [60, 160, 332 + mm], hub: [90, 180, 332 + mm], diameterMm: 0.72 });
    expect(burnIntoImage(before, plane, block.geometry, offBy(5), [])).toEqual(before);
    expect(burnIntoImage(before, plane, block.geometry, offBy(-5), [])).toEqual(before);
    expect(pixel(burnIntoImage(before, plane, block.geometry, offBy(1), []), plane, [60, 160, 332])).toBeGreaterThanOrEqual(2000);
  });

  it('shows a needle crossing the slice as a dot', () => {
    const { plane } = axialSliceThrough(block.geometry, [60, 160, 332]);
    const crossing: MetalNeedleInCt = { tip: [60, 160, 320], hub: [60, 160, 420], diameterMm: 0.72 };
    const after = burnIntoImage(reslicePlane(block, plane), plane, block.geometry, crossing, []);
    let metal = 0;
    for (let r = 0; r < plane.rows; r++)
      for (let c = 0; c < plane.columns; c++) {
        if (after[r * plane.columns + c]! < 2000) continue;
        metal++;
        expect(length(subtract(planePixelToCt(plane, c, r), [60, 160, 332]))).toBeLessThan(1.5);
      }
    expect(metal).toBeGreaterThanOrEqual(1);
    expect(metal).toBeLessThanOrEqual(9);
  });
});

describe('burning injectates into the CT', () => {
  const centre: Vec3 = [60, 160, 332];
  const { plane } = axialSliceThrough(block.geometry, centre);
  const before = reslicePlane(block, plane);
  /** The pixels of `image` within `fraction` of `radiusMm` from the centre. */
  const inside = (image: Float32Array, radiusMm: number, fraction: number): number[] => {
    const values: number[] = [];
    for (let r = 0; r < plane.rows; r++)
      for (let c = 0; c < plane.columns; c++) {
        if (length(subtract(planePixelToCt(plane, c, r), centre)) <= fraction * radiusMm) values.push(image[r * plane.columns + c]!);
      }
    return values;
  };
  const burn = (injectates: InjectateInCt[]) => burnIntoImage(before, plane, block.geometry, undefined, injectates);
  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

  it('turns the tissue within a gas injectate to about −900 HU with the CT’s noise, mottled at the margin', () => {
    const image = burn([{ centre, radiusMm: 12, medium: 'gas' }]);
    const core = inside(image, 12, 0.6);
    expect(core.length).toBeGreaterThan(100);
    for (const v of core) expect(Math.abs(v - INJECTATE_HU.gas)).toBeLessThan(70);
    expect(Math.abs(mean(core) - INJECTATE_HU.gas)).toBeLessThan(10);
    const spread = Math.sqrt(mean(core.map((v) => (v - mean(core)) ** 2)));
    expect(spread).toBeGreaterThan(0.5); // the noise stays
    expect(mean(inside(image, 12, 1))).toBeLessThan(-650);
    // Nothing beyond the surface's furthest reach (radius + ripple + halo + edge).
    for (let r = 0; r < plane.rows; r++)
      for (let c = 0; c < plane.columns; c++) {
        if (length(subtract(planePixelToCt(plane, c, r), centre)) > 12 * 1.42 + 1) expect(image[r * plane.columns + c]).toBe(before[r * plane.columns + c]);
      }
  });

  it('fills fluid at 10 HU (300 with contrast) and leaves bone alone', () => {
    expect(Math.abs(mean(inside(burn([{ centre, radiusMm: 10, medium: 'fluid' }]), 10, 0.7)) - INJECTATE_HU.fluid)).toBeLessThan(5);
    expect(Math.abs(mean(inside(burn([{ centre, radiusMm: 10, medium: 'fluid', contrast: true }]), 10, 0.7)) - INJECTATE_HU.contrast)).toBeLessThan(5);
    // Gas against the bone plate (x < 40 at z 340…346): the bone keeps its 700 HU.
    const { plane: bonePlane } = axialSliceThrough(block.geometry, [38, 160, 343]);
    const bone = reslicePlane(block, bonePlane);
    const gassed = burnIntoImage(bone, bonePlane, block.geometry, undefined, [{ centre: [42, 160, 343], radiusMm: 8, medium: 'gas' }]);
    expect(pixel(gassed, bonePlane, [36, 160, 343])).toBe(pixel(bone, bonePlane, [36, 160, 343]));
    expect(pixel(gassed, bonePlane, [44, 160, 343])).toBeLessThan(-800);
  });

  it('shows the shaft on top of the gas it lies in', () => {
    const { oblique } = confirmationPlanes(block, needle);
    const image = burnIntoImage(reslicePlane(block, oblique), oblique, block.geometry, needle, [{ centre: needle.tip, radiusMm: 10, medium: 'gas' }]);
    expect(pixel(image, oblique, needle.tip)).toBeGreaterThanOrEqual(2000);
    expect(pixel(image, oblique, addScaled(needle.tip, oblique.down, 5))).toBeLessThan(-700);
  });
});

describe('injectate spread', () => {
  const injection: Injection = { tip: [1, 2, 3], volumeMl: 20, medium: 'gas', startedAtMs: 10_000 };

  it('ends as a sphere of the injected volume: 20 mL → (3·20000/4π)^⅓ ≈ 16.84 mm', () => {
    expect(sphereRadiusMm(20)).toBeCloseTo(Math.cbrt((3 * 20000) / (4 * Math.PI)), 12);
    expect(sphereRadiusMm(20)).toBeCloseTo(16.84, 2);
    const end = injection.startedAtMs + injectionDurationMs(injection);
    expect(injectateRadiusMm(injection, end)).toBeCloseTo(16.84, 2);
    expect(injectateRadiusMm(injection, end + 3_600_000)).toBeCloseTo(16.84, 2);
  });

  it('grows from nothing at the start, the volume linearly in time', () => {
    expect(injectateRadiusMm(injection, 0)).toBe(0);
    expect(injectateRadiusMm(injection, injection.startedAtMs)).toBe(0);
    const half = injection.startedAtMs + injectionDurationMs(injection) / 2;
    expect(injectedVolumeMl(injection, half)).toBeCloseTo(10, 9);
    expect(injectateRadiusMm(injection, half)).toBeCloseTo(sphereRadiusMm(10), 12);
    let previous = 0;
    for (let t = injection.startedAtMs; t <= injection.startedAtMs + 30_000; t += 500) {
      const r = injectateRadiusMm(injection, t);
      expect(r).toBeGreaterThanOrEqual(previous);
      previous = r;
    }
  });

  it('lists what a CT pass shows and the ultrasound regions at a time', () => {
    const fluid: Injection = { tip: [5, 5, 5], volumeMl: 5, medium: 'fluid', contrast: true, startedAtMs: 50_000 };
    expect(injectatesAt([injection, fluid], 40_000)).toEqual([{ centre: [1, 2, 3], radiusMm: sphereRadiusMm(20), medium: 'gas' }]);
    expect(injectatesAt([injection, fluid], 100_000)[1]).toEqual({ centre: [5, 5, 5], radiusMm: sphereRadiusMm(5), medium: 'fluid', contrast: true });
    const specs = injectionAcousticRegions([injection, fluid], 40_000);
    expect(specs).toEqual([{ medium: 'gas', shape: { type: 'sphere', centre: [1, 2, 3], radiusMm: sphereRadiusMm(20) } }]);
    const [region] = acousticRegionsAt(specs, 40_000);
    expect(region!.hu).toBe(-1000);
    expect(region!.shape.distance([1, 2, 3])).toBeCloseTo(-sphereRadiusMm(20), 6);
  });
});

describe('a CT pass on the lumbar phantom', () => {
  const folder = resolve(import.meta.dirname, '../../../sample-dicom/lumbar');
  const caseFile = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile;
  const lumbar = readCaseVolume(folder);
  const entry = caseFile.procedure.suggestedEntry!;
  const direction = normalize(subtract(caseFile.targets[0]!.centre, entry));
  const lumbarTip = addScaled(entry, direction, 100);
  const lumbarNeedle: MetalNeedleInCt = { tip: lumbarTip, hub: addScaled(lumbarTip, direction, -150), diameterMm: 0.72 };

  it('shows the needle from the suggested entry in both images, and 20 mL of gas around its tip', () => {
    const planes = confirmationPlanes(lumbar, lumbarNeedle);
    expect(planes.sliceIndex).toBe(Math.round(ctToCtIjk(lumbar.geometry, lumbarTip)[2]));
    expect(Math.abs(distanceFromPlane(planes.axial, lumbarTip))).toBeLessThanOrEqual(lumbar.geometry.spacingMm[2] / 2 + 1e-9);
    expect(Math.abs(distanceFromPlane(planes.oblique, lumbarNeedle.tip))).toBeLessThan(1e-6);
    expect(Math.abs(distanceFromPlane(planes.oblique, lumbarNeedle.hub))).toBeLessThan(1e-6);
    expect(planes.insertedMm).toBeGreaterThan(95);
    expect(planes.insertedMm).toBeLessThanOrEqual(100);

    const gas = injectatesAt([{ tip: lumbarTip, volumeMl: 20, medium: 'gas', startedAtMs: 0 }], 60_000);
    expect(gas[0]!.radiusMm).toBeCloseTo(16.84, 2);
    for (const plane of [planes.axial, planes.oblique]) {
      const before = reslicePlane(lumbar, plane);
      const after = burnIntoImage(before, plane, lumbar.geometry, lumbarNeedle, gas);
      expect(pixel(after, plane, lumbarTip)).toBeGreaterThanOrEqual(2000);
      // Soft tissue within half the radius, off the shaft, is gas.
      const besideTip = addScaled(lumbarTip, plane.down, 6);
      if (pixel(before, plane, besideTip) < 100) expect(pixel(after, plane, besideTip)).toBeLessThan(-800);
    }
    const before = reslicePlane(lumbar, planes.oblique);
    const after = burnIntoImage(before, planes.oblique, lumbar.geometry, lumbarNeedle, []);
    for (let mm = 0; mm <= planes.insertedMm; mm += 10) expect(pixel(after, planes.oblique, addScaled(lumbarTip, direction, -mm))).toBeGreaterThanOrEqual(2000);
  });
});

describe('direction letters', () => {
  it('names oblique directions by their main components', () => {
    expect(directionLetters([-1, 0, 0])).toBe('R');
    expect(directionLetters([0, 0, -1])).toBe('I');
    expect(directionLetters([-0.66, -0.74, -0.17])).toBe('AR');
    expect(directionLetters([0.66, 0.74, 0.17])).toBe('PL');
  });
});
