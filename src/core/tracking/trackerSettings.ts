import type { Vec3 } from '../geometry/vec3';

/**
 * What the simulated electromagnetic tracker gets wrong, with defaults from
 * ../shared/design/frames-and-registration.md (NDI Aurora, Hummel 2005; clean field).
 */
export interface TrackerSettings {
  /** Random jitter, RMS per axis of the reported position, mm (Aurora 0.14 mm). */
  readonly jitterMm: number;
  /** Random jitter of orientation, RMS per axis, degrees. */
  readonly jitterDeg: number;
  /** Smooth, repeatable position error across the field (static error), RMS over the volume, mm (clean field ~0.9 mm). */
  readonly staticErrorMm: number;
  /** Smooth orientation error across the field, RMS, degrees (clean field ~0.3°). */
  readonly staticErrorDeg: number;
  /** Samples per second (40–50 Hz); between samples the last one is held. */
  readonly updateRateHz: number;
  /** Delay from a pose to its report, ms. */
  readonly latencyMs: number;
  /** Probability that a sample is lost (the tool's status turns "missing" for that sample). */
  readonly dropoutProbability: number;
  /** Working volume in Tracker coordinates: an axis-aligned box, mm. Outside it the status is "out-of-field". */
  readonly workingVolume: { readonly min: Vec3; readonly max: Vec3 };
  /** A metal object distorting the field, when an instructor switches it on. */
  readonly metal: { readonly enabled: boolean; readonly positionInTracker: Vec3; readonly errorAt20MmMm: number };
}

export const DEFAULT_TRACKER_SETTINGS: TrackerSettings = {
  jitterMm: 0.14,
  jitterDeg: 0.05,
  staticErrorMm: 0.9,
  staticErrorDeg: 0.3,
  updateRateHz: 40,
  latencyMs: 30,
  dropoutProbability: 0.002,
  // A planar field generator's cube-like volume, 500 mm across, starting 50 mm in front of it.
  workingVolume: { min: [-250, -250, 50], max: [250, 250, 550] },
  // Hummel 2005: a steel rod 20 mm from the sensor moved the Aurora's reading by 4.2 mm.
  metal: { enabled: false, positionInTracker: [120, 0, 300], errorAt20MmMm: 4.2 },
};
