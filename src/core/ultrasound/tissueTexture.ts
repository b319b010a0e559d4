import { cross, normalize, type Vec3 } from '../geometry/vec3';
import type { AcousticRegion } from './acousticRegions';
import { valueNoise } from './tissueNoise';

/**
 * Tissue texture: a multiplier of the diffuse echogenicity, fixed to the tissue (Ct mm), with a
 * mean square of 1 so the tissue's mean echo power stays its echogenicity's.
 *
 * - Muscle (20…90 HU): hypoechoic fascicles separated by bright perimysium, the septa running
 *   along the fibre direction — striated ("feather") in a long-axis view, a speckled, reticular
 *   "starry sky" in short axis (Rumack, Diagnostic Ultrasound). The septa are the level set n = 0
 *   of a smooth noise stretched 20 mm along the fibres and 1.8 mm across them.
 * - Fat (−150…−50 HU): dark lobules with bright septa roughly parallel to the skin: the level set
 *   of a noise stretched 7 mm along the skin and 1.5 mm across it. Without a known skin the skin
 *   normal is taken as the patient's anteroposterior axis (Ct y), true for prone and supine.
 * - Tendon, ligament, capsule (an acoustic region of medium 'tendon' or 'capsule', with its fibre
 *   axis): fibrillar (fine parallel lines 0.3 mm across) and anisotropic: bright only when the
 *   beam is near perpendicular to the fibres, hypoechoic when not (∝ sin⁶ of the beam–fibre angle).
 *
 * Fibre directions come from the case file's tissue regions (medium 'muscle', 'tendon',
 * 'capsule'); elsewhere muscle fibres run cranio-caudally (Ct z), the documented default.
 */
export interface TextureContext {
  readonly enabled: boolean;
  /** The beam direction (Ct, unit) of the current line: set per line. */
  beam: Vec3;
}

interface FibreFrame {
  readonly a: Vec3;
  readonly b: Vec3;
  readonly c: Vec3;
}

const DEFAULT_FIBRES = fibreFrame([0, 0, 1]);
const fibreFrames = new WeakMap<object, FibreFrame>();

export function textureContext(enabled: boolean): TextureContext {
  return { enabled, beam: [0, 1, 0] };
}

/** Septa: a bright thin sheet where the noise crosses zero, over a dimmer background. */
const septum = (n: number, widthOfLevel: number) => Math.exp(-(n * n) / (widthOfLevel * widthOfLevel));

// Weights fitted once so that each texture's mean square is 1 over the noise's distribution.
const MUSCLE = calibrated(0.5, 2.6, 0.14);
const FAT = calibrated(0.45, 3.0, 0.1);
const FIBRIL = calibrated(0.45, 1.6, 0.25);

/** Multiplier of the diffuse echogenicity at Ct point (x, y, z) of HU `hu`, inside `region` if any. */
export function tissueTexture(context: TextureContext, region: AcousticRegion | undefined, hu: number, x: number, y: number, z: number): number {
  if (!context.enabled) return 1;
  const medium = region?.medium;
  if (medium === 'tendon' || medium === 'capsule') {
    const frame = frameOf(region!);
    const n = valueNoise(dot(frame.a, x, y, z) / 6, dot(frame.b, x, y, z) / 0.3, dot(frame.c, x, y, z) / 0.3, 3);
    const along = Math.abs(context.beam[0] * frame.a[0] + context.beam[1] * frame.a[1] + context.beam[2] * frame.a[2]);
    const sine = Math.sqrt(Math.max(0, 1 - along * along));
    // Anisotropy: bright perpendicular to the beam (×1.6), dark when the beam runs oblique to the fibres.
    return (FIBRIL.base + FIBRIL.peak * septum(n, FIBRIL.width)) * FIBRIL.norm * (0.1 + 1.5 * sine ** 6);
  }
  if (medium === 'muscle' || (medium === undefined && hu >= 20 && hu <= 90)) {
    const frame = region?.fibreAxis ? frameOf(region) : DEFAULT_FIBRES;
    const n = valueNoise(dot(frame.a, x, y, z) / 20, dot(frame.b, x, y, z) / 1.8, dot(frame.c, x, y, z) / 1.8, 1);
    return (MUSCLE.base + MUSCLE.peak * septum(n, MUSCLE.width)) * MUSCLE.norm;
  }
  if (medium === undefined && hu >= -150 && hu <= -50) {
    const n = valueNoise(x / 7, y / 1.5, z / 7, 2);
    return (FAT.base + FAT.peak * septum(n, FAT.width)) * FAT.norm;
  }
  return 1;
}

function frameOf(region: AcousticRegion): FibreFrame {
  const cached = fibreFrames.get(region.shape);
  if (cached) return cached;
  const frame = region.fibreAxis ? fibreFrame(region.fibreAxis) : DEFAULT_FIBRES;
  fibreFrames.set(region.shape, frame);
  return frame;
}

/** An orthonormal frame whose first axis is the fibre direction. */
function fibreFrame(axis: readonly [number, number, number]): FibreFrame {
  const a = normalize(axis);
  const b = normalize(cross(a, Math.abs(a[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0]));
  return { a, b, c: cross(a, b) };
}

const dot = (v: Vec3, x: number, y: number, z: number) => v[0] * x + v[1] * y + v[2] * z;

/** A texture's weights and the factor that makes its mean square 1 (measured on the noise itself, seeded). */
function calibrated(base: number, peak: number, width: number): { base: number; peak: number; width: number; norm: number } {
  let sum = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const m = base + peak * septum(valueNoise(i * 0.731, i * 0.377, i * 0.519, 9), width);
    sum += m * m;
  }
  return { base, peak, width, norm: 1 / Math.sqrt(sum / n) };
}
