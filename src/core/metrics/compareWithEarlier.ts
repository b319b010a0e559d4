import type { MetricResult } from './metric';

/** The measures a trainee's trend follows; lower is better for each. */
export const TREND_METRIC_IDS = ['operativeTime', 'ctPasses', 'tipToTargetError', 'breachCount'] as const;

export interface TrendRow {
  readonly id: (typeof TREND_METRIC_IDS)[number];
  readonly name: string;
  readonly unit: string;
  readonly current: number | null;
  /** The attempt just before this one (null when there is none, or it had no value). */
  readonly previous: number | null;
  /** The lowest value of the earlier attempts (null when none had a value). */
  readonly best: number | null;
  /** This attempt against the previous one (null when either has no value). */
  readonly versusPrevious: 'better' | 'same' | 'worse' | null;
  /** Lower than every earlier attempt (true for a first attempt with a value). */
  readonly newBest: boolean;
}

/**
 * The trainee's trend: the current attempt's operative time, CT passes, tip-to-target error and
 * breaches beside the previous attempt's and the best earlier one's. `earlier` holds the
 * earlier attempts' results, OLDEST FIRST (so its last entry is the previous attempt); attempts
 * on other cases or targets should be filtered out by the caller.
 */
export function compareWithEarlier(current: readonly MetricResult[], earlier: readonly (readonly MetricResult[])[]): TrendRow[] {
  return TREND_METRIC_IDS.map((id) => {
    const now = current.find((r) => r.id === id);
    const value = numberOf(now);
    const previousResults = earlier[earlier.length - 1];
    const previous = previousResults ? numberOf(previousResults.find((r) => r.id === id)) : null;
    const earlierValues = earlier.map((results) => numberOf(results.find((r) => r.id === id))).filter((v): v is number => v !== null);
    const best = earlierValues.length > 0 ? Math.min(...earlierValues) : null;
    return {
      id,
      name: now?.name ?? id,
      unit: now?.unit ?? '',
      current: value,
      previous,
      best,
      versusPrevious: value === null || previous === null ? null : value < previous ? 'better' : value > previous ? 'worse' : 'same',
      newBest: value !== null && (best === null || value < best),
    };
  });
}

const numberOf = (result: MetricResult | undefined): number | null => (typeof result?.value === 'number' && Number.isFinite(result.value) ? result.value : null);
