import type { Metric } from './metric';
import { forEachConsecutivePair, isInTissue, msToSeconds } from './sessionQueries';

/** Perk Tutor's time in tissue: Σ Δt over consecutive samples that both have the tip below the skin, s. */
export const timeInTissue: Metric = {
  id: 'timeInTissue',
  name: 'Time in tissue',
  unit: 's',
  definition: 'Time between consecutive samples that both have the tip below the skin.',
  compute(record) {
    let totalMs = 0;
    forEachConsecutivePair(record.samples, (earlier, later) => {
      if (isInTissue(earlier) && isInTissue(later)) totalMs += later.t - earlier.t;
    });
    return msToSeconds(totalMs);
  },
};
