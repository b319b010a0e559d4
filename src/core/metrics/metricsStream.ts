import type { CaseFile } from '../cases/caseFile';
import type { Vec3 } from '../geometry/vec3';
import type { SessionEvent, SessionRecord, TrackingSample } from '../rehearsal/sessionRecord';
import { METRICS } from './computeMetrics';
import type { MetricResult, MetricValue } from './metric';
import { insertedShaftOf } from './insertedShaft';
import { PUNCTURE_DEPTH_MM } from './punctures';
import { newRedirectionState, redirectionCount, redirectionStep, type RedirectionState } from './redirections';
import { distance, isInTissue, msToSeconds, targetOf } from './sessionQueries';
import { closestApproachOf, closestApproachStep, copyClosestApproachState, newClosestApproachState, type ClosestApproachState } from './structureDistances';
import { isTipOutOfPlane } from './timeOutOfPlane';
import { sweptArea } from './tissueDamage';

/**
 * The metrics of an attempt computed as it is recorded (issue 12), for live display: each sample
 * and event is taken once, at a cost that does not depend on how many came before (the closest
 * approaches cost per sample what they cost in the batch: a bounded test per structure), and
 * `result()` is at every moment exactly what `computeMetrics` gives for the record so far —
 * the same sums in the same order, the same folds (structureDistances.ts, redirections.ts).
 *
 * Feed it in the record's order: samples in time order, events in time order, an event after
 * the samples recorded before it (as the recorder writes them; `followRecord` does it from a
 * growing record). The recorder replaces its last sample by a newer one within 50 ms:
 * `replaceLastSample` says so. The last sample is therefore held apart (pending) and taken into
 * the running state only when the next one comes; `result()` adds it to a copy of the state.
 */
export interface MetricsStream {
  /** The next sample (after the others), or the next event. */
  add(item: TrackingSample | SessionEvent): void;
  /** The last sample was replaced by this one (the recorder merges samples within 50 ms). */
  replaceLastSample(sample: TrackingSample): void;
  /** Every metric, in METRICS order, as computeMetrics would give it now. */
  result(): MetricResult[];
}

interface StreamState {
  /** The last sample taken in (the earlier of the next pair). */
  previous: TrackingSample | undefined;
  previousOutOfPlane: boolean;
  lastSampleT: number | undefined;
  needlePathMm: number;
  pathInTissueMm: number;
  timeInTissueMs: number;
  timeOutOfPlaneMs: number;
  tissueDamageMm2: number;
  probePathMm: number;
  firstInTissue: (TrackingSample & { readonly needle: NonNullable<TrackingSample['needle']> }) | undefined;
  lastInTissueTip: Vec3 | undefined;
  punctures: number;
  outside: boolean;
  lastNeedle: { readonly t: number; readonly tip: Vec3 } | undefined;
  redirections: RedirectionState;
  closest: ClosestApproachState;
  lastEventT: number | undefined;
  ctPasses: number;
  boneContacts: number;
  planningCtT: number | undefined;
  lastInjection: { readonly t: number; readonly tip: Vec3 } | undefined;
  /** The tip of the last sample with a needle at or before the last injection. */
  tipAtLastInjection: Vec3 | undefined;
  lastRegistration: { readonly freMm: number; readonly trueTreMm: number } | undefined;
}

const newState = (): StreamState => ({
  previous: undefined,
  previousOutOfPlane: false,
  lastSampleT: undefined,
  needlePathMm: 0,
  pathInTissueMm: 0,
  timeInTissueMs: 0,
  timeOutOfPlaneMs: 0,
  tissueDamageMm2: 0,
  probePathMm: 0,
  firstInTissue: undefined,
  lastInTissueTip: undefined,
  punctures: 0,
  outside: true,
  lastNeedle: undefined,
  redirections: newRedirectionState(),
  closest: newClosestApproachState(),
  lastEventT: undefined,
  ctPasses: 0,
  boneContacts: 0,
  planningCtT: undefined,
  lastInjection: undefined,
  tipAtLastInjection: undefined,
  lastRegistration: undefined,
});

const copyState = (s: StreamState): StreamState => ({ ...s, redirections: { ...s.redirections }, closest: copyClosestApproachState(s.closest) });

const probeOrigin = (probeToCt: readonly number[]): Vec3 => [probeToCt[3]!, probeToCt[7]!, probeToCt[11]!];

/** One sample into the state: the pair (previous, sample) into the interval metrics, the sample into the others. */
function takeSample(s: StreamState, sample: TrackingSample, caseFile: CaseFile): void {
  const earlier = s.previous;
  const inTissue = isInTissue(sample);
  if (earlier) {
    if (earlier.needle && sample.needle) s.needlePathMm += distance(earlier.needle.tip, sample.needle.tip);
    if (isInTissue(earlier) && inTissue) {
      s.pathInTissueMm += distance(earlier.needle.tip, sample.needle.tip);
      s.timeInTissueMs += sample.t - earlier.t;
      s.tissueDamageMm2 += sweptArea(insertedShaftOf(earlier.needle, earlier.insertedMm), insertedShaftOf(sample.needle, sample.insertedMm));
      if (s.previousOutOfPlane) s.timeOutOfPlaneMs += sample.t - earlier.t;
    }
    if (earlier.probeToCt && sample.probeToCt) s.probePathMm += distance(probeOrigin(earlier.probeToCt), probeOrigin(sample.probeToCt));
  }
  if (inTissue) {
    s.firstInTissue ??= sample;
    s.lastInTissueTip = sample.needle.tip;
  }
  const depth = sample.needle ? sample.insertedMm : 0;
  if (depth <= 0) s.outside = true;
  else if (s.outside && depth > PUNCTURE_DEPTH_MM) {
    s.punctures++;
    s.outside = false;
  }
  if (sample.needle) {
    s.lastNeedle = { t: sample.t, tip: sample.needle.tip };
    if (s.lastInjection && sample.t <= s.lastInjection.t) s.tipAtLastInjection = sample.needle.tip;
  }
  redirectionStep(s.redirections, sample);
  closestApproachStep(s.closest, sample, caseFile);
  s.previous = sample;
  s.previousOutOfPlane = isTipOutOfPlane(sample);
  s.lastSampleT = sample.t;
}

function takeEvent(s: StreamState, event: SessionEvent): void {
  s.lastEventT = event.t;
  switch (event.kind) {
    case 'ct-pass':
      s.ctPasses++;
      break;
    case 'bone-contact':
      s.boneContacts++;
      break;
    case 'planning-ct':
      s.planningCtT ??= event.t;
      break;
    case 'injection':
      s.lastInjection = { t: event.t, tip: event.tip };
      // The samples taken so far are those at or before it (an event follows the samples recorded before it).
      s.tipAtLastInjection = s.lastNeedle && s.lastNeedle.t <= event.t ? s.lastNeedle.tip : undefined;
      break;
    case 'registration':
      s.lastRegistration = { freMm: event.freMm, trueTreMm: event.trueTreMm };
      break;
  }
}

/** Each metric's value from the state, as its batch `compute` defines it (docs/metrics.md). */
function values(s: StreamState, caseFile: CaseFile, header: Pick<SessionRecord, 'targetId' | 'settings'>): Record<string, () => MetricValue> {
  const { settings } = header;
  const target = targetOf(header as SessionRecord, caseFile);
  const passes = 1 + s.ctPasses;
  const tipAtInjection = s.lastInjection ? (s.tipAtLastInjection ?? s.lastInjection.tip) : undefined;
  const closest = () => closestApproachOf(s.closest, caseFile);
  return {
    operativeTime: () => (s.lastInjection ? msToSeconds(s.lastInjection.t - (s.planningCtT ?? 0)) : null),
    elapsedTime: () => msToSeconds(Math.max(s.lastSampleT ?? 0, s.lastEventT ?? 0)),
    ctPasses: () => passes,
    doseLengthProduct: () => passes * settings.dlpPerPassMGyCm,
    effectiveDose: () => passes * settings.dlpPerPassMGyCm * settings.effectiveDosePerDlp,
    technicalSuccess: () => (!target ? null : !tipAtInjection ? false : distance(tipAtInjection, target.centre) <= target.acceptanceRadiusMm),
    tipToTargetError: () => {
      if (!target) return null;
      const tip = tipAtInjection ?? s.lastNeedle?.tip;
      return tip ? distance(tip, target.centre) : null;
    },
    structuresBreached: () => [...closest()].filter(([, d]) => d < 0).map(([id]) => id),
    breachCount: () => [...closest()].filter(([, d]) => d < 0).length,
    closestApproach: () => {
      const distances = [...closest().values()];
      return distances.length === 0 ? null : Math.min(...distances);
    },
    nearMisses: () => [...closest()].filter(([, d]) => d >= 0 && d <= settings.avoidMarginMm).map(([id]) => id),
    needlePathLength: () => s.needlePathMm,
    pathInTissue: () => s.pathInTissueMm,
    timeInTissue: () => msToSeconds(s.timeInTissueMs),
    tissueDamage: () => s.tissueDamageMm2,
    pathInefficiency: () => {
      const first = s.firstInTissue;
      if (!first || !s.lastInTissueTip) return null;
      const straight = distance(insertedShaftOf(first.needle, first.insertedMm).entry, s.lastInTissueTip);
      if (straight < 1) return null;
      return 100 * ((first.insertedMm + s.pathInTissueMm) / straight - 1);
    },
    redirections: () => redirectionCount(s.redirections),
    punctures: () => s.punctures,
    boneContacts: () => s.boneContacts,
    timeOutOfPlane: () => msToSeconds(s.timeOutOfPlaneMs),
    probePathLength: () => s.probePathMm,
    registrationFre: () => s.lastRegistration?.freMm ?? null,
    registrationTre: () => s.lastRegistration?.trueTreMm ?? null,
  };
}

/** A metrics stream for an attempt on `caseFile` (its target and settings from `header`). */
export function createMetricsStream(caseFile: CaseFile, header: Pick<SessionRecord, 'targetId' | 'settings'>): MetricsStream {
  const committed = newState();
  let pending: TrackingSample | undefined;
  return {
    add(item) {
      if ('kind' in item) return takeEvent(committed, item);
      if (pending) takeSample(committed, pending, caseFile);
      pending = item;
    },
    replaceLastSample(sample) {
      pending = sample;
    },
    result() {
      const state = pending ? copyState(committed) : committed;
      if (pending) takeSample(state, pending, caseFile);
      const byId = values(state, caseFile, header);
      return METRICS.map((metric) => {
        const value = byId[metric.id];
        if (!value) throw new Error(`the metrics stream has no incremental form of "${metric.id}"`);
        return { id: metric.id, name: metric.name, unit: metric.unit, value: value() };
      });
    },
  };
}

/**
 * A stream that follows a growing record (ProcedureRun's): `result()` first takes what was added
 * since the last call — the samples and events merged by time, samples first at equal times —
 * and notices a replaced last sample, so each call costs what is new.
 */
export function followRecord(caseFile: CaseFile, record: SessionRecord): { result(): MetricResult[] } {
  const stream = createMetricsStream(caseFile, record);
  let samples = 0;
  let lastSample: TrackingSample | undefined;
  let events = 0;
  return {
    result() {
      const s = record.samples;
      const e = record.events;
      if (samples > 0 && s[samples - 1] !== lastSample) stream.replaceLastSample(s[samples - 1]!);
      while (samples < s.length || events < e.length) {
        if (events >= e.length || (samples < s.length && s[samples]!.t <= e[events]!.t)) stream.add(s[samples++]!);
        else stream.add(e[events++]!);
      }
      lastSample = s[samples - 1];
      return stream.result();
    },
  };
}
