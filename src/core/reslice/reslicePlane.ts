import type { Vec3 } from '../geometry/vec3';
import type { CtVolume } from '../volume/ctVolume';
import { ctToCtIjk } from '../volume/volumeGeometry';
import { trilinearSampler } from '../volume/trilinearSampler';

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
  const { geometry } = volume;
  const sample = trilinearSampler(volume);
  const origin = ctToCtIjk(geometry, planePixelToCt(plane, 0, 0));
  const stepRight = subtractIjk(ctToCtIjk(geometry, planePixelToCt(plane, 1, 0)), origin);
  const stepDown = subtractIjk(ctToCtIjk(geometry, planePixelToCt(plane, 0, 1)), origin);
  for (let row = 0; row < plane.rows; row++) {
    let i = origin[0] + stepDown[0] * row;
    let j = origin[1] + stepDown[1] * row;
    let k = origin[2] + stepDown[2] * row;
    for (let column = 0; column < plane.columns; column++, i += stepRight[0], j += stepRight[1], k += stepRight[2]) {
      out[row * plane.columns + column] = sample(i, j, k) ?? outsideHu;
    }
  }
  return out;
}

const subtractIjk = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
