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
let scratch: { I: Float32Array; Q: Float32Array; transmission: Float32Array } | undefined;
/** Scatterer lattice spacing, mm: about a quarter of the 3.5 MHz wavelength, finer than the PSF. */
const SPECKLE_CELL_MM = 0.2;
const DEAD_ZONE = 0.012;
/** The first sample above this HU (below fat's −100) starts the tissue along a scan line. */
const SKIN_ENTRY_HU = -150;
/** Two-way amplitude below which a line is silent from there on (1e-8: −160 dB). */
const SILENT_TRANSMISSION = 1e-8;
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
  const active: { region: AcousticRegion; from: number; to: number; inside: boolean; next: number }[] = [];
  let pulsating = false;
  const table = (sharedTable ??= acousticTable());
  const { lines, samples } = settings;
  const stepMm = settings.depthMm / samples;
  const f = settings.frequencyMHz;
  const lambdaMm = 1.54 / f;
  // Compare impedance over about one CT voxel along the beam.
  const lag = Math.max(1, Math.round(Math.min(...volume.geometry.spacingMm) / stepMm));
  // In-phase and quadrature echoes, line-major: scratch reused from frame to frame (zeroed: a
  // line that ends early in a shadow leaves the rest silent).
  if (!scratch || scratch.I.length !== lines * samples) scratch = { I: new Float32Array(lines * samples), Q: new Float32Array(lines * samples), transmission: new Float32Array(lines * samples) };
  const { I, Q } = scratch;
  // Two-way transmission down to each sample: what reaches an object there and comes back (the needle's echo too).
  const reach = scratch.transmission;
  I.fill(0);
  Q.fill(0);
  reach.fill(0);
  // Two-way amplitude loss per sample for each HU.
  const attenuationFactor = table.attenuationDbPerCmMHz.map((alpha) => 10 ** ((-2 * alpha * f * (stepMm / 10)) / 20));
  const sample = trilinearSampler(volume);
  const [nx, ny, nz] = volume.geometry.dimensions;
  const sliceSize = nx * ny;
  const voxels = volume.huVoxels;
  // A volume of one slice (or one row) takes the shared sampler's special cases.
  const fast = nx > 1 && ny > 1 && nz > 1;
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
      active.push({ region, from: range[0], to: range[1], inside: false, next: 0 });
      if (region.pulsates) pulsating = true;
    }
    // The samples inside the volume: outside it is air, and inside no bounds check is needed.
    const [sFrom, sTo] = fast ? samplesInside(ijk0, [di, dj, dk], samples, volume.geometry.dimensions) : [0, samples - 1];
    for (let s = 0; s < samples; s++) {
      let hu: number;
      if (s < sFrom || s > sTo) {
        // Beyond the CT there is no data, not air: a line that leaves the volume in tissue ends silent.
        if (inTissue) break;
        hu = -1000;
      } else if (fast) {
        // Trilinear HU, inlined (the shared sampler's closure and bounds checks cost a third of the march).
        const i = ijk0[0] + di * s;
        const j = ijk0[1] + dj * s;
        const k = ijk0[2] + dk * s;
        const i0 = Math.min(i | 0, nx - 2);
        const j0 = Math.min(j | 0, ny - 2);
        const k0 = Math.min(k | 0, nz - 2);
        const fi = i - i0;
        const fj = j - j0;
        const fk = k - k0;
        const b = i0 + j0 * nx + k0 * sliceSize;
        const c00 = voxels[b]! + (voxels[b + 1]! - voxels[b]!) * fi;
        const c10 = voxels[b + nx]! + (voxels[b + nx + 1]! - voxels[b + nx]!) * fi;
        const c01 = voxels[b + sliceSize]! + (voxels[b + sliceSize + 1]! - voxels[b + sliceSize]!) * fi;
        const c11 = voxels[b + sliceSize + nx]! + (voxels[b + sliceSize + nx + 1]! - voxels[b + sliceSize + nx]!) * fi;
        const c0 = c00 + (c10 - c00) * fj;
        hu = c0 + (c01 + (c11 - c01) * fj - c0) * fk;
      } else {
        const value = sample(ijk0[0] + di * s, ijk0[1] + dj * s, ijk0[2] + dk * s);
        if (value === undefined && inTissue) break;
        hu = value ?? -1000;
      }
      // Air between the face and the skin is coupling gel, partial-volume air at the skin too
      // (otherwise the skin's air/tissue ramp reflects and shadows each line differently).
      if (!inTissue) {
        if (hu > SKIN_ENTRY_HU) inTissue = true;
        else hu = 0;
      }
      let override: AcousticRegion | undefined;
      let wall = 0;
      for (let a = 0; a < active.length; a++) {
        const entry = active[a]!;
        if (s < entry.from || s > entry.to || s < entry.next) continue;
        const p: Vec3 = [origin[0] + step[0] * s, origin[1] + step[1] * s, origin[2] + step[2] * s];
        const distance = entry.region.shape.distance(p) - entry.region.growMm;
        // Outside by d mm: no sample closer than d can be inside (the distance bounds it), so skip ahead.
        if (distance > stepMm) entry.next = s + Math.floor(distance / stepMm);
        // An injectate or a lumen never replaces bone it overlaps (a sphere of gas at a bony margin).
        const inside = hu < BONE_KEEPS_HU && distance < 0;
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
      reach[l * samples + s] = transmission;
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
      // Deep in a shadow nothing returns that the display could show (below −160 dB even after
      // the deepest TGC and the highest gain): the rest of the line stays silent.
      if (transmission < SILENT_TRANSMISSION) break;
    }
    if (gasSample > 0) addDirtyShadow(I, Q, l, samples, gasSample, gasEcho);
  }
  if (needle) addNeedleEchoes(I, Q, reach, needle, model, imageToCt, lines, samples, stepMm);
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
  // TGC and gain per depth, once; the envelope's dB as 10·log10(I² + Q²) (one logarithm, no hypot).
  const offsetDb = new Float32Array(samples);
  for (let s = 0; s < samples; s++) offsetDb[s] = settings.tgc * 2 * TGC_ALPHA * f * ((s * stepMm) / 10) + settings.gainDb;
  const TEN_OVER_LN10 = 10 / Math.LN10;
  for (let l = 0; l < lines; l++) {
    for (let s = 0; s < samples; s++) {
      const k = l * samples + s;
      const i = I[k]!;
      const q = Q[k]!;
      // 20·log10(|e| + 1e-9) ≈ 10·log10(|e|² + 1e-18) where it matters (|e| ≫ 1e-9).
      lineDb[k] = TEN_OVER_LN10 * Math.log(i * i + q * q + 1e-18) + offsetDb[s]!;
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

/** The first and last sample index whose CtIjk lies within [0, n − 1] on every axis (from > to when none). */
function samplesInside(start: readonly number[], step: readonly number[], samples: number, dimensions: readonly number[]): [number, number] {
  let from = 0;
  let to = samples - 1;
  for (let axis = 0; axis < 3; axis++) {
    const c = start[axis]!;
    const d = step[axis]!;
    const max = dimensions[axis]! - 1;
    if (Math.abs(d) < 1e-12) {
      if (c < 0 || c > max) return [1, 0];
      continue;
    }
    const a = (0 - c) / d;
    const b = (max - c) / d;
    from = Math.max(from, Math.ceil(Math.min(a, b)));
    to = Math.min(to, Math.floor(Math.max(a, b)));
  }
  return [from, to];
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
 * lattice of SPECKLE_CELL_MM, interpolated linearly inside one of the six tetrahedra that split
 * each lattice cube (Kuhn's triangulation: sort the fractions; four corners, not eight, so half the
 * hashing of trilinear). The field is continuous and fixed to the tissue, so the speckle moves
 * with the anatomy however the scan lines sample it.
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
  // The path from corner (0,0,0) to (1,1,1) steps along the axes in order of decreasing fraction:
  // the first step's axis (a), then the second's added (b); f1 ≥ f2 ≥ f3 the sorted fractions.
  let ax = 0, ay = 0, az = 0, bx = 0, by = 0, bz = 0, f1: number, f2: number, f3: number;
  if (fx >= fy && fx >= fz) {
    ax = 1;
    f1 = fx;
    if (fy >= fz) { bx = 1; by = 1; f2 = fy; f3 = fz; } else { bx = 1; bz = 1; f2 = fz; f3 = fy; }
  } else if (fy >= fz) {
    ay = 1;
    f1 = fy;
    if (fx >= fz) { bx = 1; by = 1; f2 = fx; f3 = fz; } else { by = 1; bz = 1; f2 = fz; f3 = fx; }
  } else {
    az = 1;
    f1 = fz;
    if (fx >= fy) { bx = 1; bz = 1; f2 = fx; f3 = fy; } else { by = 1; bz = 1; f2 = fy; f3 = fx; }
  }
  const w0 = 1 - f1;
  const w1 = f1 - f2;
  const w2 = f2 - f3;
  const w3 = f3;
  const h0 = latticeHash(x0, y0, z0);
  const h1 = latticeHash(x0 + ax, y0 + ay, z0 + az);
  const h2 = latticeHash(x0 + bx, y0 + by, z0 + bz);
  const h3 = latticeHash(x0 + 1, y0 + 1, z0 + 1);
  // Interpolating white noise lowers its variance between lattice points (to 1/4 at a
  // tetrahedron's centre), which would band the image along lattice-aligned scan lines: restore
  // unit variance.
  const norm = 1 / Math.sqrt(w0 * w0 + w1 * w1 + w2 * w2 + w3 * w3);
  // Low 16 bits for I, high 16 for Q, each uniform in [−1, 1).
  out[0] = (w0 * ((h0 & 0xffff) / 0x8000 - 1) + w1 * ((h1 & 0xffff) / 0x8000 - 1) + w2 * ((h2 & 0xffff) / 0x8000 - 1) + w3 * ((h3 & 0xffff) / 0x8000 - 1)) * norm;
  out[1] = (w0 * ((h0 >>> 16) / 0x8000 - 1) + w1 * ((h1 >>> 16) / 0x8000 - 1) + w2 * ((h2 >>> 16) / 0x8000 - 1) + w3 * ((h3 >>> 16) / 0x8000 - 1)) * norm;
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
  // Up to 9 taps (σ ≤ 1.6 samples, every probe's usual case) the kernel is centred in nine
  // locals and the sum unrolled: a loop over a kernel array cost three times as much.
  if (kernel.length <= 9) {
    const k9 = new Float64Array(9);
    k9.set(kernel, (9 - kernel.length) / 2);
    const [k0, k1, k2, k3, k4, k5, k6, k7, k8] = k9 as unknown as [number, number, number, number, number, number, number, number, number];
    const padded = new Float32Array(samples + 8);
    for (let l = 0; l < lines; l++) {
      const offset = l * samples;
      padded.set(data.subarray(offset, offset + samples), 4);
      padded.fill(data[offset]!, 0, 4);
      padded.fill(data[offset + samples - 1]!, 4 + samples);
      for (let s = 0; s < samples; s++) {
        data[offset + s] =
          k0 * padded[s]! + k1 * padded[s + 1]! + k2 * padded[s + 2]! + k3 * padded[s + 3]! + k4 * padded[s + 4]! + k5 * padded[s + 5]! + k6 * padded[s + 6]! + k7 * padded[s + 7]! + k8 * padded[s + 8]!;
      }
    }
    return;
  }
  const taps = kernel.length;
  const radius = (taps - 1) / 2;
  // Each line copied once into a row padded with its edge values: no clamping in the inner loop.
  const padded = new Float32Array(samples + 2 * radius);
  for (let l = 0; l < lines; l++) {
    const offset = l * samples;
    padded.set(data.subarray(offset, offset + samples), radius);
    padded.fill(data[offset]!, 0, radius);
    padded.fill(data[offset + samples - 1]!, radius + samples);
    for (let s = 0; s < samples; s++) {
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += kernel[k]! * padded[s + k]!;
      data[offset + s] = acc;
    }
  }
}

/**
 * Lateral blur across lines, its width a function of depth (sample index): a Gaussian of that
 * σ approximated by three box filters in turn (running sums: a cost independent of σ, where a
 * direct kernel of up to 31 taps at each depth cost more than the rest of the frame).
 */
function blurLateral(I: Float32Array, Q: Float32Array, lines: number, samples: number, sigmaAt: (sample: number) => number): void {
  const radii = new Int32Array(3 * samples);
  for (let s = 0; s < samples; s++) boxRadiiForGaussian(Math.min(sigmaAt(s), 6), radii, 3 * s);
  const row = new Float32Array(lines);
  const out = new Float32Array(lines);
  for (const data of [I, Q]) {
    for (let s = 0; s < samples; s++) {
      if (radii[3 * s]! + radii[3 * s + 1]! + radii[3 * s + 2]! === 0) continue;
      for (let l = 0; l < lines; l++) row[l] = data[l * samples + s]!;
      for (let pass = 0; pass < 3; pass++) {
        const r = radii[3 * s + pass]!;
        if (r === 0) continue;
        boxBlur(row, out, lines, r);
        row.set(out);
      }
      for (let l = 0; l < lines; l++) data[l * samples + s] = row[l]!;
    }
  }
}

/**
 * Radii of three successive box filters whose combination has a standard deviation close to σ
 * (a box of width w = 2r + 1 has variance (w² − 1)/12; the radii split 3σ² between them).
 */
function boxRadiiForGaussian(sigma: number, out: Int32Array, at: number): void {
  if (sigma < 0.3) {
    out.fill(0, at, at + 3);
    return;
  }
  const ideal = Math.sqrt((12 * sigma * sigma) / 3 + 1);
  const low = Math.max(1, Math.floor(ideal) - (Math.floor(ideal) % 2 === 0 ? 1 : 0));
  const high = low + 2;
  // How many of the three passes use the narrower box so the variances add up to σ².
  const m = Math.round((12 * sigma * sigma - 3 * low * low - 12 * low - 9) / (-4 * low - 4));
  for (let pass = 0; pass < 3; pass++) out[at + pass] = ((pass < m ? low : high) - 1) / 2;
}

/** Moving average of radius r (edge values repeated), from `row` into `out`. */
function boxBlur(row: Float32Array, out: Float32Array, n: number, r: number): void {
  const last = n - 1;
  let acc = row[0]! * (r + 1);
  for (let j = 1; j <= r; j++) acc += row[Math.min(j, last)]!;
  const scale = 1 / (2 * r + 1);
  for (let i = 0; i < n; i++) {
    out[i] = acc * scale;
    acc += row[Math.min(i + r + 1, last)]! - row[Math.max(i - r, 0)]!;
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
function addNeedleEchoes(I: Float32Array, Q: Float32Array, twoWay: Float32Array, needle: NeedleInCt, model: ProbeModel, imageToCt: Transform<'Image', 'Ct'>, lines: number, samples: number, stepMm: number): void {
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
      // A needle in a shadow (behind bone or gas) returns nothing: the echo travels the same path.
      const amplitude = (t >= length - needle.diameterMm ? 0.35 : specular) * weight * twoWay[l * samples + s]!;
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
