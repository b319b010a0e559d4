import type { CaseFile } from '../cases/caseFile';
import type { SessionRecord } from '../rehearsal/sessionRecord';

/**
 * One training metric, Perk Tutor style: one module per metric, all with this interface, each
 * computed from a recorded session (docs/metrics.md). A metric reads the recorded TRUTH
 * (samples) wherever it can, so replaying a session file reproduces its score exactly; events
 * are used only for discrete actions the samples cannot show (a CT pass, an injection, bone
 * stopping the needle, a registration).
 *
 * Units: times in s (the record's `t` is ms), lengths in mm, positions in Ct (LPS mm).
 */
export type MetricValue = number | boolean | string[] | null;

/** What a metric needs besides the record: the case the session was rehearsed on. */
export interface MetricContext {
  readonly caseFile: CaseFile;
}

export interface Metric {
  /** Stable key, also the CSV and JSON key: camelCase, never renamed. */
  readonly id: string;
  readonly name: string;
  /** 's', 'mm', 'mm²', 'mGy·cm', 'mSv', '%', 'count', 'yes/no' or 'ids'. */
  readonly unit: string;
  /** One sentence: what is measured and from what (shown in the report and docs/metrics.md). */
  readonly definition: string;
  /** `null` when the session does not allow the value (no injection, no registration, …). */
  compute(record: SessionRecord, context: MetricContext): MetricValue;
}

/** A computed metric, as `computeMetrics` returns it (and the replay prints it). */
export interface MetricResult {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  readonly value: MetricValue;
}
