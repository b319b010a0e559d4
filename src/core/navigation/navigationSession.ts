import type { Vec3 } from '../geometry/vec3';
import type { CaseFile } from '../cases/caseFile';
import { applyToPoint, compose, invert, type Transform } from '../frames/transform';
import type { CtVolume } from '../volume/ctVolume';
import { findBrightBlobs } from '../registration/findBrightBlobs';
import { matchMarkerBeads } from '../registration/matchMarkerBeads';
import { expectedTreMm } from '../registration/predictedError';
import { createRoom, imageToCtChain, referenceToTracker, type SimulatedRoom } from '../tracking/simulatedRoom';
import { TrackerSimulation, type ToolStatus } from '../tracking/trackerSimulation';
import { DEFAULT_TRACKER_SETTINGS, type TrackerSettings } from '../tracking/trackerSettings';
import { imageToProbe, PROBE_MODELS, type ProbeModel } from '../tracking/probeModels';
import { probeOverPoint } from './probeMotion';

export interface RegistrationSummary {
  readonly method: 'marker' | 'point-pairs';
  readonly fiducialCount: number;
  /** RMS fiducial registration error, mm: how well the fiducials fit each other, not accuracy. */
  readonly freMm: number;
  /** Fitzpatrick & West's expected error at the primary target, mm, with FLE estimated from the FRE. */
  readonly predictedTreMm: number;
  /** The simulator knows the truth: the registration's actual error at the primary target, mm. */
  readonly trueTreMm: number;
  readonly residualsMm: readonly number[];
  readonly outlierIndex: number | undefined;
}

/**
 * One rehearsal's navigation state, DOM-free: the room (ground truth), the simulated tracker,
 * the probe's true pose, and the registration. Views ask it for the fused ImageToCt.
 */
export class NavigationSession {
  readonly room: SimulatedRoom;
  readonly tracker: TrackerSimulation;
  readonly probeModel: ProbeModel;
  private probeToCtTrue: Transform<'Probe', 'Ct'> | undefined;
  private registered: Transform<'Reference', 'Ct'> | undefined;
  private summary: RegistrationSummary | undefined;

  constructor(
    readonly volume: CtVolume,
    readonly caseFile: CaseFile,
    seed: number,
    settings: TrackerSettings = DEFAULT_TRACKER_SETTINGS,
  ) {
    const marker = caseFile.fiducials.marker;
    if (!marker) throw new Error('this case has no external marker to carry the reference sensor');
    this.room = createRoom(seed, this.primaryTarget(), marker.beadsInMarker, marker.beadsInCt);
    this.tracker = new TrackerSimulation(settings, seed);
    this.probeModel = PROBE_MODELS[caseFile.procedure.probe.type === 'linear' ? 'linear-7.5' : 'curvilinear-3.5'];
    this.tracker.setTruePose('Reference', 0, referenceToTracker(this.room));
  }

  primaryTarget(): Vec3 {
    return (this.caseFile.targets.find((t) => t.priority === 'primary') ?? this.caseFile.targets[0]!).centre;
  }

  /** Puts the probe on the skin over the primary target, beam toward it (prone: from the back; supine: from the front). */
  placeProbeOverTarget(timeMs: number): boolean {
    const prone = this.caseFile.series.patientPosition.endsWith('P');
    const pose = probeOverPoint(this.volume, this.probeModel, this.primaryTarget(), prone ? [0, 1, 0] : [0, -1, 0], [1, 0, 0]);
    if (pose) this.setProbe(pose, timeMs);
    return pose !== undefined;
  }

  setProbe(probeToCt: Transform<'Probe', 'Ct'>, timeMs: number): void {
    this.probeToCtTrue = probeToCt;
    this.tracker.setTruePose('Probe', timeMs, compose(this.room.ctToTracker, probeToCt));
  }

  probe(): Transform<'Probe', 'Ct'> | undefined {
    return this.probeToCtTrue;
  }

  registration(): RegistrationSummary | undefined {
    return this.summary;
  }

  /** Automatic registration: find the marker's beads in the CT, match them to its geometry, register. */
  registerWithMarker(): RegistrationSummary | { reason: string } {
    const marker = this.caseFile.fiducials.marker!;
    const blobs = findBrightBlobs(this.volume);
    const match = matchMarkerBeads(marker.beadsInMarker, blobs.map((b) => b.centreInCt));
    if ('reason' in match) return match;
    if (!match.outcome.ok) return { reason: match.outcome.reason };
    const { transform, freMm, residualsMm, outlierIndex } = match.outcome;
    const n = marker.beadsInMarker.length;
    const fleMm = freMm / Math.sqrt(1 - 2 / n);
    const target = this.primaryTarget();
    const truthInReference = applyToPoint(invert(this.room.referenceToCt), target);
    const estimate = applyToPoint(transform, truthInReference);
    this.registered = transform;
    this.summary = {
      method: 'marker',
      fiducialCount: n,
      freMm,
      predictedTreMm: expectedTreMm(match.matchedCt, target, fleMm),
      trueTreMm: Math.hypot(estimate[0] - target[0], estimate[1] - target[1], estimate[2] - target[2]),
      residualsMm,
      outlierIndex,
    };
    return this.summary;
  }

  /** The fused chain at a time, from what the tracker reports; undefined pose when not registered or a tool is not tracked. */
  fusedImageToCt(timeMs: number): { status: ToolStatus | 'unregistered'; imageToCt: Transform<'Image', 'Ct'> | undefined } {
    if (!this.registered) return { status: 'unregistered', imageToCt: undefined };
    const reference = this.tracker.report('Reference', timeMs);
    const probe = this.tracker.report('Probe', timeMs);
    const status = reference.status !== 'ok' ? reference.status : probe.status;
    if (status !== 'ok') return { status, imageToCt: undefined };
    return { status, imageToCt: imageToCtChain(this.registered, reference.toolToTracker!, probe.toolToTracker!, imageToProbe(this.probeModel)) };
  }

  /** Where the probe's image truly lies (for the synthetic ultrasound and for scoring). */
  trueImageToCt(): Transform<'Image', 'Ct'> | undefined {
    return this.probeToCtTrue ? compose(this.probeToCtTrue, imageToProbe(this.probeModel)) : undefined;
  }
}
