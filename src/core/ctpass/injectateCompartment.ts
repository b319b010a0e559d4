import { dot, normalize, subtract, type Vec3 } from '../geometry/vec3';
import type { AvoidStructure, FeedbackRegion } from '../cases/caseFile';
import { shapeOf } from '../phantom/avoidShapes';
import { FAR, squaredDistanceTransform } from './distanceTransform';

/**
 * Where an injectate may go and how easily, voxel by voxel on the fill's grid: the compartment
 * the tip is in (from the case file's feedback regions) and the CT's HU.
 *
 * - disc (the tip inside a 'disc' region): the nucleus fills first (tier 0); then gas leaves
 *   only through the annulus's defects — a posterior radial tear (central, 3 mm wide: a
 *   teaching default, not from the case) and the needle's track — into the epidural fat and
 *   the paravertebral tissue; the intact annulus resists strongly (gas dissects it slowly).
 * - joint (the tip inside, or within 3 mm of, a 'joint-capsule' region): fluid stays within the
 *   capsule (lifted up to LIFT_MM off its resting surface) and prefers the space next to the bone
 *   (resistance rising with height above the cortex), spreading along the capsule's long axis
 *   (the femoral neck) more easily than around it: the capsule lifts off the neck. Fluid already
 *   in the joint is part of the region at no volume cost.
 * - tissue (anything else: a facet joint, soft tissue): an even spread through the joint's
 *   cleft and the soft tissue around the tip, stopped by bone.
 * Everywhere: never into bone (≥ 200 HU), air (< −400 HU), or a structure to avoid (dural sac,
 * vessels, nerves, bowel: their walls hold).
 */
export type CompartmentKind = 'disc' | 'joint' | 'tissue';

export interface CompartmentContext {
  readonly feedbackRegions?: readonly FeedbackRegion[];
  readonly avoid?: readonly AvoidStructure[];
}

/** The fill's grid: axis-aligned in Ct (LPS mm), isotropic, voxel (i, j, k) at origin + (i, j, k)·spacingMm. */
export interface FillGrid {
  readonly origin: Vec3;
  readonly spacingMm: number;
  readonly dimensions: readonly [number, number, number];
}

export interface CompartmentFields {
  readonly kind: CompartmentKind;
  /** Resistance per mm of spread (1 = fat or an even medium); Infinity where the injectate cannot go. */
  readonly resistance: Float32Array;
  /** 0: fills before anything of tier 1 (the nucleus); 1: the rest. */
  readonly tier: Uint8Array;
  /** Already fluid (joint): part of the region when reached, at no volume cost. */
  readonly preFilled: Uint8Array;
  /** Spread along this Ct axis is cheaper: steps across it cost `acrossFactor`× (joint: the neck). */
  readonly anisotropy?: { readonly axis: Vec3; readonly acrossFactor: number };
}

export const BONE_HU = 200;
const AIR_HU = -400;
const FAT_BELOW_HU = -30;
/** Water-like fluid (joint fluid, CSF, effusion) on CT. */
const FLUID_HU: readonly [number, number] = [-30, 25];
/** Disc: the nucleus is the central part of the disc's ellipsoid (the phantom paints ~0.6 of its radii). */
const NUCLEUS_FRACTION = 0.6;
const RESISTANCE = { nucleus: 1, annulus: 12, defect: 0.3, fat: 1, fluid: 1.5, soft: 2.5 } as const;
const FISSURE_HALF_WIDTH_MM = 1.5;
/** The needle's track conducts gas (a 22 G needle leaves a ~1 mm channel) within this distance of the tip. */
const TRACK_RADIUS_MM = 1.2;
const TRACK_REACH_MM = 35;
const CLEFT_TRACK_REACH_MM = 10;
/** Joint: how far the capsule may lift off its resting surface (the case's ellipsoid), mm. */
export const LIFT_MM = 8;
/** Joint: resistance 1 + (height above bone / HEIGHT_SCALE_MM)². */
const HEIGHT_SCALE_MM = 4;
const NECK_ACROSS_FACTOR = 1.6;
/**
 * Tissue: a joint cleft narrower than the CT's voxels (a facet's 1–2 mm) reads 250–350 HU between
 * its cortices (partial volume), so near the tip up to CLEFT_HU counts as the cleft, not bone.
 */
const CLEFT_HU = 450;
const CLEFT_RADIUS_MM = 3;

/**
 * The compartment's fields on `grid`, from the HU sampled there (`hu`, NaN outside the CT), the
 * tip, the needle's hub if known (for the track), and the case's shapes.
 */
export function compartmentFields(grid: FillGrid, hu: Float32Array, tip: Vec3, hub: Vec3 | undefined, context: CompartmentContext): CompartmentFields {
  const [nx, ny, nz] = grid.dimensions;
  const count = nx * ny * nz;
  const h = grid.spacingMm;
  const resistance = new Float32Array(count);
  const tier = new Uint8Array(count).fill(1);
  const preFilled = new Uint8Array(count);
  const point = (index: number): Vec3 => {
    const i = index % nx;
    const j = Math.floor(index / nx) % ny;
    const k = Math.floor(index / (nx * ny));
    return [grid.origin[0] + i * h, grid.origin[1] + j * h, grid.origin[2] + k * h];
  };
  const regions = context.feedbackRegions ?? [];
  const disc = regions.find((r) => r.kind === 'disc' && shapeOf(r.shape).distance(tip) <= 1);
  const joint = disc ? undefined : regions.find((r) => r.kind === 'joint-capsule' && shapeOf(r.shape).distance(tip) <= 3);
  const kind: CompartmentKind = disc ? 'disc' : joint ? 'joint' : 'tissue';

  // Soft tissue by HU; bone, air and no data blocked.
  for (let index = 0; index < count; index++) {
    const value = hu[index]!;
    const cleft = kind === 'tissue' && value < CLEFT_HU && distanceSquared(point(index), tip) < CLEFT_RADIUS_MM ** 2;
    if ((!(value < BONE_HU) && !cleft) || value < AIR_HU) resistance[index] = Infinity;
    else if (kind === 'tissue') resistance[index] = 1;
    else resistance[index] = value < FAT_BELOW_HU ? RESISTANCE.fat : value <= FLUID_HU[1] ? RESISTANCE.fluid : RESISTANCE.soft;
  }
  // The needle's track: a channel the needle cut (so never solid bone, though a cleft's or an
  // endplate's partial-volume cortex may read up to CLEFT_HU), a way out of a disc or a joint cleft.
  const track = hub && kind !== 'joint' ? { from: tip, direction: normalize(subtract(hub, tip)) } : undefined;
  // Out of a disc it conducts gas a long way (the paravertebral tissue); out of a joint cleft it
  // only crosses the partial-volume cortex to the tissue around the joint.
  const reach = kind === 'disc' ? TRACK_REACH_MM : CLEFT_TRACK_REACH_MM;
  const onTrack = (p: Vec3) => track !== undefined && trackDistance(p, track.from, track.direction, reach) < TRACK_RADIUS_MM;
  if (track) {
    for (let index = 0; index < count; index++) {
      const value = hu[index]!;
      if (value < CLEFT_HU && value >= AIR_HU && onTrack(point(index))) resistance[index] = kind === 'disc' ? RESISTANCE.defect : 1;
    }
  }
  blockAvoidStructures(grid, resistance, context.avoid ?? []);

  if (disc && disc.shape.type === 'ellipsoid') {
    const { centre, axes, radiiMm } = disc.shape;
    const u = axes.map((a) => normalize(a)) as unknown as readonly [Vec3, Vec3, Vec3];
    // Posterior (LPS +y) within the disc's plane, in the disc's own (u0, u1) coordinates.
    const py = [u[0][1], u[1][1]];
    const pl = Math.hypot(py[0]!, py[1]!) || 1;
    const post = [py[0]! / pl, py[1]! / pl] as const;
    for (let index = 0; index < count; index++) {
      if (resistance[index] === Infinity) continue;
      const p = point(index);
      const d = subtract(p, centre);
      const q = [dot(d, u[0]) / radiiMm[0], dot(d, u[1]) / radiiMm[1], dot(d, u[2]) / radiiMm[2]] as const;
      const k = Math.hypot(q[0], q[1], q[2]);
      if (k < NUCLEUS_FRACTION) {
        resistance[index] = RESISTANCE.nucleus;
        tier[index] = 0;
      } else if (k <= 1) {
        // In-plane position in mm: along the posterior direction and across it.
        const a = dot(d, u[0]);
        const b = dot(d, u[1]);
        const along = a * post[0] + b * post[1];
        const across = -a * post[1] + b * post[0];
        const fissure = along > 0 && Math.abs(across) < FISSURE_HALF_WIDTH_MM;
        resistance[index] = fissure || onTrack(p) ? RESISTANCE.defect : RESISTANCE.annulus;
      }
    }
  }

  if (joint) {
    const capsule = shapeOf(joint.shape);
    const heightMm = distanceToBone(grid, hu);
    for (let index = 0; index < count; index++) {
      if (resistance[index] === Infinity) continue;
      if (capsule.distance(point(index)) > LIFT_MM) {
        resistance[index] = Infinity;
        continue;
      }
      const value = hu[index]!;
      if (value > FLUID_HU[0] && value < FLUID_HU[1]) preFilled[index] = 1;
      resistance[index] = 1 + (heightMm[index]! / HEIGHT_SCALE_MM) ** 2;
    }
    const axis = longAxisOf(joint.shape)?.axis;
    if (axis) return { kind, resistance, tier, preFilled, anisotropy: { axis, acrossFactor: NECK_ACROSS_FACTOR } };
  }
  return { kind, resistance, tier, preFilled };
}

const distanceSquared = (a: Vec3, b: Vec3): number => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2;

/** Distance from p to the segment from `from` along `direction` over `reach` mm. */
function trackDistance(p: Vec3, from: Vec3, direction: Vec3, reach: number): number {
  const d = subtract(p, from);
  const t = Math.min(reach, Math.max(0, dot(d, direction)));
  return Math.hypot(d[0] - direction[0] * t, d[1] - direction[1] * t, d[2] - direction[2] * t);
}

/** The structures to avoid hold the injectate out (walls of the sac, vessels, nerves, bowel). */
function blockAvoidStructures(grid: FillGrid, resistance: Float32Array, avoid: readonly AvoidStructure[]): void {
  const [nx, ny, nz] = grid.dimensions;
  const h = grid.spacingMm;
  for (const structure of avoid) {
    const shape = shapeOf(structure.shape);
    const [min, max] = shape.bounds;
    const range = (axis: 0 | 1 | 2, n: number) =>
      [Math.max(0, Math.floor((min[axis] - grid.origin[axis]) / h)), Math.min(n - 1, Math.ceil((max[axis] - grid.origin[axis]) / h))] as const;
    const [i0, i1] = range(0, nx);
    const [j0, j1] = range(1, ny);
    const [k0, k1] = range(2, nz);
    for (let k = k0; k <= k1; k++)
      for (let j = j0; j <= j1; j++)
        for (let i = i0; i <= i1; i++) {
          const p: Vec3 = [grid.origin[0] + i * h, grid.origin[1] + j * h, grid.origin[2] + k * h];
          if (shape.distance(p) < 0) resistance[i + j * nx + k * nx * ny] = Infinity;
        }
  }
}

/** Distance (mm) from each voxel to the nearest bone voxel on the grid (FAR when none). */
function distanceToBone(grid: FillGrid, hu: Float32Array): Float32Array {
  const squared = new Float64Array(hu.length);
  for (let index = 0; index < hu.length; index++) squared[index] = hu[index]! >= BONE_HU ? 0 : FAR;
  squaredDistanceTransform(squared, grid.dimensions);
  const out = new Float32Array(hu.length);
  for (let index = 0; index < hu.length; index++) out[index] = Math.sqrt(squared[index]!) * grid.spacingMm;
  return out;
}

/**
 * The long axis of a capsule region (unit, Ct) and a point on it: an ellipsoid's longest axis
 * through its centre, a tube's first-to-last direction through its first point (the femoral
 * neck either way); undefined for a sphere.
 */
export function longAxisOf(shape: FeedbackRegion['shape']): { readonly point: Vec3; readonly axis: Vec3 } | undefined {
  if (shape.type === 'ellipsoid') {
    const r = shape.radiiMm;
    const longest = r[0] >= r[1] && r[0] >= r[2] ? 0 : r[1] >= r[2] ? 1 : 2;
    return { point: shape.centre, axis: normalize(shape.axes[longest]) };
  }
  if (shape.type === 'tube' && shape.points.length >= 2) {
    const first = shape.points[0]!;
    const along = subtract(shape.points[shape.points.length - 1]!, first);
    if (Math.hypot(...along) > 0) return { point: first, axis: normalize(along) };
  }
  return undefined;
}
