import type { Metric } from './metric';
import { distance, targetOf, tipAt, tipAtLastInjection } from './sessionQueries';

/**
 * Distance from the true tip to the target centre, mm: at the last injection, or at the last
 * sample with a needle when nothing was injected. Null without a needle or a matching target.
 */
export const tipToTargetError: Metric = {
  id: 'tipToTargetError',
  name: 'Tip-to-target error',
  unit: 'mm',
  definition: 'Distance from the needle tip to the target centre at the last injection (or at the end, if none).',
  compute(record, { caseFile }) {
    const target = targetOf(record, caseFile);
    if (!target) return null;
    const tip = tipAtLastInjection(record) ?? tipAt(record, Infinity);
    return tip ? distance(tip, target.centre) : null;
  },
};
