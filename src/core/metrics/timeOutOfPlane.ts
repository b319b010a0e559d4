import { transformOf } from '../frames/transform';
import { needleToPlane } from '../navigation/needleToPlane';
import type { TrackingSample } from '../rehearsal/sessionRecord';
import type { Metric } from './metric';
import { forEachConsecutivePair, isInTissue, msToSeconds } from './sessionQueries';

/** The tip counts as out of the image plane beyond this distance, mm (about half a curvilinear probe's slice thickness). */
export const OUT_OF_PLANE_MM = 2.5;

/** The tip is in tissue but not on the ultrasound image: farther than 2.5 mm from the true image plane, or no probe on the skin. */
export function isTipOutOfPlane(sample: TrackingSample): boolean {
  if (!isInTissue(sample)) return false;
  if (!sample.imageToCt) return true;
  const { tipDistanceMm } = needleToPlane(sample.needle, transformOf('Image', 'Ct', sample.imageToCt));
  return Math.abs(tipDistanceMm) > OUT_OF_PLANE_MM;
}

/**
 * Time the tip spent in tissue off the image, s: over the intervals between consecutive samples
 * that both have the tip in tissue (those of time in tissue), each interval counts when its
 * EARLIER sample has the tip out of plane (the state holds until the next sample). In CT-only
 * mode there is no probe, so it equals the time in tissue.
 */
export const timeOutOfPlane: Metric = {
  id: 'timeOutOfPlane',
  name: 'Time out of plane',
  unit: 's',
  definition: 'Time with the tip in tissue and more than 2.5 mm from the ultrasound image plane (or no probe on the skin).',
  compute(record) {
    let totalMs = 0;
    forEachConsecutivePair(record.samples, (earlier, later) => {
      if (isInTissue(earlier) && isInTissue(later) && isTipOutOfPlane(earlier)) totalMs += later.t - earlier.t;
    });
    return msToSeconds(totalMs);
  },
};
