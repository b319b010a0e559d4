import type { CaseFile } from '../cases/caseFile';
import type { SessionRecord } from '../rehearsal/sessionRecord';
import { boneContacts } from './boneContacts';
import { breachCount } from './breachCount';
import { closestApproach } from './closestApproach';
import { ctPasses } from './ctPasses';
import { doseLengthProduct } from './doseLengthProduct';
import { effectiveDose } from './effectiveDose';
import { elapsedTime } from './elapsedTime';
import type { Metric, MetricResult } from './metric';
import { nearMisses } from './nearMisses';
import { needlePathLength } from './needlePathLength';
import { operativeTime } from './operativeTime';
import { pathInefficiency } from './pathInefficiency';
import { pathInTissue } from './pathInTissue';
import { probePathLength } from './probePathLength';
import { punctures } from './punctures';
import { redirections } from './redirections';
import { registrationFre } from './registrationFre';
import { registrationTre } from './registrationTre';
import { structuresBreached } from './structuresBreached';
import { technicalSuccess } from './technicalSuccess';
import { timeInTissue } from './timeInTissue';
import { timeOutOfPlane } from './timeOutOfPlane';
import { tipToTargetError } from './tipToTargetError';
import { tissueDamage } from './tissueDamage';

/**
 * Every metric, in the order reports list them: the reference study's outcomes first (time,
 * CT passes and dose, success, complications), then Perk Tutor's needle and probe metrics,
 * then registration. The order is part of the CSV and JSON outputs: append, never reorder.
 */
export const METRICS: readonly Metric[] = [
  operativeTime,
  elapsedTime,
  ctPasses,
  doseLengthProduct,
  effectiveDose,
  technicalSuccess,
  tipToTargetError,
  structuresBreached,
  breachCount,
  closestApproach,
  nearMisses,
  needlePathLength,
  pathInTissue,
  timeInTissue,
  tissueDamage,
  pathInefficiency,
  redirections,
  punctures,
  boneContacts,
  timeOutOfPlane,
  probePathLength,
  registrationFre,
  registrationTre,
];

/** Scores a recorded session on its case: one result per metric, in METRICS order. */
export function computeMetrics(record: SessionRecord, caseFile: CaseFile): MetricResult[] {
  const context = { caseFile };
  return METRICS.map((metric) => ({ id: metric.id, name: metric.name, unit: metric.unit, value: metric.compute(record, context) }));
}

/** The value of one metric in a result list (undefined when the list has no such metric). */
export const metricValue = (results: readonly MetricResult[], id: string): MetricResult['value'] | undefined => results.find((result) => result.id === id)?.value;
