import type { ManualRegistrationElements } from './manualRegistrationPanel';

/** The page's elements the fusion view drives (ids in index.html, wired in main.ts). */
export interface FusionElements {
  readonly tile: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly status: HTMLElement;
  readonly registerButton: HTMLButtonElement;
  readonly probeButton: HTMLButtonElement;
  readonly fre: HTMLElement;
  readonly tre: HTMLElement;
  readonly trueTre: HTMLElement;
  readonly manual: ManualRegistrationElements;
  readonly movePatientButton: HTMLButtonElement;
  readonly referenceSensor: HTMLInputElement;
  readonly metalToggle: HTMLInputElement;
  readonly room: HTMLElement;
  readonly needleButton: HTMLButtonElement;
  readonly trackerSettings: HTMLFieldSetElement;
  readonly usCanvas: HTMLCanvasElement;
  readonly overlayOpacity: HTMLInputElement;
  readonly overlayColour: HTMLSelectElement;
  readonly usGain: HTMLInputElement;
  /** Shown from a new CT's arrival until its first ultrasound frame (the workers denoise it first). */
  readonly usPreparing: HTMLElement;
  readonly scannerSettings: HTMLFieldSetElement;
  /** Colour Doppler on/off (aria-pressed), and its velocity scale (cm/s). */
  readonly dopplerButton: HTMLButtonElement;
  readonly dopplerScale: HTMLInputElement;
}
