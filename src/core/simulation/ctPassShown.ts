import type { Vec3 } from '../geometry/vec3';
import type { InjectateInCt } from '../ctpass/burnInjectates';

/** One CT pass as the viewer shows it: the needle truly where it was (Ct mm), the injectate then, the count and the dose so far. */
export interface CtPassShown {
  readonly timeMs: number;
  readonly needle: { readonly tip: Vec3; readonly hub: Vec3; readonly diameterMm: number } | undefined;
  readonly injectates: readonly InjectateInCt[];
  readonly passes: number;
  readonly doseText: string;
}
