import type { Vec3 } from '../geometry/vec3';
import type { Metric } from './metric';
import { distance, forEachConsecutivePair } from './sessionQueries';

/** The probe sensor's position in Ct: the translation of the row-major ProbeToCt. */
const probeOrigin = (probeToCt: readonly number[]): Vec3 => [probeToCt[3]!, probeToCt[7]!, probeToCt[11]!];

/** Perk Tutor's probe path length: Σ |displacement of the ProbeToCt translation| over consecutive samples that both have the probe, mm. */
export const probePathLength: Metric = {
  id: 'probePathLength',
  name: 'Probe path length',
  unit: 'mm',
  definition: 'Distance travelled by the ultrasound probe (its sensor origin) while on the patient.',
  compute(record) {
    let total = 0;
    forEachConsecutivePair(record.samples, (earlier, later) => {
      if (earlier.probeToCt && later.probeToCt) total += distance(probeOrigin(earlier.probeToCt), probeOrigin(later.probeToCt));
    });
    return total;
  },
};
