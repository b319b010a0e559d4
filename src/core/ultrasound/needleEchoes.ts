import type { Vec3 } from '../geometry/vec3';
import type { Transform } from '../frames/transform';
import type { ProbeModel } from '../tracking/probeModels';
import { scanLine } from './scanGeometry';
import { elevationFwhmMm } from './elevationBeam';
import { imageNormal } from './interfaceGeometry';

/** A needle in the patient (Ct mm) for the ultrasound to show, with its outer diameter. */
export interface NeedleInCt {
  readonly tip: Vec3;
  readonly hub: Vec3;
  readonly diameterMm: number;
}

/**
 * The needle's echoes (design notes, step 5): a specular shaft echo 0.9·(sin φ)⁸ + 0.03, φ the
 * angle between beam and shaft (brightest when perpendicular), a tip echo of 0.35, weighted by
 * the elevation beam exp(−e²/2σ²) of the out-of-plane distance e; six reverberations one diameter
 * apart, ×0.55 each, below the shaft; a faint shadow (×(1 − 0.3·weight)) behind it.
 */
export function addNeedleEchoes(
  I: Float32Array,
  Q: Float32Array,
  twoWay: Float32Array,
  needle: NeedleInCt,
  model: ProbeModel,
  imageToCt: Transform<'Image', 'Ct'>,
  lines: number,
  samples: number,
  stepMm: number,
  first = 0,
  last = lines,
): void {
  const axis: Vec3 = [needle.tip[0] - needle.hub[0], needle.tip[1] - needle.hub[1], needle.tip[2] - needle.hub[2]];
  const length = Math.hypot(...axis);
  if (length === 0) return;
  const unit: Vec3 = [axis[0] / length, axis[1] / length, axis[2] / length];
  const sigma = elevationFwhmMm(model) / 2.355;
  const reach = needle.diameterMm / 2 + stepMm;
  // Elevation direction: perpendicular to the image plane.
  const normal = imageNormal(imageToCt);
  for (let l = first; l < last; l++) {
    const row = (l - first) * samples;
    const { origin, step } = scanLine(model, imageToCt, l, lines, stepMm);
    const beam: Vec3 = [step[0] / stepMm, step[1] / stepMm, step[2] / stepMm];
    const cosAngle = Math.abs(beam[0] * unit[0] + beam[1] * unit[1] + beam[2] * unit[2]);
    const specular = 0.9 * Math.sqrt(1 - cosAngle * cosAngle) ** 8 + 0.03;
    for (let s = 0; s < samples; s++) {
      const p: Vec3 = [origin[0] + step[0] * s, origin[1] + step[1] * s, origin[2] + step[2] * s];
      const fromHub: Vec3 = [p[0] - needle.hub[0], p[1] - needle.hub[1], p[2] - needle.hub[2]];
      const t = Math.max(0, Math.min(length, fromHub[0] * unit[0] + fromHub[1] * unit[1] + fromHub[2] * unit[2]));
      const closest: Vec3 = [needle.hub[0] + unit[0] * t, needle.hub[1] + unit[1] * t, needle.hub[2] + unit[2] * t];
      const offset: Vec3 = [p[0] - closest[0], p[1] - closest[1], p[2] - closest[2]];
      // Split the offset into along-beam/in-plane part and the elevation part.
      const distance = Math.hypot(...offset);
      const elevation = Math.abs(offset[0] * normal[0] + offset[1] * normal[1] + offset[2] * normal[2]);
      const inPlane = Math.sqrt(Math.max(0, distance * distance - elevation * elevation));
      if (inPlane > reach) continue;
      const weight = Math.exp((-elevation * elevation) / (2 * sigma * sigma));
      if (weight < 0.01) continue;
      // A needle in a shadow (behind bone or gas) returns nothing: the echo travels the same path.
      const amplitude = (t >= length - needle.diameterMm ? 0.35 : specular) * weight * twoWay[row + s]!;
      const k = row + s;
      I[k] = I[k]! + amplitude;
      for (let echo = 1; echo <= 6; echo++) {
        const at = s + Math.round((echo * needle.diameterMm) / stepMm);
        if (at >= samples) break;
        I[row + at] = I[row + at]! + amplitude * 0.55 ** echo;
      }
      for (let behind = s + 1; behind < samples; behind++) {
        I[row + behind] = I[row + behind]! * (1 - 0.3 * weight);
        Q[row + behind] = Q[row + behind]! * (1 - 0.3 * weight);
      }
      break; // one echo per line (the near wall)
    }
  }
}
