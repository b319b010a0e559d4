import type { Transform } from '../frames/transform';
import type { Vec3 } from '../geometry/vec3';
import type { NavigationSession } from '../navigation/navigationSession';
import { needleToPlane } from '../navigation/needleToPlane';
import type { NeedleState } from '../needle/needleMechanics';
import type { ToolStatus } from '../tracking/trackerSimulation';

/** The needle's relation to an image plane: shaft angle to the plane (deg, 0 = in plane), tip's signed distance (mm). */
export interface PlaneRelation {
  readonly angleDeg: number;
  readonly tipDistanceMm: number;
}

/**
 * What the navigation system shows: the tracker's reports through the registration. This is the
 * only frame the trainee sees during an attempt. Every readout of these quantities (status line,
 * sidebar, overlays) reads this one object, so they cannot disagree.
 */
export interface NavigatedView {
  /** 'unregistered', or the worst tool status of the fused chain. */
  readonly status: ToolStatus | 'unregistered';
  readonly imageToCt: Transform<'Image', 'Ct'> | undefined;
  readonly needle: { readonly tip: Vec3; readonly hub: Vec3 } | undefined;
  readonly needleToPlane: PlaneRelation | undefined;
  readonly tipToTargetMm: number | undefined;
  /** The metal's distortion at the probe (mm) while an instructor has metal near it: tracking is "ok" but wrong by this much. */
  readonly metalDistortionMm: number | undefined;
}

/** What the simulator knows (the ground truth): for the instructor, the report and after a CT pass. */
export interface TrueView {
  readonly imageToCt: Transform<'Image', 'Ct'> | undefined;
  readonly needle: NeedleState | undefined;
  readonly needleToPlane: PlaneRelation | undefined;
  readonly tipToTargetMm: number | undefined;
  /** The registration's actual error at the primary target now (mm), undefined before registering. */
  readonly treMm: number | undefined;
}

/** Both frames at one moment (performance-clock ms), computed once per input change or tracker sample. */
export interface NavigationSnapshot {
  readonly timeMs: number;
  /** Which tracker sample the navigated view shows (changes at the tracker's update rate). */
  readonly sampleIndex: number;
  readonly navigated: NavigatedView;
  readonly truth: TrueView;
}

const distance = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** The tracker sample shown at a time: the one taken `latencyMs` before, at the update rate. */
export function trackerSampleIndex(session: NavigationSession, timeMs: number): number {
  const { latencyMs, updateRateHz } = session.tracker.current();
  return Math.floor((timeMs - latencyMs) / (1000 / updateRateHz));
}

/** Computes both views of the navigation at `timeMs` for a target (Ct mm). Pure: reads the session, changes nothing. */
export function navigationSnapshot(session: NavigationSession, targetInCt: Vec3, timeMs: number): NavigationSnapshot {
  const fused = session.fusedImageToCt(timeMs);
  const fusedNeedle = session.fusedNeedle(timeMs);
  const trueImage = session.trueImageToCt();
  const trueNeedle = session.needleState();
  const metal = session.tracker.current().metal;
  const probeAt = session.probeInTracker();
  let metalDistortionMm: number | undefined;
  if (metal.enabled && probeAt) {
    // probeInTracker is 20 mm off the probe, where the metal is put: the distortion at the probe itself.
    const at: Vec3 = [probeAt[0] - 20, probeAt[1], probeAt[2]];
    metalDistortionMm = metal.errorAt20MmMm * (20 / Math.max(5, distance(at, metal.positionInTracker))) ** 3;
  }
  return {
    timeMs,
    sampleIndex: trackerSampleIndex(session, timeMs),
    navigated: {
      status: fused.status,
      imageToCt: fused.imageToCt,
      needle: fusedNeedle,
      needleToPlane: fusedNeedle && fused.imageToCt ? needleToPlane(fusedNeedle, fused.imageToCt) : undefined,
      tipToTargetMm: fusedNeedle ? distance(fusedNeedle.tip, targetInCt) : undefined,
      metalDistortionMm,
    },
    truth: {
      imageToCt: trueImage,
      needle: trueNeedle,
      needleToPlane: trueNeedle && trueImage ? needleToPlane(trueNeedle, trueImage) : undefined,
      tipToTargetMm: trueNeedle ? distance(trueNeedle.tip, targetInCt) : undefined,
      treMm: session.trueTreNowMm(),
    },
  };
}
