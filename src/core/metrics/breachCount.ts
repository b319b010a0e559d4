import type { Metric } from './metric';
import { breachedStructureIds } from './structuresBreached';

/** How many different structures to avoid were entered (the study's complications: 0 in both groups). */
export const breachCount: Metric = {
  id: 'breachCount',
  name: 'Structures breached (count)',
  unit: 'count',
  definition: 'Number of different structures to avoid that the inserted shaft entered.',
  compute: (record, { caseFile }) => breachedStructureIds(record, caseFile).length,
};
