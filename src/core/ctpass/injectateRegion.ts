import type { VoxelShapeSpec } from '../phantom/voxelShape';
import { FAR, squaredDistanceTransform } from './distanceTransform';
import type { InjectateFill } from './injectateFill';

/** Room left around the filled voxels in the distance grid, mm: the ultrasound's and the CT's edges look this far out. */
const MARGIN_MM = 3;

/**
 * The injectate after `volumeMl` mL left the syringe, as a signed-distance voxel shape (Ct mm,
 * negative inside): the fill's voxels with arrival ≤ volumeMl, on a grid cropped to them plus a
 * margin. Exact Euclidean distances between voxel centres, the surface half a voxel outside the
 * outermost filled centre. Undefined when nothing has filled yet.
 */
export function injectateShape(fill: InjectateFill, volumeMl: number): VoxelShapeSpec | undefined {
  const [nx, ny, nz] = fill.dimensions;
  const h = fill.spacingMm;
  let min = [nx, ny, nz];
  let max = [-1, -1, -1];
  const { arrivalMl } = fill;
  for (let k = 0, index = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, index++) {
        if (!(arrivalMl[index]! <= volumeMl)) continue;
        if (i < min[0]!) min[0] = i;
        if (j < min[1]!) min[1] = j;
        if (k < min[2]!) min[2] = k;
        if (i > max[0]!) max[0] = i;
        if (j > max[1]!) max[1] = j;
        if (k > max[2]!) max[2] = k;
      }
  if (max[0]! < 0) return undefined;
  const pad = Math.ceil(MARGIN_MM / h) + 1;
  min = min.map((m) => m - pad);
  max = max.map((m) => m + pad);
  const dimensions: [number, number, number] = [max[0]! - min[0]! + 1, max[1]! - min[1]! + 1, max[2]! - min[2]! + 1];
  const [mx, my, mz] = dimensions;
  const count = mx * my * mz;
  const toInside = new Float64Array(count);
  const toOutside = new Float64Array(count);
  const inside = new Uint8Array(count);
  for (let k = 0, index = 0; k < mz; k++)
    for (let j = 0; j < my; j++)
      for (let i = 0; i < mx; i++, index++) {
        const fi = i + min[0]!;
        const fj = j + min[1]!;
        const fk = k + min[2]!;
        const within = fi >= 0 && fj >= 0 && fk >= 0 && fi < nx && fj < ny && fk < nz && arrivalMl[fi + fj * nx + fk * nx * ny]! <= volumeMl;
        inside[index] = within ? 1 : 0;
        toInside[index] = within ? 0 : FAR;
        toOutside[index] = within ? FAR : 0;
      }
  squaredDistanceTransform(toInside, dimensions);
  squaredDistanceTransform(toOutside, dimensions);
  const distanceMm = new Float32Array(count);
  let filled = 0;
  for (let index = 0; index < count; index++) {
    filled += inside[index]!;
    distanceMm[index] = inside[index] ? -(Math.sqrt(toOutside[index]!) - 0.5) * h : (Math.sqrt(toInside[index]!) - 0.5) * h;
  }
  return {
    type: 'voxels',
    centre: fill.tip,
    radiusMm: Math.cbrt((3 * filled * h * h * h) / (4 * Math.PI)),
    origin: [fill.origin[0] + min[0]! * h, fill.origin[1] + min[1]! * h, fill.origin[2] + min[2]! * h],
    spacingMm: h,
    dimensions,
    distanceMm,
    // Filled centres lie ≥ pad voxels inside the grid's edge, the surface up to half a voxel beyond them.
    marginMm: (pad - 1) * h,
  };
}
