import { addScaled, cross, normalize, type Vec3 } from '../geometry/vec3';
import { applyToPoint, applyToVector, type Transform } from '../frames/transform';
import { rotationAboutAxis } from '../frames/transform';
import type { CtVolume } from '../volume/ctVolume';
import { probePoseInCt } from '../tracking/simulatedRoom';
import { faceCentreInProbe, type ProbeModel } from '../tracking/probeModels';
import { skinContact } from './skinContact';

/** The probe's own directions in Ct: along the array (image +x), into the body (+y), elevation (+z). */
export function probeAxesInCt(probeToCt: Transform<'Probe', 'Ct'>): { array: Vec3; depth: Vec3; elevation: Vec3 } {
  return {
    array: normalize(applyToVector(probeToCt, [1, 0, 0])),
    depth: normalize(applyToVector(probeToCt, [0, 1, 0])),
    elevation: normalize(applyToVector(probeToCt, [0, 0, 1])),
  };
}

export type ProbeMove =
  | { readonly kind: 'slide'; readonly alongArrayMm: number; readonly alongElevationMm: number }
  | { readonly kind: 'rotate'; readonly degrees: number } // about the beam axis (depth)
  | { readonly kind: 'tilt'; readonly degrees: number } // fan: about the array axis, sweeping the plane
  | { readonly kind: 'rock'; readonly degrees: number }; // heel-toe: about the elevation axis, in plane

/**
 * Moves the probe as a hand does, keeping the face on the skin: slides are taken along the
 * skin (the face re-seated where the beam axis meets the skin again); rotations pivot about
 * the face's contact point.
 */
export function moveProbe(volume: CtVolume, model: ProbeModel, probeToCt: Transform<'Probe', 'Ct'>, move: ProbeMove): Transform<'Probe', 'Ct'> {
  const face = applyToPoint(probeToCt, faceCentreInProbe(model));
  let { array, depth } = probeAxesInCt(probeToCt);
  const elevation = normalize(cross(array, depth));
  let contact = face;
  const rad = (d: number) => (d * Math.PI) / 180;
  const rotate = (v: Vec3, axis: Vec3, degrees: number): Vec3 => {
    const r = rotationAboutAxis(axis, rad(degrees));
    return [r[0]! * v[0] + r[1]! * v[1] + r[2]! * v[2], r[3]! * v[0] + r[4]! * v[1] + r[5]! * v[2], r[6]! * v[0] + r[7]! * v[1] + r[8]! * v[2]];
  };
  if (move.kind === 'slide') {
    const moved = addScaled(addScaled(face, array, move.alongArrayMm), elevation, move.alongElevationMm);
    // Re-seat on the skin: come from 60 mm outside along the beam axis.
    contact = skinContact(volume, addScaled(moved, depth, -60), depth) ?? moved;
  } else if (move.kind === 'rotate') {
    array = rotate(array, depth, move.degrees);
  } else if (move.kind === 'tilt') {
    depth = rotate(depth, array, move.degrees);
  } else {
    const axis = elevation;
    depth = rotate(depth, axis, move.degrees);
    array = rotate(array, axis, move.degrees);
  }
  return probePoseInCt(contact, depth, array, model.sensorToFaceMm);
}

/** A probe on the skin over a point, beam toward it, the array along `arrayHint`. */
export function probeOverPoint(volume: CtVolume, model: ProbeModel, pointInCt: Vec3, fromDirection: Vec3, arrayHint: Vec3): Transform<'Probe', 'Ct'> | undefined {
  const outside = addScaled(pointInCt, normalize(fromDirection), 400);
  const depth: Vec3 = normalize([-fromDirection[0], -fromDirection[1], -fromDirection[2]]);
  const contact = skinContact(volume, outside, depth);
  return contact ? probePoseInCt(contact, depth, arrayHint, model.sensorToFaceMm) : undefined;
}
