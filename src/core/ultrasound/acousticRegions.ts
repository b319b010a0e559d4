import type { Vec3 } from '../geometry/vec3';
import { shapeOf, type AnalyticShape } from '../phantom/avoidShapes';
import type { Shape } from '../phantom/sdf';

/**
 * Acoustic overrides: regions of patient space (Ct, LPS mm) where the ultrasound must not take
 * its properties from the CT's HU. Unenhanced blood has muscle-like HU (40–50), yet a vessel's
 * lumen is anechoic with a bright wall, and an artery pulsates; injected gas is bright with a
 * dirty shadow whatever the CT showed before the injection.
 *
 * As written in case.json (an avoid structure's optional `acoustic`) and sent to the worker.
 */
export type AcousticMedium = 'blood' | 'fluid' | 'gas' | 'cartilage' | 'muscle' | 'tendon' | 'capsule';
export const ACOUSTIC_MEDIA: readonly AcousticMedium[] = ['blood', 'fluid', 'gas', 'cartilage', 'muscle', 'tendon', 'capsule'];

export interface AcousticOverride {
  /**
   * What fills the region: blood and fluid are anechoic (posterior enhancement: low attenuation);
   * gas reflects almost totally; hyaline cartilage is hypoechoic (its HU is the disc's, its echo is
   * not); muscle, tendon and capsule keep the CT's properties but carry a fibre texture along
   * `fibreAxis` (tendon and capsule anisotropic: dark unless perpendicular to the beam).
   */
  readonly medium: AcousticMedium;
  /** Fibre direction (Ct, LPS, any length) of a muscle, tendon or capsule region. */
  readonly fibreAxis?: readonly [number, number, number];
  /** An artery's lumen widens by `radiusChangeMm` at each systole, `beatsPerMinute` times a minute. */
  readonly pulsation?: { readonly beatsPerMinute: number; readonly radiusChangeMm: number };
}

export interface AcousticRegionSpec extends AcousticOverride {
  readonly shape: AnalyticShape;
}

/** A region ready for the synthesis: its signed distance, and what a sample inside becomes. */
export interface AcousticRegion {
  readonly shape: Shape;
  /** HU a sample inside takes for impedance (gas: air, fluid: water), or undefined to keep the CT's. Bone (> 200 HU) is never replaced. */
  readonly hu: number | undefined;
  /** Diffuse echogenicity inside (relative amplitude), or undefined to keep the CT's. */
  readonly echogenicity: number | undefined;
  readonly medium: AcousticMedium;
  readonly fibreAxis: readonly [number, number, number] | undefined;
  /**
   * The CT HU the region's medium holds (denoised): a tissue region whose shape reaches past its
   * tissue labels only the samples of its own HU (no capsule texture in the muscle around the
   * capsule's shape). All HU below bone for what fills a space (blood, fluid, gas).
   */
  readonly huRange: readonly [number, number];
  readonly attenuationDbPerCmMHz: number;
  /** Echo amplitude where a scan line crosses the boundary (a vessel's wall). */
  readonly wallEcho: number;
  /** How far the boundary stands outside the shape at this moment, mm (pulsation). */
  readonly growMm: number;
  /** The region changes from frame to frame (an artery): a view that shows it must keep updating. */
  readonly pulsates: boolean;
}

/**
 * Blood 0.18 dB/cm/MHz, water-like fluid 0.002 (../shared/design/ultrasound.md); gas as air. An
 * injected fluid fills what it spreads into with one impedance (water, 10 HU), so the tissue
 * planes it parts no longer echo; blood keeps the CT's (uniform in a lumen anyway).
 */
const MEDIA = {
  blood: { hu: undefined, echogenicity: 1e-7, attenuationDbPerCmMHz: 0.18, wallEcho: 0.12 },
  fluid: { hu: 10, echogenicity: 1e-7, attenuationDbPerCmMHz: 0.002, wallEcho: 0.04 },
  gas: { hu: -1000, echogenicity: 0, attenuationDbPerCmMHz: 0.6, wallEcho: 0 },
  // Hyaline cartilage: nearly anechoic (few scatterers), attenuation of cartilage.
  cartilage: { hu: undefined, echogenicity: 0.02, attenuationDbPerCmMHz: 1.5, wallEcho: 0 },
  muscle: { hu: undefined, echogenicity: undefined, attenuationDbPerCmMHz: 1.0, wallEcho: 0 },
  tendon: { hu: undefined, echogenicity: undefined, attenuationDbPerCmMHz: 1.5, wallEcho: 0 },
  capsule: { hu: undefined, echogenicity: undefined, attenuationDbPerCmMHz: 1.5, wallEcho: 0 },
} satisfies Record<AcousticMedium, { hu: number | undefined; echogenicity: number | undefined; attenuationDbPerCmMHz: number; wallEcho: number }>;

/** HU each medium's tissue holds on CT (phantom values: cartilage 100, capsule 70, tendon 90, ligamentum flavum 80, muscle 50). */
const HU_RANGE: Record<AcousticMedium, readonly [number, number]> = {
  blood: [-Infinity, Infinity],
  fluid: [-Infinity, Infinity],
  gas: [-Infinity, Infinity],
  cartilage: [75, 140],
  muscle: [20, 90],
  tendon: [60, 140],
  capsule: [60, 140],
};

/**
 * The regions at time `timeMs` (ms on any steady clock): the pulsation follows a smooth
 * 0…1 swing, 0.5 − 0.5·cos(2π·t·bpm/60), so a sequence of frames shows the artery beating.
 */
export function acousticRegionsAt(specs: readonly AcousticRegionSpec[], timeMs: number): AcousticRegion[] {
  return specs.map((spec) => {
    const medium = MEDIA[spec.medium];
    const pulse = spec.pulsation ? spec.pulsation.radiusChangeMm * (0.5 - 0.5 * Math.cos((2 * Math.PI * timeMs * spec.pulsation.beatsPerMinute) / 60000)) : 0;
    return {
      shape: shapeOf(spec.shape),
      ...medium,
      medium: spec.medium,
      fibreAxis: spec.fibreAxis,
      huRange: HU_RANGE[spec.medium],
      growMm: pulse,
      pulsates: spec.pulsation !== undefined,
    };
  });
}

/**
 * Where the segment from `origin` over `count` steps of `step` (Ct mm) may meet a region: the
 * range of sample indices inside the region's bounds grown by its pulsation, or undefined.
 * Cheap per scan line, so the costly signed distance runs only where it can matter.
 */
export function sampleRangeInBounds(region: AcousticRegion, origin: Vec3, step: Vec3, count: number): [number, number] | undefined {
  let low = 0;
  let high = count - 1;
  const [min, max] = region.shape.bounds;
  for (let axis = 0; axis < 3; axis++) {
    // Grown by the largest pulsation any case would use, so the range does not beat with the artery.
    const from = min[axis]! - 3;
    const to = max[axis]! + 3;
    const o = origin[axis]!;
    const d = step[axis]!;
    if (Math.abs(d) < 1e-12) {
      if (o < from || o > to) return undefined;
      continue;
    }
    let a = (from - o) / d;
    let b = (to - o) / d;
    if (a > b) [a, b] = [b, a];
    low = Math.max(low, Math.floor(a));
    high = Math.min(high, Math.ceil(b));
  }
  return low <= high ? [low, high] : undefined;
}
