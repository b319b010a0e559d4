import type { Transform } from '../frames/transform';
import type { ProbeModel } from '../tracking/probeModels';
import type { CtVolume } from '../volume/ctVolume';
import type { UltrasoundSettings } from './ultrasoundSettings';
import { synthesizeLineDb, type NeedleInCt, type UltrasoundMedia } from './synthesizeUltrasound';

/**
 * One interface for every way of computing the ultrasound: the echo level (dB after TGC and gain)
 * of scan lines [from, to) of a frame, line-major. The CPU path below is the reference
 * implementation (what the tests measure); another path (a GPU one) must give the same image.
 */
export interface UltrasoundSynthesizer {
  readonly name: string;
  lineDb(
    volume: CtVolume,
    imageToCt: Transform<'Image', 'Ct'>,
    model: ProbeModel,
    settings: UltrasoundSettings,
    from: number,
    to: number,
    needle?: NeedleInCt,
    media?: UltrasoundMedia,
  ): { readonly db: Float32Array; readonly pulsating: boolean };
}

export const cpuSynthesizer: UltrasoundSynthesizer = { name: 'CPU (reference)', lineDb: synthesizeLineDb };
