import type { Vec3 } from '../geometry/vec3';

/**
 * A rehearsal session as recorded: everything needed to replay it and recompute its metrics,
 * in Node or in the app (docs/session-format.md). Version 1.
 *
 * Times `t` are milliseconds since the session started (a steady clock, not the wall clock).
 * Positions are in Ct (DICOM LPS millimetres: x toward the patient's left, y posterior, z
 * superior), the frame of the case file. What is recorded is the TRUTH of the simulation (where
 * the probe and the needle really are), not what the tracker reported: metrics grade what
 * happened to the patient.
 */
export const SESSION_SCHEMA = 'us-ct-fusion-session';
export const SESSION_SCHEMA_VERSION = 1;

/** How the trainee is guided: fusion (CT + US, the reference study's group), ultrasound only, or CT only (step-and-shoot). */
export type GuidanceMode = 'fusion' | 'ultrasound' | 'ct';

export interface SessionRecord {
  readonly schema: typeof SESSION_SCHEMA;
  readonly schemaVersion: typeof SESSION_SCHEMA_VERSION;
  readonly id: string;
  /** The case file's id, e.g. "lumbar" or "hip"; replay reads that case's case.json. */
  readonly caseId: string;
  /** The target the attempt aims at (a case target id). */
  readonly targetId: string;
  readonly mode: GuidanceMode;
  /** The simulated room and tracker seed. */
  readonly seed: number;
  /** Wall-clock start, ISO 8601 (for the report and the list of attempts only). */
  readonly startedAt: string;
  readonly settings: SessionSettings;
  /** Ordered by t. A sample whenever the probe or the needle moved (at most every 50 ms), and at each event. */
  readonly samples: TrackingSample[];
  /** Ordered by t. */
  readonly events: SessionEvent[];
}

export interface SessionSettings {
  /** Dose-length product of one CT pass, mGy·cm (a short interventional scan ≈ 100). */
  readonly dlpPerPassMGyCm: number;
  /** Effective dose per DLP, mSv/(mGy·cm): 0.015 for the adult abdomen and pelvis. */
  readonly effectiveDosePerDlp: number;
  /** A warning sounds when the tip or shaft comes this close to a structure to avoid, mm. */
  readonly avoidMarginMm: number;
  readonly needle: { readonly gauge: number; readonly lengthMm: number };
  /** The probe model id (src/core/tracking/probeModels.ts). */
  readonly probeId: string;
}

export interface TrackingSample {
  readonly t: number;
  /** The probe's true pose, ProbeToCt, row-major 4×4 (absent while the probe is off the patient). */
  readonly probeToCt?: readonly number[];
  /** The true image plane of the probe, ImageToCt, row-major 4×4 (pixels → Ct mm), for out-of-plane metrics. */
  readonly imageToCt?: readonly number[];
  /** The needle's true tip and hub (absent before the needle is picked up). */
  readonly needle?: { readonly tip: Vec3; readonly hub: Vec3 };
  /** Depth of the tip below the skin along the shaft, mm; 0 when the tip is outside the body. */
  readonly insertedMm: number;
}

export type ProcedureStepId = 'case' | 'plan' | 'register' | 'doppler' | 'scan' | 'insert' | 'confirm' | 'inject' | 'final-ct' | 'report';

export type SessionEvent =
  /** The planning CT (the first CT pass of the study's count) is the loaded volume: recorded at the start. */
  | { readonly t: number; readonly kind: 'planning-ct' }
  | { readonly t: number; readonly kind: 'step-done'; readonly step: ProcedureStepId }
  | {
      readonly t: number;
      readonly kind: 'registration';
      readonly method: 'marker' | 'point-pairs' | 'plane-point';
      readonly freMm: number;
      readonly predictedTreMm: number;
      readonly trueTreMm: number;
    }
  /** The tip passed through the skin at `entry`. */
  | { readonly t: number; readonly kind: 'skin-puncture'; readonly entry: Vec3 }
  /** The needle was pulled out of the skin. */
  | { readonly t: number; readonly kind: 'needle-out' }
  /** The shaft's direction was changed with the tip in tissue (by `angleDeg`, with the tip `depthMm` deep). */
  | { readonly t: number; readonly kind: 'redirection'; readonly angleDeg: number; readonly depthMm: number }
  /** Bone stopped the needle. */
  | { readonly t: number; readonly kind: 'bone-contact'; readonly point: Vec3 }
  /** The tip entered a region that resists (the disc's annulus, the hip capsule). */
  | { readonly t: number; readonly kind: 'resistance'; readonly regionId: string; readonly name: string }
  /** The tip or shaft came within the margin of a structure to avoid (once per approach). */
  | { readonly t: number; readonly kind: 'warning'; readonly structureId: string; readonly distanceMm: number }
  /** The tip or shaft entered a structure to avoid: a complication. */
  | { readonly t: number; readonly kind: 'breach'; readonly structureId: string; readonly name: string; readonly point: Vec3 }
  /** A confirmation CT was acquired with the needle where it truly was. */
  | { readonly t: number; readonly kind: 'ct-pass'; readonly needle?: { readonly tip: Vec3; readonly hub: Vec3 } }
  | { readonly t: number; readonly kind: 'injection'; readonly tip: Vec3; readonly volumeMl: number; readonly medium: 'gas' | 'fluid' }
  | { readonly t: number; readonly kind: 'finished' }
  /** Colour Doppler was on with these vessels' lumens inside the colour box (case avoid ids): the vessel mapping of the hip technique. Recorded once. */
  | { readonly t: number; readonly kind: 'colour-doppler'; readonly vesselIds: readonly string[] };

export const DEFAULT_SESSION_SETTINGS: Omit<SessionSettings, 'needle' | 'probeId'> = { dlpPerPassMGyCm: 100, effectiveDosePerDlp: 0.015, avoidMarginMm: 3 };
