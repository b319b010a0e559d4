import type { Vec3 } from '../geometry/vec3';
import type { CaseFile } from '../cases/caseFile';
import { applyToPoint, compose, invert, type Transform } from '../frames/transform';
import type { CtVolume } from '../volume/ctVolume';
import { findBrightBlobs, type BrightBlob } from '../registration/findBrightBlobs';
import { registerPointPairs } from '../registration/pairedPointRegistration';
import { fromRotationTranslation } from '../frames/transform';
import { matchMarkerBeads } from '../registration/matchMarkerBeads';
import { expectedTreMm } from '../registration/predictedError';
import { createRoom, imageToCtChain, referenceToTracker, type SimulatedRoom } from '../tracking/simulatedRoom';
import { TrackerSimulation, type ToolStatus } from '../tracking/trackerSimulation';
import { DEFAULT_TRACKER_SETTINGS, type TrackerSettings } from '../tracking/trackerSettings';
import { imageToProbe, PROBE_MODELS, probeAtDepth, type ProbeModel } from '../tracking/probeModels';
import { probeOverPoint } from './probeMotion';
import { needleTipToNeedle, SPINAL_NEEDLE_22G_15CM, type NeedleModel } from '../tracking/needleModel';
import { addScaled, normalize, subtract } from '../geometry/vec3';
import { RigidNeedle, type NeedleState } from '../needle/needleMechanics';
import type { NeedleCommandResult } from '../needle/needleFeedback';
import { needleToCtOf } from './needlePose';

export interface RegistrationSummary {
  readonly method: 'marker' | 'point-pairs' | 'plane-point';
  readonly fiducialCount: number;
  /** RMS fiducial registration error, mm: how well the fiducials fit each other, not accuracy. */
  readonly freMm: number;
  /** Fitzpatrick & West's expected error at the primary target, mm, with FLE estimated from the FRE (NaN when it does not apply). */
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
  /** The probe at its current image depth: its grid, and with it ImageToProbe, follow the depth (setImageDepth). */
  private probeAtCurrentDepth: ProbeModel;
  private probeToCtTrue: Transform<'Probe', 'Ct'> | undefined;
  /** The one needle: its mechanics (bone stops it, the skin entry pivots it); the tracker reports its hub sensor. */
  private needle: RigidNeedle | undefined;
  /** The needle in use (the case's by default; the trainee may choose another gauge or length), tracked at the hub. */
  needleModel: NeedleModel;
  private blobs: BrightBlob[] | undefined;
  /** Manual registration in progress: per fiducial id, the point picked on the CT and the point touched (Reference frame). */
  private readonly pairs = new Map<string, { ct?: Vec3; touched?: Vec3 }>();
  private useReferenceSensor = true;
  private lastTouchInCt: Vec3 | undefined;
  private frozenReferenceToTracker: Transform<'Reference', 'Tracker'> | undefined;
  private registered: Transform<'Reference', 'Ct'> | undefined;
  private summary: RegistrationSummary | undefined;

  constructor(
    readonly volume: CtVolume,
    readonly caseFile: CaseFile,
    /** The room's and the tracker's seed: the same seed draws the same patient pose and noise. */
    readonly seed: number,
    settings: TrackerSettings = DEFAULT_TRACKER_SETTINGS,
  ) {
    const { gauge, lengthMm, type } = caseFile.procedure.needle;
    this.needleModel =
      gauge === SPINAL_NEEDLE_22G_15CM.gauge && lengthMm === SPINAL_NEEDLE_22G_15CM.lengthMm
        ? SPINAL_NEEDLE_22G_15CM
        : { name: `${gauge} G ${lengthMm / 10} cm ${type} needle`, gauge, lengthMm };
    const marker = caseFile.fiducials.marker;
    if (!marker) throw new Error('this case has no external marker to carry the reference sensor');
    this.room = createRoom(seed, this.primaryTarget(), marker.beadsInMarker, marker.beadsInCt);
    this.tracker = new TrackerSimulation(settings, seed);
    this.probeAtCurrentDepth = PROBE_MODELS[caseFile.procedure.probe.type === 'linear' ? 'linear-7.5' : 'curvilinear-3.5'];
    this.tracker.setTruePose('Reference', 0, referenceToTracker(this.room));
  }

  /** The probe model with the image grid of the current depth (the default depth until setImageDepth). */
  get probeModel(): ProbeModel {
    return this.probeAtCurrentDepth;
  }

  /**
   * The scanner's depth changed: the image is re-gridded (probeAtDepth), so every ImageToCt from
   * now on (true and fused) maps the new grid. The same model object for the same depth, so views
   * may cache by identity. Depth outside the probe's range throws.
   */
  setImageDepth(depthMm: number): void {
    if (depthMm !== this.probeAtCurrentDepth.depthMm) this.probeAtCurrentDepth = probeAtDepth(this.probeAtCurrentDepth, depthMm);
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

  /**
   * Picks the needle up outside the body with its tip at a skin point, aimed at a target
   * (0 mm inserted); a needle already outside the body is re-aimed instead. The tip is backed off
   * along the aim until it is outside the skin (at most 5 mm), since the mechanics start outside.
   * The hub sensor sits a needle length behind the tip.
   */
  placeNeedle(tipInCt: Vec3, towardInCt: Vec3, timeMs: number): NeedleCommandResult {
    const direction = normalize(subtract(towardInCt, tipInCt));
    const current = this.needle?.state();
    if (current && current.insertedMm > 0) return { ok: false, reason: 'The needle is in the patient: pull it out (K) before moving it.' };
    let lastReason = '';
    for (let backMm = 0; backMm <= 5; backMm += 0.5) {
      const tip = addScaled(tipInCt, direction, -backMm);
      if (this.needle) {
        const aimed = this.needle.aim(tip, direction);
        if (aimed.ok) return this.needleMoved(timeMs, aimed);
        lastReason = aimed.reason;
      } else {
        try {
          this.needle = new RigidNeedle(this.volume, this.needleModel, { tip, direction }, this.caseFile.feedbackRegions ?? []);
          return this.needleMoved(timeMs, { ok: true, feedback: [] });
        } catch (error) {
          lastReason = error instanceof Error ? error.message : String(error);
        }
      }
    }
    return { ok: false, reason: lastReason };
  }

  /** Another needle is picked up: its hub sensor calibration follows its length; the old needle is put down. */
  useNeedle(model: NeedleModel): void {
    if (model.gauge !== this.needleModel.gauge || model.lengthMm !== this.needleModel.lengthMm) this.needle = undefined;
    this.needleModel = model;
  }

  /** Pushes (positive) or pulls the needle along its shaft, mm: the mechanics decide how far it goes (bone stops it). */
  advanceNeedle(mm: number, timeMs: number): NeedleCommandResult {
    if (!this.needle) return { ok: false, reason: 'Put the needle at the entry first.' };
    return this.needleMoved(timeMs, { ok: true, feedback: this.needle.advance(mm) });
  }

  /** Turns the needle (yaw, pitch in degrees): about the skin entry once inserted, only while shallow. */
  redirectNeedle(yawDeg: number, pitchDeg: number, timeMs: number): NeedleCommandResult {
    if (!this.needle) return { ok: false, reason: 'Put the needle at the entry first.' };
    const result = this.needle.redirect(yawDeg, pitchDeg);
    return result.ok ? this.needleMoved(timeMs, result) : result;
  }

  /** The needle comes back as a saved attempt (resume) or a recording (replay) left it; undefined puts it down. */
  setNeedleMechanics(needle: RigidNeedle | undefined, timeMs: number): void {
    this.needle = needle;
    if (needle) this.needleMoved(timeMs, { ok: true, feedback: [] });
  }

  /** The one needle model: its mechanics' state (tip, hub, depth, entry, regions), undefined before it is picked up. */
  needleState(): NeedleState | undefined {
    return this.needle?.state();
  }

  /** The tracker follows the needle's hub sensor after every change of the mechanics. */
  private needleMoved(timeMs: number, result: NeedleCommandResult): NeedleCommandResult {
    const state = this.needle!.state();
    this.tracker.setTruePose('Needle', timeMs, compose(this.room.ctToTracker, needleToCtOf(state)));
    return result;
  }

  /** The needle's true tip and hub in Ct. */
  trueNeedle(): { tip: Vec3; hub: Vec3 } | undefined {
    const state = this.needle?.state();
    return state ? { tip: state.tip, hub: state.hub } : undefined;
  }

  /** The virtual needle as the navigation system draws it: tracked, through the registration. */
  fusedNeedle(timeMs: number): { tip: Vec3; hub: Vec3 } | undefined {
    if (!this.registered || !this.needle) return undefined;
    const needle = this.tracker.report('Needle', timeMs);
    const reference = this.useReferenceSensor ? this.tracker.report('Reference', timeMs) : { status: 'ok' as const, toolToTracker: this.frozenReferenceToTracker };
    if (needle.status !== 'ok' || reference.status !== 'ok' || !reference.toolToTracker) return undefined;
    const needleToCt = compose(this.registered, compose(invert(reference.toolToTracker), needle.toolToTracker!));
    return { tip: applyToPoint(compose(needleToCt, needleTipToNeedle(this.needleModel)), [0, 0, 0]), hub: applyToPoint(needleToCt, [0, 0, 0]) };
  }

  /** Where the probe truly is in the tracker's field (for placing a distorting object near it, 20 mm off). */
  probeInTracker(): Vec3 | undefined {
    if (!this.probeToCtTrue) return undefined;
    const m = compose(this.room.ctToTracker, this.probeToCtTrue).matrix;
    return [m[3]! + 20, m[7]!, m[11]!];
  }

  probe(): Transform<'Probe', 'Ct'> | undefined {
    return this.probeToCtTrue;
  }

  registeredReferenceToCt(): Transform<'Reference', 'Ct'> | undefined {
    return this.registered;
  }

  registration(): RegistrationSummary | undefined {
    return this.summary;
  }

  /** Automatic registration: find the marker's beads in the CT, match them to its geometry, register. */
  registerWithMarker(): RegistrationSummary | { reason: string } {
    const marker = this.caseFile.fiducials.marker!;
    const blobs = this.brightBlobs();
    const match = matchMarkerBeads(
      marker.beadsInMarker,
      blobs.map((b) => b.centreInCt),
    );
    if ('reason' in match) return match;
    if (!match.outcome.ok) return { reason: match.outcome.reason };
    const { transform, freMm, residualsMm, outlierIndex } = match.outcome;
    const n = marker.beadsInMarker.length;
    const fleMm = freMm / Math.sqrt(1 - 2 / n);
    const target = this.primaryTarget();
    const truthInReference = applyToPoint(invert(this.room.referenceToCt), target);
    const estimate = applyToPoint(transform, truthInReference);
    this.acceptRegistration(transform, 0);
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

  /** Bright blobs of the CT (beads), found once. */
  brightBlobs(): BrightBlob[] {
    this.blobs ??= findBrightBlobs(this.volume);
    return this.blobs;
  }

  /**
   * Manual registration, step 1: a fiducial picked on the CT. The click snaps to the intensity
   * centroid of the nearest bead within `snapMm`, as a careful operator would aim.
   */
  pickOnCt(fiducialId: string, clickedInCt: Vec3, snapMm = 8): Vec3 {
    const nearest = this.brightBlobs()
      .map((b) => ({ b, d: Math.hypot(b.centreInCt[0] - clickedInCt[0], b.centreInCt[1] - clickedInCt[1], b.centreInCt[2] - clickedInCt[2]) }))
      .sort((x, y) => x.d - y.d)[0];
    const point = nearest && nearest.d <= snapMm ? nearest.b.centreInCt : clickedInCt;
    this.pairs.set(fiducialId, { ...this.pairs.get(fiducialId), ct: point });
    return point;
  }

  /**
   * Manual registration, step 2: the tracked stylus touches the physical fiducial (its true place
   * on the patient, plus `slipMm` of operator error); the tracker's reports, through the reference
   * sensor, give the touched point in the Reference frame. Returns the tool status at the touch.
   */
  touchWithStylus(fiducialId: string, timeMs: number, slipMm: Vec3 = [0, 0, 0]): 'ok' | ToolStatus {
    const fiducial = this.caseFile.fiducials.skinMarkers.find((m) => m.id === fiducialId);
    if (!fiducial) throw new Error(`no skin marker ${fiducialId} in this case`);
    this.lastTouchInCt = [fiducial.centre[0] + slipMm[0], fiducial.centre[1] + slipMm[1], fiducial.centre[2] + slipMm[2]];
    const tipInTracker = applyToPoint(this.room.ctToTracker, this.lastTouchInCt);
    // The stylus's sensor sits at its tip in this simulation (tip calibration exact).
    this.tracker.setTruePose('Stylus', timeMs, fromRotationTranslation('Stylus', 'Tracker', [1, 0, 0, 0, 1, 0, 0, 0, 1], tipInTracker));
    const stylus = this.tracker.report('Stylus', timeMs + 200);
    const reference = this.tracker.report('Reference', timeMs + 200);
    if (stylus.status !== 'ok') return stylus.status;
    if (reference.status !== 'ok') return reference.status;
    const m = stylus.toolToTracker!.matrix;
    const touched = applyToPoint(invert(reference.toolToTracker!), [m[3]!, m[7]!, m[11]!]);
    this.pairs.set(fiducialId, { ...this.pairs.get(fiducialId), touched });
    return 'ok';
  }

  /** Where the stylus last touched (true, Ct), for the room view. */
  lastStylusTouch(): Vec3 | undefined {
    return this.lastTouchInCt;
  }

  manualPairs(): ReadonlyMap<string, { ct?: Vec3; touched?: Vec3 }> {
    return this.pairs;
  }

  clearManualPairs(): void {
    this.pairs.clear();
  }

  /** Manual registration, step 3: the rigid fit of every fiducial both picked and touched. */
  registerManualPairs(): (RegistrationSummary & { ids: string[]; leaveOneOutMm: readonly number[] }) | { reason: string } {
    const complete = [...this.pairs.entries()].filter(([, p]) => p.ct && p.touched);
    const incomplete = [...this.pairs.entries()].filter(([, p]) => !(p.ct && p.touched)).map(([id, p]) => `${id} (${p.ct ? 'not touched' : 'not picked on the CT'})`);
    if (incomplete.length > 0 && complete.length < 3) return { reason: `fiducials with only one half of their pair: ${incomplete.join(', ')}` };
    const outcome = registerPointPairs(
      'Reference',
      'Ct',
      complete.map(([, p]) => p.touched!),
      complete.map(([, p]) => p.ct!),
    );
    if (!outcome.ok) return { reason: outcome.reason };
    const n = complete.length;
    const fleMm = outcome.freMm / Math.sqrt(Math.max(1e-6, 1 - 2 / n));
    const target = this.primaryTarget();
    const truthInReference = applyToPoint(invert(this.room.referenceToCt), target);
    const estimate = applyToPoint(outcome.transform, truthInReference);
    this.acceptRegistration(outcome.transform, 0);
    this.summary = {
      method: 'point-pairs',
      fiducialCount: n,
      freMm: outcome.freMm,
      predictedTreMm: expectedTreMm(
        complete.map(([, p]) => p.ct!),
        target,
        fleMm,
      ),
      trueTreMm: Math.hypot(estimate[0] - target[0], estimate[1] - target[1], estimate[2] - target[2]),
      residualsMm: outcome.residualsMm,
      outlierIndex: outcome.outlierIndex,
    };
    return { ...this.summary, ids: complete.map(([id]) => id), leaveOneOutMm: outcome.leaveOneOutMm };
  }

  /**
   * Plane + point registration: the probe is held in an axial plane of the patient, its marked
   * side toward the patient's left (as "Probe over target" places it), which fixes the rotation;
   * one landmark picked on the CT and touched with the stylus fixes the translation. Its error
   * is how far the probe really was from axial, plus tracking error, times the distance.
   */
  registerPlanePoint(fiducialId: string, timeMs: number): RegistrationSummary | { reason: string } {
    const pair = this.pairs.get(fiducialId);
    if (!pair?.ct || !pair.touched) return { reason: `${fiducialId} must be picked on the CT and touched with the stylus first` };
    const probe = this.tracker.report('Probe', timeMs);
    const reference = this.tracker.report('Reference', timeMs);
    if (probe.status !== 'ok' || reference.status !== 'ok')
      return { reason: `the ${probe.status !== 'ok' ? 'probe' : 'reference sensor'} is not tracked (${probe.status !== 'ok' ? probe.status : reference.status})` };
    // Probe axes in Reference, as tracked.
    const probeToReference = compose(invert(reference.toolToTracker!), probe.toolToTracker!);
    const m = probeToReference.matrix;
    const probeAxesInReference = [0, 1, 2].map((c) => [m[c]!, m[4 + c]!, m[8 + c]!] as Vec3);
    // The same axes in Ct, as assumed: array → +x (left), depth → into the body (prone: anterior −y; supine: posterior +y).
    const prone = this.caseFile.series.patientPosition.endsWith('P');
    const assumedInCt: Vec3[] = [[1, 0, 0], prone ? [0, -1, 0] : [0, 1, 0], prone ? [0, 0, -1] : [0, 0, 1]];
    // R maps Reference → Ct: R = Σ assumed_k ⊗ probe_k (both orthonormal bases).
    const R = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    for (let k = 0; k < 3; k++) for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) R[r * 3 + c]! += assumedInCt[k]![r]! * probeAxesInReference[k]![c]!;
    const rotated = [0, 1, 2].map((r) => R[r * 3]! * pair.touched![0] + R[r * 3 + 1]! * pair.touched![1] + R[r * 3 + 2]! * pair.touched![2]);
    const transform = fromRotationTranslation('Reference', 'Ct', R, [pair.ct[0] - rotated[0]!, pair.ct[1] - rotated[1]!, pair.ct[2] - rotated[2]!]);
    const target = this.primaryTarget();
    const estimate = applyToPoint(transform, applyToPoint(invert(this.room.referenceToCt), target));
    this.acceptRegistration(transform, timeMs);
    this.summary = {
      method: 'plane-point',
      fiducialCount: 1,
      freMm: 0,
      predictedTreMm: Number.NaN,
      trueTreMm: Math.hypot(estimate[0] - target[0], estimate[1] - target[1], estimate[2] - target[2]),
      residualsMm: [0],
      outlierIndex: undefined,
    };
    return this.summary;
  }

  /**
   * An instructor moves the patient in the field after registration (mm, degrees about the
   * tracker's vertical). The reference sensor moves with the patient: with it the fusion
   * follows; without it (`setReferenceSensorUsed(false)`) the misregistration shows.
   */
  movePatient(translationMm: Vec3, rotationDeg: number, timeMs: number): void {
    const c = Math.cos((rotationDeg * Math.PI) / 180);
    const s = Math.sin((rotationDeg * Math.PI) / 180);
    const motion = fromRotationTranslation('Tracker', 'Tracker', [c, -s, 0, s, c, 0, 0, 0, 1], translationMm);
    this.room.ctToTracker = compose(motion, this.room.ctToTracker);
    this.tracker.setTruePose('Reference', timeMs, referenceToTracker(this.room));
    if (this.probeToCtTrue) this.tracker.setTruePose('Probe', timeMs, compose(this.room.ctToTracker, this.probeToCtTrue));
    const needle = this.needle?.state();
    if (needle) this.tracker.setTruePose('Needle', timeMs, compose(this.room.ctToTracker, needleToCtOf(needle)));
  }

  setReferenceSensorUsed(used: boolean, timeMs: number): void {
    this.useReferenceSensor = used;
    const reference = this.tracker.report('Reference', timeMs);
    this.frozenReferenceToTracker = reference.toolToTracker;
  }

  /**
   * The registration's actual error at the primary target now, mm (the truth the simulator knows):
   * where the navigation maps the target's place in the room, against where it is. With the
   * reference sensor this is the registration's own error; without it, moving the patient after
   * registration adds the motion (the frozen reference no longer matches the patient).
   */
  trueTreNowMm(): number | undefined {
    if (!this.registered) return undefined;
    const referenceUsed = this.useReferenceSensor ? referenceToTracker(this.room) : this.frozenReferenceToTracker;
    if (!referenceUsed) return undefined;
    const target = this.primaryTarget();
    const navigated = applyToPoint(compose(this.registered, compose(invert(referenceUsed), this.room.ctToTracker)), target);
    return Math.hypot(navigated[0] - target[0], navigated[1] - target[1], navigated[2] - target[2]);
  }

  private acceptRegistration(referenceToCt: Transform<'Reference', 'Ct'>, timeMs: number): void {
    this.registered = referenceToCt;
    // Without a reference sensor the registration holds only for the patient pose at this moment.
    this.frozenReferenceToTracker = this.tracker.report('Reference', timeMs + 1000).toolToTracker ?? referenceToTracker(this.room);
  }

  /** The fused chain at a time, from what the tracker reports; undefined pose when not registered or a tool is not tracked. */
  fusedImageToCt(timeMs: number): { status: ToolStatus | 'unregistered'; imageToCt: Transform<'Image', 'Ct'> | undefined } {
    if (!this.registered) return { status: 'unregistered', imageToCt: undefined };
    const reference = this.useReferenceSensor ? this.tracker.report('Reference', timeMs) : { status: 'ok' as const, toolToTracker: this.frozenReferenceToTracker };
    const probe = this.tracker.report('Probe', timeMs);
    const status = reference.status !== 'ok' ? reference.status : probe.status;
    if (status !== 'ok' || !reference.toolToTracker) return { status, imageToCt: undefined };
    return { status, imageToCt: imageToCtChain(this.registered, reference.toolToTracker, probe.toolToTracker!, imageToProbe(this.probeModel)) };
  }

  /** Where the probe's image truly lies (for the synthetic ultrasound and for scoring). */
  trueImageToCt(): Transform<'Image', 'Ct'> | undefined {
    return this.probeToCtTrue ? compose(this.probeToCtTrue, imageToProbe(this.probeModel)) : undefined;
  }
}
