import type { Metric } from './metric';
import { countCtPasses } from './ctPasses';

/** Estimated dose-length product, mGy·cm: CT passes × the session's DLP per pass (≈ 100 for a short interventional scan). */
export const doseLengthProduct: Metric = {
  id: 'doseLengthProduct',
  name: 'Dose-length product (estimated)',
  unit: 'mGy·cm',
  definition: 'CT passes × the dose-length product of one pass (a session setting).',
  compute: (record) => countCtPasses(record) * record.settings.dlpPerPassMGyCm,
};
