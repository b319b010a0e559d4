import { dot, type Vec3 } from '../geometry/vec3';
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
    let count = 0;
    let previous: { t: number; direction: Vec3 } | undefined;
    let runStart: Vec3 | undefined;
    const endRun = (direction: Vec3 | undefined) => {
      if (runStart && direction && angleDeg(runStart, direction) > REDIRECTION_MIN_DEG) count++;
      runStart = undefined;
    };
    for (const sample of record.samples) {
      const direction = isInTissue(sample) ? insertedShaftOf(sample.needle, sample.insertedMm).direction : null;
      if (!direction) {
        endRun(previous?.direction);
        previous = undefined;
        continue;
      }
      if (previous) {
        const turned = angleDeg(previous.direction, direction) > TURNING_STEP_DEG;
        const continuous = sample.t - previous.t <= PAUSE_MS;
        // A run ends at the previous sample when this one does not turn or comes after a pause;
        // a turn then starts a new run (or continues the current one).
        if (!turned || !continuous) endRun(previous.direction);
        if (turned) runStart ??= previous.direction;
      }
      previous = { t: sample.t, direction };
    }
    endRun(previous?.direction);
    return count;
  },
};

const angleDeg = (a: Vec3, b: Vec3): number => (Math.acos(Math.min(1, Math.max(-1, dot(a, b)))) * 180) / Math.PI;
