import type { ProbeModel } from '../tracking/probeModels';
import type { UltrasoundSettings } from './ultrasoundSettings';
import { toDisplayGrey } from './displayMap';

/**
 * Where each display pixel falls among the scan lines and samples: computed once per probe and
 * depth/line/sample count (the costly atan2 and square roots), then reused for every frame.
 */
interface ScanConversion {
  readonly pixel: Int32Array;
  readonly base: Int32Array;
  readonly weights: Float32Array;
}
const conversions = new Map<string, ScanConversion>();
/** Conversions kept (a few depths and probes): each holds a few MB for a large grid. */
const MAX_CONVERSIONS = 6;

function scanConversion(model: ProbeModel, lines: number, samples: number, depthMm: number): ScanConversion {
  // The grid too: a re-gridded probe (probeAtDepth) has the same id with other columns, rows and scale.
  const key = `${model.id}/${model.columns}x${model.rows}@${model.mmPerPixel}/${lines}/${samples}/${depthMm}`;
  const cached = conversions.get(key);
  if (cached) return cached;
  const pixel: number[] = [];
  const base: number[] = [];
  const weights: number[] = [];
  const stepMm = depthMm / samples;
  const centre = (model.columns - 1) / 2;
  for (let row = 0; row < model.rows; row++) {
    for (let column = 0; column < model.columns; column++) {
      const x = (column - centre) * model.mmPerPixel;
      const y = row * model.mmPerPixel;
      let line: number;
      let depth: number;
      if (model.type === 'linear') {
        line = ((x + model.footprintWidthMm / 2) / model.footprintWidthMm) * lines - 0.5;
        depth = y;
      } else {
        const dy = y + model.radiusMm;
        const theta = (Math.atan2(x, dy) * 180) / Math.PI;
        line = ((theta + model.sectorDeg / 2) / model.sectorDeg) * lines - 0.5;
        depth = Math.hypot(x, dy) - model.radiusMm;
      }
      const sampleIndex = depth / stepMm;
      if (line < -0.5 || line > lines - 0.5 || sampleIndex < 0 || sampleIndex > samples - 1) continue;
      const l0 = Math.max(0, Math.min(lines - 2, Math.floor(line)));
      const s0 = Math.min(samples - 2, Math.floor(sampleIndex));
      pixel.push(row * model.columns + column);
      base.push(l0 * samples + s0);
      weights.push(Math.min(1, Math.max(0, line - l0)), sampleIndex - s0);
    }
  }
  const conversion = { pixel: Int32Array.from(pixel), base: Int32Array.from(base), weights: Float32Array.from(weights) };
  if (conversions.size >= MAX_CONVERSIONS) conversions.delete(conversions.keys().next().value!);
  conversions.set(key, conversion);
  return conversion;
}

/** Maps the line data onto the probe's pixel grid (bilinear in line and depth), 0 outside the field. */
export function scanConvert(lineDb: Float32Array, model: ProbeModel, settings: UltrasoundSettings, samples: number): Uint8ClampedArray {
  const { lines, depthMm, dynamicRangeDb } = settings;
  const image = new Uint8ClampedArray(model.columns * model.rows);
  const { pixel, base, weights } = scanConversion(model, lines, samples, depthMm);
  for (let n = 0; n < pixel.length; n++) {
    const b = base[n]!;
    const fl = weights[2 * n]!;
    const fs = weights[2 * n + 1]!;
    const near = lineDb[b]! * (1 - fs) + lineDb[b + 1]! * fs;
    const far = lineDb[b + samples]! * (1 - fs) + lineDb[b + samples + 1]! * fs;
    image[pixel[n]!] = toDisplayGrey(near * (1 - fl) + far * fl, dynamicRangeDb);
  }
  return image;
}
