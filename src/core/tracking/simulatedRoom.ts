import { cross, normalize, subtract, type Vec3 } from '../geometry/vec3';
import { compose, fromRotationTranslation, invert, rotationAboutAxis, type Transform } from '../frames/transform';
import { seededRandom } from '../random/seededRandom';
import { multiply3 } from '../linalg/matrix3';
import { rigidFromPointPairs } from '../registration/pairedPointRegistration';

/**
 * The simulated room: where the CT's patient lies in the tracker's field (unknown to the
 * trainee, drawn from a seed), and where the reference sensor (the external marker) sits on
 * the patient. This is ground truth: what the tracker reports is computed from it with errors,
 * and registration estimates ReferenceToCt without seeing it.
 */
export interface SimulatedRoom {
  /** True pose of the patient's CT in the tracker's field (changes when the patient moves). */
  ctToTracker: Transform<'Ct', 'Tracker'>;
  /** True pose of the reference sensor (the marker's frame) in the CT. */
  readonly referenceToCt: Transform<'Reference', 'Ct'>;
  /** Where the beads really are in the reference sensor's frame: the marker's drawing plus the sensor's mounting error. */
  readonly actualBeadsInReference: readonly Vec3[];
}

/** RMS 3D error of the bead positions in the sensor's frame against the marker's drawing (sensor mounting and calibration), mm. */
export const MARKER_GEOMETRY_ERROR_MM = 0.3;

/**
 * Places the patient so that `targetInCt` lies near the middle of the working volume
 * (tracker (0, 0, 300) mm, ±40 mm), turned by up to ±25° about the field generator's axis and
 * tilted by up to ±4°: a pose the trainee must find by registration.
 */
export function createRoom(seed: number, targetInCt: Vec3, markerBeadsInReference: readonly Vec3[], markerBeadsInCt: readonly Vec3[]): SimulatedRoom {
  const random = seededRandom(seed);
  const spin = rotationAboutAxis([0, 0, 1], ((random.next() - 0.5) * 50 * Math.PI) / 180);
  const tiltAxis = normalize([random.next() - 0.5, random.next() - 0.5, 0]);
  const tilt = rotationAboutAxis(tiltAxis, ((random.next() - 0.5) * 8 * Math.PI) / 180);
  const rotation = multiply3(tilt, spin);
  const place: Vec3 = [(random.next() - 0.5) * 80, (random.next() - 0.5) * 80, 300 + (random.next() - 0.5) * 80];
  const rotatedTarget = [0, 1, 2].map((r) => rotation[r * 3]! * targetInCt[0] + rotation[r * 3 + 1]! * targetInCt[1] + rotation[r * 3 + 2]! * targetInCt[2]);
  const ctToTracker = fromRotationTranslation('Ct', 'Tracker', rotation, [place[0] - rotatedTarget[0]!, place[1] - rotatedTarget[1]!, place[2] - rotatedTarget[2]!]);
  // The sensor is not mounted exactly where the marker's drawing says: the true ReferenceToCt is
  // the fit of the real bead positions. The beads fit each other perfectly, so the FRE cannot see
  // this error while the true TRE shows it: the clinic's lesson that FRE is not accuracy.
  const perAxis = MARKER_GEOMETRY_ERROR_MM / Math.sqrt(3);
  const actualBeadsInReference = markerBeadsInReference.map(
    (b) => [b[0] + perAxis * random.gaussian(), b[1] + perAxis * random.gaussian(), b[2] + perAxis * random.gaussian()] as Vec3,
  );
  return { ctToTracker, referenceToCt: rigidFromPointPairs('Reference', 'Ct', actualBeadsInReference, markerBeadsInCt), actualBeadsInReference };
}

/** True pose of the reference sensor in the tracker's field. */
export const referenceToTracker = (room: SimulatedRoom): Transform<'Reference', 'Tracker'> => compose(room.ctToTracker, room.referenceToCt);

/** The live fusion chain: ImageToCt = ReferenceToCt · TrackerToReference · ProbeToTracker · ImageToProbe. */
export function imageToCtChain(
  referenceToCt: Transform<'Reference', 'Ct'>,
  referenceToTrackerReported: Transform<'Reference', 'Tracker'>,
  probeToTrackerReported: Transform<'Probe', 'Tracker'>,
  imageToProbe: Transform<'Image', 'Probe'>,
): Transform<'Image', 'Ct'> {
  return compose(referenceToCt, compose(invert(referenceToTrackerReported), compose(probeToTrackerReported, imageToProbe)));
}

/**
 * A probe pose in the CT (ProbeToCt) with its face centre at `faceInCt`, looking along `depthInCt`
 * (image +y), the array (image +x) along `arrayHint` made perpendicular.
 */
export function probePoseInCt(faceInCt: Vec3, depthInCt: Vec3, arrayHint: Vec3, sensorToFaceMm: number): Transform<'Probe', 'Ct'> {
  const y = normalize(depthInCt);
  const z = normalize(cross(arrayHint, y));
  const x = cross(y, z);
  const origin = subtract(faceInCt, [y[0] * sensorToFaceMm, y[1] * sensorToFaceMm, y[2] * sensorToFaceMm]);
  // Columns of the rotation are the probe axes in Ct.
  return fromRotationTranslation('Probe', 'Ct', [x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]], origin);
}
