import type { Vec3 } from '../geometry/vec3';
import type { CtVolume } from '../volume/ctVolume';
import { ctIjkToCt } from '../volume/volumeGeometry';
import { skinContact } from './skinContact';

/**
 * The skin the probe can reach, as a grid of surface points seen from one side of the patient
 * (the back when prone, the front when supine): rays cast along ∓y from outside the volume on a
 * regular x–z grid (Ct mm). Missing points (no skin under the ray) are undefined.
 */
export interface SkinHeightfield {
  readonly columns: number;
  readonly rows: number;
  readonly points: readonly (Vec3 | undefined)[];
}

export function skinHeightfield(volume: CtVolume, fromPosterior: boolean, stepMm = 4): SkinHeightfield {
  const [nx, ny, nz] = volume.geometry.dimensions;
  const corners = [0, nx - 1].flatMap((i) => [0, ny - 1].flatMap((j) => [0, nz - 1].map((k) => ctIjkToCt(volume.geometry, [i, j, k]))));
  const min = [0, 1, 2].map((a) => Math.min(...corners.map((c) => c[a]!)));
  const max = [0, 1, 2].map((a) => Math.max(...corners.map((c) => c[a]!)));
  const columns = Math.floor((max[0]! - min[0]!) / stepMm) + 1;
  const rows = Math.floor((max[2]! - min[2]!) / stepMm) + 1;
  const startY = fromPosterior ? max[1]! + 1 : min[1]! - 1;
  const direction: Vec3 = fromPosterior ? [0, -1, 0] : [0, 1, 0];
  const points: (Vec3 | undefined)[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      points.push(skinContact(volume, [min[0]! + c * stepMm, startY, min[2]! + r * stepMm], direction, max[1]! - min[1]! + 2));
    }
  }
  return { columns, rows, points };
}
