import type { Metric } from './metric';
import { lastEventOfKind } from './sessionQueries';

/** Fiducial registration error of the last registration (RMS residual of the fiducials after the fit), mm. */
export const registrationFre: Metric = {
  id: 'registrationFre',
  name: 'Registration FRE',
  unit: 'mm',
  definition: 'Fiducial registration error of the last CT/tracker registration.',
  compute: (record) => lastEventOfKind(record, 'registration')?.freMm ?? null,
};
