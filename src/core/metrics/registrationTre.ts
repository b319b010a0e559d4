import type { Metric } from './metric';
import { lastEventOfKind } from './sessionQueries';

/**
 * TRUE target registration error of the last registration, mm: where the registration puts the
 * target vs where it is (the simulator knows; a real system only predicts it). FRE is a poor
 * proxy for it, which is why both are reported.
 */
export const registrationTre: Metric = {
  id: 'registrationTre',
  name: 'Registration TRE (true)',
  unit: 'mm',
  definition: 'True target registration error at the target of the last CT/tracker registration.',
  compute: (record) => lastEventOfKind(record, 'registration')?.trueTreMm ?? null,
};
