import type { Metric } from './metric';
import { countCtPasses } from './ctPasses';

/**
 * Estimated effective dose, mSv: DLP × k, with k the session's effective dose per DLP
 * (0.015 mSv/(mGy·cm) for the adult abdomen and pelvis), so ≈ 1.5 mSv per 100 mGy·cm pass.
 */
export const effectiveDose: Metric = {
  id: 'effectiveDose',
  name: 'Effective dose (estimated)',
  unit: 'mSv',
  definition: 'Estimated dose-length product × the effective dose per DLP (a session setting, 0.015 mSv/(mGy·cm) for the abdomen).',
  compute: (record) => countCtPasses(record) * record.settings.dlpPerPassMGyCm * record.settings.effectiveDosePerDlp,
};
