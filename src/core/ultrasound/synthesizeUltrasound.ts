import type { Transform } from '../frames/transform';
import type { CtVolume } from '../volume/ctVolume';
import { ctIjkToCt } from '../volume/volumeGeometry';
import type { ProbeModel } from '../tracking/probeModels';
import { acousticTable, HU_MAX, HU_MIN, type AcousticTable } from './acousticProperties';
import { axialPsfFwhmMm, sampleCountFor, type UltrasoundSettings } from './ultrasoundSettings';
import { acousticRegionsAt, sampleRangeInBounds, type AcousticRegion, type AcousticRegionSpec } from './acousticRegions';
import { speckleAt, speckleFrame } from './speckleField';
import { blurAxial, blurLateral } from './pointSpreadFunction';
import { scanConvert } from './scanConversion';
import { addNeedleEchoes, type NeedleInCt } from './needleEchoes';
import { addDirtyShadow } from './gasReverberation';
import { lineSpacingMm, scanLine } from './scanGeometry';
import { denoisedVolume } from './denoisedVolume';
import { elevationAveragedHu } from './elevationAveragedHu';
import { imageNormal, incidenceCosine, voxelAlongBeamMm, wallIncidenceCosine } from './interfaceGeometry';
import { TISSUE_LABEL_STEP_MM, TISSUE_MEDIA, tissueLabels, type ActiveRegion } from './regionsAlongLine';
import { elevationFwhmMm, elevationSigmaMm, elevationTaps } from './elevationBeam';
import { REFERENCE_DB, receiverNoise, tgcDb } from './receiver';
import { tissueTexture, textureContext } from './tissueTexture';

export type { NeedleInCt } from './needleEchoes';
export { scanLine } from './scanGeometry';

/**
 * B-mode ultrasound synthesised from the CT along the probe's image plane.
 *
 * The model (../shared/design/ultrasound.md, changed where measurements said so; docs in
 * docs/ultrasound-model.md):
 * 1. The CT is read denoised (an edge-preserving filter, once per volume) and averaged across the
 *    elevation beam (taps a quarter of its FWHM apart), so CT noise neither echoes nor mottles and
 *    partial volume across the slice is seen.
 * 2. Specular echoes where the impedance (Z = ρc from HU) steps: each interface is one impulse at
 *    its sub-sample position with the step's reflection coefficient, weighted by the angle of
 *    incidence (cos² θ, θ from the 3D HU gradient), so its thickness is the PSF's.
 * 3. Two-way transmission: (1 − r²) at interfaces, frequency-dependent attenuation, a rough-surface
 *    loss in bone: complete shadows behind bone and gas.
 * 4. Diffuse scattering: tissue-fixed scatterers integrated across the elevation beam (speckleField),
 *    scaled by the tissue's echogenicity (from the denoised HU, or an acoustic override) and its
 *    texture; amplitude per sample set so that after the PSF the speckle power is proportional to
 *    the resolution cell's area, as for real scatterers.
 * 5. The PSF (Gaussian; a perpendicular plane reflector of coefficient r images at r),
 *    axial FWHM 1.5 λ, lateral 1.2 λ F# widening away from the focus.
 * 6. The receiver: thermal noise before the TGC, a TGC with a ceiling, gain, log compression and a
 *    display map with a toe.
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

/** Acoustic media and time for the synthesis: overrides (vessels, injectate, tissues) and the clock (pulsation, receiver noise). */
export interface UltrasoundMedia {
  readonly regions: readonly AcousticRegionSpec[];
  readonly timeMs: number;
}

let sharedTable: AcousticTable | undefined;
/** Two-way amplitude below which a line is silent from there on (1e-8: −160 dB). */
const SILENT_TRANSMISSION = 1e-8;
/** Acoustic overrides leave voxels above this HU (bone) as they are. */
const BONE_KEEPS_HU = 200;
/** Above this reflection coefficient the surface is bone's, rough: most of what passes is scattered away. */
const ROUGH_SURFACE = 0.15;
/**
 * Interfaces weaker than this reflection coefficient are not echoes: a floor of 0.006, raised to
 * six standard deviations of what the denoised CT's residual noise makes (|r| ≈ 0.0009 per HU in
 * soft tissue, over a difference of two voxels: √2 × the residual), measured per volume.
 */
const DEAD_ZONE_FLOOR = 0.006;
const deadZoneFor = (residualNoiseHu: number) => Math.max(DEAD_ZONE_FLOOR, 6 * 0.0009 * Math.SQRT2 * residualNoiseHu);
/**
 * Scatterer strength: the speckle's rms amplitude in tissue of echogenicity 1, per √(mm²) of the
 * PSF's in-plane resolution (σ_axial σ_lateral). Sets the speckle against specular echoes.
 */
const SCATTER_PER_ROOT_MM2 = 0.035;
/** Exponent of the specular echo's fall with the angle of incidence (cos^n θ on top of the step's own cos θ). */
const SPECULAR_EXPONENT = 4;
/** The same for a rough bone surface (|r| > ROUGH_SURFACE): its echo fades more slowly with the angle. */
const ROUGH_EXPONENT = 2;

export function synthesizeUltrasound(
  volume: CtVolume,
  imageToCt: Transform<'Image', 'Ct'>,
  model: ProbeModel,
  settings: UltrasoundSettings,
  needle?: NeedleInCt,
  media?: UltrasoundMedia,
): UltrasoundFrame {
  const samples = settings.samples ?? sampleCountFor(settings.depthMm, settings.frequencyMHz);
  const lineDb = synthesizeLineDb(volume, imageToCt, model, settings, 0, settings.lines, needle, media);
  return { image: scanConvert(lineDb.db, model, settings, samples), lineDb: lineDb.db, lines: settings.lines, samples, pulsating: lineDb.pulsating };
}

/** Lines the lateral PSF needs beyond a range computed on its own. */
export const HALO_LINES = 24;

/**
 * Echo level (dB after TGC and gain) of scan lines [from, to) of the frame, line-major
 * ((to − from) × samples). Lines beyond the range (up to HALO_LINES each side) are computed too,
 * for the lateral PSF, so a frame split into ranges equals the frame computed whole.
 */
export function synthesizeLineDb(
  volume: CtVolume,
  imageToCt: Transform<'Image', 'Ct'>,
  model: ProbeModel,
  settings: UltrasoundSettings,
  from: number,
  to: number,
  needle?: NeedleInCt,
  media?: UltrasoundMedia,
): { db: Float32Array; pulsating: boolean } {
  const table = (sharedTable ??= acousticTable());
  const { lines } = settings;
  const samples = settings.samples ?? sampleCountFor(settings.depthMm, settings.frequencyMHz);
  const first = Math.max(0, from - HALO_LINES);
  const last = Math.min(lines, to + HALO_LINES);
  const count = last - first;
  const stepMm = settings.depthMm / samples;
  const f = settings.frequencyMHz;
  const lambdaMm = 1.54 / f;
  const regions = media ? acousticRegionsAt(media.regions, media.timeMs) : [];
  let pulsating = false;

  // --- Pass A: the denoised HU averaged across the elevation beam.
  const denoised = denoisedVolume(volume);
  const DEAD_ZONE = deadZoneFor(denoised.residualNoiseHu);
  const hu = new Float32Array(count * samples);
  const normal = imageNormal(imageToCt);
  // A volume one voxel thick (a single slice) has no elevation to average: its slab is the slice.
  const [dx, dy, dz] = volume.geometry.dimensions;
  const taps = dx < 2 || dy < 2 || dz < 2 ? { offsetsMm: Float64Array.of(0), weights: Float64Array.of(1) } : elevationTaps(model);
  elevationAveragedHu(volume, denoised.quarterHu, imageToCt, model, lines, first, last, samples, stepMm, normal, taps, hu);

  // --- Pass B: reflections, transmission, scattering.
  const I = new Float32Array(count * samples);
  const Q = new Float32Array(count * samples);
  const reach = new Float32Array(count * samples);
  const attenuationFactor = attenuationPerSample(table, f, stepMm);
  const axialSigmaSamples = axialPsfFwhmMm(f) / 2.355 / stepMm;
  const lateralFwhmAtFocus = 1.2 * lambdaMm * 2.5;
  const lateralSigmaMm = (s: number) => {
    const depth = s * stepMm;
    return (lateralFwhmAtFocus * (1 + Math.abs(depth - settings.focusDepthMm) / Math.max(10, settings.focusDepthMm))) / 2.355;
  };
  // Lateral PSF σ in lines at each depth (capped: beyond 6 lines the box passes lose their shape).
  const lateralSigmaLines = (s: number) => Math.min(6, lateralSigmaMm(s) / lineSpacingMm(model, lines, s * stepMm));
  // Scatterer amplitude per sample, set so that after the PSF the speckle rms is
  // SCATTER·√(σa σl) (mm): the echo power of diffuse scatterers grows with the resolution cell,
  // while a plane reflector images at its coefficient r whatever the PSF's width.
  const axialSigmaMm = axialSigmaSamples * stepMm;
  const scatterAmplitude = new Float32Array(samples);
  for (let s = 0; s < samples; s++) {
    const sl = Math.max(0.3, lateralSigmaLines(s));
    const slMm = sl * lineSpacingMm(model, lines, s * stepMm);
    scatterAmplitude[s] = SCATTER_PER_ROOT_MM2 * Math.sqrt(axialSigmaMm * slMm) * Math.sqrt((2 * sl) / Math.max(0.3, axialSigmaSamples));
  }
  const centre = ctIjkToCt(volume.geometry, [(volume.geometry.dimensions[0] - 1) / 2, (volume.geometry.dimensions[1] - 1) / 2, (volume.geometry.dimensions[2] - 1) / 2]);
  const planeOrigin = scanLine(model, imageToCt, 0, lines, stepMm).origin;
  // Scatterer lattice a third of the finest PSF width: the PSF, not the lattice, sets the grain.
  const cellMm = Math.min(axialPsfFwhmMm(f), 2.355 * lateralSigmaMm(Math.round(settings.focusDepthMm / stepMm))) / 3;
  const speckle = speckleFrame(normal, planeOrigin, centre, elevationSigmaMm(model), elevationFwhmMm(model) / 4, cellMm);
  const texture = textureContext(settings.texture ?? true);
  const scatter = new Float64Array(2);
  const z = new Float32Array(samples);
  const g = new Float32Array(samples);
  const active: ActiveRegion[] = [];
  const tissueStride = Math.max(1, Math.round(TISSUE_LABEL_STEP_MM / stepMm));
  const tissueLabel: (ActiveRegion | undefined)[] = new Array(Math.ceil(samples / tissueStride) + 1);
  // Per sample of the current line: the override holding it (if any) and its loss per sample.
  const insideOverride: (AcousticRegion | undefined)[] = new Array(samples);
  const overrideLoss = new Float32Array(samples);
  for (let l = first; l < last; l++) {
    const row = (l - first) * samples;
    const { origin, step } = scanLine(model, imageToCt, l, lines, stepMm);
    // The impedance step is taken over ±1 voxel as the beam crosses it (longer where the beam
    // runs obliquely through thick slices), so it holds the whole partial-volume ramp.
    const halfLag = Math.max(1, Math.round(voxelAlongBeamMm(volume, step, stepMm) / stepMm));
    texture.beam = [step[0] / stepMm, step[1] / stepMm, step[2] / stepMm];
    active.length = 0;
    for (const region of regions) {
      const range = sampleRangeInBounds(region, origin, step, samples);
      if (!range) continue;
      active.push({ region, from: range[0], to: range[1], next: 0, loss: perSampleLoss(region.attenuationDbPerCmMHz, f, stepMm), tissue: TISSUE_MEDIA.has(region.medium) });
      if (region.pulsates) pulsating = true;
    }
    // Which tissue region holds the line, every TISSUE_LABEL_STEP_MM.
    tissueLabels(active, origin, step, samples, tissueStride, tissueLabel);
    // Impedance along the line (after overrides), and which override holds each sample.
    let end = samples;
    for (let s = 0; s < samples; s++) {
      let h = hu[row + s]!;
      if (Number.isNaN(h)) {
        end = s;
        break;
      }
      let override: ActiveRegion | undefined;
      if (active.length > 0 && h < BONE_KEEPS_HU) {
        const tissue = tissueLabel[Math.round(s / tissueStride)];
        if (tissue && h >= tissue.region.huRange[0] && h <= tissue.region.huRange[1]) override = tissue;
        for (let a = 0; a < active.length; a++) {
          const entry = active[a]!;
          if (entry.tissue || s < entry.from || s > entry.to || s < entry.next) continue;
          const distance = entry.region.shape.distance([origin[0] + step[0] * s, origin[1] + step[1] * s, origin[2] + step[2] * s]) - entry.region.growMm;
          // Outside by d mm: no sample closer than d can be inside (the distance bounds it), so skip ahead.
          if (distance > stepMm) entry.next = s + Math.floor(distance / stepMm);
          if (distance < 0) override = entry;
        }
      }
      insideOverride[s] = override?.region;
      if (override) overrideLoss[s] = override.loss;
      if (override?.region.hu !== undefined) h = override.region.hu;
      hu[row + s] = h;
      z[s] = table.impedance[huIndex(h)]!;
    }
    // The directional impedance step over one voxel, centred on each sample.
    for (let s = 0; s < end; s++) {
      const za = z[Math.max(0, s - halfLag)]!;
      const zb = z[Math.min(end - 1, s + halfLag)]!;
      g[s] = (zb - za) / (zb + za);
    }
    let transmission = 1;
    let gasSample = -1;
    let gasEcho = 0;
    // Past a bone surface (an interface stronger than ROUGH_SURFACE), until the step has passed.
    let inRoughSurface = false;
    let nextInterface = 0;
    for (let s = 0; s < end; s++) {
      const k = row + s;
      const x = origin[0] + step[0] * s;
      const y = origin[1] + step[1] * s;
      const zMm = origin[2] + step[2] * s;
      const h = hu[k]!;
      const index = huIndex(h);
      const override = insideOverride[s];
      reach[k] = transmission;
      const r = g[s]!;
      const magnitude = Math.abs(r);
      // An interface: the local maximum of |step|, one impulse at its sub-sample position. Its echo
      // has crossed the tissue in front of the step only: the transmission where the step begins
      // (the partial-volume ramp before the interface is not yet bone).
      if (magnitude > DEAD_ZONE && s >= nextInterface && magnitude >= Math.abs(g[s - 1] ?? 0) && magnitude > Math.abs(g[s + 1] ?? 0)) {
        // Its position: where the impedance crosses halfway between the two sides (the
        // partial-volume midpoint), found within the step's span to a fraction of a sample.
        const za = z[Math.max(0, s - halfLag)]!;
        const zb = z[Math.min(end - 1, s + halfLag)]!;
        const middle = (za + zb) / 2;
        let at = s;
        for (let t = Math.max(0, s - halfLag); t < Math.min(end - 1, s + halfLag); t++) {
          const d0 = z[t]! - middle;
          const d1 = z[t + 1]! - middle;
          if ((d0 <= 0 && d1 > 0) || (d0 >= 0 && d1 < 0)) {
            at = t + d0 / (d0 - d1);
            break;
          }
        }
        // One echo per step: the rest of its span is the same interface.
        nextInterface = s + halfLag;
        const cosine = incidenceCosine(denoised.quarterHu, volume, origin, step, stepMm, at);
        const before = reach[row + Math.max(0, s - halfLag)]!;
        // Bone's rough surface scatters over a wider angle than a smooth soft-tissue interface.
        const echo = r * cosine ** (magnitude > ROUGH_SURFACE ? ROUGH_EXPONENT : SPECULAR_EXPONENT) * before;
        const s0 = Math.floor(at);
        const w = at - s0;
        if (s0 >= 0) I[row + s0] = I[row + s0]! + echo * (1 - w);
        if (s0 + 1 < samples) I[row + s0 + 1] = I[row + s0 + 1]! + echo * w;
        transmission *= 1 - r * r;
        if (magnitude > ROUGH_SURFACE) inRoughSurface = true;
        // The first gas interface (tissue over air) leaves a "dirty" shadow: its echo rings between the face and the gas.
        if (gasSample < 0 && r < -0.8 && z[Math.min(end - 1, s + halfLag)]! < 0.1) {
          gasSample = Math.max(1, Math.round(at));
          gasEcho = magnitude * before;
        }
      }
      if (magnitude < ROUGH_SURFACE) inRoughSurface = false;
      // A vessel's wall (an override that keeps the CT's impedance: blood) echoes where the line
      // crosses it, specular like any interface: ∝ cos⁴ of the incidence on the wall's normal.
      const previous = s > 0 ? insideOverride[s - 1] : undefined;
      if (override !== previous) {
        for (const region of [override, previous]) {
          if (!region || region.hu !== undefined || region.wallEcho <= 0) continue;
          const cosine = wallIncidenceCosine(region, [x, y, zMm], texture.beam);
          I[k] = I[k]! + region.wallEcho * cosine ** SPECULAR_EXPONENT * transmission;
        }
      }
      const echogenicity = (override?.echogenicity ?? table.echogenicity[index]!) * tissueTexture(texture, override, h, x, y, zMm);
      if (echogenicity > 0) {
        speckleAt(speckle, x, y, zMm, scatter);
        const amplitude = scatterAmplitude[s]! * echogenicity * transmission;
        I[k] = I[k]! + amplitude * scatter[0]!;
        Q[k] = Q[k]! + amplitude * scatter[1]!;
      }
      transmission *= override ? overrideLoss[s]! : attenuationFactor[index]!;
      // A rough bone surface scatters most of what passes it away from the beam.
      if (inRoughSurface) transmission *= 0.35;
      // Deep in a shadow nothing returns that the display could show (below the receiver noise by far).
      if (transmission < SILENT_TRANSMISSION) break;
    }
    if (gasSample > 0) addDirtyShadow(I, Q, l - first, samples, gasSample, gasEcho, { stepMm, frequencyMHz: f, frameLine: l });
  }
  if (needle) addNeedleEchoes(I, Q, reach, needle, model, imageToCt, lines, samples, stepMm, first, last);

  // --- PSF: blur with unit-sum kernels.
  blurAxial(I, count, samples, axialSigmaSamples);
  blurAxial(Q, count, samples, axialSigmaSamples);
  blurLateral(I, Q, count, samples, lateralSigmaLines);
  // The axial kernel is scaled to peak 1 (a plane reflector across the lines images at r: the
  // lateral kernel, of unit sum, leaves a plane's echo as it is).
  const peakGain = axialSigmaSamples < 0.3 ? 1 : Math.sqrt(2 * Math.PI) * axialSigmaSamples;

  // --- Receiver: noise before the TGC, TGC (with its ceiling) and gain, log compression.
  const db = new Float32Array((to - from) * samples);
  const offsetDb = new Float32Array(samples);
  for (let s = 0; s < samples; s++) offsetDb[s] = REFERENCE_DB + tgcDb(settings, s * stepMm) + settings.gainDb;
  const TEN_OVER_LN10 = 10 / Math.LN10;
  const noiseSeed = Math.floor(media?.timeMs ?? 0);
  const noise = new Float64Array(2);
  for (let l = from; l < to; l++) {
    const row = (l - first) * samples;
    const out = (l - from) * samples;
    for (let s = 0; s < samples; s++) {
      receiverNoise(noiseSeed, l, s, noise);
      const i = I[row + s]! * peakGain + noise[0]!;
      const q = Q[row + s]! * peakGain + noise[1]!;
      db[out + s] = TEN_OVER_LN10 * Math.log(i * i + q * q + 1e-30) + offsetDb[s]!;
    }
  }
  return { db, pulsating };
}

const huIndex = (hu: number) => Math.min(HU_MAX, Math.max(HU_MIN, Math.round(hu))) - HU_MIN;

/** Two-way amplitude loss over one sample step for attenuation α (dB/cm/MHz). */
const perSampleLoss = (alphaDbPerCmMHz: number, frequencyMHz: number, stepMm: number) => 10 ** ((-2 * alphaDbPerCmMHz * frequencyMHz * (stepMm / 10)) / 20);

let attenuationCache: { frequencyMHz: number; stepMm: number; factor: Float32Array } | undefined;
/** The two-way loss per sample for every HU, for a frequency and sample step: computed once, not every frame. */
function attenuationPerSample(table: AcousticTable, frequencyMHz: number, stepMm: number): Float32Array {
  if (attenuationCache?.frequencyMHz !== frequencyMHz || attenuationCache.stepMm !== stepMm) {
    attenuationCache = { frequencyMHz, stepMm, factor: table.attenuationDbPerCmMHz.map((alpha) => perSampleLoss(alpha, frequencyMHz, stepMm)) };
  }
  return attenuationCache.factor;
}

/** The probe's default overall gain, dB: what puts muscle speckle mid-to-dark grey (median ≈ 85 of 255) on the bundled phantoms. */
export const defaultGainDb = (model: Pick<ProbeModel, 'type'>): number => (model.type === 'linear' ? 43 : 41);

/** Settings a scan starts with for a probe: its frequency and depth, focus at mid-depth, the case's gain if it gives one. */
export function defaultUltrasoundSettings(model: ProbeModel, caseGainDb?: number): UltrasoundSettings {
  return {
    frequencyMHz: model.frequencyMHz,
    depthMm: model.depthMm,
    gainDb: caseGainDb ?? defaultGainDb(model),
    dynamicRangeDb: 60,
    tgc: 1,
    focusDepthMm: model.depthMm / 2,
    lines: 256,
  };
}
