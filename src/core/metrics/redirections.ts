import { dot, type Vec3 } from '../geometry/vec3';
import type { TrackingSample } from '../rehearsal/sessionRecord';
import type { Metric } from './metric';
import { insertedShaftOf } from './insertedShaft';
import { isInTissue } from './sessionQueries';

/** A turn smaller than this is not a redirection (the study's needle is steered, not bent). */
export const REDIRECTION_MIN_DEG = 2;
/** A step that turns the shaft less than this is a pause in the turning. */
const TURNING_STEP_DEG = 0.05;
/** Samples further apart than this mean the needle stood still in between (the recorder writes one at least every 50 ms while it moves). */
const PAUSE_MS = 100;

/**
 * Redirections, counted from the samples (not from the recorder's 'redirection' events, so a
 * replay recomputes them from the truth): a redirection is one turning manoeuvre with the tip
 * in tissue — a run of consecutive in-tissue samples, each turning the shaft direction by more
 * than 0.05° from the one before and at most 100 ms after it — whose overall turn (direction
 * before the run vs after it) exceeds 2°. A slow sweep is one redirection, however long; the
 * run ends at a sample that does not turn, at a pause, or when the tip leaves the body.
 */
export const redirections: Metric = {
  id: 'redirections',
  name: 'Redirections',
  unit: 'count',
  definition: 'Turning manoeuvres of the shaft by more than 2° with the tip in tissue, from the samples.',
  compute(record) {
    const state = newRedirectionState();
    for (const sample of record.samples) redirectionStep(state, sample);
    return redirectionCount(state);
  },
};

/** Redirections followed sample by sample (the batch above and the metrics stream share it). */
export interface RedirectionState {
  count: number;
  previous: { readonly t: number; readonly direction: Vec3 } | undefined;
  /** The direction before the turning run in progress (none: no run). */
  runStart: Vec3 | undefined;
}

export const newRedirectionState = (): RedirectionState => ({ count: 0, previous: undefined, runStart: undefined });

function endRun(state: RedirectionState, direction: Vec3 | undefined): void {
  if (state.runStart && direction && angleDeg(state.runStart, direction) > REDIRECTION_MIN_DEG) state.count++;
  state.runStart = undefined;
}

/** Takes the next sample (in time order). */
export function redirectionStep(state: RedirectionState, sample: TrackingSample): void {
  const direction = isInTissue(sample) ? insertedShaftOf(sample.needle, sample.insertedMm).direction : null;
  const previous = state.previous;
  if (!direction) {
    endRun(state, previous?.direction);
    state.previous = undefined;
    return;
  }
  if (previous) {
    const turned = angleDeg(previous.direction, direction) > TURNING_STEP_DEG;
    const continuous = sample.t - previous.t <= PAUSE_MS;
    // A run ends at the previous sample when this one does not turn or comes after a pause;
    // a turn then starts a new run (or continues the current one).
    if (!turned || !continuous) endRun(state, previous.direction);
    if (turned) state.runStart ??= previous.direction;
  }
  state.previous = { t: sample.t, direction };
}

/** The count so far: the run in progress, if any, ends at the last sample. */
export function redirectionCount(state: RedirectionState): number {
  const last = state.previous?.direction;
  return state.count + (state.runStart && last && angleDeg(state.runStart, last) > REDIRECTION_MIN_DEG ? 1 : 0);
}

const angleDeg = (a: Vec3, b: Vec3): number => (Math.acos(Math.min(1, Math.max(-1, dot(a, b)))) * 180) / Math.PI;
