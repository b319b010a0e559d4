import { describe, expect, it } from 'vitest';
import { injectateShape } from '../../../src/core/ctpass/injectateRegion';
import type { InjectateFill } from '../../../src/core/ctpass/injectateFill';
import { shapeOf } from '../../../src/core/phantom/avoidShapes';
import type { Vec3 } from '../../../src/core/geometry/vec3';

/** A fill whose voxels within 8 mm of (10, 20, 30) arrived at 1 mL (0.5 mm grid): a sphere, to compare with the exact distance. */
function sphereFill(): InjectateFill {
  const n = 61;
  const h = 0.5;
  const centre: Vec3 = [10, 20, 30];
  const origin: Vec3 = [centre[0] - 15, centre[1] - 15, centre[2] - 15];
  const arrivalMl = new Float32Array(n * n * n).fill(Infinity);
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++)
        if (Math.hypot(origin[0] + i * h - centre[0], origin[1] + j * h - centre[1], origin[2] + k * h - centre[2]) <= 8) arrivalMl[i + j * n + k * n * n] = 1;
  return { origin, spacingMm: h, dimensions: [n, n, n], kind: 'tissue', tip: centre, arrivalMl, preFilled: new Uint8Array(n * n * n), filledMl: 1 };
}

describe('voxel shape (signed distance of a filled region)', () => {
  const spec = injectateShape(sphereFill(), 1)!;
  const shape = shapeOf(spec);

  it('matches the exact distance of the filled sphere within one voxel, inside and out, and serialises by structured clone', () => {
    let worst = 0;
    for (let t = 0; t < 200; t++) {
      // Points on a spiral from the centre to 11 mm out (the grid's margin is 3 mm).
      const r = (11 * t) / 200;
      const a = t * 2.4;
      const p: Vec3 = [10 + r * Math.cos(a) * Math.sin(t), 20 + r * Math.sin(a) * Math.sin(t), 30 + r * Math.cos(t)];
      worst = Math.max(worst, Math.abs(shape.distance(p) - (r - 8)));
    }
    expect(worst).toBeLessThan(0.5);
    expect(spec.radiusMm).toBeCloseTo(8, 0);
    const copy = shapeOf(structuredClone(spec));
    expect(copy.distance([10, 20, 30])).toBe(shape.distance([10, 20, 30]));
  });

  it('bounds the shape and never overstates the distance outside its grid', () => {
    const [min, max] = shape.bounds;
    expect(min[0]).toBeLessThanOrEqual(2);
    expect(max[0]).toBeGreaterThanOrEqual(18);
    for (const p of [
      [40, 20, 30],
      [10, -20, 30],
      [30, 40, 50],
    ] as Vec3[]) {
      const exact = Math.hypot(p[0] - 10, p[1] - 20, p[2] - 30) - 8;
      expect(shape.distance(p)).toBeGreaterThan(0);
      expect(shape.distance(p)).toBeLessThanOrEqual(exact + 1e-9);
    }
  });

  it('rejects a grid whose distances do not match its size', () => {
    expect(() => shapeOf({ ...spec, distanceMm: new Float32Array(5) })).toThrow(/5 distances for a/);
  });
});
