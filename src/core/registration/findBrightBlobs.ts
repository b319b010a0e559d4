import type { Vec3 } from '../geometry/vec3';
import type { CtVolume } from '../volume/ctVolume';
import { ctIjkToCt } from '../volume/volumeGeometry';

export interface BrightBlob {
  /** HU-weighted centroid (Ct mm), sub-voxel. */
  readonly centreInCt: Vec3;
  /** Volume of the voxels above the threshold, mm³. */
  readonly volumeMm3: number;
  readonly peakHu: number;
}

export interface BlobOptions {
  /** Voxels above this are "bright" (radiopaque beads read 1500–3071 HU; bone rarely above 1500). */
  readonly thresholdHu?: number;
  /** Components outside this volume range are not beads (bone is bigger, noise spikes smaller). */
  readonly minVolumeMm3?: number;
  readonly maxVolumeMm3?: number;
  /** HU of what surrounds a bead (skin, plastic); contrast above it weights the centroid. */
  readonly backgroundHu?: number;
}

/**
 * Finds radiopaque beads in a CT: 26-connected components of voxels above the threshold, kept
 * when their size fits, each located by the HU-weighted centroid of its voxels and their
 * neighbours (the partial-volume rim carries much of the sub-voxel position).
 */
export function findBrightBlobs(volume: CtVolume, options: BlobOptions = {}): BrightBlob[] {
  const threshold = options.thresholdHu ?? 1500;
  const background = options.backgroundHu ?? 150;
  const { dimensions, spacingMm } = volume.geometry;
  const voxelMm3 = spacingMm[0] * spacingMm[1] * spacingMm[2];
  const minVolume = options.minVolumeMm3 ?? 2;
  const maxVolume = options.maxVolumeMm3 ?? 500;
  const hu = volume.huVoxels;
  const visited = new Uint8Array(hu.length);
  const blobs: BrightBlob[] = [];
  const stack: number[] = [];
  for (let start = 0; start < hu.length; start++) {
    if (visited[start] || hu[start]! <= threshold) continue;
    // Flood fill one component.
    const members: number[] = [];
    stack.push(start);
    visited[start] = 1;
    let peak = -Infinity;
    while (stack.length > 0) {
      const index = stack.pop()!;
      members.push(index);
      peak = Math.max(peak, hu[index]!);
      forEachNeighbour(index, dimensions, (neighbour) => {
        if (!visited[neighbour] && hu[neighbour]! > threshold) {
          visited[neighbour] = 1;
          stack.push(neighbour);
        }
      });
      if (members.length * voxelMm3 > maxVolume * 4) break; // clearly bone: stop early
    }
    const volumeMm3 = members.length * voxelMm3;
    if (volumeMm3 < minVolume || volumeMm3 > maxVolume) continue;
    blobs.push({ centreInCt: weightedCentroid(volume, members, background), volumeMm3, peakHu: peak });
  }
  return blobs;
}

/** Centroid of the component and its one-voxel rim, weighted by contrast above the background. */
function weightedCentroid(volume: CtVolume, members: readonly number[], background: number): Vec3 {
  const seen = new Set<number>();
  let total = 0;
  const sum = [0, 0, 0];
  for (const index of members) {
    forEachNeighbour(index, volume.geometry.dimensions, (neighbour, a, b, c) => {
      if (seen.has(neighbour)) return;
      seen.add(neighbour);
      const w = Math.max(0, volume.huVoxels[neighbour]! - background);
      if (w === 0) return;
      total += w;
      sum[0]! += w * a;
      sum[1]! += w * b;
      sum[2]! += w * c;
    });
  }
  return ctIjkToCt(volume.geometry, [sum[0]! / total, sum[1]! / total, sum[2]! / total]);
}

/** Calls `visit` for the voxel and its 26 neighbours inside the volume (index and i, j, k). */
function forEachNeighbour(index: number, [nx, ny, nz]: readonly [number, number, number], visit: (neighbour: number, i: number, j: number, k: number) => void): void {
  const i = index % nx;
  const j = Math.floor(index / nx) % ny;
  const k = Math.floor(index / (nx * ny));
  for (let dk = -1; dk <= 1; dk++) {
    for (let dj = -1; dj <= 1; dj++) {
      for (let di = -1; di <= 1; di++) {
        const a = i + di;
        const b = j + dj;
        const c = k + dk;
        if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz) continue;
        visit(a + b * nx + c * nx * ny, a, b, c);
      }
    }
  }
}
