import type { Metric } from './metric';
import { distance, forEachConsecutivePair } from './sessionQueries';

/** Perk Tutor's needle path length: Σ |tip displacement| over consecutive samples that both have a needle, mm. */
export const needlePathLength: Metric = {
  id: 'needlePathLength',
  name: 'Needle path length',
  unit: 'mm',
  definition: 'Distance travelled by the needle tip, inside and outside the body.',
  compute(record) {
    let total = 0;
    forEachConsecutivePair(record.samples, (earlier, later) => {
      if (earlier.needle && later.needle) total += distance(earlier.needle.tip, later.needle.tip);
    });
    return total;
  },
};
