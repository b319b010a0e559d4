import type { SessionRecord } from '../rehearsal/sessionRecord';
import type { Metric } from './metric';
import { distance, forEachConsecutivePair, isInTissue } from './sessionQueries';

/** Σ |tip displacement| over consecutive samples that both have the tip in tissue (insertedMm > 0), mm. */
export function pathInTissueMm(record: SessionRecord): number {
  let total = 0;
  forEachConsecutivePair(record.samples, (earlier, later) => {
    if (isInTissue(earlier) && isInTissue(later)) total += distance(earlier.needle.tip, later.needle.tip);
  });
  return total;
}

/** Perk Tutor's path in tissue: the tip's travel while it is below the skin. */
export const pathInTissue: Metric = {
  id: 'pathInTissue',
  name: 'Path in tissue',
  unit: 'mm',
  definition: 'Distance travelled by the needle tip between consecutive samples that both have the tip below the skin.',
  compute: (record) => pathInTissueMm(record),
};
