import type { Metric } from './metric';
import { closestApproachByStructure } from './structureDistances';

/**
 * Structures the inserted shaft came within the session's warning margin of (0 ≤ closest
 * approach ≤ avoidMarginMm) without entering them, in case-file order.
 */
export const nearMisses: Metric = {
  id: 'nearMisses',
  name: 'Near misses',
  unit: 'ids',
  definition: 'Structures to avoid approached within the warning margin (settings.avoidMarginMm) but not entered.',
  compute(record, { caseFile }) {
    const margin = record.settings.avoidMarginMm;
    return [...closestApproachByStructure(record, caseFile)].filter(([, d]) => d >= 0 && d <= margin).map(([id]) => id);
  },
};
