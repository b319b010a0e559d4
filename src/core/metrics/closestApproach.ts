import type { Metric } from './metric';
import { closestApproachByStructure } from './structureDistances';

/**
 * The nearest the inserted shaft came to any structure to avoid, mm (negative: it went that deep
 * inside one). Null when no structure came within 15 mm (CLOSEST_APPROACH_RANGE_MM), or the
 * needle never entered tissue. Per structure: `closestApproachByStructure`.
 */
export const closestApproach: Metric = {
  id: 'closestApproach',
  name: 'Closest approach to a structure to avoid',
  unit: 'mm',
  definition: 'Smallest signed distance from the inserted shaft to any structure to avoid over the session (negative = inside; none if all stayed farther than 15 mm).',
  compute(record, { caseFile }) {
    const distances = [...closestApproachByStructure(record, caseFile).values()];
    return distances.length === 0 ? null : Math.min(...distances);
  },
};
