import type { SimulatorState } from '../../core/simulation/simulatorState';
import type { NavigationSnapshot } from '../../core/simulation/navigationSnapshot';
import { gaugeDiameterMm } from '../../core/tracking/needleModel';
import { ColourDopplerController } from './colourDopplerController';
import type { ColourMapName } from './colourMaps';
import { FusionView } from './fusionView';
import { fusionStatus } from './fusionStatus';
import { drawAnnotations, drawScannerMarks, type ImageAnnotations } from './imageAnnotations';
import { UltrasoundClient } from './ultrasoundClient';
import { setText } from '../ui/throttled';

/** The elements of one fused pair (the ultrasound and the CT at the tracked plane) and its controls. */
export interface FusionPaneElements {
  readonly tile: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly status: HTMLElement;
  readonly usCanvas: HTMLCanvasElement;
  /** Shown from a new CT's arrival until its first ultrasound frame (the workers denoise it first). */
  readonly usPreparing: HTMLElement;
  readonly overlayOpacity: HTMLInputElement;
  readonly overlayColour: HTMLSelectElement;
  readonly dopplerButton: HTMLButtonElement;
  readonly dopplerScale: HTMLInputElement;
}

/**
 * One fused view, drawn from the state: the simulated ultrasound where the probe truly is (asked of
 * the workers when the truth, the scanner or the acoustic regions change — never for a window or
 * tracker sample), and beside it the CT at the navigated plane with the tracked needle (repainted
 * for each navigation snapshot, once per animation frame at most). Any number can be made, each
 * with its own elements. Records the User Timing measures `fusion-frame` (pose change → CT plane
 * painted) and `fusion-frame-ultrasound` (pose change → both painted).
 */
export class FusionPane {
  private readonly view: FusionView;
  private readonly ultrasound: UltrasoundClient;
  readonly doppler: ColourDopplerController;
  private lastUltrasound: ImageData | undefined;
  private annotations: ImageAnnotations | undefined;
  private fused = false;
  private pendingFrame = false;
  private pulseTimer: ReturnType<typeof setTimeout> | undefined;
  private lastPoseChangeMs = 0;
  private ctMeasurePending = false;
  private ultrasoundMarkPending = false;
  private ctPaintedForPoseMs = -Infinity;
  private ultrasoundPaintedForPoseMs: number | undefined;

  constructor(
    private readonly elements: FusionPaneElements,
    private readonly state: SimulatorState,
  ) {
    this.view = new FusionView(elements.canvas);
    this.doppler = new ColourDopplerController({
      usCanvas: elements.usCanvas,
      button: elements.dopplerButton,
      scale: elements.dopplerScale,
      probe: () => {
        const settings = state.scannerSettings();
        return state.session && settings ? { model: state.session.probeModel, depthMm: settings.depthMm } : undefined;
      },
      changed: (on) => {
        this.drawUltrasound();
        if (on) this.requestUltrasound();
      },
      alert: (message) => state.alert(message),
    });
    this.ultrasound = new UltrasoundClient(
      (reply) => {
        const canvas = elements.usCanvas;
        if (canvas.width !== reply.columns || canvas.height !== reply.rows) {
          canvas.width = reply.columns;
          canvas.height = reply.rows;
        }
        this.lastUltrasound = new ImageData(reply.rgba, reply.columns, reply.rows);
        elements.usPreparing.hidden = true;
        this.drawUltrasound();
        performance.measure('ultrasound-frame', { start: performance.now() - reply.ms, duration: reply.ms });
        canvas.dataset.frames = String(Number(canvas.dataset.frames ?? 0) + 1);
        if (reply.poseChangeMark !== undefined) {
          if (this.ctPaintedForPoseMs >= reply.poseChangeMark) performance.measure('fusion-frame-ultrasound', { start: reply.poseChangeMark, end: performance.now() });
          else this.ultrasoundPaintedForPoseMs = reply.poseChangeMark;
        }
        // An artery in view beats, and colour Doppler shows the flow's pulsation: keep the scanner
        // live at 10 frames a second (enough to see a 70/min pulse; continuous frames would hold a
        // whole core of a 2-core machine). One pending refresh at most.
        if ((reply.pulsating || this.doppler.on) && state.session && this.pulseTimer === undefined) {
          this.pulseTimer = setTimeout(() => {
            this.pulseTimer = undefined;
            this.requestUltrasound();
          }, 100);
        }
      },
      (message) => state.alert(`The simulated ultrasound could not compute this frame (${message}). It has been restarted; move the probe to try again. Your attempt autosaves.`),
    );
    elements.overlayOpacity.addEventListener('input', () => this.drawUltrasound());
    elements.overlayColour.addEventListener('change', () => this.drawUltrasound());
    this.view.clear('Open a case to navigate.');

    const events = state.events;
    events.on('opened', ({ volume, caseFile, session, reason }) => {
      this.ultrasound.reset();
      this.lastUltrasound = undefined;
      this.annotations = undefined;
      this.fused = false;
      const context = elements.usCanvas.getContext('2d')!;
      context.fillStyle = '#000';
      context.fillRect(0, 0, elements.usCanvas.width, elements.usCanvas.height);
      this.doppler.open(volume, caseFile);
      if (!session) {
        elements.usPreparing.hidden = true;
        elements.status.textContent = reason ?? '';
        this.view.clear(`${reason ?? 'No case'}.`);
        return;
      }
      this.ultrasound.setVolume(volume);
      elements.usPreparing.hidden = false;
    });
    const truth = () => {
      performance.mark('fusion-pose-change');
      this.lastPoseChangeMs = performance.now();
      this.ctMeasurePending = true;
      this.ultrasoundMarkPending = true;
      this.requestUltrasound();
    };
    events.on('pose', truth);
    events.on('needle', truth);
    events.on('scanner', () => this.requestUltrasound());
    events.on('acoustic-regions', () => this.requestUltrasound());
    events.on('mode', ({ mode }) => {
      elements.tile.dataset.mode = mode;
      this.drawUltrasound();
      this.requestFrame();
    });
    // A new tracker sample alone (jitter, dropouts, metal) repaints the CT at most 20 times a second;
    // a pose change paints at the next frame. The main thread shares the cores with the ultrasound.
    events.on('navigation', () => (this.ctMeasurePending ? this.requestFrame() : this.requestTrackerFrame()));
    events.on('window', () => this.requestFrame());
  }

  /** The pane was resized (a layout switch): redraw both images and their text at the new size. */
  refresh(): void {
    this.drawUltrasound();
    this.requestFrame();
  }

  /**
   * Asks the workers for the ultrasound where the probe truly is — at once, before the attempt
   * records the change, so the workers start as early as possible (the client keeps only the
   * newest request while a frame computes).
   */
  private requestUltrasound(): void {
    const session = this.state.session;
    const settings = this.state.scannerSettings();
    const truth = session?.trueImageToCt();
    if (!session || !settings || !truth) return;
    const needle = session.trueNeedle();
    this.ultrasound.request(
      truth,
      session.probeModel,
      settings,
      needle ? { ...needle, diameterMm: gaugeDiameterMm(session.needleModel.gauge) } : undefined,
      this.state.acousticRegions(),
      this.ultrasoundMarkPending ? this.lastPoseChangeMs : undefined,
    );
    this.ultrasoundMarkPending = false;
  }

  private trackerFrameTimer: ReturnType<typeof setTimeout> | undefined;
  private lastPaintMs = -Infinity;

  private requestTrackerFrame(): void {
    if (this.trackerFrameTimer !== undefined || this.pendingFrame) return;
    this.trackerFrameTimer = setTimeout(
      () => {
        this.trackerFrameTimer = undefined;
        this.requestFrame();
      },
      Math.max(0, this.lastPaintMs + TRACKER_REPAINT_MS - performance.now()),
    );
  }

  private requestFrame(): void {
    if (this.pendingFrame) return;
    this.pendingFrame = true;
    requestAnimationFrame(() => {
      this.pendingFrame = false;
      this.paint();
    });
  }

  /** The ultrasound, the CT plane blended on it at the chosen opacity and colour map, colour Doppler, then the annotations. */
  private drawUltrasound(): void {
    if (!this.lastUltrasound) return;
    const canvas = this.elements.usCanvas;
    const context = canvas.getContext('2d')!;
    context.putImageData(this.lastUltrasound, 0, 0);
    const mode = this.state.mode;
    const opacity = Number.parseFloat(this.elements.overlayOpacity.value);
    const overlay = opacity > 0 && mode === 'fusion' && this.fused ? this.view.overlay(this.elements.overlayColour.value as ColourMapName) : undefined;
    if (overlay && overlay.width === canvas.width && overlay.height === canvas.height) {
      context.globalAlpha = opacity;
      context.drawImage(overlay, 0, 0);
      context.globalAlpha = 1;
    }
    const session = this.state.session;
    const truth = session?.trueImageToCt();
    if (session && truth && mode !== 'ct') this.doppler.paint(context, session.probeModel, truth);
    const settings = this.state.scannerSettings();
    if (!this.fused && session && settings && session.probeModel.columns === canvas.width) drawScannerMarks(context, session.probeModel, settings.depthMm);
    else if (this.annotations && this.annotations.model.columns === canvas.width) {
      // Without navigation (ultrasound-only guidance) the scanner shows its depth scale and marker, nothing from the CT.
      drawAnnotations(context, mode === 'fusion' ? this.annotations : { ...this.annotations, targets: [], needle: undefined, inPlane: undefined });
    }
  }

  private paint(): void {
    this.lastPaintMs = performance.now();
    const session = this.state.session;
    const snapshot = this.state.snapshot;
    const settings = this.state.scannerSettings();
    if (!session || !snapshot || !settings) return;
    const mode = this.state.mode;
    const navigated = snapshot.navigated;
    this.fused = navigated.imageToCt !== undefined;
    const scanner = { type: session.probeModel.type, frequencyMHz: settings.frequencyMHz, depthMm: settings.depthMm };
    setText(this.elements.status, fusionStatus(mode, navigated.status, { scanner, seed: session.seed, navigated }));
    if (!navigated.imageToCt) {
      this.view.clear(this.elements.status.textContent ?? '');
      this.drawUltrasound();
      return;
    }
    const targets = session.caseFile.targets.map((t) => ({ centre: t.centre, radiusMm: t.acceptanceRadiusMm }));
    this.annotations = this.view.render(session.volume, session.probeModel, navigated.imageToCt, this.state.window, {
      depthMm: settings.depthMm,
      targets,
      ...(navigated.needle ? { needle: navigated.needle } : {}),
      ...(navigated.needleToPlane ? { inPlane: navigated.needleToPlane } : {}),
    });
    this.drawUltrasound();
    this.measure(snapshot);
    this.elements.tile.dataset.frames = String(Number(this.elements.tile.dataset.frames ?? 0) + 1);
  }

  private measure(snapshot: NavigationSnapshot): void {
    // The CT plane counts as painted for a pose once the navigation shows a sample taken after it.
    if (!this.ctMeasurePending || snapshot.timeMs < this.lastPoseChangeMs) return;
    performance.measure('fusion-frame', 'fusion-pose-change');
    // The mark served its measure: marks and measures would otherwise pile up over a long session.
    performance.clearMarks('fusion-pose-change');
    trimMeasures();
    this.ctMeasurePending = false;
    this.ctPaintedForPoseMs = this.lastPoseChangeMs;
    if (this.ultrasoundPaintedForPoseMs !== undefined && this.ultrasoundPaintedForPoseMs <= this.ctPaintedForPoseMs) {
      performance.measure('fusion-frame-ultrasound', { start: this.ultrasoundPaintedForPoseMs, end: performance.now() });
      this.ultrasoundPaintedForPoseMs = undefined;
    }
  }
}

/** The fused CT repaints for tracker samples alone at most this often, ms. */
const TRACKER_REPAINT_MS = 50;

/** User Timing keeps every entry: past this many per name, the older ones are dropped (benchmarks read them as they go). */
const MAX_MEASURES = 2000;
function trimMeasures(): void {
  for (const name of ['fusion-frame', 'fusion-frame-ultrasound', 'ultrasound-frame'])
    if (performance.getEntriesByName(name, 'measure').length > MAX_MEASURES) performance.clearMeasures(name);
}
