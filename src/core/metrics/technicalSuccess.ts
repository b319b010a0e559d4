import type { Metric } from './metric';
import { distance, targetOf, tipAtLastInjection } from './sessionQueries';

/**
 * The study's technical success ("the procedure completed as planned, the disc reached"):
 * at the last injection the true tip (the sample written at that injection; the event's own
 * tip if no sample has a needle) lies within the target's acceptance radius. False without an
 * injection; null when the case has no target with the record's targetId.
 */
export const technicalSuccess: Metric = {
  id: 'technicalSuccess',
  name: 'Technical success',
  unit: 'yes/no',
  definition: "Tip within the target's acceptance radius at the last injection.",
  compute(record, { caseFile }) {
    const target = targetOf(record, caseFile);
    if (!target) return null;
    const tip = tipAtLastInjection(record);
    if (!tip) return false;
    return distance(tip, target.centre) <= target.acceptanceRadiusMm;
  },
};
