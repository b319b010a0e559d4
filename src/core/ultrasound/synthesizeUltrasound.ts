import type { Vec3 } from '../geometry/vec3';
import type { Transform } from '../frames/transform';
import type { CtVolume } from '../volume/ctVolume';
import { ctToCtIjk } from '../volume/volumeGeometry';
import { trilinearSampler } from '../volume/trilinearSampler';
import type { ProbeModel } from '../tracking/probeModels';
import { acousticTable, HU_MAX, HU_MIN, type AcousticTable } from './acousticProperties';
import { sampleCountFor, type UltrasoundSettings } from './ultrasoundSettings';
import { acousticRegionsAt, sampleRangeInBounds, type AcousticRegion, type AcousticRegionSpec } from './acousticRegions';
import { scatterers } from './speckleField';
import { blurAxial, blurLateral } from './pointSpreadFunction';
import { scanConvert } from './scanConversion';
import { addNeedleEchoes, type NeedleInCt } from './needleEchoes';
import { addDirtyShadow } from './gasReverberation';
import { lineSpacingMm, scanLine } from './scanGeometry';

export type { NeedleInCt } from './needleEchoes';
export { scanLine } from './scanGeometry';

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
let attenuationCache: { key: string; factor: Float32Array } | undefined;
let scratch: { I: Float32Array; Q: Float32Array; transmission: Float32Array } | undefined;
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


export function synthesizeUltrasound(
  volume: CtVolume,
  imageToCt: Transform<'Image', 'Ct'>,
  model: ProbeModel,
  settings: UltrasoundSettings,
  needle?: NeedleInCt,
  media?: { readonly regions: readonly AcousticRegionSpec[]; readonly timeMs: number },
): UltrasoundFrame {
  const regions = media ? acousticRegionsAt(media.regions, media.timeMs) : [];
  const active: { region: AcousticRegion; from: number; to: number; inside: boolean; next: number; loss: number }[] = [];
  let pulsating = false;
  const table = (sharedTable ??= acousticTable());
  const lines = settings.lines;
  const samples = settings.samples ?? sampleCountFor(settings.depthMm, settings.frequencyMHz);
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
  const perSampleLoss = (alphaDbPerCmMHz: number) => 10 ** ((-2 * alphaDbPerCmMHz * f * (stepMm / 10)) / 20);
  // The table for this frequency and sample step, computed once, not every frame.
  const attenuationKey = `${f}/${stepMm}`;
  if (attenuationCache?.key !== attenuationKey) attenuationCache = { key: attenuationKey, factor: table.attenuationDbPerCmMHz.map(perSampleLoss) };
  const attenuationFactor = attenuationCache.factor;
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
      active.push({ region, from: range[0], to: range[1], inside: false, next: 0, loss: perSampleLoss(region.attenuationDbPerCmMHz) });
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
      let overrideLoss: number | undefined;
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
        if (inside) {
          override = entry.region;
          overrideLoss = entry.loss;
        }
      }
      if (override?.hu !== undefined) hu = override.hu;
      const index = Math.min(HU_MAX, Math.max(HU_MIN, Math.round(hu))) - HU_MIN;
      const z = table.impedance[index]!;
      const zBefore = zHistory[s % lag]!;
      zHistory[s % lag] = z;
      let r = (z - zBefore) / (z + zBefore);
      if (Math.abs(r) < DEAD_ZONE) r = 0;
      r += wall;
      const e = override?.echogenicity ?? table.echogenicity[index]!;
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
      transmission *= (1 - r * r) * (overrideLoss ?? attenuationFactor[index]!);
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
  return { image: scanConvert(lineDb, model, settings, samples), lineDb, lines, samples, pulsating };
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

/** Settings a scan starts with for a probe: its frequency and depth, focus at mid-depth. */
export function defaultUltrasoundSettings(model: ProbeModel): UltrasoundSettings {
  // Gains that put muscle speckle mid-grey at mid-depth with each probe's PSF and frequency.
  return { frequencyMHz: model.frequencyMHz, depthMm: model.depthMm, gainDb: model.type === 'linear' ? 12 : 22, dynamicRangeDb: 60, tgc: 1, focusDepthMm: model.depthMm / 2, lines: 256 };
}
