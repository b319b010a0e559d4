import type { Vec3 } from '../geometry/vec3';
import type { Transform } from '../frames/transform';
import type { CtVolume } from '../volume/ctVolume';
import { ctToCtIjk } from '../volume/volumeGeometry';
import type { AcousticRegion } from './acousticRegions';

/**
 * The geometry of echoes along a scan line: the image plane's normal, the CT voxel's extent along
 * the beam, and the angle of incidence on an interface (the CT's gradient) or a region's wall.
 * Directions and points in Ct (LPS mm).
 */

/** The CT voxel's extent along the beam direction `step` (Ct mm per sample), mm. */
export function voxelAlongBeamMm(volume: CtVolume, step: Vec3, stepMm: number): number {
  const [ai, aj, ak] = volume.geometry.axesInCt;
  const [si, sj, sk] = volume.geometry.spacingMm;
  const along = (axis: Vec3) => Math.abs(axis[0] * step[0] + axis[1] * step[1] + axis[2] * step[2]) / stepMm;
  return Math.hypot(along(ai) * si, along(aj) * sj, along(ak) * sk);
}

/** |cos| between the beam and the normal of a region's boundary at p (central differences of its signed distance, ±0.2 mm). */
export function wallIncidenceCosine(region: AcousticRegion, p: Vec3, beam: Vec3): number {
  const h = 0.2;
  const d = (dx: number, dy: number, dz: number) => region.shape.distance([p[0] + dx, p[1] + dy, p[2] + dz]);
  const g: Vec3 = [d(h, 0, 0) - d(-h, 0, 0), d(0, h, 0) - d(0, -h, 0), d(0, 0, h) - d(0, 0, -h)];
  const size = Math.hypot(g[0], g[1], g[2]);
  return size > 0 ? Math.abs(g[0] * beam[0] + g[1] * beam[1] + g[2] * beam[2]) / size : 1;
}

/** Unit normal (Ct) of the image plane: image x × image y. */
export function imageNormal(imageToCt: Transform<'Image', 'Ct'>): Vec3 {
  const m = imageToCt.matrix;
  const x: Vec3 = [m[0]!, m[4]!, m[8]!];
  const y: Vec3 = [m[1]!, m[5]!, m[9]!];
  const n: Vec3 = [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]];
  const size = Math.hypot(n[0], n[1], n[2]);
  return [n[0] / size, n[1] / size, n[2] / size];
}

/**
 * cos θ between the beam and the interface normal at sample `at` of the line (origin, step: Ct):
 * the normal is the denoised CT's gradient, by central differences one voxel either side along
 * each voxel axis (an isotropic stencil: a partial-volume ramp of about one voxel gives its normal).
 */
export function incidenceCosine(quarterHu: Int16Array, volume: CtVolume, origin: Vec3, step: Vec3, stepMm: number, at: number): number {
  const [nx, ny, nz] = volume.geometry.dimensions;
  const [i, j, k] = ctToCtIjk(volume.geometry, [origin[0] + step[0] * at, origin[1] + step[1] * at, origin[2] + step[2] * at]);
  const ri = Math.round(i);
  const rj = Math.round(j);
  const rk = Math.round(k);
  if (ri < 1 || rj < 1 || rk < 1 || ri > nx - 2 || rj > ny - 2 || rk > nz - 2) return 1;
  const at3 = (a: number, b: number, c: number) => quarterHu[a + b * nx + c * nx * ny]!;
  const [si, sj, sk] = volume.geometry.spacingMm;
  const gi = (at3(ri + 1, rj, rk) - at3(ri - 1, rj, rk)) / (2 * si);
  const gj = (at3(ri, rj + 1, rk) - at3(ri, rj - 1, rk)) / (2 * sj);
  const gk = (at3(ri, rj, rk + 1) - at3(ri, rj, rk - 1)) / (2 * sk);
  const [ai, aj, ak] = volume.geometry.axesInCt;
  const g: Vec3 = [gi * ai[0] + gj * aj[0] + gk * ak[0], gi * ai[1] + gj * aj[1] + gk * ak[1], gi * ai[2] + gj * aj[2] + gk * ak[2]];
  const size = Math.hypot(g[0], g[1], g[2]);
  if (size === 0) return 1;
  return Math.abs(g[0] * step[0] + g[1] * step[1] + g[2] * step[2]) / (size * stepMm);
}
