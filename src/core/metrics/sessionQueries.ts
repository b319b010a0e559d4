import type { CaseFile, CaseTarget } from '../cases/caseFile';
import type { Vec3 } from '../geometry/vec3';
import type { SessionEvent, SessionRecord, TrackingSample } from '../rehearsal/sessionRecord';

/**
 * Small read-only queries on a recorded session shared by the metrics. Times in the record are
 * ms since the session started; metrics report seconds.
 */

export const msToSeconds = (ms: number): number => ms / 1000;

export type EventOfKind<K extends SessionEvent['kind']> = Extract<SessionEvent, { readonly kind: K }>;

export function eventsOfKind<K extends SessionEvent['kind']>(record: SessionRecord, kind: K): EventOfKind<K>[] {
  return record.events.filter((event): event is EventOfKind<K> => event.kind === kind);
}

/** The latest event of a kind (events are ordered by t), or undefined. */
export function lastEventOfKind<K extends SessionEvent['kind']>(record: SessionRecord, kind: K): EventOfKind<K> | undefined {
  const all = eventsOfKind(record, kind);
  return all[all.length - 1];
}

/** The case target the attempt aimed at, or undefined when the case has no such target. */
export const targetOf = (record: SessionRecord, caseFile: CaseFile): CaseTarget | undefined => caseFile.targets.find((target) => target.id === record.targetId);

/** The needle is in the body: it has been picked up and its tip is below the skin. */
export const isInTissue = (sample: TrackingSample): sample is TrackingSample & { readonly needle: NonNullable<TrackingSample['needle']> } =>
  sample.needle !== undefined && sample.insertedMm > 0;

/**
 * The true tip at time `t` (ms): the tip of the last sample with a needle at or before `t`
 * (the recorder writes a sample at every event), or undefined when the needle was not held yet.
 */
export function tipAt(record: SessionRecord, t: number): Vec3 | undefined {
  let tip: Vec3 | undefined;
  for (const sample of record.samples) {
    if (sample.t > t) break;
    if (sample.needle) tip = sample.needle.tip;
  }
  return tip;
}

/** Calls `each` for every pair of consecutive samples (earlier, later), in time order. */
export function forEachConsecutivePair(samples: readonly TrackingSample[], each: (earlier: TrackingSample, later: TrackingSample) => void): void {
  for (let i = 1; i < samples.length; i++) each(samples[i - 1]!, samples[i]!);
}

export const distance = (a: Vec3, b: Vec3): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/**
 * The true tip at the last injection (the sample written at that injection; the event's own tip
 * if no sample has a needle), or undefined when nothing was injected.
 */
export function tipAtLastInjection(record: SessionRecord): Vec3 | undefined {
  const injection = lastEventOfKind(record, 'injection');
  return injection ? (tipAt(record, injection.t) ?? injection.tip) : undefined;
}
