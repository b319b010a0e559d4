import type { Vec3 } from '../geometry/vec3';
import { applyToPoint, type Transform } from '../frames/transform';
import type { ProbeModel } from '../tracking/probeModels';

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

export function lineSpacingMm(model: ProbeModel, lines: number, depthMm: number): number {
  if (model.type === 'linear') return model.footprintWidthMm / lines;
  return ((model.radiusMm + depthMm) * ((model.sectorDeg * Math.PI) / 180)) / lines;
}
