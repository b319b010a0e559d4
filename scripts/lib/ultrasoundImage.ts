import { compose, type Transform } from '../../src/core/frames/transform';
import type { Vec3 } from '../../src/core/geometry/vec3';
import { imageToProbe, PROBE_MODELS, type ProbeModel } from '../../src/core/tracking/probeModels';
import { probePoseInCt } from '../../src/core/tracking/simulatedRoom';
import { defaultUltrasoundSettings, synthesizeUltrasound } from '../../src/core/ultrasound/synthesizeUltrasound';
import type { UltrasoundSettings } from '../../src/core/ultrasound/ultrasoundSettings';
import type { CtVolume } from '../../src/core/volume/ctVolume';
import { probeForImage } from './probeForImage';

/** A probe pose given by the transducer face: what the command's --origin, --beam and --lateral say. */
export interface FacePose {
  /** Centre of the transducer face, Ct (LPS mm). */
  readonly faceCentreInCt: Vec3;
  /** Direction into the patient, Ct (unit). */
  readonly beamInCt: Vec3;
  /** The image's left-to-right axis, Ct (unit, perpendicular to the beam). */
  readonly lateralInCt: Vec3;
}

export interface UltrasoundImageRequest extends FacePose {
  readonly probe: 'linear' | 'curvilinear';
  readonly frequencyMHz: number;
  readonly depthMm: number;
  readonly mmPerPixel: number;
}

/** The probe the app offers of each type. */
export const PROBE_OF_TYPE: Record<UltrasoundImageRequest['probe'], ProbeModel> = {
  linear: PROBE_MODELS['linear-7.5'],
  curvilinear: PROBE_MODELS['curvilinear-3.5'],
};

/**
 * ImageToCt for a face pose: the probe frame placed as the app's simulated room places it
 * (probePoseInCt: +y the beam, +x the lateral axis), then the probe's image calibration, so the
 * top-centre pixel lands on the face centre and image +x runs along `lateralInCt`.
 */
export function imageToCtAtFace(model: ProbeModel, pose: FacePose): Transform<'Image', 'Ct'> {
  return compose(probePoseInCt(pose.faceCentreInCt, pose.beamInCt, pose.lateralInCt, model.sensorToFaceMm), imageToProbe(model));
}

/**
 * The bare B-mode image for one request, by the app's synthesis and its default settings for the
 * probe at this frequency and depth (focus at mid-depth), on an image grid that the fan or
 * rectangle fills. Grey levels, row-major, `model.columns × model.rows`.
 */
export function renderUltrasoundImage(
  volume: CtVolume,
  request: UltrasoundImageRequest,
): { image: Uint8ClampedArray; model: ProbeModel; settings: UltrasoundSettings; imageToCt: Transform<'Image', 'Ct'> } {
  const model = probeForImage(PROBE_OF_TYPE[request.probe], request.depthMm, request.frequencyMHz, request.mmPerPixel);
  const settings = defaultUltrasoundSettings(model);
  const imageToCt = imageToCtAtFace(model, request);
  const { image } = synthesizeUltrasound(volume, imageToCt, model, settings);
  return { image, model, settings, imageToCt };
}
