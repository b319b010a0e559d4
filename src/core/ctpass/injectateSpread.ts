import type { Vec3 } from '../geometry/vec3';
import type { AcousticRegionSpec } from '../ultrasound/acousticRegions';
import type { InjectateInCt } from './burnInjectates';

/**
 * How an injection spreads, for the CT passes and the ultrasound: the injectate fills a sphere
 * around the tip (Ct, LPS mm) whose volume is what has left the syringe so far. The plunger is
 * pushed at a steady rate, so the volume grows linearly from `startedAtMs` to `volumeMl` and the
 * radius as its cube root, (3·V/4π)^(1/3) with V in mm³ (1 mL = 1000 mm³): 20 mL ends at
 * 16.84 mm. A teaching simplification: real gas follows planes of least resistance (annular
 * fissures, the epidural space) and fluid the joint's recesses.
 */
export interface Injection {
  /** Where the needle tip was when the injection started (Ct mm). */
  readonly tip: Vec3;
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
export const injectionDurationMs = (injection: Injection, rateMlPerS: number = INJECTION_RATE_ML_PER_S[injection.medium]): number =>
  (1000 * injection.volumeMl) / rateMlPerS;

/** Radius of the injectate at `atMs`, mm (0 before the start). */
export const injectateRadiusMm = (injection: Injection, atMs: number): number => sphereRadiusMm(injectedVolumeMl(injection, atMs));

/** The injectates a CT pass at `atMs` shows (those started by then), for burnIntoImage. */
export function injectatesAt(injections: readonly Injection[], atMs: number): InjectateInCt[] {
  const shown: InjectateInCt[] = [];
  for (const injection of injections) {
    const radiusMm = injectateRadiusMm(injection, atMs);
    if (radiusMm <= 0) continue;
    shown.push({ centre: injection.tip, radiusMm, medium: injection.medium, ...(injection.contrast ? { contrast: true } : {}) });
  }
  return shown;
}

/**
 * The injectates as acoustic regions at `atMs` (for synthesizeUltrasound via acousticRegionsAt):
 * the same spheres as the CT. Gas is air to the ultrasound — its near surface a bright line
 * with a dirty shadow behind it, whatever the tissue was; fluid is anechoic with posterior
 * enhancement. The CT draws the surface with a slight ripple; the ultrasound uses the exact sphere.
 */
export function injectionAcousticRegions(injections: readonly Injection[], atMs: number): AcousticRegionSpec[] {
  return injectatesAt(injections, atMs).map((injectate) => ({
    medium: injectate.medium,
    shape: { type: 'sphere', centre: injectate.centre, radiusMm: injectate.radiusMm },
  }));
}
