import type { CaseFile } from '../cases/caseFile';
import { caseAcousticRegions } from '../cases/caseAcousticRegions';
import type { Transform } from '../frames/transform';
import type { Vec3 } from '../geometry/vec3';
import { NavigationSession, type RegistrationSummary } from '../navigation/navigationSession';
import { moveProbe, probeAxesInCt, type ProbeMove } from '../navigation/probeMotion';
import type { NeedleCommandResult } from '../needle/needleFeedback';
import type { GuidanceMode } from '../rehearsal/sessionRecord';
import { PROBE_MODELS } from '../tracking/probeModels';
import { probePoseInCt } from '../tracking/simulatedRoom';
import type { TrackerSettings } from '../tracking/trackerSettings';
import type { AcousticRegionSpec } from '../ultrasound/acousticRegions';
import { defaultUltrasoundSettings } from '../ultrasound/synthesizeUltrasound';
import type { UltrasoundSettings } from '../ultrasound/ultrasoundSettings';
import type { CtVolume } from '../volume/ctVolume';
import { WINDOW_PRESETS, type HuWindow } from '../volume/windowPresets';
import type { RigidNeedle } from '../needle/needleMechanics';
import { Attempt } from './attempt';
import { navigationSnapshot, trackerSampleIndex, type NavigationSnapshot } from './navigationSnapshot';
import type { SimulatorEventMap } from './simulatorEvents';
import { TypedEmitter } from './typedEmitter';

/** A needle command from the hand: push or pull along the shaft (mm), or turn (degrees). */
export type NeedleCommand = { readonly kind: 'push'; readonly mm: number } | { readonly kind: 'turn'; readonly yawDeg: number; readonly pitchDeg: number };

/** The scanner settings a user may change, with their ranges. */
export type ScannerSettingName = 'depthMm' | 'frequencyMHz' | 'dynamicRangeDb' | 'focusDepthMm' | 'lines';

/**
 * The one owner of the simulation's state: the open CT and case, the navigation session (room,
 * tracker, probe, the one needle, registration), the scanner, the CT window, the guidance mode and
 * the attempt. Views send it commands and subscribe to its typed events (simulatorEvents.ts);
 * nothing else writes this state. Each derived value (the navigation snapshot: fused plane,
 * navigated and true needle, needle-to-plane, tip to target, TRE) is computed once per input
 * change or tracker sample, and every readout reads that one snapshot.
 *
 * DOM-free: the clock is injected (performance-clock ms), so Node runs it as the app does.
 */
export class SimulatorState {
  readonly events = new TypedEmitter<SimulatorEventMap>();
  volume: CtVolume | undefined;
  caseFile: CaseFile | undefined;
  session: NavigationSession | undefined;
  window: HuWindow = WINDOW_PRESETS['soft-tissue'];
  mode: GuidanceMode = 'fusion';
  /** The attempt in progress (or finished, until another starts), if any. */
  attempt: Attempt | undefined;
  /** While a recorded attempt replays, live commands are refused and nothing is recorded. */
  replaying = false;
  private scannerChanges: Partial<UltrasoundSettings> = {};
  private gainOffsetDb = 0;
  private caseRegions: AcousticRegionSpec[] = [];
  private extraRegions: readonly AcousticRegionSpec[] = [];
  private current: NavigationSnapshot | undefined;

  constructor(readonly now: () => number) {}

  /** The derived navigation at the last input change or tracker sample. */
  get snapshot(): NavigationSnapshot | undefined {
    return this.current;
  }

  /** The primary target of the open case (or the attempt's target), Ct mm. */
  target(): Vec3 | undefined {
    return this.attempt?.run.target.centre ?? this.session?.primaryTarget() ?? this.caseFile?.targets[0]?.centre;
  }

  // ——— Opening a CT ———

  /**
   * A new CT (and its case, or none): a new room, a new tracker, no registration, no attempt.
   * Every view hears `opened` and starts afresh, so nothing of the previous CT stays.
   */
  open(volume: CtVolume, caseFile: CaseFile | undefined, seed: number): void {
    this.attempt?.stop();
    this.attempt = undefined;
    this.events.emit('attempt', { run: undefined });
    this.volume = volume;
    this.caseFile = caseFile;
    this.session = undefined;
    this.current = undefined;
    this.scannerChanges = {};
    this.gainOffsetDb = 0;
    this.extraRegions = [];
    this.caseRegions = caseFile ? caseAcousticRegions(caseFile) : [];
    let reason: string | undefined;
    if (!caseFile) reason = 'No case: open a bundled case, or author one for this CT';
    else if (!caseFile.fiducials.marker) reason = 'This case has no external marker to register with';
    else if (caseFile.targets.length === 0) reason = 'This case has no target';
    if (!reason) {
      this.session = new NavigationSession(volume, caseFile!, seed);
      this.session.placeProbeOverTarget(this.now());
    }
    this.events.emit('opened', { volume, caseFile, session: this.session, reason });
    this.events.emit('acoustic-regions', { regions: this.acousticRegions() });
    this.emitScanner();
    this.events.emit('registration', { summary: undefined });
    if (this.session) {
      this.events.emit('tracker', { settings: this.session.tracker.current() });
      this.events.emit('pose', { timeMs: this.now() });
    }
    this.refreshNavigation();
  }

  // ——— Display and scanner ———

  setWindow(window: HuWindow): void {
    this.window = window;
    this.events.emit('window', { window });
  }

  setMode(mode: GuidanceMode): void {
    if (this.attempt?.active && mode !== this.attempt.run.mode) return;
    this.mode = mode;
    this.events.emit('mode', { mode });
  }

  /** The scanner's settings in use: the probe's defaults, the case's gain, the user's changes and the gain knob. */
  scannerSettings(): UltrasoundSettings | undefined {
    const session = this.session;
    if (!session) return undefined;
    const base = { ...defaultUltrasoundSettings(PROBE_MODELS[session.probeModel.id], session.caseFile.procedure.probe.gainDb), ...this.scannerChanges };
    return { ...base, gainDb: base.gainDb + this.gainOffsetDb };
  }

  /** A scanner setting from its control; a value outside the range is refused with the range. */
  setScanner(name: ScannerSettingName, value: number, range: { min: number; max: number }): void {
    if (!Number.isFinite(value) || value < range.min || value > range.max) return this.alert(`${name}: enter a number from ${range.min} to ${range.max}.`);
    this.scannerChanges = { ...this.scannerChanges, [name]: value };
    // A new depth re-grids both images (the ultrasound and the CT plane share the grid).
    if (name === 'depthMm') this.session?.setImageDepth(value);
    this.emitScanner();
    if (name === 'depthMm') this.refreshNavigation();
  }

  /** The gain knob, dB over the scanner's default gain. */
  setGainOffset(db: number): void {
    this.gainOffsetDb = db;
    this.emitScanner();
  }

  // ——— The probe and the needle ———

  moveProbe(move: ProbeMove): void {
    const session = this.live();
    const probe = session?.probe();
    if (!session || !probe) return;
    this.setProbe(moveProbe(session.volume, session.probeModel, probe, move));
  }

  setProbe(probeToCt: Transform<'Probe', 'Ct'>): void {
    const session = this.live();
    if (!session) return;
    session.setProbe(probeToCt, this.now());
    this.truthChanged('pose', []);
  }

  /** The probe on the skin at a point (the room view's click), its face toward `outward`'s opposite. */
  placeProbeAt(pointInCt: Vec3, outward: Vec3): void {
    const session = this.live();
    if (!session) return;
    const probe = session.probe();
    const array = probe ? probeAxesInCt(probe).array : ([1, 0, 0] as Vec3);
    this.setProbe(probePoseInCt(pointInCt, [-outward[0], -outward[1], -outward[2]], array, session.probeModel.sensorToFaceMm));
  }

  placeProbeOverTarget(): void {
    const session = this.live();
    if (!session) return;
    if (!session.placeProbeOverTarget(this.now())) return this.alert('Could not find the skin over the target to place the probe.');
    this.truthChanged('pose', []);
  }

  /** The needle picked up at a skin point aimed at a point (outside the body). */
  placeNeedle(tipInCt: Vec3, towardInCt: Vec3): NeedleCommandResult {
    const session = this.live();
    if (!session) return { ok: false, reason: 'Open a case to place the needle.' };
    const result = session.placeNeedle(tipInCt, towardInCt, this.now());
    if (result.ok) this.truthChanged('needle', result.feedback);
    else this.cue('info', result.reason);
    return result;
  }

  /** The needle at the case's suggested entry, aimed at the target. */
  placeNeedleAtSuggestedEntry(): void {
    const entry = this.caseFile?.procedure.suggestedEntry;
    const target = this.target();
    if (!entry || !target) return this.alert('This case suggests no entry point for the needle.');
    this.placeNeedle(entry, target);
  }

  /** The hand's needle keys: the mechanics decide what happens (bone stops, the entry pivots). */
  steerNeedle(command: NeedleCommand): NeedleCommandResult {
    const session = this.live();
    if (!session?.needleState()) return { ok: false, reason: 'Put the needle at the entry first.' };
    if (this.attempt?.run.finished) return { ok: false, reason: 'The attempt is finished: start another to move the needle.' };
    const now = this.now();
    const result = command.kind === 'push' ? session.advanceNeedle(command.mm, now) : session.redirectNeedle(command.yawDeg, command.pitchDeg, now);
    if (result.ok) this.truthChanged('needle', result.feedback);
    else this.cue('info', result.reason);
    return result;
  }

  /** Resume and replay put the needle back as a record left it. */
  setNeedleMechanics(needle: RigidNeedle | undefined): void {
    if (!this.session) return;
    this.session.setNeedleMechanics(needle, this.now());
    this.truthChanged('needle', []);
  }

  // ——— Registration ———

  registerWithMarker(): RegistrationSummary | undefined {
    const session = this.live();
    if (!session) {
      this.alert('Registration needs a case with an external marker: open one of the bundled cases.');
      return undefined;
    }
    const result = session.registerWithMarker();
    if ('reason' in result) {
      this.alert(`Automatic registration failed: ${result.reason}.`);
      return undefined;
    }
    this.registrationChanged(result);
    return result;
  }

  pickOnCt(fiducialId: string, clickedInCt: Vec3): void {
    this.live()?.pickOnCt(fiducialId, clickedInCt);
    this.events.emit('pairs', {});
  }

  touchWithStylus(fiducialId: string, slipMm: Vec3): void {
    const session = this.live();
    if (!session) return;
    const status = session.touchWithStylus(fiducialId, this.now(), slipMm);
    if (status !== 'ok')
      this.alert(`The stylus could not be read at ${fiducialId}: ${status === 'out-of-field' ? 'it is out of the tracker field' : 'no sample from the tracker'}. Touch again.`);
    this.events.emit('pairs', {});
  }

  clearPairs(): void {
    this.live()?.clearManualPairs();
    this.events.emit('pairs', {});
  }

  registerPointPairs(): ReturnType<NavigationSession['registerManualPairs']> | undefined {
    const session = this.live();
    if (!session) {
      this.alert('Manual registration needs a loaded case.');
      return undefined;
    }
    const result = session.registerManualPairs();
    if ('reason' in result) {
      this.alert(`Point-pair registration refused: ${result.reason}.`);
      return result;
    }
    if (result.outlierIndex !== undefined) {
      this.alert(
        `Fiducial ${result.ids[result.outlierIndex]} disagrees with the others (leave-one-out error ${result.leaveOneOutMm[result.outlierIndex]!.toFixed(1)} mm): pick and touch it again, or leave it out.`,
      );
    }
    this.registrationChanged(result);
    return result;
  }

  registerPlanePoint(): void {
    const session = this.live();
    if (!session) return this.alert('Plane + point registration needs a loaded case.');
    const first = [...session.manualPairs().entries()].find(([, p]) => p.ct && p.touched)?.[0];
    if (!first) return this.alert('Plane + point: first pick one skin marker on the CT and touch it with the stylus, and hold the probe axial.');
    const result = session.registerPlanePoint(first, this.now());
    if ('reason' in result) return this.alert(`Plane + point registration refused: ${result.reason}.`);
    this.registrationChanged(result);
  }

  // ——— The instructor's room ———

  /** The patient moves on the table after registration (15, −8, 5 mm and 4°: enough to see). */
  movePatient(): void {
    const session = this.session;
    if (!session) return;
    session.movePatient([15, -8, 5], 4, this.now());
    this.trackerChanged();
    this.truthChanged('pose', []);
  }

  setReferenceSensorUsed(used: boolean): void {
    this.session?.setReferenceSensorUsed(used, this.now());
    this.trackerChanged();
  }

  /** Metal 20 mm from the probe's working area: its distortion dominates near it. */
  setMetal(enabled: boolean): void {
    const session = this.session;
    if (!session) return;
    const settings = session.tracker.current();
    session.tracker.configure({ ...settings, metal: { ...settings.metal, enabled, positionInTracker: session.probeInTracker() ?? settings.metal.positionInTracker } });
    this.trackerChanged();
  }

  configureTracker(
    changes: Partial<Pick<TrackerSettings, 'jitterMm' | 'jitterDeg' | 'staticErrorMm' | 'staticErrorDeg' | 'updateRateHz' | 'latencyMs' | 'dropoutProbability'>>,
  ): void {
    const session = this.session;
    if (!session) return;
    for (const [name, value] of Object.entries(changes)) if (!Number.isFinite(value) || (value as number) < 0) return this.alert(`${name}: enter a number of at least 0.`);
    if (changes.updateRateHz !== undefined && changes.updateRateHz <= 0) return this.alert('updateRateHz: enter a rate above 0 Hz.');
    session.tracker.configure({ ...session.tracker.current(), ...changes });
    this.trackerChanged();
  }

  // ——— The tracker's clock ———

  /**
   * The tracker's clock, called by the app at (at least) the tracker's update rate: a new sample
   * recomputes the navigation, so jitter, dropouts and metal show with a still probe.
   * Returns whether a new sample was shown.
   */
  tick(): boolean {
    const session = this.session;
    this.attempt?.tick();
    if (!session) return false;
    const now = this.now();
    if (this.current && trackerSampleIndex(session, now) === this.current.sampleIndex) return false;
    this.refreshNavigation();
    return true;
  }

  // ——— Acoustic regions (the case's and the injectate) ———

  acousticRegions(): readonly AcousticRegionSpec[] {
    return this.extraRegions.length ? [...this.caseRegions, ...this.extraRegions] : this.caseRegions;
  }

  /** Injectate (live or replayed) the ultrasound sees besides the case's own regions. */
  setExtraRegions(regions: readonly AcousticRegionSpec[]): void {
    if (regions.length === 0 && this.extraRegions.length === 0) return;
    this.extraRegions = regions;
    this.events.emit('acoustic-regions', { regions: this.acousticRegions() });
  }

  // ——— Replay ———

  beginReplay(mode: GuidanceMode): void {
    this.replaying = true;
    this.events.emit('replay', { active: true });
    this.mode = mode;
    this.events.emit('mode', { mode });
  }

  /** A recorded moment: the probe and the needle where the record says (nothing is recorded). */
  showRecorded(probeToCt: Transform<'Probe', 'Ct'> | undefined, needle: RigidNeedle | undefined, regions: readonly AcousticRegionSpec[]): void {
    const session = this.session;
    if (!session || !this.replaying) return;
    const now = this.now();
    if (probeToCt) session.setProbe(probeToCt, now);
    session.setNeedleMechanics(needle, now);
    this.extraRegions = regions;
    this.events.emit('acoustic-regions', { regions: this.acousticRegions() });
    this.events.emit('pose', { timeMs: now });
    this.events.emit('needle', { timeMs: now, feedback: [] });
    this.refreshNavigation();
  }

  endReplay(): void {
    if (!this.replaying) return;
    this.replaying = false;
    this.extraRegions = [];
    this.events.emit('replay', { active: false });
    this.events.emit('acoustic-regions', { regions: this.acousticRegions() });
    // Back to the live attempt: its probe, needle and guidance where it left them.
    if (this.attempt) this.attempt.restoreLive();
    else this.truthChanged('pose', []);
  }

  // ——— Messages ———

  alert(message: string): void {
    this.events.emit('alert', { message });
  }

  cue(kind: SimulatorEventMap['cue']['kind'], text: string): void {
    this.events.emit('cue', { kind, text });
  }

  // ——— Internal ———

  /** The session when live commands are accepted (not while a recording replays). */
  private live(): NavigationSession | undefined {
    return this.replaying ? undefined : this.session;
  }

  private emitScanner(): void {
    const settings = this.scannerSettings();
    if (settings) this.events.emit('scanner', { settings });
  }

  private registrationChanged(summary: RegistrationSummary): void {
    this.events.emit('registration', { summary });
    this.attempt?.registered(summary);
    this.refreshNavigation();
  }

  private trackerChanged(): void {
    if (!this.session) return;
    this.events.emit('tracker', { settings: this.session.tracker.current() });
    this.refreshNavigation();
  }

  /** The truth changed (probe or needle): the attempt records it, views redraw, the navigation is recomputed. */
  truthChanged(kind: 'pose' | 'needle', feedback: SimulatorEventMap['needle']['feedback']): void {
    const timeMs = this.now();
    if (kind === 'pose') this.events.emit('pose', { timeMs });
    else this.events.emit('needle', { timeMs, feedback });
    if (!this.replaying) this.attempt?.truthChanged(feedback);
    this.refreshNavigation();
  }

  /** Recomputes the derived navigation once, and tells the views. */
  refreshNavigation(): void {
    const session = this.session;
    const target = this.target();
    if (!session || !target) {
      this.current = undefined;
      return;
    }
    this.current = navigationSnapshot(session, target, this.now());
    this.events.emit('navigation', { snapshot: this.current });
  }

  /** Starts (or resumes) an attempt; see Attempt. */
  startAttempt(options: ConstructorParameters<typeof Attempt>[1], resume?: ConstructorParameters<typeof Attempt>[2]): Attempt | undefined {
    if (!this.session || !this.caseFile || !this.volume) {
      this.alert('Open a case with a target and an external marker to rehearse.');
      return undefined;
    }
    if (this.replaying) return undefined;
    this.attempt?.stop();
    this.attempt = undefined;
    this.attempt = new Attempt(this, options, resume);
    // Its first sample: where the probe and the needle are as it starts.
    this.truthChanged('pose', []);
    return this.attempt;
  }
}
