import { dot, type Vec3 } from '../geometry/vec3';
import type { CtVolume } from '../volume/ctVolume';
import { ctToCtIjk } from '../volume/volumeGeometry';
import { trilinearSampler } from '../volume/trilinearSampler';
import { compartmentFields, type CompartmentContext, type CompartmentKind, type FillGrid } from './injectateCompartment';
import { MinHeap } from './minHeap';

/**
 * Where an injection goes, once for its whole volume: a volume-budgeted priority flood on a grid
 * around the tip (Ct, LPS mm, isotropic), through the compartment's resistances
 * (injectateCompartment). The front advances by least path cost — the sum of step length (mm)
 * × resistance — like a fluid invading the easiest connected space first; tier-0 voxels (the
 * nucleus) fill before any other. Each voxel records the volume out of the syringe when the
 * front took it, so the injectate after v mL is {arrivalMl ≤ v}: the growth with the syringe
 * needs no new flood.
 */
export interface InjectateFill extends FillGrid {
  readonly kind: CompartmentKind;
  readonly tip: Vec3;
  /** mL out of the syringe when each voxel filled; Infinity where it never does. Fluid already there: when the front reached it. */
  readonly arrivalMl: Float32Array;
  /** Whether each voxel was already fluid (counted in the region, not in the volume). */
  readonly preFilled: Uint8Array;
  /** The volume placed, mL: the injection's, unless the compartment could not hold it. */
  readonly filledMl: number;
  /** Why less was placed than injected, when it was. */
  readonly note?: string;
}

export interface FillRequest {
  readonly tip: Vec3;
  /** The needle's hub at the injection (Ct mm): its track is a way out of a disc. */
  readonly hub?: Vec3;
  readonly volumeMl: number;
}

/** Grid: about 20 000 voxels of injectate (0.5–1 mm), reaching 2.5 equivalent-sphere radii + 8 mm from the tip (20–60 mm). */
export function fillGridFor(tip: Vec3, volumeMl: number): FillGrid {
  const mm3 = Math.max(volumeMl, 0.01) * 1000;
  const spacingMm = Math.min(1, Math.max(0.5, Math.cbrt(mm3 / 20000)));
  const radius = Math.cbrt((3 * mm3) / (4 * Math.PI));
  const half = Math.min(60, Math.max(20, 2.5 * radius + 8));
  const n = 2 * Math.ceil(half / spacingMm) + 1;
  const offset = ((n - 1) / 2) * spacingMm;
  return { origin: [tip[0] - offset, tip[1] - offset, tip[2] - offset], spacingMm, dimensions: [n, n, n] };
}

/** The flood of one injection (the caller caches it: see injectateRegion). */
export function fillInjectate(volume: CtVolume, request: FillRequest, context: CompartmentContext): InjectateFill {
  if (!(request.volumeMl > 0) || !Number.isFinite(request.volumeMl)) throw new Error(`injectate fill: the volume must be a positive number of mL, got ${request.volumeMl}`);
  const grid = fillGridFor(request.tip, request.volumeMl);
  const [nx, ny, nz] = grid.dimensions;
  const count = nx * ny * nz;
  const h = grid.spacingMm;
  const hu = sampleHu(volume, grid);
  const fields = compartmentFields(grid, hu, request.tip, request.hub, context);
  const arrivalMl = new Float32Array(count).fill(Infinity);
  const base = { ...grid, kind: fields.kind, tip: request.tip, arrivalMl, preFilled: fields.preFilled };
  const seed = seedVoxel(grid, fields.resistance, request.tip);
  if (seed === undefined) return { ...base, filledMl: 0, note: 'the tip is in bone or outside the body: nothing could be injected there' };

  const steps = neighbourSteps(grid, fields.anisotropy);
  const cost = new Float64Array(count).fill(Infinity);
  const done = new Uint8Array(count);
  const heap = new MinHeap();
  // Tier 0 before tier 1 whatever the path cost (a nucleus fills before the annulus leaks).
  const TIER = 1e7;
  cost[seed] = 0;
  heap.push(fields.tier[seed]! * TIER, seed);
  const voxelMl = (h * h * h) / 1000;
  let filled = 0;
  const sliceSize = nx * ny;
  while (filled < request.volumeMl && heap.size > 0) {
    const index = heap.pop()!;
    if (done[index]) continue;
    done[index] = 1;
    if (!fields.preFilled[index]) filled += voxelMl;
    arrivalMl[index] = filled;
    const i = index % nx;
    const j = Math.floor(index / nx) % ny;
    const k = Math.floor(index / sliceSize);
    const here = fields.resistance[index]!;
    for (const step of steps) {
      const ni = i + step.di;
      const nj = j + step.dj;
      const nk = k + step.dk;
      if (ni < 0 || nj < 0 || nk < 0 || ni >= nx || nj >= ny || nk >= nz) continue;
      const next = ni + nj * nx + nk * sliceSize;
      if (done[next]) continue;
      const there = fields.resistance[next]!;
      if (there === Infinity) continue;
      const c = cost[index]! + step.lengthMm * 0.5 * (here + there);
      if (c >= cost[next]!) continue;
      cost[next] = c;
      heap.push(fields.tier[next]! * TIER + c, next);
    }
  }
  const filledMl = Math.min(filled, request.volumeMl);
  if (filled + voxelMl / 2 < request.volumeMl)
    return { ...base, filledMl, note: `the compartment held only ${filledMl.toFixed(1)} of ${request.volumeMl} mL within ${((nx - 1) * h) / 2} mm of the tip` };
  return { ...base, filledMl };
}

/** HU at the grid's voxel centres (trilinear; NaN outside the CT). */
function sampleHu(volume: CtVolume, grid: FillGrid): Float32Array {
  const [nx, ny, nz] = grid.dimensions;
  const h = grid.spacingMm;
  const sample = trilinearSampler(volume);
  const out = new Float32Array(nx * ny * nz);
  const o = ctToCtIjk(volume.geometry, grid.origin);
  // The grid's axes in CtIjk (affine): one step along x, y, z of Ct.
  const ex = ctToCtIjk(volume.geometry, [grid.origin[0] + h, grid.origin[1], grid.origin[2]]);
  const ey = ctToCtIjk(volume.geometry, [grid.origin[0], grid.origin[1] + h, grid.origin[2]]);
  const ez = ctToCtIjk(volume.geometry, [grid.origin[0], grid.origin[1], grid.origin[2] + h]);
  const dx = [ex[0] - o[0], ex[1] - o[1], ex[2] - o[2]];
  const dy = [ey[0] - o[0], ey[1] - o[1], ey[2] - o[2]];
  const dz = [ez[0] - o[0], ez[1] - o[1], ez[2] - o[2]];
  let index = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const value = sample(o[0] + dx[0]! * i + dy[0]! * j + dz[0]! * k, o[1] + dx[1]! * i + dy[1]! * j + dz[1]! * k, o[2] + dx[2]! * i + dy[2]! * j + dz[2]! * k);
        out[index++] = value ?? NaN;
      }
  return out;
}

/** The voxel nearest the tip that the injectate can enter (within 3 mm: a tip touching bone injects beside it). */
function seedVoxel(grid: FillGrid, resistance: Float32Array, tip: Vec3): number | undefined {
  const [nx, ny, nz] = grid.dimensions;
  const h = grid.spacingMm;
  const c = [0, 1, 2].map((a) => Math.round((tip[a]! - grid.origin[a]!) / h));
  const reach = Math.ceil(3 / h);
  let best: number | undefined;
  let bestDistance = Infinity;
  for (let dk = -reach; dk <= reach; dk++)
    for (let dj = -reach; dj <= reach; dj++)
      for (let di = -reach; di <= reach; di++) {
        const i = c[0]! + di;
        const j = c[1]! + dj;
        const k = c[2]! + dk;
        if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) continue;
        const index = i + j * nx + k * nx * ny;
        const d = di * di + dj * dj + dk * dk;
        if (resistance[index] !== Infinity && d < bestDistance) {
          bestDistance = d;
          best = index;
        }
      }
  return bestDistance * h * h <= 9 ? best : undefined;
}

/** The 26 neighbour steps and their lengths in mm (across the anisotropy axis stretched by its factor). */
function neighbourSteps(
  grid: FillGrid,
  anisotropy: { readonly axis: Vec3; readonly acrossFactor: number } | undefined,
): { di: number; dj: number; dk: number; lengthMm: number }[] {
  const steps: { di: number; dj: number; dk: number; lengthMm: number }[] = [];
  for (let dk = -1; dk <= 1; dk++)
    for (let dj = -1; dj <= 1; dj++)
      for (let di = -1; di <= 1; di++) {
        if (di === 0 && dj === 0 && dk === 0) continue;
        const v: Vec3 = [di * grid.spacingMm, dj * grid.spacingMm, dk * grid.spacingMm];
        let lengthMm = Math.hypot(v[0], v[1], v[2]);
        if (anisotropy) {
          const along = dot(v, anisotropy.axis);
          const across = Math.sqrt(Math.max(0, lengthMm * lengthMm - along * along));
          lengthMm = Math.hypot(along, anisotropy.acrossFactor * across);
        }
        steps.push({ di, dj, dk, lengthMm });
      }
  return steps;
}
