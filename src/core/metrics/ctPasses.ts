import type { SessionRecord } from '../rehearsal/sessionRecord';
import type { Metric } from './metric';
import { eventsOfKind } from './sessionQueries';

/**
 * CT passes counted as the reference study counts them: the planning CT is the first pass
 * (always made: it is the volume the session runs on), then one per confirmation or final CT
 * ('ct-pass' events). The study's fusion group needed 2 (planning + final check), the CT-only
 * group 3.
 */
export const countCtPasses = (record: SessionRecord): number => 1 + eventsOfKind(record, 'ct-pass').length;

export const ctPasses: Metric = {
  id: 'ctPasses',
  name: 'CT passes',
  unit: 'count',
  definition: 'The planning CT plus every CT pass acquired during the procedure (the study counts the planning CT).',
  compute: (record) => countCtPasses(record),
};
