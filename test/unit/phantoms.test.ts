import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateCaseFile } from '../../src/core/cases/validateCaseFile';
import type { CaseFile } from '../../src/core/cases/caseFile';
import { shapeOf } from '../../src/core/phantom/avoidShapes';
import { PHANTOM_SEED, phantomFiles, PHANTOMS, sampleIndex } from '../../src/core/phantom/phantomFiles';
import type { PhantomDefinition } from '../../src/core/phantom/phantomDefinition';
import type { Shape } from '../../src/core/phantom/sdf';
import { ctIjkToCt, ctToCtIjk } from '../../src/core/volume/volumeGeometry';
import type { CtVolume } from '../../src/core/volume/ctVolume';
import type { Vec3 } from '../../src/core/geometry/vec3';
import { readCaseVolume } from '../../scripts/lib/readCaseVolume';

const SAMPLE = resolve(import.meta.dirname, '../../sample-dicom');
const definitions = new Map<string, PhantomDefinition>(PHANTOMS.map((build) => {
  const d = build(PHANTOM_SEED);
  return [d.id, d];
}));
const volumes = new Map<string, CtVolume>();
const cases = new Map<string, CaseFile>();

beforeAll(() => {
  for (const id of definitions.keys()) {
    volumes.set(id, readCaseVolume(join(SAMPLE, id)));
    cases.set(id, JSON.parse(readFileSync(join(SAMPLE, id, 'case.json'), 'utf8')) as CaseFile);
  }
});

/** Mean HU of the shipped voxels lying at least `depthMm` inside a shape (away from partial volume). */
function meanInside(volume: CtVolume, shape: Shape, depthMm = 1.5): { mean: number; count: number } {
  const [min, max] = shape.bounds;
  const a = ctToCtIjk(volume.geometry, min);
  const b = ctToCtIjk(volume.geometry, max);
  const [nx, ny, nz] = volume.geometry.dimensions;
  let sum = 0;
  let count = 0;
  for (let k = Math.max(0, Math.floor(Math.min(a[2], b[2]))); k <= Math.min(nz - 1, Math.ceil(Math.max(a[2], b[2]))); k++) {
    for (let j = Math.max(0, Math.floor(Math.min(a[1], b[1]))); j <= Math.min(ny - 1, Math.ceil(Math.max(a[1], b[1]))); j++) {
      for (let i = Math.max(0, Math.floor(Math.min(a[0], b[0]))); i <= Math.min(nx - 1, Math.ceil(Math.max(a[0], b[0]))); i++) {
        if (shape.distance(ctIjkToCt(volume.geometry, [i, j, k])) < -depthMm) {
          sum += volume.huVoxels[i + j * nx + k * nx * ny]!;
          count++;
        }
      }
    }
  }
  return { mean: sum / count, count };
}

const layerShape = (id: string, name: string): Shape => {
  const layer = definitions.get(id)!.layers.find((l) => l.name === name);
  if (!layer) throw new Error(`${id} has no layer "${name}"`);
  return layer.shape;
};

describe('bundled phantoms', () => {
  it('the shipped files are exactly what the generator writes', () => {
    for (const [id, definition] of definitions) {
      const { slices, caseJson } = phantomFiles(definition, PHANTOM_SEED);
      const shipped = readdirSync(join(SAMPLE, id)).sort();
      expect(shipped).toEqual([...slices.map((f) => f.name), 'case.json'].sort());
      for (const file of slices) expect(Buffer.compare(readFileSync(join(SAMPLE, id, file.name)), Buffer.from(file.bytes)), `${id}/${file.name}`).toBe(0);
      expect(readFileSync(join(SAMPLE, id, 'case.json'), 'utf8')).toBe(caseJson);
    }
    expect(JSON.parse(readFileSync(join(SAMPLE, 'index.json'), 'utf8'))).toEqual(sampleIndex(PHANTOM_SEED));
  }, 120_000);

  it('sample-dicom stays under 30 MB', () => {
    const total = [...definitions.keys()].flatMap((id) => readdirSync(join(SAMPLE, id)).map((f) => readFileSync(join(SAMPLE, id, f)).length)).reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(30 * 1024 ** 2);
  });

  it('case files validate against schema version 1', () => {
    for (const caseFile of cases.values()) {
      const result = validateCaseFile(caseFile);
      expect(result.ok ? [] : result.errors).toEqual([]);
    }
  });

  it.each([
    // [phantom, layer, HU range] — ranges from ../shared/design/anatomy-and-procedures.md
    ['lumbar', 'L4–L5 nucleus', 60, 90],
    ['lumbar', 'L5–S1 nucleus', 60, 90],
    ['lumbar', 'dural sac', 0, 15],
    ['lumbar', 'psoas', 40, 60],
    ['lumbar', 'erector spinae and multifidus', 40, 60],
    ['lumbar', 'great vessel', 35, 50],
    ['lumbar', 'L4 exiting root, left', 30, 40],
    ['lumbar', 'subcutaneous fat', -120, -80],
    ['hip', 'femoral artery', 35, 50],
    ['hip', 'femoral vein', 35, 50],
    ['hip', 'iliopsoas', 40, 60],
    ['hip', 'sartorius', 40, 60],
    ['hip', 'subcutaneous fat', -120, -80],
  ])('%s %s reads %d…%d HU in the shipped CT', (id, name, low, high) => {
    const definition = definitions.get(id)!;
    // Later layers cover parts of earlier ones (roots cross the sac, the nucleus fills the disc):
    // measure where only this layer is on top.
    const index = definition.layers.findIndex((l) => l.name === name);
    const later = definition.layers.slice(index + 1).map((l) => l.shape);
    const shape = layerShape(id, name);
    const own: Shape = {
      distance(p) {
        const d = shape.distance(p);
        if (d >= -1.2) return d;
        for (const s of later) if (s.distance(p) < 1.2) return 1; // covered (or blurred) by a later layer
        return d;
      },
      // A 40 mm slab through the middle of the structure is plenty of voxels.
      bounds: [
        [shape.bounds[0][0], shape.bounds[0][1], (shape.bounds[0][2] + shape.bounds[1][2]) / 2 - 20],
        [shape.bounds[1][0], shape.bounds[1][1], (shape.bounds[0][2] + shape.bounds[1][2]) / 2 + 20],
      ],
    };
    const { mean, count } = meanInside(volumes.get(id)!, own, 1.2);
    expect(count).toBeGreaterThan(10);
    expect(mean).toBeGreaterThanOrEqual(low);
    expect(mean).toBeLessThanOrEqual(high);
  });

  it('cancellous bone of the vertebral bodies and the femoral head reads 150…300 HU', () => {
    const lumbar = definitions.get('lumbar')!;
    const cancellous = lumbar.layers.filter((l) => l.name === 'cancellous bone')[3]!.shape; // L4
    const { mean } = meanInside(volumes.get('lumbar')!, cancellous, 3);
    expect(mean).toBeGreaterThan(150);
    expect(mean).toBeLessThan(300);
    const head = cases.get('hip')!.landmarks!.find((l) => l.id === 'femoral-head-centre')!.point;
    const { mean: headMean } = meanInside(volumes.get('hip')!, shapeOf({ type: 'sphere', centre: head, radiusMm: 12 }), 0);
    expect(headMean).toBeGreaterThan(150);
    expect(headMean).toBeLessThan(300);
  });

  it('targets sit inside the disc nucleus and the joint recess', () => {
    const lumbar = cases.get('lumbar')!;
    for (const [target, nucleus] of [['disc-L4-L5', 'L4–L5 nucleus'], ['disc-L5-S1', 'L5–S1 nucleus']] as const) {
      const centre = lumbar.targets.find((t) => t.id === target)!.centre;
      expect(layerShape('lumbar', nucleus).distance(centre)).toBeLessThan(-2);
    }
    const recess = cases.get('hip')!.targets.find((t) => t.id === 'hip-anterior-recess')!;
    expect(layerShape('hip', 'synovial fluid').distance(recess.centre)).toBeLessThan(0);
    expect(layerShape('hip', 'femur cortex').distance(recess.centre)).toBeGreaterThan(0);
    expect(layerShape('hip', 'femur cortex').distance(recess.centre)).toBeLessThan(recess.acceptanceRadiusMm + 1);
  });

  it('every fiducial bead is a bright blob centred within half a voxel of its listed centre', () => {
    for (const [id, caseFile] of cases) {
      const volume = volumes.get(id)!;
      const beads = [...caseFile.fiducials.marker!.beadsInCt, ...caseFile.fiducials.skinMarkers.map((m) => m.centre)];
      for (const bead of beads) {
        const { centroid, peak } = brightCentroid(volume, bead, 5);
        expect(peak, `${id} bead at ${bead.join(', ')}`).toBeGreaterThan(800);
        const offsetIjk = ctToCtIjk(volume.geometry, centroid).map((v, a) => v - ctToCtIjk(volume.geometry, bead)[a]!);
        for (const axisOffset of offsetIjk) expect(Math.abs(axisOffset)).toBeLessThanOrEqual(0.5);
      }
    }
  });

  it('the marker beads are not coplanar', () => {
    for (const caseFile of cases.values()) {
      const beads = caseFile.fiducials.marker!.beadsInCt;
      expect(distanceFromBestPlane(beads)).toBeGreaterThan(2);
    }
  });

  it('no structure to avoid reaches into a target acceptance region', () => {
    for (const caseFile of cases.values()) {
      for (const target of caseFile.targets) {
        for (const structure of caseFile.avoid) {
          expect(shapeOf(structure.shape).distance(target.centre), `${target.id} vs ${structure.id}`).toBeGreaterThan(target.acceptanceRadiusMm);
        }
      }
    }
  });

  it('the suggested paths are clinically sized: 10–13 cm to the disc, 4–9 cm to the hip recess', () => {
    const length = (c: CaseFile) => Math.hypot(...c.procedure.suggestedEntry!.map((v, i) => v - c.targets[0]!.centre[i]!));
    expect(length(cases.get('lumbar')!)).toBeGreaterThan(100);
    expect(length(cases.get('lumbar')!)).toBeLessThan(130);
    expect(length(cases.get('hip')!)).toBeGreaterThan(40);
    expect(length(cases.get('hip')!)).toBeLessThan(90);
  });

  it('each disc feedback region is the painted disc as an ellipsoid: its rim on the painted rim, the rest inside the disc', () => {
    const regions = cases.get('lumbar')!.feedbackRegions!;
    expect(regions.map((r) => [r.id, r.kind])).toEqual(['L1-L2', 'L2-L3', 'L3-L4', 'L4-L5', 'L5-S1'].map((level) => [`${level}-disc`, 'disc']));
    for (const region of regions) {
      if (region.shape.type !== 'ellipsoid') throw new Error(`${region.id} is not an ellipsoid`);
      const painted = layerShape('lumbar', region.name.replace(' disc', ' annulus'));
      const { centre, axes: [u, v, w], radiiMm: [a, b, c] } = region.shape;
      const point = (x: number, y: number, z: number): Vec3 => [0, 1, 2].map((i) => centre[i]! + u[i]! * x + v[i]! * y + w[i]! * z) as unknown as Vec3;
      for (let k = 0; k < 36; k++) {
        const t = (k * Math.PI) / 18;
        // In the mid-plane, where a needle in the disc plane meets the annulus, the rims coincide.
        expect(Math.abs(painted.distance(point(a * Math.cos(t), b * Math.sin(t), 0))), `${region.id} rim`).toBeLessThan(0.1);
        // Elsewhere the ellipsoid's surface lies inside the painted disc (a wedged disc's posterior endplates: within 0.5 mm).
        for (const h of [-0.9, -0.5, 0.5, 0.9]) {
          const r = Math.sqrt(1 - h * h);
          expect(painted.distance(point(a * r * Math.cos(t), b * r * Math.sin(t), c * h)), `${region.id} surface`).toBeLessThan(0.5);
        }
      }
    }
    const lumbar = cases.get('lumbar')!;
    for (const [target, region] of [['disc-L4-L5', 'L4-L5-disc'], ['disc-L5-S1', 'L5-S1-disc']] as const) {
      const centre = lumbar.targets.find((t) => t.id === target)!.centre;
      expect(shapeOf(regions.find((r) => r.id === region)!.shape).distance(centre)).toBeLessThan(-3);
    }
  });

  it('the hip capsule region follows the painted capsule within 1.5 mm over the head and neck, and holds the recess', () => {
    const hip = cases.get('hip')!;
    const [region] = hip.feedbackRegions!;
    expect(region).toMatchObject({ id: 'hip-joint-capsule', kind: 'joint-capsule' });
    if (region!.shape.type !== 'ellipsoid') throw new Error('the capsule is not an ellipsoid');
    const painted = layerShape('hip', 'joint capsule');
    const { centre, axes: [u, v, neck], radiiMm: [radius, , halfLength] } = region!.shape;
    const head = hip.landmarks!.find((l) => l.id === 'femoral-head-centre')!.point;
    const centreAlongNeck = [0, 1, 2].reduce((sum, i) => sum + (centre[i]! - head[i]!) * neck[i]!, 0);
    for (let along = -40; along <= 0; along += 4) {
      const z = along - centreAlongNeck;
      const rho = radius * Math.sqrt(1 - (z / halfLength) ** 2);
      for (let k = 0; k < 12; k++) {
        const t = (k * Math.PI) / 6;
        const p = [0, 1, 2].map((i) => centre[i]! + neck[i]! * z + rho * (u[i]! * Math.cos(t) + v[i]! * Math.sin(t))) as unknown as Vec3;
        expect(Math.abs(painted.distance(p)), `${along} mm along the neck`).toBeLessThan(1.5);
      }
    }
    const recess = hip.targets.find((t) => t.id === 'hip-anterior-recess')!.centre;
    expect(shapeOf(region!.shape).distance(recess)).toBeLessThan(-3);
  });

  it('validates feedbackRegions field by field, with JSON paths', () => {
    const hip = cases.get('hip')!;
    expect(validateCaseFile({ ...hip, feedbackRegions: undefined }).ok).toBe(true); // optional
    expect(validateCaseFile({ ...hip, feedbackRegions: 'capsule' })).toEqual({ ok: false, errors: ['feedbackRegions: expected a list'] });
    const result = validateCaseFile({
      ...hip,
      feedbackRegions: [
        { id: 'a', name: 'A', kind: 'bone', shape: { type: 'ellipsoid', centre: [0, 0, 0], axes: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], radiiMm: [1, 0, 1] } },
        { id: 'a', name: ' ', kind: 'disc', shape: { type: 'sphere', centre: [0, 0], radiusMm: -1 } },
        { id: 'b', name: 'B', kind: 'other', shape: { type: 'cube' } },
        'c',
      ],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        'feedbackRegions[0].kind: expected one of "disc", "joint-capsule", "other", found "bone"',
        'feedbackRegions[0].shape.radiiMm: expected three positive radii in mm, found [1,0,1]',
        'feedbackRegions[1].name: expected a non-empty string',
        'feedbackRegions[1].shape.centre: expected [x, y, z] in mm (three finite numbers), found [0,0]',
        'feedbackRegions[1].shape.radiusMm: expected a positive number, found -1',
        'feedbackRegions[1].id: "a" is already the id of feedbackRegions[0]; give each region its own id',
        'feedbackRegions[2].shape.type: expected one of "sphere", "tube", "ellipsoid", found "cube"',
        'feedbackRegions[3]: expected an object',
      ],
    });
  });

  const dciodvfy = ['/usr/bin/dciodvfy', '/usr/local/bin/dciodvfy'].find((p) => existsSync(p));
  it.skipIf(!dciodvfy)(`dciodvfy finds no errors in the shipped files${dciodvfy ? '' : ' (dicom3tools not installed: skipped)'}`, () => {
    for (const id of definitions.keys()) {
      for (const name of ['CT0001.dcm', 'CT0040.dcm']) {
        // dciodvfy writes its findings to stderr.
        const run = spawnSync(dciodvfy!, [join(SAMPLE, id, name)], { encoding: 'utf8' });
        const output = `${run.stdout}\n${run.stderr}`;
        expect(output).toContain('CTImage');
        const errors = output.split('\n').filter((line) => line.startsWith('Error'));
        expect(errors, `${id}/${name}`).toEqual([]);
      }
    }
  });
});

/** HU-weighted centroid (Ct) of the voxels brighter than 500 HU within `radiusMm` of a point, and the peak HU. */
function brightCentroid(volume: CtVolume, around: Vec3, radiusMm: number): { centroid: Vec3; peak: number } {
  const [nx, ny, nz] = volume.geometry.dimensions;
  const c = ctToCtIjk(volume.geometry, around);
  const [sx, sy, sz] = volume.geometry.spacingMm;
  const ri = Math.ceil(radiusMm / sx);
  const rj = Math.ceil(radiusMm / sy);
  const rk = Math.ceil(radiusMm / sz);
  let total = 0;
  const sum: [number, number, number] = [0, 0, 0];
  let peak = -Infinity;
  for (let k = Math.round(c[2]) - rk; k <= Math.round(c[2]) + rk; k++) {
    for (let j = Math.round(c[1]) - rj; j <= Math.round(c[1]) + rj; j++) {
      for (let i = Math.round(c[0]) - ri; i <= Math.round(c[0]) + ri; i++) {
        if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) continue;
        const hu = volume.huVoxels[i + j * nx + k * nx * ny]!;
        peak = Math.max(peak, hu);
        // Weight: bead contrast above the marker plastic / soft tissue around it.
        const w = Math.max(0, hu - 150);
        if (hu < 500 && w > 0) continue;
        const p = ctIjkToCt(volume.geometry, [i, j, k]);
        total += w;
        sum[0] += w * p[0];
        sum[1] += w * p[1];
        sum[2] += w * p[2];
      }
    }
  }
  return { centroid: [sum[0]! / total, sum[1]! / total, sum[2]! / total], peak };
}

/** RMS distance of points from their least-squares plane (the smallest principal axis). */
function distanceFromBestPlane(points: readonly Vec3[]): number {
  const n = points.length;
  const mean = [0, 1, 2].map((a) => points.reduce((s, p) => s + p[a]!, 0) / n);
  const cov = [0, 1, 2].map((a) => [0, 1, 2].map((b) => points.reduce((s, p) => s + (p[a]! - mean[a]!) * (p[b]! - mean[b]!), 0) / n));
  // Smallest eigenvalue of the 3×3 covariance by the characteristic cubic (symmetric: three real roots).
  const [[a, b, c], [, d, e], [, , f]] = cov as [[number, number, number], [number, number, number], [number, number, number]];
  const p1 = b * b + c * c + e * e;
  const q = (a + d + f) / 3;
  const p2 = (a - q) ** 2 + (d - q) ** 2 + (f - q) ** 2 + 2 * p1;
  const p = Math.sqrt(p2 / 6);
  const B = [[(a - q) / p, b / p, c / p], [b / p, (d - q) / p, e / p], [c / p, e / p, (f - q) / p]];
  const detB = B[0]![0]! * (B[1]![1]! * B[2]![2]! - B[1]![2]! * B[2]![1]!) - B[0]![1]! * (B[1]![0]! * B[2]![2]! - B[1]![2]! * B[2]![0]!) + B[0]![2]! * (B[1]![0]! * B[2]![1]! - B[1]![1]! * B[2]![0]!);
  const phi = Math.acos(Math.min(1, Math.max(-1, detB / 2))) / 3;
  const smallest = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  return Math.sqrt(Math.max(0, smallest));
}
