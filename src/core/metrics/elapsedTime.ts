import type { Metric } from './metric';
import { msToSeconds } from './sessionQueries';

/** Perk Tutor's elapsed time: the session's length, the latest sample or event time, s. */
export const elapsedTime: Metric = {
  id: 'elapsedTime',
  name: 'Elapsed time',
  unit: 's',
  definition: 'Time from the start of the session to its last sample or event.',
  compute(record) {
    const lastSample = record.samples[record.samples.length - 1]?.t ?? 0;
    const lastEvent = record.events[record.events.length - 1]?.t ?? 0;
    return msToSeconds(Math.max(lastSample, lastEvent));
  },
};
