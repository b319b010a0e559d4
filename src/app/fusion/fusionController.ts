import type { CaseFile } from '../../core/cases/caseFile';
import { NavigationSession } from '../../core/navigation/navigationSession';
import { moveProbe } from '../../core/navigation/probeMotion';
import type { CtVolume } from '../../core/volume/ctVolume';
import type { HuWindow } from '../../core/volume/windowPresets';
import { FusionView } from './fusionView';
import { fusionStatus } from './fusionStatus';
import { resetScannerInputs } from './scannerInputs';
import { KEY_MOVES, NEEDLE_KEYS } from './fusionKeys';
import type { FusionElements } from './fusionElements';

export type { FusionElements } from './fusionElements';
import { UltrasoundClient } from './ultrasoundClient';
import { PROBE_MODELS, type ProbeModel } from '../../core/tracking/probeModels';
import { ColourDopplerController } from './colourDopplerController';
import { resetInstructorControls, wireInstructorControls } from './instructorControls';
import type { ColourDopplerFrame } from '../../core/ultrasound/colorDoppler';
import { defaultUltrasoundSettings } from '../../core/ultrasound/synthesizeUltrasound';
import type { UltrasoundSettings } from '../../core/ultrasound/ultrasoundSettings';
import { gaugeDiameterMm } from '../../core/tracking/needleModel';
import { ManualRegistrationPanel } from './manualRegistrationPanel';
import type { Vec3 } from '../../core/geometry/vec3';
import { RoomView } from '../room/roomView';
import { needleToPlane } from '../../core/navigation/needleToPlane';
import { skinHeightfield } from '../../core/navigation/skinHeightfield';
import { probePoseInCt } from '../../core/tracking/simulatedRoom';
import { probeAxesInCt } from '../../core/navigation/probeMotion';
import { applyToPoint } from '../../core/frames/transform';
import { drawAnnotations, drawScannerMarks, type ImageAnnotations } from './imageAnnotations';
import type { ColourMapName } from './colourMaps';
import type { AcousticRegionSpec } from '../../core/ultrasound/acousticRegions';
import { caseAcousticRegions } from '../../core/cases/caseAcousticRegions';
import type { GuidanceMode } from '../../core/rehearsal/sessionRecord';


/**
 * Wires the navigation session to the page: registration buttons and readouts, probe keys,
 * and the fusion view, repainted on every pose change and as the tracker's samples arrive.
 * Records the User Timing measure `fusion-frame` (pose change → fused CT plane painted).
 */
export class FusionController {
  private session: NavigationSession | undefined;
  private window: HuWindow = { width: 400, level: 40 };
  private readonly view: FusionView;
  private readonly manual: ManualRegistrationPanel;
  private readonly room: RoomView;
  private readonly ultrasound: UltrasoundClient;
  private lastUltrasound: ImageData | undefined;
  /** What the last fused paint annotated (plane, targets, needle), drawn on the ultrasound too. */
  private annotations: ImageAnnotations | undefined;
  /** The case's vessel lumens and other acoustic overrides, for the ultrasound. */
  private acousticRegions: AcousticRegionSpec[] = [];
  /** Scanner settings the user changed, over the probe's defaults. */
  private scanner: Partial<UltrasoundSettings> = {};
  private pendingFrame = false;
  private measurePending = false;
  private ultrasoundMeasurePending = false;
  private truthChanged = false;
  private pulseTimer: ReturnType<typeof setTimeout> | undefined;
  /** For `fusion-frame-ultrasound`: the pose (its change time) the CT plane was last painted for, and an ultrasound painted before its CT plane. */
  private ctPaintedForPoseMs = -Infinity;
  private ultrasoundPaintedForPoseMs: number | undefined;
  /** Whether the last paint had a fused CT plane (registered and tracked): the annotations need it. */
  private fused = false;
  /** While a rehearsal runs, needle keys go to it (its mechanics), and it hears every change of the truth. */
  private needleDriver: ((key: string, shift: boolean) => boolean) | undefined;
  private readonly truthListeners: ((timeMs: number) => void)[] = [];
  private mode: GuidanceMode = 'fusion';
  private sessionSeed = 0;
  /** Injectate and other regions the rehearsal adds to the case's own acoustic overrides. */
  private extraRegions: readonly AcousticRegionSpec[] = [];
  private lastPoseChangeMs = 0;
  /** Colour Doppler over the ultrasound: the box, the scale, and the case's vessels with flow. */
  private readonly doppler: ColourDopplerController;

  constructor(
    private readonly elements: FusionElements,
    private readonly onAlert: (message: string) => void,
    readonly seed: number,
    crosshair: { get(): Vec3; set(p: Vec3): void },
  ) {
    this.view = new FusionView(elements.canvas);
    this.doppler = new ColourDopplerController({
      usCanvas: elements.usCanvas,
      button: elements.dopplerButton,
      scale: elements.dopplerScale,
      probe: () => (this.session ? { model: this.session.probeModel, depthMm: this.scannerSettings(this.session).depthMm } : undefined),
      // Repaint now, and keep refreshing while it is on.
      changed: (on) => {
        this.drawUltrasound();
        if (on && this.session) this.requestUltrasound(this.session);
      },
      alert: (message) => this.onAlert(message),
    });
    this.ultrasound = new UltrasoundClient((reply) => {
      const canvas = elements.usCanvas;
      if (canvas.width !== reply.columns || canvas.height !== reply.rows) {
        canvas.width = reply.columns;
        canvas.height = reply.rows;
      }
      this.lastUltrasound = new ImageData(reply.rgba, reply.columns, reply.rows);
      elements.usPreparing.hidden = true;
      this.drawUltrasound();
      // The worker's synthesis time for this frame, as a User Timing entry.
      performance.measure('ultrasound-frame', { start: performance.now() - reply.ms, duration: reply.ms });
      elements.usCanvas.dataset.frames = String(Number(elements.usCanvas.dataset.frames ?? 0) + 1);
      // Both images of that pose painted: now, or when the CT plane for it is painted if it is not yet.
      if (reply.poseChangeMark !== undefined) {
        if (this.ctPaintedForPoseMs >= reply.poseChangeMark) performance.measure('fusion-frame-ultrasound', { start: reply.poseChangeMark, end: performance.now() });
        else this.ultrasoundPaintedForPoseMs = reply.poseChangeMark;
      }
      // An artery in view beats: keep the scanner live while it shows one, at 10 frames a second
      // (enough to see a 70/min pulse; continuous frames would hold a whole core of a 2-core machine).
      // One pending refresh at most: every reply would otherwise start its own chain of them.
      // Colour Doppler shows the flow's pulsation (and the veins' phasic flow) the same way.
      if ((reply.pulsating || this.doppler.on) && this.session && this.pulseTimer === undefined) {
        this.pulseTimer = setTimeout(() => {
          this.pulseTimer = undefined;
          if (this.session) this.requestUltrasound(this.session);
        }, 100);
      }
    }, (message) => this.onAlert(`The simulated ultrasound could not compute this frame (${message}). Move the probe to try again; if it persists, reload the page (the attempt autosaves).`));
    elements.overlayOpacity.addEventListener('input', () => this.drawUltrasound());
    elements.overlayColour.addEventListener('change', () => this.drawUltrasound());
    elements.usGain.addEventListener('input', () => this.poseChanged());
    elements.scannerSettings.addEventListener('change', (event) => {
      const input = event.target as HTMLInputElement;
      const value = Number.parseFloat(input.value);
      const min = Number.parseFloat(input.min);
      const max = Number.parseFloat(input.max);
      if (!Number.isFinite(value) || value < min || value > max) return this.onAlert(`${input.name}: enter a number from ${min} to ${max}.`);
      this.scanner = { ...this.scanner, [input.name]: value };
      // A new depth re-grids both images (the ultrasound and the CT plane share the grid).
      if (input.name === 'depthMm') this.session?.setImageDepth(value);
      this.poseChanged();
    });
    this.room = new RoomView(elements.room, (point, outward) => {
      const session = this.session;
      if (!session) return;
      const array = session.probe() ? probeAxesInCt(session.probe()!).array : ([1, 0, 0] as Vec3);
      session.setProbe(probePoseInCt(point, [-outward[0], -outward[1], -outward[2]], array, session.probeModel.sensorToFaceMm), performance.now());
      this.poseChanged();
    });
    this.manual = new ManualRegistrationPanel(elements.manual, () => this.session, crosshair, () => {
      this.showReadouts();
      this.poseChanged();
    }, onAlert);
    wireInstructorControls(elements, () => this.session, () => this.poseChanged(), onAlert);
    this.view.clear('Open a case with an external marker.');
    elements.registerButton.addEventListener('click', () => this.register());
    elements.probeButton.addEventListener('click', () => this.placeProbe());
    elements.needleButton.addEventListener('click', () => this.placeNeedle());
    elements.tile.addEventListener('keydown', (event) => {
      if (this.doppler.key(event.key, event.shiftKey)) {
        event.preventDefault();
        return;
      }
      if (this.needleDriver && this.needleDriver(event.key, event.shiftKey)) {
        event.preventDefault();
        this.poseChanged();
        return;
      }
      const push = NEEDLE_KEYS[event.key];
      if (push !== undefined && this.session?.trueNeedle()) {
        event.preventDefault();
        this.session.advanceNeedle(push, performance.now());
        this.poseChanged();
        return;
      }
      const move = KEY_MOVES[event.key] ?? KEY_MOVES[event.key.toLowerCase()];
      if (!move || !this.session?.probe()) return;
      event.preventDefault();
      this.session.setProbe(moveProbe(this.session.volume, this.session.probeModel, this.session.probe()!, move), performance.now());
      this.poseChanged();
    });
    elements.tile.addEventListener('pointerdown', () => elements.tile.focus());
  }

  /** A new volume (and case): a new room, a new tracker, no registration yet. */
  open(volume: CtVolume, caseFile: CaseFile | undefined, seed = this.seed): void {
    this.session = undefined;
    this.showReadouts();
    if (!caseFile?.fiducials.marker) {
      this.elements.status.textContent = caseFile ? 'This case has no external marker' : 'No case: open a bundled case';
      this.view.clear('Open a case with an external marker to navigate.');
      return;
    }
    this.session = new NavigationSession(volume, caseFile, seed);
    this.sessionSeed = seed;
    this.acousticRegions = caseAcousticRegions(caseFile);
    this.doppler.open(volume, caseFile);
    this.ultrasound.setVolume(volume);
    this.elements.usPreparing.hidden = false;
    // The case's recommended probe is preselected; its settings start from the probe's defaults.
    this.scanner = {};
    resetScannerInputs(this.elements.scannerSettings, this.session.probeModel);
    this.session.placeProbeOverTarget(performance.now());
    const prone = caseFile.series.patientPosition.endsWith('P');
    this.room.setRoom(skinHeightfield(volume, prone), this.session.room.ctToTracker, this.session.tracker.current().workingVolume, this.session.primaryTarget(), prone);
    resetInstructorControls(this.elements, this.session);
    this.manual.render();
    this.poseChanged();
  }

  /** The navigation session of the open case (probe, needle, registration), if any. */
  current(): NavigationSession | undefined {
    return this.session;
  }

  /** Repaints everything as after a pose change (the rehearsal moved the needle or the probe). */
  refresh(): void {
    this.poseChanged();
  }

  onTruthChange(listener: (timeMs: number) => void): void {
    this.truthListeners.push(listener);
  }

  setNeedleDriver(driver: ((key: string, shift: boolean) => boolean) | undefined): void {
    this.needleDriver = driver;
  }

  /** Told of every colour Doppler frame painted (the checklist's vessel mapping listens). */
  onColourDoppler(listener: (frame: ColourDopplerFrame, model: ProbeModel) => void): void {
    this.doppler.onFrame(listener);
  }

  setExtraAcousticRegions(regions: readonly AcousticRegionSpec[]): void {
    this.extraRegions = regions;
  }

  /**
   * What the trainee sees, by guidance mode: fusion shows the ultrasound and the registered CT
   * plane with the tracked needle; ultrasound-only shows the ultrasound alone, without the
   * navigation's needle or target (only what the echoes show); CT-only shows neither: the needle
   * is seen on CT passes only.
   */
  setGuidanceMode(mode: GuidanceMode): void {
    this.mode = mode;
    this.elements.tile.dataset.mode = mode;
    this.poseChanged();
  }

  setWindow(window: HuWindow): void {
    this.window = window;
    this.poseChanged();
  }

  private register(): void {
    if (!this.session) return this.onAlert('Registration needs a case with an external marker: open one of the bundled cases.');
    const result = this.session.registerWithMarker();
    if ('reason' in result) return this.onAlert(`Automatic registration failed: ${result.reason}.`);
    this.showReadouts();
    this.poseChanged();
  }

  /** The needle's tip on the skin at the case's suggested entry, aimed at the primary target. */
  private placeNeedle(): void {
    const session = this.session;
    const entry = session?.caseFile.procedure.suggestedEntry;
    if (!session || !entry) return this.onAlert('This case suggests no entry point for the needle.');
    session.placeNeedle(entry, session.primaryTarget(), performance.now());
    this.poseChanged();
  }

  private placeProbe(): void {
    if (!this.session) return;
    if (!this.session.placeProbeOverTarget(performance.now())) this.onAlert('Could not find the skin over the target to place the probe.');
    this.poseChanged();
  }

  private showReadouts(): void {
    const summary = this.session?.registration();
    const mm = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(2)} mm`);
    this.elements.fre.textContent = mm(summary?.freMm);
    this.elements.tre.textContent = mm(summary?.predictedTreMm);
    this.elements.trueTre.textContent = mm(summary?.trueTreMm);
  }

  /** A pose (or window, or registration) changed: paint, and keep painting until the tracker's delayed samples have caught up. */
  private poseChanged(): void {
    performance.mark('fusion-pose-change');
    this.measurePending = true;
    this.ultrasoundMeasurePending = true;
    this.truthChanged = true;
    this.lastPoseChangeMs = performance.now();
    for (const listener of this.truthListeners) listener(this.lastPoseChangeMs);
    // The ultrasound comes from where the probe truly is (the CT beside it from the registration):
    // asked for at once, not at the next animation frame, so the worker starts up to 16 ms sooner.
    if (this.session) this.requestUltrasound(this.session);
    this.requestFrame();
  }

  /** Paints once per animation frame at most. */
  private requestFrame(): void {
    if (this.pendingFrame) return;
    this.pendingFrame = true;
    requestAnimationFrame(() => {
      this.pendingFrame = false;
      this.paint();
    });
  }

  private paintRoom(session: NavigationSession): void {
    const pairs = [...session.manualPairs().values()];
    const registered = session.registeredReferenceToCt();
    this.room.update({
      probeToCt: session.probe(),
      imageToCt: session.trueImageToCt(),
      model: session.probeModel,
      // Without navigation (ultrasound-only, CT-only) the room shows neither the target nor the needle inside the patient.
      target: this.mode === 'fusion' ? session.primaryTarget() : undefined,
      picked: pairs.flatMap((p) => (p.ct ? [p.ct] : [])),
      touchedInCt: pairs.filter((p) => p.ct).map((p) => (p.touched && registered ? applyToPoint(registered, p.touched) : undefined)),
      needle: this.mode === 'fusion' ? session.trueNeedle() : undefined,
      stylusTip: session.lastStylusTouch(),
    });
  }

  /**
   * The ultrasound, with the CT plane blended on top at the chosen opacity and colour map (the
   * fusion systems' overlay), then the same annotations as on the CT plane.
   */
  private drawUltrasound(): void {
    if (!this.lastUltrasound) return;
    const context = this.elements.usCanvas.getContext('2d')!;
    context.putImageData(this.lastUltrasound, 0, 0);
    const opacity = Number.parseFloat(this.elements.overlayOpacity.value);
    const overlay = opacity > 0 && this.mode === 'fusion' ? this.view.overlay(this.elements.overlayColour.value as ColourMapName) : undefined;
    if (overlay && overlay.width === this.elements.usCanvas.width && overlay.height === this.elements.usCanvas.height) {
      context.globalAlpha = opacity;
      context.drawImage(overlay, 0, 0);
      context.globalAlpha = 1;
    }
    const session = this.session;
    // The colour inside the box, for the image where the probe truly is (the ultrasound's plane).
    const truth = session?.trueImageToCt();
    if (session && truth && this.mode !== 'ct') this.doppler.paint(context, session.probeModel, truth);
    if (!this.fused && session && session.probeModel.columns === this.elements.usCanvas.width) drawScannerMarks(context, session.probeModel, this.scannerSettings(session).depthMm);
    else if (this.annotations && this.annotations.model.columns === this.elements.usCanvas.width) {
      // Without navigation (ultrasound-only guidance) the scanner shows its depth scale and marker, nothing from the CT.
      drawAnnotations(context, this.mode === 'fusion' ? this.annotations : { ...this.annotations, targets: [], needle: undefined, inPlane: undefined });
    }
  }

  private scannerSettings(session: NavigationSession): UltrasoundSettings {
    // The probe's own defaults (its default depth), not those of the grid of the current depth.
    return { ...defaultUltrasoundSettings(PROBE_MODELS[session.probeModel.id], session.caseFile.procedure.probe.gainDb), ...this.scanner };
  }

  /** Asks the worker for the ultrasound where the probe truly is (the CT beside it follows the registration). */
  private requestUltrasound(session: NavigationSession): void {
    const truth = session.trueImageToCt();
    if (!truth) return;
    const settings = this.scannerSettings(session);
    const needle = session.trueNeedle();
    this.ultrasound.request(
      truth,
      session.probeModel,
      { ...settings, gainDb: settings.gainDb + Number.parseFloat(this.elements.usGain.value) },
      needle ? { ...needle, diameterMm: gaugeDiameterMm(session.needleModel.gauge) } : undefined,
      this.extraRegions.length ? [...this.acousticRegions, ...this.extraRegions] : this.acousticRegions,
      this.ultrasoundMeasurePending ? this.lastPoseChangeMs : undefined,
    );
    this.ultrasoundMeasurePending = false;
  }

  private paint(): void {
    const session = this.session;
    if (!session) return;
    const now = performance.now();
    // The room and the ultrasound show the truth, which changes only with a pose change; the
    // repaints that follow (the tracker's delayed samples arriving) only move the fused CT plane.
    if (this.truthChanged) {
      this.truthChanged = false;
      this.paintRoom(session);
    }
    const fused = session.fusedImageToCt(now);
    this.fused = fused.imageToCt !== undefined;
    if (!fused.imageToCt) {
      this.elements.status.textContent = fusionStatus(this.mode, fused.status);
      this.view.clear(this.elements.status.textContent ?? '');
      if (fused.status === 'missing') this.requestFrame();
      return;
    }
    const targets = session.caseFile.targets.map((t) => ({ centre: t.centre, radiusMm: t.acceptanceRadiusMm }));
    const fusedNeedle = session.fusedNeedle(now);
    const inPlane = fusedNeedle ? needleToPlane(fusedNeedle, fused.imageToCt) : undefined;
    this.annotations = this.view.render(session.volume, session.probeModel, fused.imageToCt, this.window, {
      depthMm: this.scannerSettings(session).depthMm,
      targets,
      ...(fusedNeedle ? { needle: fusedNeedle } : {}),
      ...(inPlane ? { inPlane } : {}),
    });
    this.drawUltrasound();
    const scanner = this.scannerSettings(session);
    this.elements.status.textContent = fusionStatus(this.mode, 'ok', { scanner: { type: session.probeModel.type, frequencyMHz: scanner.frequencyMHz, depthMm: scanner.depthMm }, seed: this.sessionSeed, ...(inPlane ? { inPlane } : {}) });
    if (this.measurePending) {
      performance.measure('fusion-frame', 'fusion-pose-change');
      this.measurePending = false;
    }
    this.ctPaintedForPoseMs = this.lastPoseChangeMs;
    if (this.ultrasoundPaintedForPoseMs !== undefined && this.ultrasoundPaintedForPoseMs <= this.ctPaintedForPoseMs) {
      performance.measure('fusion-frame-ultrasound', { start: this.ultrasoundPaintedForPoseMs, end: performance.now() });
      this.ultrasoundPaintedForPoseMs = undefined;
    }
    // The tracker reports each pose after its latency and holds it for one period: repaint until then.
    const { latencyMs, updateRateHz } = session.tracker.current();
    if (now < this.lastPoseChangeMs + latencyMs + 2000 / updateRateHz) this.requestFrame();
    this.elements.tile.dataset.frames = String(Number(this.elements.tile.dataset.frames ?? 0) + 1);
  }
}
