/// <reference lib="webworker" />
/**
 * Synthesises scan lines of ultrasound frames off the main thread. Receives the CT once, then
 * requests for a range of scan lines of a frame (the probe's TRUE ImageToCt, the probe model at
 * its depth's grid, and settings); answers each with those lines' echo levels (dB), or with the
 * error that stopped it. Several of these workers share a frame (ultrasoundClient).
 */
import { transformOf } from '../../core/frames/transform';
import type { ProbeModel } from '../../core/tracking/probeModels';
import type { NeedleInCt } from '../../core/ultrasound/synthesizeUltrasound';
import { cpuSynthesizer, type UltrasoundSynthesizer } from '../../core/ultrasound/ultrasoundSynthesizer';
import type { UltrasoundSettings } from '../../core/ultrasound/ultrasoundSettings';
import type { CtVolume } from '../../core/volume/ctVolume';
import { denoisedVolume } from '../../core/ultrasound/denoisedVolume';
import type { AcousticRegionSpec } from '../../core/ultrasound/acousticRegions';

export interface FrameRequest {
  readonly imageToCt: number[];
  /** The probe with its image grid for the depth (probeAtDepth). */
  readonly model: ProbeModel;
  readonly settings: UltrasoundSettings;
  readonly needle?: NeedleInCt;
  /** The acoustic regions, or undefined: the same as the last request's (a region grid can be a megabyte). */
  readonly media: { readonly regions?: readonly AcousticRegionSpec[]; readonly timeMs: number };
}

export type WorkerRequest =
  { readonly kind: 'volume'; readonly volume: CtVolume } | ({ readonly kind: 'lines'; readonly id: number; readonly lineFrom: number; readonly lineTo: number } & FrameRequest);

export type LinesReply =
  | {
      readonly kind: 'lines';
      readonly id: number;
      readonly lineFrom: number;
      readonly lineTo: number;
      /** dB, (lineTo − lineFrom) × samples, line-major. */ readonly db: Float32Array<ArrayBuffer>;
      readonly pulsating: boolean;
      readonly ms: number;
    }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };

let volume: CtVolume | undefined;
let regions: readonly AcousticRegionSpec[] = [];
const synthesizer: UltrasoundSynthesizer = cpuSynthesizer;

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.kind === 'volume') {
    volume = request.volume;
    // The denoised CT the synthesis reads, made now (about 1 s for 20 M voxels) rather than at the first frame.
    denoisedVolume(volume);
    return;
  }
  const post = (reply: LinesReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(reply, transfer);
  if (!volume) {
    post({ kind: 'error', id: request.id, message: 'no CT has reached the ultrasound worker yet' });
    return;
  }
  if (request.media.regions) regions = request.media.regions;
  try {
    const started = performance.now();
    const { db, pulsating } = synthesizer.lineDb(
      volume,
      transformOf('Image', 'Ct', request.imageToCt),
      request.model,
      request.settings,
      request.lineFrom,
      request.lineTo,
      request.needle,
      { regions, timeMs: request.media.timeMs },
    );
    const out = new Float32Array(db);
    post({ kind: 'lines', id: request.id, lineFrom: request.lineFrom, lineTo: request.lineTo, db: out, pulsating, ms: performance.now() - started }, [out.buffer]);
  } catch (error) {
    post({ kind: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
  }
};
