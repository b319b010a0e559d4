import type { Vec3 } from '../geometry/vec3';
import type { AvoidStructure } from '../cases/caseFile';
import { shapeOf } from '../phantom/avoidShapes';
import type { Shape } from '../phantom/sdf';

/** How close the inserted needle comes to one structure to avoid: negative inside it. */
export interface StructureDistance {
  readonly structure: AvoidStructure;
  /** Smallest signed distance from the inserted shaft (skin entry → tip) to the structure's surface, mm. */
  readonly distanceMm: number;
  /** The shaft point where it is smallest (Ct). */
  readonly closest: Vec3;
}

/** Shaft points are tested every this many mm (a 22 G needle is 0.72 mm wide; nerves are ≥ 3 mm). */
const STEP_MM = 0.5;

const shapes = new WeakMap<AvoidStructure, Shape>();
const shapeFor = (structure: AvoidStructure): Shape => {
  let shape = shapes.get(structure);
  if (!shape) shapes.set(structure, (shape = shapeOf(structure.shape)));
  return shape;
};

/**
 * Distances from the part of the needle inside the body (the segment from the skin entry to the
 * tip, Ct mm) to each structure to avoid. A structure whose bounds the segment cannot reach
 * within `withinMm` is skipped; the rest are sorted nearest first.
 */
export function shaftToStructures(entry: Vec3, tip: Vec3, structures: readonly AvoidStructure[], withinMm = 30): StructureDistance[] {
  const d: Vec3 = [tip[0] - entry[0], tip[1] - entry[1], tip[2] - entry[2]];
  const length = Math.hypot(...d);
  const steps = Math.max(1, Math.ceil(length / STEP_MM));
  const out: StructureDistance[] = [];
  for (const structure of structures) {
    const shape = shapeFor(structure);
    const [min, max] = shape.bounds;
    const lo = (a: number) => Math.min(entry[a]!, tip[a]!) - withinMm;
    const hi = (a: number) => Math.max(entry[a]!, tip[a]!) + withinMm;
    if ([0, 1, 2].some((a) => max[a]! < lo(a) || min[a]! > hi(a))) continue;
    let best = Infinity;
    let closest: Vec3 = tip;
    for (let s = 0; s <= steps; s++) {
      const f = s / steps;
      const p: Vec3 = [entry[0] + d[0] * f, entry[1] + d[1] * f, entry[2] + d[2] * f];
      const distance = shape.distance(p);
      if (distance < best) {
        best = distance;
        closest = p;
      }
    }
    if (best <= withinMm) out.push({ structure, distanceMm: best, closest });
  }
  return out.sort((a, b) => a.distanceMm - b.distanceMm);
}
