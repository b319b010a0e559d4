/// <reference lib="webworker" />
/**
 * Synthesises ultrasound frames off the main thread. Receives the CT once, then frame requests
 * (the probe's TRUE ImageToCt, the probe model at its depth's grid, and settings); answers each with the grey image.
 * The page sends a new request only when the previous one came back, so stale poses are dropped.
 */
import { transformOf } from '../../core/frames/transform';
import type { ProbeModel } from '../../core/tracking/probeModels';
import { synthesizeUltrasound, type NeedleInCt } from '../../core/ultrasound/synthesizeUltrasound';
import type { UltrasoundSettings } from '../../core/ultrasound/ultrasoundSettings';
import type { CtVolume } from '../../core/volume/ctVolume';
import type { AcousticRegionSpec } from '../../core/ultrasound/acousticRegions';

export type WorkerRequest =
  | { readonly kind: 'volume'; readonly volume: CtVolume }
  | { readonly kind: 'frame'; readonly id: number; readonly imageToCt: number[]; /** The probe with its image grid for the depth (probeAtDepth). */ readonly model: ProbeModel; readonly settings: UltrasoundSettings; readonly needle?: NeedleInCt; readonly media: { readonly regions: readonly AcousticRegionSpec[]; readonly timeMs: number }; readonly poseChangeMark?: number };

export type WorkerReply = { readonly kind: 'frame'; readonly id: number; /** The image as RGBA (grey), columns × rows × 4. */ readonly rgba: Uint8ClampedArray<ArrayBuffer>; readonly columns: number; readonly rows: number; readonly ms: number; readonly pulsating: boolean; readonly poseChangeMark?: number };

let volume: CtVolume | undefined;

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.kind === 'volume') {
    volume = request.volume;
    return;
  }
  if (!volume) return;
  const started = performance.now();
  const model = request.model;
  const frame = synthesizeUltrasound(volume, transformOf('Image', 'Ct', request.imageToCt), model, request.settings, request.needle, request.media);
  // Grey to RGBA here, off the page's thread: the page wraps the buffer in an ImageData as it is.
  const rgba = new Uint8ClampedArray(frame.image.length * 4);
  const words = new Uint32Array(rgba.buffer);
  // Little-endian RGBA: alpha in the top byte (every browser this app supports is little-endian).
  for (let p = 0; p < frame.image.length; p++) words[p] = 0xff000000 | (frame.image[p]! * 0x010101);
  const reply: WorkerReply = { kind: 'frame', id: request.id, rgba, columns: model.columns, rows: model.rows, ms: performance.now() - started, pulsating: frame.pulsating, ...(request.poseChangeMark !== undefined ? { poseChangeMark: request.poseChangeMark } : {}) };
  (self as unknown as Worker).postMessage(reply, [rgba.buffer]);
};
