/**
 * HU → acoustic properties, piecewise linear between anchors from
 * ../shared/design/ultrasound.md (tissue constants; Z = ρ·c):
 * density ρ (g/cm³), speed of sound c (m/s), attenuation α (dB/cm/MHz), and the diffuse
 * echogenicity (relative amplitude of the tissue's speckle). Tabulated once for every
 * integer HU from −1024 to 3071.
 */
const DENSITY: readonly [number, number][] = [
  [-1000, 0.0012],
  [-100, 0.95],
  [0, 1.0],
  [100, 1.1],
  [1200, 1.87],
];
const SPEED: readonly [number, number][] = [
  [-1000, 343],
  [-100, 1450],
  [0, 1500],
  [50, 1580],
  [100, 1620],
  [300, 2000],
  [1200, 3500],
];
const ATTENUATION: readonly [number, number][] = [
  [-1000, 0.6],
  [-100, 0.6],
  [10, 0.05],
  [40, 1.0],
  [90, 1.5],
  [250, 12],
  [700, 20],
];
// Fluid is anechoic: 1e-7, 132 dB under muscle (0.012 of the design notes, and 0.0005 after it, left
// a deep fluid column under TGC brighter than muscle: fluid hardly attenuates, so under 14 cm of
// TGC it gains some 85 dB on the muscle beside it). Between fluid
// (−5…24 HU: CSF, effusion, with the CT noise a denoised fluid keeps; blood is an acoustic override) and muscle (40 HU) the echogenicity is
// interpolated in dB, not linearly, so the few HU a denoised fluid keeps cannot make it echo.
const ECHOGENICITY: readonly [number, number][] = [
  [-1000, 0],
  [-200, 0.12],
  [-60, 0.12],
  [-20, 0.03],
  [-5, 1e-7],
  [24, 1e-7],
  [40, 0.4],
  [90, 0.6],
  [200, 0.6],
];
/** Anchors whose segment is interpolated in dB (log amplitude): fluid to muscle, fat to fluid. */
const LOG_SEGMENTS: readonly [number, number][] = [
  [-60, -20],
  [-20, -5],
  [24, 40],
];

export const HU_MIN = -1024;
export const HU_MAX = 3071;

export interface AcousticTable {
  /** Impedance, MRayl, indexed by HU − HU_MIN. */
  readonly impedance: Float32Array;
  readonly attenuationDbPerCmMHz: Float32Array;
  readonly echogenicity: Float32Array;
}

export function acousticTable(): AcousticTable {
  const size = HU_MAX - HU_MIN + 1;
  const impedance = new Float32Array(size);
  const attenuationDbPerCmMHz = new Float32Array(size);
  const echogenicity = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const hu = i + HU_MIN;
    // ρ (g/cm³) · c (m/s) / 1000 = MRayl.
    impedance[i] = (interpolate(DENSITY, hu) * interpolate(SPEED, hu)) / 1000;
    attenuationDbPerCmMHz[i] = interpolate(ATTENUATION, hu);
    echogenicity[i] = LOG_SEGMENTS.some(([a, b]) => hu > a && hu < b) ? interpolateLog(ECHOGENICITY, hu) : interpolate(ECHOGENICITY, hu);
  }
  return { impedance, attenuationDbPerCmMHz, echogenicity };
}

function interpolate(anchors: readonly [number, number][], x: number): number {
  if (x <= anchors[0]![0]) return anchors[0]![1];
  for (let i = 1; i < anchors.length; i++) {
    const [x1, y1] = anchors[i]!;
    const [x0, y0] = anchors[i - 1]!;
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return anchors[anchors.length - 1]![1];
}

/** Interpolated in log amplitude between the anchors around x (both positive). */
function interpolateLog(anchors: readonly [number, number][], x: number): number {
  for (let i = 1; i < anchors.length; i++) {
    const [x1, y1] = anchors[i]!;
    const [x0, y0] = anchors[i - 1]!;
    if (x <= x1) return Math.exp(Math.log(y0) + ((Math.log(y1) - Math.log(y0)) * (x - x0)) / (x1 - x0));
  }
  return anchors[anchors.length - 1]![1];
}
