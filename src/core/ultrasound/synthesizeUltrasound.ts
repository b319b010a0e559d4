import type { Vec3 } from '../geometry/vec3';
import { applyToPoint, type Transform } from '../frames/transform';
import type { CtVolume } from '../volume/ctVolume';
import { ctToCtIjk } from '../volume/volumeGeometry';
import { trilinearSampler } from '../volume/trilinearSampler';
import type { ProbeModel } from '../tracking/probeModels';
import { acousticTable, HU_MAX, HU_MIN, type AcousticTable } from './acousticProperties';
import type { UltrasoundSettings } from './ultrasoundSettings';
import { acousticRegionsAt, sampleRangeInBounds, type AcousticRegion, type AcousticRegionSpec } from './acousticRegions';

/**
 * B-mode ultrasound synthesised from the CT along the probe's image plane (the model of
 * ../shared/design/ultrasound.md): per scan line, reflection from the impedance step over about
 * one CT voxel (directional, so oblique interfaces echo less), two-way transmission loss with a
 * complete shadow behind bone and gas, frequency-dependent attenuation, tissue-anchored speckle
 * (hashed per 0.1 mm cell of patient space, so it moves with the anatomy), a Gaussian PSF
 * (axial from the wavelength, lateral widening away from the focus), TGC, gain, log compression
 * over the dynamic range, then scan conversion to the probe's image grid.
 */
export interface UltrasoundFrame {
  /** Display grey levels on the probe's image grid (columns × rows), 0 outside the field of view. */
  readonly image: Uint8ClampedArray;
  /** Echo level after TGC and gain, dB, per scan line (lines × samples, line-major). */
  readonly lineDb: Float32Array;
  readonly lines: number;
  readonly samples: number;
  /** A pulsating region (an artery) lies in the image: the picture changes even while the probe is still. */
  readonly pulsating: boolean;
}

let sharedTable: AcousticTable | undefined;
/** Scatterer lattice spacing, mm: about a quarter of the 3.5 MHz wavelength, finer than the PSF. */
const SPECKLE_CELL_MM = 0.2;
const DEAD_ZONE = 0.012;
/** The first sample above this HU (below fat's −100) starts the tissue along a scan line. */
const SKIN_ENTRY_HU = -150;
/** Acoustic overrides leave voxels above this HU (bone) as they are. */
const BONE_KEEPS_HU = 200;
const ROUGH_SURFACE = 0.15;
/** Scatterer amplitude relative to a unit reflection, before the tissue's echogenicity. */
const SPECKLE = 0.05;
/** Soft-tissue attenuation the TGC compensates, dB/cm/MHz. */
const TGC_ALPHA = 0.9;

/** A needle in the patient (Ct mm) for the ultrasound to show, with its outer diameter. */
export interface NeedleInCt {
  readonly tip: Vec3;
  readonly hub: Vec3;
  readonly diameterMm: number;
}

export function synthesizeUltrasound(
  volume: CtVolume,
  imageToCt: Transform<'Image', 'Ct'>,
  model: ProbeModel,
  settings: UltrasoundSettings,
  needle?: NeedleInCt,
  media?: { readonly regions: readonly AcousticRegionSpec[]; readonly timeMs: number },
): UltrasoundFrame {
  const regions = media ? acousticRegionsAt(media.regions, media.timeMs) : [];
  const active: { region: AcousticRegion; from: number; to: number; inside: boolean }[] = [];
  let pulsating = false;
  const table = (sharedTable ??= acousticTable());
  const { lines, samples } = settings;
  const stepMm = settings.depthMm / samples;
  const f = settings.frequencyMHz;
  const lambdaMm = 1.54 / f;
  // Compare impedance over about one CT voxel along the beam.
  const lag = Math.max(1, Math.round(Math.min(...volume.geometry.spacingMm) / stepMm));
  const I = new Float32Array(lines * samples);
  const Q = new Float32Array(lines * samples);
  // Two-way amplitude loss per sample for each HU.
  const attenuationFactor = table.attenuationDbPerCmMHz.map((alpha) => 10 ** ((-2 * alpha * f * (stepMm / 10)) / 20));
  const sample = trilinearSampler(volume);
  const scatter = new Float64Array(2);
  const zHistory = new Float32Array(lag);
  for (let l = 0; l < lines; l++) {
    const { origin, step } = scanLine(model, imageToCt, l, lines, stepMm);
    // March in CtIjk (affine), and in Ct for the speckle cells: no allocation per sample.
    const ijk0 = ctToCtIjk(volume.geometry, origin);
    const ijk1 = ctToCtIjk(volume.geometry, [origin[0] + step[0], origin[1] + step[1], origin[2] + step[2]]);
    const di = ijk1[0] - ijk0[0];
    const dj = ijk1[1] - ijk0[1];
    const dk = ijk1[2] - ijk0[2];
    let transmission = 1;
    let inTissue = false;
    zHistory.fill(1.5);
    let gasSample = -1;
    let gasEcho = 0;
    active.length = 0;
    for (const region of regions) {
      const range = sampleRangeInBounds(region, origin, step, samples);
      if (!range) continue;
      active.push({ region, from: range[0], to: range[1], inside: false });
      if (region.pulsates) pulsating = true;
    }
    for (let s = 0; s < samples; s++) {
      let hu = sample(ijk0[0] + di * s, ijk0[1] + dj * s, ijk0[2] + dk * s) ?? -1000;
      // Air between the face and the skin is coupling gel, partial-volume air at the skin too
      // (otherwise the skin's air/tissue ramp reflects and shadows each line differently).
      if (!inTissue) {
        if (hu > SKIN_ENTRY_HU) inTissue = true;
        else hu = 0;
      }
      let override: AcousticRegion | undefined;
      let wall = 0;
      for (const entry of active) {
        if (s < entry.from || s > entry.to) continue;
        const p: Vec3 = [origin[0] + step[0] * s, origin[1] + step[1] * s, origin[2] + step[2] * s];
        // An injectate or a lumen never replaces bone it overlaps (a sphere of gas at a bony margin).
        const inside = hu < BONE_KEEPS_HU && entry.region.shape.distance(p) < entry.region.growMm;
        if (inside !== entry.inside) wall += entry.region.wallEcho;
        entry.inside = inside;
        if (inside) override = entry.region;
      }
      if (override?.hu !== undefined) hu = override.hu;
      const index = Math.min(HU_MAX, Math.max(HU_MIN, Math.round(hu))) - HU_MIN;
      const z = table.impedance[index]!;
      const zBefore = zHistory[s % lag]!;
      zHistory[s % lag] = z;
      let r = (z - zBefore) / (z + zBefore);
      if (Math.abs(r) < DEAD_ZONE) r = 0;
      r += wall;
      const e = override ? override.echogenicity : table.echogenicity[index]!;
      scatterers(origin[0] + step[0] * s, origin[1] + step[1] * s, origin[2] + step[2] * s, scatter);
      const nI = scatter[0]!;
      const nQ = scatter[1]!;
      I[l * samples + s] = (r + SPECKLE * e * nI) * transmission;
      Q[l * samples + s] = SPECKLE * e * nQ * transmission;
      // The first gas interface (tissue over air: a near-total reflection to an impedance below
      // 0.1 MRayl) leaves a "dirty" shadow: its echo rings between the probe face and the gas.
      if (gasSample < 0 && z < 0.1 && r < -0.8) {
        gasSample = s;
        gasEcho = Math.abs(r) * transmission;
      }
      transmission *= (1 - r * r) * (override ? 10 ** ((-2 * override.attenuationDbPerCmMHz * f * (stepMm / 10)) / 20) : attenuationFactor[index]!);
      if (Math.abs(r) > ROUGH_SURFACE) transmission *= 0.35;
    }
    if (gasSample > 0) addDirtyShadow(I, Q, l, samples, gasSample, gasEcho);
  }
  if (needle) addNeedleEchoes(I, Q, needle, model, imageToCt, lines, samples, stepMm);
  // PSF: axial FWHM ≈ 1.5 λ, lateral FWHM ≈ 1.2 λ F# (F# 2.5) at the focus, widening away from it.
  const axialSigma = (1.5 * lambdaMm) / 2.355 / stepMm;
  blurAxial(I, lines, samples, axialSigma);
  blurAxial(Q, lines, samples, axialSigma);
  const lateralFwhmAtFocus = 1.2 * lambdaMm * 2.5;
  blurLateral(I, Q, lines, samples, (s) => {
    const depth = s * stepMm;
    const widening = 1 + Math.abs(depth - settings.focusDepthMm) / Math.max(10, settings.focusDepthMm);
    return (lateralFwhmAtFocus * widening) / 2.355 / lineSpacingMm(model, lines, depth);
  });
  const lineDb = new Float32Array(lines * samples);
  for (let l = 0; l < lines; l++) {
    for (let s = 0; s < samples; s++) {
      const k = l * samples + s;
      const envelope = Math.hypot(I[k]!, Q[k]!);
      const tgcDb = settings.tgc * 2 * TGC_ALPHA * f * ((s * stepMm) / 10);
      lineDb[k] = 20 * Math.log10(envelope + 1e-9) + tgcDb + settings.gainDb;
    }
  }
  return { image: scanConvert(lineDb, model, settings), lineDb, lines, samples, pulsating };
}

/**
 * Behind gas the shadow is "dirty": the gas echo bounces between the probe face and the gas, so
 * copies of it recur at multiples of the gas depth (A-lines), each weaker (×0.45), and a faint
 * ring-down haze (0.4 % of the echo, fading over 2 cm) fills the shadow instead of black.
 */
function addDirtyShadow(I: Float32Array, Q: Float32Array, line: number, samples: number, gasSample: number, echo: number): void {
  const base = line * samples;
  for (let k = 2; k * gasSample < samples; k++) {
    const at = base + k * gasSample;
    I[at] = I[at]! + echo * 0.45 ** (k - 1);
  }
  for (let s = gasSample + 1; s < samples; s++) {
    const fade = Math.exp(-(s - gasSample) / (samples * 0.13));
    // A deterministic pattern per depth (the ring-down is coherent along the line, not speckle).
    const ripple = 0.5 + 0.5 * Math.cos(s * 1.7 + line * 0.3);
    I[base + s] = I[base + s]! + echo * 0.004 * fade * ripple;
  }
}

/** Origin (Ct) and per-sample step (Ct) of scan line `l` of `lines`. */
export function scanLine(model: ProbeModel, imageToCt: Transform<'Image', 'Ct'>, l: number, lines: number, stepMm: number): { origin: Vec3; step: Vec3 } {
  const s = model.mmPerPixel;
  const centre = (model.columns - 1) / 2;
  const toCt = (xMm: number, yMm: number) => applyToPoint(imageToCt, [xMm / s + centre, yMm / s, 0]);
  let start: [number, number];
  let direction: [number, number];
  if (model.type === 'linear') {
    start = [-model.footprintWidthMm / 2 + ((l + 0.5) / lines) * model.footprintWidthMm, 0];
    direction = [0, 1];
  } else {
    const theta = ((-model.sectorDeg / 2 + ((l + 0.5) / lines) * model.sectorDeg) * Math.PI) / 180;
    direction = [Math.sin(theta), Math.cos(theta)];
    start = [model.radiusMm * direction[0], model.radiusMm * direction[1] - model.radiusMm];
  }
  const origin = toCt(start[0], start[1]);
  const next = toCt(start[0] + direction[0] * stepMm, start[1] + direction[1] * stepMm);
  return { origin, step: [next[0] - origin[0], next[1] - origin[1], next[2] - origin[2]] };
}

function lineSpacingMm(model: ProbeModel, lines: number, depthMm: number): number {
  if (model.type === 'linear') return model.footprintWidthMm / lines;
  return ((model.radiusMm + depthMm) * ((model.sectorDeg * Math.PI) / 180)) / lines;
}

/** A 32-bit hash of an integer lattice point: two 16-bit scatterer amplitudes. */
function latticeHash(x: number, y: number, z: number): number {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(z, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Scatterer amplitudes (I, Q in [−1, 1]) at a point of patient space (Ct mm): random values on a
 * lattice of SPECKLE_CELL_MM, interpolated trilinearly. The field is continuous and fixed to the
 * tissue, so the speckle moves with the anatomy however the scan lines sample it.
 */
function scatterers(x: number, y: number, z: number, out: Float64Array): void {
  const gx = x / SPECKLE_CELL_MM;
  const gy = y / SPECKLE_CELL_MM;
  const gz = z / SPECKLE_CELL_MM;
  const x0 = Math.floor(gx);
  const y0 = Math.floor(gy);
  const z0 = Math.floor(gz);
  const fx = gx - x0;
  const fy = gy - y0;
  const fz = gz - z0;
  let i = 0;
  let q = 0;
  for (let c = 0; c < 8; c++) {
    const dx = c & 1;
    const dy = (c >> 1) & 1;
    const dz = c >> 2;
    const w = (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy) * (dz ? fz : 1 - fz);
    const h = latticeHash(x0 + dx, y0 + dy, z0 + dz);
    i += w * ((h & 0xffff) / 0x8000 - 1);
    q += w * (((h >>> 16) & 0xffff) / 0x8000 - 1);
  }
  // Interpolating white noise lowers its variance between lattice points (to 1/8 at a cell's
  // centre), which would band the image along lattice-aligned scan lines: restore unit variance.
  const norm = 1 / Math.sqrt((fx * fx + (1 - fx) ** 2) * (fy * fy + (1 - fy) ** 2) * (fz * fz + (1 - fz) ** 2));
  out[0] = i * norm;
  out[1] = q * norm;
}

function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(2.5 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp((-i * i) / (2 * sigma * sigma));
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  return kernel;
}

function blurAxial(data: Float32Array, lines: number, samples: number, sigma: number): void {
  if (sigma < 0.3) return;
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) / 2;
  const row = new Float32Array(samples);
  for (let l = 0; l < lines; l++) {
    row.set(data.subarray(l * samples, (l + 1) * samples));
    for (let s = 0; s < samples; s++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) acc += kernel[k + radius]! * row[Math.min(samples - 1, Math.max(0, s + k))]!;
      data[l * samples + s] = acc;
    }
  }
}

/** Lateral blur across lines, its width a function of depth (sample index). */
function blurLateral(I: Float32Array, Q: Float32Array, lines: number, samples: number, sigmaAt: (sample: number) => number): void {
  const column = new Float32Array(lines);
  const kernels = new Map<number, Float32Array>();
  for (const data of [I, Q]) {
    for (let s = 0; s < samples; s += 1) {
      const sigma = Math.round(Math.min(sigmaAt(s), 6) * 10) / 10;
      if (sigma < 0.3) continue;
      let kernel = kernels.get(sigma);
      if (!kernel) kernels.set(sigma, (kernel = gaussianKernel(sigma)));
      const radius = (kernel.length - 1) / 2;
      for (let l = 0; l < lines; l++) column[l] = data[l * samples + s]!;
      for (let l = 0; l < lines; l++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) acc += kernel[k + radius]! * column[Math.min(lines - 1, Math.max(0, l + k))]!;
        data[l * samples + s] = acc;
      }
    }
  }
}

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

function scanConversion(model: ProbeModel, lines: number, samples: number, depthMm: number): ScanConversion {
  const key = `${model.id}/${lines}/${samples}/${depthMm}`;
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
  conversions.set(key, conversion);
  return conversion;
}

/** Maps the line data onto the probe's pixel grid (bilinear in line and depth), 0 outside the field. */
function scanConvert(lineDb: Float32Array, model: ProbeModel, settings: UltrasoundSettings): Uint8ClampedArray {
  const { lines, samples, depthMm, dynamicRangeDb } = settings;
  const image = new Uint8ClampedArray(model.columns * model.rows);
  const { pixel, base, weights } = scanConversion(model, lines, samples, depthMm);
  const scale = 255 / dynamicRangeDb;
  for (let n = 0; n < pixel.length; n++) {
    const b = base[n]!;
    const fl = weights[2 * n]!;
    const fs = weights[2 * n + 1]!;
    const near = lineDb[b]! * (1 - fs) + lineDb[b + 1]! * fs;
    const far = lineDb[b + samples]! * (1 - fs) + lineDb[b + samples + 1]! * fs;
    image[pixel[n]!] = (near * (1 - fl) + far * fl + dynamicRangeDb) * scale;
  }
  return image;
}

/** Settings a scan starts with for a probe: its frequency and depth, focus at mid-depth. */
export function defaultUltrasoundSettings(model: ProbeModel): UltrasoundSettings {
  // Gains that put muscle speckle mid-grey at mid-depth with each probe's PSF and frequency.
  return { frequencyMHz: model.frequencyMHz, depthMm: model.depthMm, gainDb: model.type === 'linear' ? 12 : 22, dynamicRangeDb: 60, tgc: 1, focusDepthMm: model.depthMm / 2, lines: 256, samples: 512 };
}

/** Elevation beam full width at half maximum, mm: thin for the linear probe, thicker for the curvilinear. */
const elevationFwhmMm = (model: ProbeModel) => (model.type === 'linear' ? 1.2 : 3);

/**
 * The needle's echoes (design notes, step 5): a specular shaft echo 0.9·(sin φ)⁸ + 0.03, φ the
 * angle between beam and shaft (brightest when perpendicular), a tip echo of 0.35, weighted by
 * the elevation beam exp(−e²/2σ²) of the out-of-plane distance e; six reverberations one diameter
 * apart, ×0.55 each, below the shaft; a faint shadow (×(1 − 0.3·weight)) behind it.
 */
function addNeedleEchoes(I: Float32Array, Q: Float32Array, needle: NeedleInCt, model: ProbeModel, imageToCt: Transform<'Image', 'Ct'>, lines: number, samples: number, stepMm: number): void {
  const axis: Vec3 = [needle.tip[0] - needle.hub[0], needle.tip[1] - needle.hub[1], needle.tip[2] - needle.hub[2]];
  const length = Math.hypot(...axis);
  if (length === 0) return;
  const unit: Vec3 = [axis[0] / length, axis[1] / length, axis[2] / length];
  const sigma = elevationFwhmMm(model) / 2.355;
  const reach = needle.diameterMm / 2 + stepMm;
  for (let l = 0; l < lines; l++) {
    const { origin, step } = scanLine(model, imageToCt, l, lines, stepMm);
    const beam: Vec3 = [step[0] / stepMm, step[1] / stepMm, step[2] / stepMm];
    const cosAngle = Math.abs(beam[0] * unit[0] + beam[1] * unit[1] + beam[2] * unit[2]);
    const specular = 0.9 * Math.sqrt(1 - cosAngle * cosAngle) ** 8 + 0.03;
    // Elevation direction: perpendicular to the image plane.
    for (let s = 0; s < samples; s++) {
      const p: Vec3 = [origin[0] + step[0] * s, origin[1] + step[1] * s, origin[2] + step[2] * s];
      const fromHub: Vec3 = [p[0] - needle.hub[0], p[1] - needle.hub[1], p[2] - needle.hub[2]];
      const t = Math.max(0, Math.min(length, fromHub[0] * unit[0] + fromHub[1] * unit[1] + fromHub[2] * unit[2]));
      const closest: Vec3 = [needle.hub[0] + unit[0] * t, needle.hub[1] + unit[1] * t, needle.hub[2] + unit[2] * t];
      const offset: Vec3 = [p[0] - closest[0], p[1] - closest[1], p[2] - closest[2]];
      // Split the offset into along-beam/in-plane part and the elevation part.
      const distance = Math.hypot(...offset);
      const elevation = elevationDistance(offset, imageToCt);
      const inPlane = Math.sqrt(Math.max(0, distance * distance - elevation * elevation));
      if (inPlane > reach) continue;
      const weight = Math.exp((-elevation * elevation) / (2 * sigma * sigma));
      if (weight < 0.01) continue;
      const amplitude = (t >= length - needle.diameterMm ? 0.35 : specular) * weight;
      const k = l * samples + s;
      I[k] = I[k]! + amplitude;
      for (let echo = 1; echo <= 6; echo++) {
        const at = s + Math.round((echo * needle.diameterMm) / stepMm);
        if (at >= samples) break;
        I[l * samples + at] = I[l * samples + at]! + amplitude * 0.55 ** echo;
      }
      for (let behind = s + 1; behind < samples; behind++) {
        I[l * samples + behind] = I[l * samples + behind]! * (1 - 0.3 * weight);
        Q[l * samples + behind] = Q[l * samples + behind]! * (1 - 0.3 * weight);
      }
      break; // one echo per line (the near wall)
    }
  }
}

/** Out-of-plane (elevation) component of a Ct offset, for the image plane of `imageToCt`. */
function elevationDistance(offset: Vec3, imageToCt: Transform<'Image', 'Ct'>): number {
  const m = imageToCt.matrix;
  const x: Vec3 = [m[0]!, m[4]!, m[8]!];
  const y: Vec3 = [m[1]!, m[5]!, m[9]!];
  const n: Vec3 = [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]];
  const size = Math.hypot(...n);
  return Math.abs((offset[0] * n[0] + offset[1] * n[1] + offset[2] * n[2]) / size);
}
