import type { Transform } from '../../core/frames/transform';
import type { CaseFile } from '../../core/cases/caseFile';
import type { ProbeModel } from '../../core/tracking/probeModels';
import type { CtVolume } from '../../core/volume/ctVolume';
import { caseDopplerVessels, type DopplerVessel } from '../../core/ultrasound/colorDopplerFlow';
import type { ColourDopplerFrame } from '../../core/ultrasound/colorDoppler';
import { shadowTest } from '../../core/ultrasound/colorDopplerShadow';
import { DopplerOverlay } from './dopplerOverlay';

/** What the colour Doppler needs of the fusion view: its elements, the probe in use and its depth, and how to repaint. */
export interface ColourDopplerHost {
  readonly usCanvas: HTMLCanvasElement;
  readonly button: HTMLButtonElement;
  readonly scale: HTMLInputElement;
  /** The probe at its depth's grid and the depth in use, when a session is open. */
  probe(): { model: ProbeModel; depthMm: number } | undefined;
  /** Doppler switched, its box moved or its scale changed: repaint the ultrasound, and keep it refreshing while on. */
  changed(on: boolean): void;
  alert(message: string): void;
}

/**
 * Colour Doppler over the ultrasound: the toggle (button and key C), the box (DopplerOverlay),
 * the velocity scale input, the case's vessels with flow and the CT's shadows, and the listeners
 * told of every frame painted (the checklist's vessel mapping).
 */
export class ColourDopplerController {
  private readonly overlay: DopplerOverlay;
  private vessels: DopplerVessel[] = [];
  private shadow: ReturnType<typeof shadowTest> | undefined;
  private readonly listeners: ((frame: ColourDopplerFrame, model: ProbeModel) => void)[] = [];

  constructor(private readonly host: ColourDopplerHost) {
    this.overlay = new DopplerOverlay(
      host.usCanvas,
      () => host.probe(),
      () => this.changed(),
    );
    host.button.addEventListener('click', () => this.overlay.toggle());
    host.scale.addEventListener('change', () => {
      const value = Number.parseFloat(host.scale.value);
      const min = Number.parseFloat(host.scale.min);
      const max = Number.parseFloat(host.scale.max);
      if (!Number.isFinite(value) || value < min || value > max) return host.alert(`Velocity scale: enter a number from ${min} to ${max} cm/s.`);
      this.overlay.settings = { ...this.overlay.settings, scaleCmS: value, wallFilterCmS: Math.max(1, 0.075 * value) };
      this.changed();
    });
  }

  get on(): boolean {
    return this.overlay.on;
  }

  /** A new CT and case: their vessels with flow, and where bone or gas shadows them. */
  open(volume: CtVolume, caseFile: CaseFile | undefined): void {
    this.vessels = caseFile ? caseDopplerVessels(caseFile) : [];
    this.shadow = shadowTest(volume);
  }

  /** Key C toggles; the box's keys move and resize it. True when the key was the Doppler's. */
  key(key: string, shift: boolean): boolean {
    if (key === 'c' || key === 'C') {
      this.overlay.toggle();
      return true;
    }
    return this.overlay.key(key, shift);
  }

  onFrame(listener: (frame: ColourDopplerFrame, model: ProbeModel) => void): void {
    this.listeners.push(listener);
  }

  /** The colour inside the box for the image where the probe truly is (`imageToCt`), when the grids agree. */
  paint(context: CanvasRenderingContext2D, model: ProbeModel, imageToCt: Transform<'Image', 'Ct'>): void {
    if (!this.overlay.on) return;
    if (model.columns !== this.host.usCanvas.width || model.rows !== this.host.usCanvas.height) return;
    const frame = this.overlay.compute(model, imageToCt, this.vessels, performance.now(), this.shadow);
    if (!frame) return;
    this.overlay.paint(context, model);
    for (const listener of this.listeners) listener(frame, model);
  }

  private changed(): void {
    this.host.button.setAttribute('aria-pressed', String(this.overlay.on));
    this.host.usCanvas.dataset.doppler = this.overlay.on ? 'on' : 'off';
    this.host.changed(this.overlay.on);
  }
}
