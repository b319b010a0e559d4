import type { Vec3 } from '../geometry/vec3';
import type { CtVolume } from '../volume/ctVolume';
import { ctToCtIjk } from '../volume/volumeGeometry';

/**
 * A rectangular image plane in Ct (LPS mm): pixel (c, r) of a `columns` × `rows` image sits at
 * centreInCt + (c − (columns−1)/2)·mmPerPixel·right + (r − (rows−1)/2)·mmPerPixel·down.
 * `right` and `down` are unit vectors, perpendicular to each other.
 */
export interface ImagePlane {
  readonly centreInCt: Vec3;
  readonly right: Vec3;
  readonly down: Vec3;
  readonly columns: number;
  readonly rows: number;
  readonly mmPerPixel: number;
}

/** Ct position of an image pixel (fractional pixels allowed). */
export function planePixelToCt(plane: ImagePlane, column: number, row: number): Vec3 {
  const u = (column - (plane.columns - 1) / 2) * plane.mmPerPixel;
  const v = (row - (plane.rows - 1) / 2) * plane.mmPerPixel;
  const { centreInCt: c, right: r, down: d } = plane;
  return [c[0] + r[0] * u + d[0] * v, c[1] + r[1] * u + d[1] * v, c[2] + r[2] * u + d[2] * v];
}

/** Image pixel (fractional) of a Ct point projected on the plane. */
export function ctToPlanePixel(plane: ImagePlane, pointInCt: Vec3): [number, number] {
  const d: Vec3 = [pointInCt[0] - plane.centreInCt[0], pointInCt[1] - plane.centreInCt[1], pointInCt[2] - plane.centreInCt[2]];
  const u = d[0] * plane.right[0] + d[1] * plane.right[1] + d[2] * plane.right[2];
  const v = d[0] * plane.down[0] + d[1] * plane.down[1] + d[2] * plane.down[2];
  return [u / plane.mmPerPixel + (plane.columns - 1) / 2, v / plane.mmPerPixel + (plane.rows - 1) / 2];
}

/**
 * Samples the CT on the plane with trilinear interpolation (HU, row-major, `rows` × `columns`);
 * pixels outside the volume read `outsideHu`. Walks each row incrementally in CtIjk, so the
 * inner loop has no matrix product.
 */
export function reslicePlane(volume: CtVolume, plane: ImagePlane, outsideHu = -1024, out: Float32Array = new Float32Array(plane.columns * plane.rows)): Float32Array {
  const { geometry, huVoxels } = volume;
  const [nx, ny, nz] = geometry.dimensions;
  const slice = nx * ny;
  const origin = ctToCtIjk(geometry, planePixelToCt(plane, 0, 0));
  const stepRight = subtractIjk(ctToCtIjk(geometry, planePixelToCt(plane, 1, 0)), origin);
  const stepDown = subtractIjk(ctToCtIjk(geometry, planePixelToCt(plane, 0, 1)), origin);
  for (let row = 0; row < plane.rows; row++) {
    let i = origin[0] + stepDown[0] * row;
    let j = origin[1] + stepDown[1] * row;
    let k = origin[2] + stepDown[2] * row;
    for (let column = 0; column < plane.columns; column++, i += stepRight[0], j += stepRight[1], k += stepRight[2]) {
      // A single slice (nz = 1) is sampled within half a slice of its plane.
      if (i < 0 || j < 0 || i > nx - 1 || j > ny - 1 || k < (nz === 1 ? -0.5 : 0) || k > (nz === 1 ? 0.5 : nz - 1)) {
        out[row * plane.columns + column] = outsideHu;
        continue;
      }
      const i0 = Math.min(Math.floor(i), nx - 2 < 0 ? 0 : nx - 2);
      const j0 = Math.min(Math.floor(j), ny - 2 < 0 ? 0 : ny - 2);
      const k0 = nz === 1 ? 0 : Math.min(Math.floor(k), nz - 2);
      const fi = nx === 1 ? 0 : i - i0;
      const fj = ny === 1 ? 0 : j - j0;
      const fk = nz === 1 ? 0 : k - k0;
      const di = nx === 1 ? 0 : 1;
      const dj = ny === 1 ? 0 : nx;
      const dk = nz === 1 ? 0 : slice;
      const base = i0 + j0 * nx + k0 * slice;
      const c00 = huVoxels[base]! * (1 - fi) + huVoxels[base + di]! * fi;
      const c10 = huVoxels[base + dj]! * (1 - fi) + huVoxels[base + dj + di]! * fi;
      const c01 = huVoxels[base + dk]! * (1 - fi) + huVoxels[base + dk + di]! * fi;
      const c11 = huVoxels[base + dk + dj]! * (1 - fi) + huVoxels[base + dk + dj + di]! * fi;
      const c0 = c00 * (1 - fj) + c10 * fj;
      const c1 = c01 * (1 - fj) + c11 * fj;
      out[row * plane.columns + column] = c0 * (1 - fk) + c1 * fk;
    }
  }
  return out;
}

const subtractIjk = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
