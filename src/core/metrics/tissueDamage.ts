import { add, dot, length, normalize, scale, subtract, type Vec3 } from '../geometry/vec3';
import type { Metric } from './metric';
import { insertedShaftOf, type InsertedShaft } from './insertedShaft';
import { forEachConsecutivePair, isInTissue } from './sessionQueries';

/** Points integrated along the inserted shaft (midpoint rule). */
export const TISSUE_DAMAGE_POINTS = 20;

/**
 * Perk Tutor's tissue damage: the area the inserted shaft sweeps sideways through tissue, mm².
 *
 * Between two consecutive samples with the tip in tissue, the inserted shaft (skin entry →
 * tip) of each is cut into N = 20 equal parts; the midpoint of part k sits at the fraction
 * f = (k + ½)/N from the entry to the tip in both samples. Each midpoint's displacement is
 * split into its component along the shaft axis (the bisector of the two directions) and the
 * rest; only the lateral rest cuts tissue (a needle sliding along its own track sweeps
 * nothing). The step's area is Σ_k |lateral_k| · L/N, with L the mean inserted length.
 *
 * Known answers: a shaft of inserted length L moved sideways by δ sweeps δ·L; a shaft pivoted by
 * θ about its skin entry sweeps L²·sin(θ/2) (→ the sector ½L²θ for small θ).
 */
export function sweptArea(a: InsertedShaft, b: InsertedShaft): number {
  if (!a.direction || !b.direction) return 0;
  const bisector = add(a.direction, b.direction);
  const axis = length(bisector) > 1e-9 ? normalize(bisector) : a.direction;
  const meanLength = (a.insertedMm + b.insertedMm) / 2;
  let lateralSum = 0;
  for (let k = 0; k < TISSUE_DAMAGE_POINTS; k++) {
    const f = (k + 0.5) / TISSUE_DAMAGE_POINTS;
    const pointA = pointAlong(a, f);
    const pointB = pointAlong(b, f);
    const moved = subtract(pointB, pointA);
    lateralSum += length(subtract(moved, scale(axis, dot(moved, axis))));
  }
  return (lateralSum * meanLength) / TISSUE_DAMAGE_POINTS;
}

const pointAlong = (shaft: InsertedShaft, f: number): Vec3 => add(shaft.entry, scale(subtract(shaft.tip, shaft.entry), f));

export const tissueDamage: Metric = {
  id: 'tissueDamage',
  name: 'Tissue damage',
  unit: 'mm²',
  definition: 'Area swept sideways by the inserted shaft between consecutive samples with the tip in tissue (sliding along the track sweeps nothing).',
  compute(record) {
    let total = 0;
    forEachConsecutivePair(record.samples, (earlier, later) => {
      if (isInTissue(earlier) && isInTissue(later)) {
        total += sweptArea(insertedShaftOf(earlier.needle, earlier.insertedMm), insertedShaftOf(later.needle, later.insertedMm));
      }
    });
    return total;
  },
};
