import type { Vec3 } from '../geometry/vec3';
import type { Shape } from './sdf';

/**
 * A region known only as voxels (an injectate that filled its compartment): a signed-distance
 * grid, axis-aligned in Ct (LPS mm), isotropic. Serialisable: it travels to the ultrasound worker
 * by structured clone (the typed array is copied, not shared).
 *
 * `distanceMm[i + j·nx + k·nx·ny]` is the signed distance (mm, negative inside) at the centre of
 * grid voxel (i, j, k), which lies at `origin + (i, j, k)·spacingMm` in Ct. Every inside voxel
 * lies at least `marginMm` inside the grid's edge, so outside the grid the distance to the box
 * plus that margin is a lower bound (what the synthesis's skip-ahead needs).
 */
export interface VoxelShapeSpec {
  readonly type: 'voxels';
  /** A point to look at (the injection's tip), Ct mm. */
  readonly centre: Vec3;
  /** The radius of a sphere of the same volume, mm (a size to show; not the shape). */
  readonly radiusMm: number;
  /** Ct position of the centre of grid voxel (0, 0, 0), mm. */
  readonly origin: Vec3;
  readonly spacingMm: number;
  readonly dimensions: readonly [number, number, number];
  readonly distanceMm: Float32Array;
  readonly marginMm: number;
}

/** The signed distance of a voxel shape: trilinear between voxel centres, O(1) per point. */
export function voxelShape(spec: VoxelShapeSpec): Shape {
  const { origin, spacingMm: h, dimensions, distanceMm: grid, marginMm } = spec;
  const [nx, ny, nz] = dimensions;
  if (grid.length !== nx * ny * nz) throw new Error(`voxel shape: ${grid.length} distances for a ${nx}×${ny}×${nz} grid`);
  const max: Vec3 = [origin[0] + (nx - 1) * h, origin[1] + (ny - 1) * h, origin[2] + (nz - 1) * h];
  const slice = nx * ny;
  return {
    // The shape itself lies at least marginMm inside the grid box.
    bounds: [
      [origin[0] + marginMm, origin[1] + marginMm, origin[2] + marginMm],
      [max[0] - marginMm, max[1] - marginMm, max[2] - marginMm],
    ],
    distance(p) {
      const fx = (p[0] - origin[0]) / h;
      const fy = (p[1] - origin[1]) / h;
      const fz = (p[2] - origin[2]) / h;
      if (!(fx >= 0 && fy >= 0 && fz >= 0 && fx <= nx - 1 && fy <= ny - 1 && fz <= nz - 1)) {
        // Outside the grid: at least the distance to the box plus the margin (a lower bound).
        const ox = Math.max(origin[0] - p[0], 0, p[0] - max[0]);
        const oy = Math.max(origin[1] - p[1], 0, p[1] - max[1]);
        const oz = Math.max(origin[2] - p[2], 0, p[2] - max[2]);
        return Math.hypot(ox, oy, oz) + marginMm;
      }
      const i = Math.min(fx | 0, nx - 2);
      const j = Math.min(fy | 0, ny - 2);
      const k = Math.min(fz | 0, nz - 2);
      const tx = fx - i;
      const ty = fy - j;
      const tz = fz - k;
      const b = i + j * nx + k * slice;
      const c00 = grid[b]! + (grid[b + 1]! - grid[b]!) * tx;
      const c10 = grid[b + nx]! + (grid[b + nx + 1]! - grid[b + nx]!) * tx;
      const c01 = grid[b + slice]! + (grid[b + slice + 1]! - grid[b + slice]!) * tx;
      const c11 = grid[b + slice + nx]! + (grid[b + slice + nx + 1]! - grid[b + slice + nx]!) * tx;
      const c0 = c00 + (c10 - c00) * ty;
      return c0 + (c01 + (c11 - c01) * ty - c0) * tz;
    },
  };
}
