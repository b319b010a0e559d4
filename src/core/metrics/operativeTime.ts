import type { Metric } from './metric';
import { lastEventOfKind, msToSeconds } from './sessionQueries';

/**
 * The reference study's "procedure operative time": from the first CT scan (the planning CT,
 * recorded at the start; t = 0 if the record lacks the event) to the last injection, s.
 * Null when nothing was injected: the procedure was not completed.
 */
export const operativeTime: Metric = {
  id: 'operativeTime',
  name: 'Operative time',
  unit: 's',
  definition: 'Time from the planning CT (first CT pass) to the last injection, as in the reference study.',
  compute(record) {
    const injection = lastEventOfKind(record, 'injection');
    if (!injection) return null;
    const planningCt = record.events.find((event) => event.kind === 'planning-ct');
    return msToSeconds(injection.t - (planningCt?.t ?? 0));
  },
};
