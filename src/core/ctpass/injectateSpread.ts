import type { Vec3 } from '../geometry/vec3';
import type { CtVolume } from '../volume/ctVolume';
import type { AcousticRegionSpec } from '../ultrasound/acousticRegions';
import type { InjectateInCt } from './burnInjectates';
import type { CompartmentContext } from './injectateCompartment';
import { cachedInjectateShape } from './injectateCache';

/**
 * How an injection spreads, for the CT passes and the ultrasound. The volume out of the syringe
 * grows linearly from `startedAtMs` to `volumeMl` (the plunger is pushed at a steady rate).
 * With the CT and the case's compartments (InjectateContext) the injectate fills its
 * compartment: a volume-budgeted flood from the tip (injectateFill) — a disc's nucleus first,
 * then its fissure and the needle's track into the epidural and paravertebral space; a joint's
 * capsule lifting off the bone; the tissue around a facet. Without them (no CT at hand) it is a
 * sphere around the tip (Ct, LPS mm) of the same volume, radius (3·V/4π)^(1/3) with V in mm³
 * (1 mL = 1000 mm³): 20 mL ends at 16.84 mm.
 */
export interface Injection {
  /** Where the needle tip was when the injection started (Ct mm). */
  readonly tip: Vec3;
  /** Where the needle's hub was then (Ct mm), if known: the track it leaves is a way out of a disc. */
  readonly hub?: Vec3;
  readonly volumeMl: number;
  readonly medium: 'gas' | 'fluid';
  /** A fluid with iodinated contrast (CT: +300 HU; ultrasound: like any fluid). */
  readonly contrast?: boolean;
  /** On the session's clock, ms. */
  readonly startedAtMs: number;
}

/**
 * Syringe rates, mL/s: O₂/O₃ 20 mL over about 20 s through a 22 G needle; a joint injection
 * (anaesthetic, steroid) 5–10 mL over 10–20 s. Teaching defaults, not from a reference.
 */
export const INJECTION_RATE_ML_PER_S = { gas: 1, fluid: 0.5 } as const;

/** Radius of a sphere of `volumeMl` mL, mm. */
export const sphereRadiusMm = (volumeMl: number): number => Math.cbrt((3 * Math.max(0, volumeMl) * 1000) / (4 * Math.PI));

/** Volume out of the syringe at `atMs`, mL: 0 before the start, `volumeMl` once done. */
export function injectedVolumeMl(injection: Injection, atMs: number, rateMlPerS: number = INJECTION_RATE_ML_PER_S[injection.medium]): number {
  const elapsedS = (atMs - injection.startedAtMs) / 1000;
  if (!(elapsedS > 0)) return 0;
  return Math.min(injection.volumeMl, rateMlPerS * elapsedS);
}

/** How long the injection takes, ms. */
export const injectionDurationMs = (injection: Injection, rateMlPerS: number = INJECTION_RATE_ML_PER_S[injection.medium]): number => (1000 * injection.volumeMl) / rateMlPerS;

/** Radius of the injectate at `atMs`, mm (0 before the start). */
export const injectateRadiusMm = (injection: Injection, atMs: number): number => sphereRadiusMm(injectedVolumeMl(injection, atMs));

/** The CT the injectate fills and the case's compartments (feedback regions) and walls (structures to avoid). */
export interface InjectateContext extends CompartmentContext {
  readonly volume: CtVolume;
}

/**
 * The injectates a CT pass at `atMs` shows (those started by then), for burnIntoImage: with a
 * context, each carries the region it filled (computed once per injection, cached).
 */
export function injectatesAt(injections: readonly Injection[], atMs: number, context?: InjectateContext): InjectateInCt[] {
  const shown: InjectateInCt[] = [];
  for (const injection of injections) {
    const volumeMl = injectedVolumeMl(injection, atMs);
    if (!(volumeMl > 0)) continue;
    const base = { centre: injection.tip, radiusMm: sphereRadiusMm(volumeMl), medium: injection.medium, ...(injection.contrast ? { contrast: true } : {}) };
    if (!context) {
      shown.push(base);
      continue;
    }
    const region = cachedInjectateShape(context.volume, injection, context, volumeMl);
    if (region) shown.push({ ...base, region });
  }
  return shown;
}

/**
 * The injectates as acoustic regions at `atMs` (for synthesizeUltrasound via acousticRegionsAt):
 * the same regions as the CT (with a context: the filled voxels' signed distance, O(1) per
 * sample; without: spheres). Gas is air to the ultrasound — its near surface a bright line with
 * a dirty shadow behind it, whatever the tissue was; fluid is anechoic with posterior enhancement.
 */
export function injectionAcousticRegions(injections: readonly Injection[], atMs: number, context?: InjectateContext): AcousticRegionSpec[] {
  return injectatesAt(injections, atMs, context).map((injectate) => ({
    medium: injectate.medium,
    shape: injectate.region ?? { type: 'sphere', centre: injectate.centre, radiusMm: injectate.radiusMm },
  }));
}
