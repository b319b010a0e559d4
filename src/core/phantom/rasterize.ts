import { ctToCtIjk, type VolumeGeometry } from '../volume/volumeGeometry';
import type { Vec3 } from '../geometry/vec3';
import type { Shape } from './sdf';

/**
 * A volume being painted, in HU as Float32 (the phantom is quantised to stored values once,
 * at the end). Voxel order `i + j·nx + k·nx·ny`, geometry as for any CtVolume.
 */
export interface HuCanvas {
  readonly geometry: VolumeGeometry;
  readonly hu: Float32Array;
}

export function createHuCanvas(geometry: VolumeGeometry, backgroundHu: number): HuCanvas {
  const [nx, ny, nz] = geometry.dimensions;
  return { geometry, hu: new Float32Array(nx * ny * nz).fill(backgroundHu) };
}

const GRADIENT_STEP_MM = 0.2;

/**
 * Paints a shape with one HU, blending by the fraction of each voxel the shape covers
 * (partial-volume anti-aliasing): a voxel whose centre lies `d` mm outside the surface is
 * covered by about 0.5 − d/W, W being the voxel's width across the surface (its box projected
 * on the surface normal, so the 2.5 mm slice direction blurs more than the 0.9 mm pixels,
 * as a real scanner's slice profile does). Shapes painted later cover earlier ones.
 */
export function paint(canvas: HuCanvas, shape: Shape, hu: number, opacity = 1): void {
  const { geometry } = canvas;
  const [nx, ny] = geometry.dimensions;
  const [sx, sy, sz] = geometry.spacingMm;
  const [iAxis, jAxis, kAxis] = geometry.axesInCt;
  const maxHalfWidth = 0.5 * (sx + sy + sz);
  const range = indexRange(geometry, shape.bounds, maxHalfWidth);
  if (!range) return;
  const [[i0, j0, k0], [i1, j1, k1]] = range;
  const o = geometry.originInCt;
  for (let k = k0; k <= k1; k++) {
    for (let j = j0; j <= j1; j++) {
      const base = j * nx + k * nx * ny;
      for (let i = i0; i <= i1; i++) {
        const p: Vec3 = [
          o[0] + iAxis[0] * i * sx + jAxis[0] * j * sy + kAxis[0] * k * sz,
          o[1] + iAxis[1] * i * sx + jAxis[1] * j * sy + kAxis[1] * k * sz,
          o[2] + iAxis[2] * i * sx + jAxis[2] * j * sy + kAxis[2] * k * sz,
        ];
        const d = shape.distance(p);
        if (d >= maxHalfWidth) continue;
        let coverage: number;
        if (d <= -maxHalfWidth) coverage = 1;
        else {
          // Surface normal from central differences of the distance.
          const h = GRADIENT_STEP_MM;
          const gx = shape.distance([p[0] + h, p[1], p[2]]) - shape.distance([p[0] - h, p[1], p[2]]);
          const gy = shape.distance([p[0], p[1] + h, p[2]]) - shape.distance([p[0], p[1] - h, p[2]]);
          const gz = shape.distance([p[0], p[1], p[2] + h]) - shape.distance([p[0], p[1], p[2] - h]);
          const g = Math.hypot(gx, gy, gz) || 1;
          // Blends and ellipsoids are not exact distances: divide by the gradient's length.
          const distance = d / (g / (2 * h));
          const width =
            Math.abs((gx * iAxis[0] + gy * iAxis[1] + gz * iAxis[2]) / g) * sx +
            Math.abs((gx * jAxis[0] + gy * jAxis[1] + gz * jAxis[2]) / g) * sy +
            Math.abs((gx * kAxis[0] + gy * kAxis[1] + gz * kAxis[2]) / g) * sz;
          coverage = Math.min(1, Math.max(0, 0.5 - distance / Math.max(width, 1e-6)));
          if (coverage === 0) continue;
        }
        const a = coverage * opacity;
        const index = base + i;
        canvas.hu[index] = canvas.hu[index]! * (1 - a) + hu * a;
      }
    }
  }
}

/** Voxel index box covering a Ct box (plus a margin), clamped to the volume; undefined when outside. */
function indexRange(geometry: VolumeGeometry, [min, max]: readonly [Vec3, Vec3], marginMm: number) {
  const [nx, ny, nz] = geometry.dimensions;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (const x of [min[0] - marginMm, max[0] + marginMm]) {
    for (const y of [min[1] - marginMm, max[1] + marginMm]) {
      for (const z of [min[2] - marginMm, max[2] + marginMm]) {
        const ijk = ctToCtIjk(geometry, [x, y, z]);
        for (let a = 0; a < 3; a++) {
          lo[a] = Math.min(lo[a]!, ijk[a]!);
          hi[a] = Math.max(hi[a]!, ijk[a]!);
        }
      }
    }
  }
  const dims = [nx, ny, nz];
  const start = lo.map((v) => Math.max(0, Math.floor(v)));
  const end = hi.map((v, a) => Math.min(dims[a]! - 1, Math.ceil(v)));
  if (start.some((s, a) => s > end[a]!)) return undefined;
  return [start as [number, number, number], end as [number, number, number]] as const;
}
