import { addScaled, dot, subtract, type Vec3 } from '../geometry/vec3';
import type { AvoidStructure, CaseFile, FeedbackRegion } from '../cases/caseFile';
import { shapeOf } from '../phantom/avoidShapes';
import type { CtVolume } from '../volume/ctVolume';
import { ctPointSampler, crossingFraction } from '../needle/ctPointSampler';
import { shaftToStructures } from '../needle/shaftToStructures';
import { closestAlongSegment } from '../needle/closestAlongSegment';
import { BONE_HU, MARCH_STEP_MM } from '../needle/tissueThresholds';
import { pathAngles } from './pathAngles';

/** A structure to avoid that the path passes near. */
export interface PathStructure {
  readonly id: string;
  readonly name: string;
  readonly kind: AvoidStructure['kind'];
  /** Closest distance from the path to the structure's surface, mm (negative: the path enters it). */
  readonly closestMm: number;
  /** Depth along the path from the entry where it is closest, mm. */
  readonly depthMm: number;
}

/** A feedback region the path enters, and how deep (mm from the entry). */
export interface PathRegion {
  readonly id: string;
  readonly name: string;
  readonly kind: FeedbackRegion['kind'];
  readonly depthMm: number;
}

/** A straight needle path from a skin entry to a target, as the planning step shows it (Ct mm, degrees). */
export interface PlannedPath {
  readonly entry: Vec3;
  readonly target: Vec3;
  /** Unit vector entry → target. */
  readonly direction: Vec3;
  readonly lengthMm: number;
  readonly fromSagittalDeg: number;
  readonly fromAxialDeg: number;
  /** Structures to avoid within `nearMm` (10 mm) of the path, nearest first. */
  readonly structures: readonly PathStructure[];
  /** Depth of the first bone (≥ 400 HU, where the needle would stop) along the path, or undefined when the path is clear. */
  readonly firstBoneDepthMm?: number;
  /** Feedback regions the path enters, in order of depth. */
  readonly regions: readonly PathRegion[];
}

/**
 * Measures a planned path on the CT: its length and angles, the structures to avoid it passes
 * within `nearMm` of (shaft centreline to surface, as the needle's warnings are measured), the
 * first bone on it (trilinear HU ≥ 400, the needle's bone threshold), and the feedback regions it
 * enters (where the operator will feel resistance).
 */
export function planPath(volume: CtVolume, caseFile: Pick<CaseFile, 'avoid' | 'feedbackRegions'>, entry: Vec3, target: Vec3, nearMm = 10): PlannedPath {
  const along = subtract(target, entry);
  const lengthMm = Math.hypot(...along);
  if (!(lengthMm > 0)) throw new Error('planPath: the entry and the target are the same point; a path needs two different points.');
  const direction: Vec3 = [along[0] / lengthMm, along[1] / lengthMm, along[2] / lengthMm];
  const steps = Math.max(1, Math.ceil(lengthMm / MARCH_STEP_MM));
  const pointAt = (depth: number) => addScaled(entry, direction, depth);

  const huAt = ctPointSampler(volume);
  let firstBoneDepthMm: number | undefined;
  for (let s = 0; s <= steps; s++) {
    const depth = (lengthMm * s) / steps;
    if (huAt(pointAt(depth)) < BONE_HU) continue;
    if (s === 0) firstBoneDepthMm = 0;
    else {
      const before = (lengthMm * (s - 1)) / steps;
      firstBoneDepthMm = before + (depth - before) * crossingFraction(huAt, pointAt(before), pointAt(depth), BONE_HU);
    }
    break;
  }

  const regions: PathRegion[] = [];
  for (const region of caseFile.feedbackRegions ?? []) {
    const shape = shapeOf(region.shape);
    let wasInside = false;
    for (let s = 0; s <= steps; s++) {
      const depth = (lengthMm * s) / steps;
      const inside = shape.distance(pointAt(depth)) < 0;
      if (inside && !wasInside) {
        // The surface between the previous sample and this one, by bisection on the distance.
        let lo = s === 0 ? depth : (lengthMm * (s - 1)) / steps;
        let hi = depth;
        while (hi - lo > 1e-3) {
          const mid = (lo + hi) / 2;
          if (shape.distance(pointAt(mid)) < 0) hi = mid;
          else lo = mid;
        }
        regions.push({ id: region.id, name: region.name, kind: region.kind, depthMm: hi });
      }
      wasInside = inside;
    }
  }
  regions.sort((a, b) => a.depthMm - b.depthMm);

  const structures = shaftToStructures(entry, target, caseFile.avoid, nearMm)
    .map(({ structure, closest }): PathStructure => {
      const { depthMm, distanceMm } = closestAlongSegment(shapeOf(structure.shape), entry, direction, lengthMm, dot(subtract(closest, entry), direction));
      return { id: structure.id, name: structure.name, kind: structure.kind, closestMm: distanceMm, depthMm };
    })
    .sort((a, b) => a.closestMm - b.closestMm);

  const { fromSagittalDeg, fromAxialDeg } = pathAngles(direction);
  return { entry, target, direction, lengthMm, fromSagittalDeg, fromAxialDeg, structures, ...(firstBoneDepthMm !== undefined ? { firstBoneDepthMm } : {}), regions };
}
