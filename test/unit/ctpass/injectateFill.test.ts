import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { readCaseVolume } from '../../../scripts/lib/readCaseVolume';
import type { CaseFile, FeedbackRegion } from '../../../src/core/cases/caseFile';
import { addScaled, dot, normalize, subtract, type Vec3 } from '../../../src/core/geometry/vec3';
import { fillInjectate, type InjectateFill } from '../../../src/core/ctpass/injectateFill';
import { longAxisOf } from '../../../src/core/ctpass/injectateCompartment';
import { injectateShape } from '../../../src/core/ctpass/injectateRegion';
import { injectatesAt, injectionAcousticRegions, sphereRadiusMm, type Injection } from '../../../src/core/ctpass/injectateSpread';
import { burnIntoImage } from '../../../src/core/ctpass/burnIntoImage';
import { reslicePlane } from '../../../src/core/reslice/reslicePlane';
import { confirmationPlanes } from '../../../src/core/ctpass/confirmationPlanes';
import { shapeOf } from '../../../src/core/phantom/avoidShapes';
import { trilinearSampler } from '../../../src/core/volume/trilinearSampler';
import { ctToCtIjk } from '../../../src/core/volume/volumeGeometry';
import type { CtVolume } from '../../../src/core/volume/ctVolume';
import type { ImagePlane } from '../../../src/core/reslice/reslicePlane';

const load = (name: string) => {
  const folder = resolve(import.meta.dirname, '../../../sample-dicom', name);
  return { volume: readCaseVolume(folder), caseFile: JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseFile };
};

/** Each filled voxel (arrival ≤ v) as a Ct point, with whether it was already fluid. */
function filledVoxels(fill: InjectateFill, volumeMl: number): { p: Vec3; arrival: number; pre: boolean }[] {
  const [nx, ny] = fill.dimensions;
  const h = fill.spacingMm;
  const out: { p: Vec3; arrival: number; pre: boolean }[] = [];
  fill.arrivalMl.forEach((arrival, index) => {
    if (!(arrival <= volumeMl)) return;
    const p: Vec3 = [fill.origin[0] + (index % nx) * h, fill.origin[1] + (Math.floor(index / nx) % ny) * h, fill.origin[2] + Math.floor(index / (nx * ny)) * h];
    out.push({ p, arrival, pre: fill.preFilled[index] === 1 });
  });
  return out;
}

const ml = (voxels: number, fill: InjectateFill) => (voxels * fill.spacingMm ** 3) / 1000;
const huAt = (volume: CtVolume) => {
  const sample = trilinearSampler(volume);
  return (p: Vec3) => sample(...ctToCtIjk(volume.geometry, p)) ?? NaN;
};

describe('gas in the L4–L5 disc of the lumbar phantom (20 mL along the suggested path)', () => {
  const { volume, caseFile } = load('lumbar');
  const target = caseFile.targets.find((t) => t.id === 'disc-L4-L5')!;
  const entry = caseFile.procedure.suggestedEntry!;
  const hub = addScaled(target.centre, normalize(subtract(target.centre, entry)), -120);
  const fill = fillInjectate(volume, { tip: target.centre, hub, volumeMl: 20 }, caseFile);
  const disc = caseFile.feedbackRegions!.find((r) => r.kind === 'disc' && shapeOf(r.shape).distance(target.centre) < 0)!;
  const discShape = shapeOf(disc.shape);
  const voxels = filledVoxels(fill, 20);
  const hu = huAt(volume);

  it('places the injected volume: 20 mL within 2 %', () => {
    expect(fill.kind).toBe('disc');
    expect(fill.note).toBeUndefined();
    expect(ml(voxels.length, fill)).toBeGreaterThan(19.6);
    expect(ml(voxels.length, fill)).toBeLessThan(20.4);
    // Never into bone: only the needle's track may cross partial-volume cortex.
    expect(voxels.filter((v) => hu(v.p) >= 450)).toHaveLength(0);
  });

  it('fills the nucleus before anything leaves the disc', () => {
    const nucleus = inScaledEllipsoid(disc, 0.55);
    const nucleusVoxels = allVoxels(fill).filter((p) => nucleus(p) && hu(p) < 200);
    const arrivalAt = arrivalLookup(fill);
    const outside = voxels.filter((v) => discShape.distance(v.p) > 0.5);
    const firstLeak = Math.min(...outside.map((v) => v.arrival));
    const nucleusFull = Math.max(...nucleusVoxels.map(arrivalAt));
    console.log(
      `nucleus ${nucleusVoxels.length} voxels full at ${nucleusFull.toFixed(2)} mL; first gas outside the disc at ${firstLeak.toFixed(2)} mL; outside at the end ${ml(outside.length, fill).toFixed(1)} mL`,
    );
    expect(nucleusVoxels.length).toBeGreaterThan(500);
    expect(nucleusFull).toBeLessThanOrEqual(firstLeak);
    // Then most of it overflows (the nucleus holds about 1.7 mL).
    expect(ml(outside.length, fill)).toBeGreaterThan(10);
  });

  it('leaks along the posterior fissure into the epidural space and along the track into the paravertebral tissue', () => {
    const sac = shapeOf(caseFile.avoid.find((a) => a.kind === 'dural-sac')!.shape);
    const outside = voxels.filter((v) => discShape.distance(v.p) > 0.5);
    const epidural = outside.filter((v) => sac.distance(v.p) < 6);
    const alongTrack = outside.filter((v) => sac.distance(v.p) >= 6 && distanceToLine(v.p, target.centre, hub) < 20);
    const elsewhere = outside.length - epidural.length - alongTrack.length;
    console.log(
      `outside the disc: epidural ${ml(epidural.length, fill).toFixed(1)} mL, paravertebral along the track ${ml(alongTrack.length, fill).toFixed(1)} mL, elsewhere ${ml(elsewhere, fill).toFixed(1)} mL`,
    );
    expect(ml(epidural.length, fill)).toBeGreaterThan(1);
    expect(ml(alongTrack.length, fill)).toBeGreaterThan(1);
    expect(elsewhere / outside.length).toBeLessThan(0.1);
    // The dural sac's wall holds: no gas inside it.
    expect(voxels.filter((v) => sac.distance(v.p) < -0.5)).toHaveLength(0);
  });

  it('is the same flood every time (determinism) and grows with the syringe', () => {
    const again = fillInjectate(volume, { tip: target.centre, hub, volumeMl: 20 }, caseFile);
    expect(Buffer.from(again.arrivalMl.buffer).equals(Buffer.from(fill.arrivalMl.buffer))).toBe(true);
    const half = injectateShape(fill, 10)!;
    const full = injectateShape(fill, 20)!;
    const insideMl = (shape: typeof half) => (shape.distanceMm.filter((d) => d < 0).length * shape.spacingMm ** 3) / 1000;
    expect(insideMl(half)).toBeCloseTo(10, 0);
    expect(insideMl(full)).toBeCloseTo(20, 0);
  });

  it('burns the region into the CT pass: gas in the nucleus, bone left alone', () => {
    const injection: Injection = { tip: target.centre, hub, volumeMl: 20, medium: 'gas', startedAtMs: 0 };
    const context = { volume, feedbackRegions: caseFile.feedbackRegions, avoid: caseFile.avoid };
    const shown = injectatesAt([injection], 60_000, context);
    expect(shown[0]!.region?.type).toBe('voxels');
    const planes = confirmationPlanes(volume, { tip: target.centre, hub });
    const before = reslicePlane(volume, planes.axial);
    const after = burnIntoImage(before, planes.axial, volume.geometry, undefined, shown);
    // 5 mm lateral of the tip, in the nucleus: gas. The vertebral body 15 mm anterior stays as it was.
    const lateral = addScaled(target.centre, [1, 0, 0], -5);
    expect(pixel(after, planes.axial, lateral)).toBeLessThan(-600);
    const spots = [addScaled(target.centre, [0, 0, 12], 1), addScaled(target.centre, [0, 0, -12], 1)].filter((p) => pixel(before, planes.axial, p) > 300);
    for (const p of spots) expect(pixel(after, planes.axial, p)).toBe(pixel(before, planes.axial, p));
    // The ultrasound gets the same region: inside at the tip, outside 40 mm anterior.
    const region = injectionAcousticRegions([injection], 60_000, context)[0]!;
    const shape = shapeOf(region.shape);
    expect(region.medium).toBe('gas');
    expect(shape.distance(target.centre)).toBeLessThan(-1);
    expect(shape.distance(addScaled(target.centre, [0, -1, 0], 40))).toBeGreaterThan(1);
  });
});

describe('gas at the L4–L5 right facet joint (10 mL)', () => {
  const { volume, caseFile } = load('lumbar');
  const target = caseFile.targets.find((t) => t.id === 'facet-L4-L5-right')!;
  const hu = huAt(volume);
  // A posterolateral needle: the direction from the joint whose first 20 mm cross the least bone.
  const direction = openestDirection(target.centre, hu);
  const hub = addScaled(target.centre, direction, 80);
  const fill = fillInjectate(volume, { tip: target.centre, hub, volumeMl: 10 }, caseFile);
  const voxels = filledVoxels(fill, 10);

  it('stays in the joint and the tissue around it', () => {
    expect(fill.kind).toBe('tissue');
    expect(ml(voxels.length, fill)).toBeGreaterThan(9.8);
    expect(ml(voxels.length, fill)).toBeLessThan(10.2);
    const farthest = Math.max(...voxels.map((v) => Math.hypot(...subtract(v.p, target.centre))));
    const r = sphereRadiusMm(10);
    console.log(`facet: farthest gas ${farthest.toFixed(1)} mm from the joint (a 10 mL sphere: ${r.toFixed(1)} mm)`);
    // Within a sphere twice the equivalent radius plus a few mm: it does not track away.
    expect(farthest).toBeLessThan(2 * r + 3);
    const sac = shapeOf(caseFile.avoid.find((a) => a.kind === 'dural-sac')!.shape);
    expect(voxels.filter((v) => sac.distance(v.p) < -0.5)).toHaveLength(0);
  });
});

describe('fluid in the hip joint (5 mL at the anterior recess)', () => {
  const { volume, caseFile } = load('hip');
  const target = caseFile.targets.find((t) => t.id === 'hip-anterior-recess')!;
  const entry = caseFile.procedure.suggestedEntry!;
  const hub = addScaled(target.centre, normalize(subtract(target.centre, entry)), -60);
  const fill = fillInjectate(volume, { tip: target.centre, hub, volumeMl: 5 }, caseFile);
  const capsule = caseFile.feedbackRegions!.find((r) => r.kind === 'joint-capsule')!;
  const hu = huAt(volume);

  it('places 5 mL of new fluid within 2 %, counting fluid already there as no volume', () => {
    expect(fill.kind).toBe('joint');
    const voxels = filledVoxels(fill, 5).filter((v) => !v.pre);
    expect(ml(voxels.length, fill)).toBeGreaterThan(4.9);
    expect(ml(voxels.length, fill)).toBeLessThan(5.1);
  });

  it('lifts the capsule off the neck: the fluid layer on the neck cortex grows by ≥ 4 mm over ≥ 15 mm of neck', () => {
    const shape = shapeOf(injectateShape(fill, 5)!);
    // The neck's axis: the capsule region's long axis (an ellipsoid's longest, a tube's direction).
    const { point, axis } = longAxisOf(capsule.shape)!;
    const onAxis = (s: number) => addScaled(point, axis, dot(subtract(target.centre, point), axis) + s);
    const normal = normalize(subtract(target.centre, onAxis(0)));
    const fluid = (p: Vec3) => hu(p) > -30 && hu(p) < 25;
    const growth: number[] = [];
    for (let s = -25; s <= 25; s += 1) {
      const before = layerThickness(onAxis(s), normal, hu, fluid);
      const after = layerThickness(onAxis(s), normal, hu, (p) => fluid(p) || shape.distance(p) < 0);
      growth.push(after - before);
    }
    const run = longestRun(growth.map((g) => g >= 4));
    console.log(`hip: fluid layer growth along the neck (1 mm steps) ${growth.map((g) => g.toFixed(1)).join(' ')}; ≥ 4 mm over ${run} mm`);
    expect(run).toBeGreaterThanOrEqual(15);
  });
});

/** Thickness (mm) of the layer `inLayer` lying on the bone met going out from `from` along `normal`. */
function layerThickness(from: Vec3, normal: Vec3, hu: (p: Vec3) => number, inLayer: (p: Vec3) => boolean): number {
  const step = 0.25;
  let r = 0;
  // Out of the bone first (the neck's cortex), then through the layer (1 mm of slack for the cortex's partial volume).
  while (r < 40 && hu(addScaled(from, normal, r)) >= 200) r += step;
  if (r >= 40) return 0;
  let start = r;
  while (r < start + 1.5 && !inLayer(addScaled(from, normal, r))) r += step;
  if (!inLayer(addScaled(from, normal, r))) return 0;
  start = r;
  while (r < 60 && inLayer(addScaled(from, normal, r))) r += step;
  return r - start;
}

function longestRun(flags: boolean[]): number {
  let best = 0;
  let run = 0;
  for (const f of flags) {
    run = f ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

function inScaledEllipsoid(region: FeedbackRegion, fraction: number): (p: Vec3) => boolean {
  const shape = region.shape as Extract<FeedbackRegion['shape'], { type: 'ellipsoid' }>;
  const axes = shape.axes.map((a) => normalize(a));
  return (p) => {
    const d = subtract(p, shape.centre);
    return Math.hypot(...axes.map((a, i) => dot(d, a) / shape.radiiMm[i]!)) < fraction;
  };
}

function allVoxels(fill: InjectateFill): Vec3[] {
  const [nx, ny, nz] = fill.dimensions;
  const h = fill.spacingMm;
  const out: Vec3[] = [];
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) out.push([fill.origin[0] + i * h, fill.origin[1] + j * h, fill.origin[2] + k * h]);
  return out;
}

function arrivalLookup(fill: InjectateFill): (p: Vec3) => number {
  const [nx, ny] = fill.dimensions;
  const h = fill.spacingMm;
  return (p) => fill.arrivalMl[Math.round((p[0] - fill.origin[0]) / h) + Math.round((p[1] - fill.origin[1]) / h) * nx + Math.round((p[2] - fill.origin[2]) / h) * nx * ny]!;
}

function distanceToLine(p: Vec3, a: Vec3, b: Vec3): number {
  const d = normalize(subtract(b, a));
  const ap = subtract(p, a);
  const t = dot(ap, d);
  return Math.hypot(ap[0] - d[0] * t, ap[1] - d[1] * t, ap[2] - d[2] * t);
}

function openestDirection(from: Vec3, hu: (p: Vec3) => number): Vec3 {
  let best: Vec3 = [0, 1, 0];
  let bestWorst = Infinity;
  for (let a = -80; a <= 80; a += 10)
    for (let e = -40; e <= 40; e += 10) {
      const d: Vec3 = [Math.sin((a * Math.PI) / 180) * Math.cos((e * Math.PI) / 180), Math.cos((a * Math.PI) / 180) * Math.cos((e * Math.PI) / 180), Math.sin((e * Math.PI) / 180)];
      let worst = -Infinity;
      for (let m = 1; m <= 20; m += 0.5) worst = Math.max(worst, hu(addScaled(from, d, m)));
      if (worst < bestWorst) {
        bestWorst = worst;
        best = d;
      }
    }
  return best;
}

function pixel(image: Float32Array, plane: ImagePlane, p: Vec3): number {
  const d = subtract(p, plane.centreInCt);
  const column = Math.round(dot(d, plane.right) / plane.mmPerPixel + (plane.columns - 1) / 2);
  const row = Math.round(dot(d, plane.down) / plane.mmPerPixel + (plane.rows - 1) / 2);
  return image[row * plane.columns + column]!;
}
