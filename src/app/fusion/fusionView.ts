import { applyToPoint, applyToVector, type Transform } from '../../core/frames/transform';
import { normalize, type Vec3 } from '../../core/geometry/vec3';
import { reslicePlane, ctToPlanePixel, type ImagePlane } from '../../core/reslice/reslicePlane';
import { isInFieldOfView, type ProbeModel } from '../../core/tracking/probeModels';
import type { CtVolume } from '../../core/volume/ctVolume';
import { windowToHuRange, type HuWindow } from '../../core/volume/windowPresets';

/**
 * The CT resliced at the (registered) probe plane, with the exact geometry of the ultrasound
 * image: the probe's pixel grid, its sector or rectangle, the orientation marker on the marked
 * side, and the case's targets where the plane passes through them.
 */
export class FusionView {
  private readonly context: CanvasRenderingContext2D;
  private mask: Uint8Array | undefined;
  private maskModel: ProbeModel | undefined;
  private hu: Float32Array | undefined;
  private image: ImageData | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.context = canvas.getContext('2d')!;
  }

  clear(message: string): void {
    this.context.fillStyle = '#000';
    this.context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.context.fillStyle = '#93a1ad';
    this.context.font = '14px system-ui, sans-serif';
    this.context.fillText(message, 16, 28);
  }

  render(
    volume: CtVolume,
    model: ProbeModel,
    imageToCt: Transform<'Image', 'Ct'>,
    window: HuWindow,
    targets: readonly { centre: Vec3; radiusMm: number }[],
    needle?: { tip: Vec3; hub: Vec3 },
  ): void {
    if (this.canvas.width !== model.columns || this.canvas.height !== model.rows) {
      this.canvas.width = model.columns;
      this.canvas.height = model.rows;
    }
    if (this.maskModel !== model) {
      this.mask = new Uint8Array(model.columns * model.rows);
      for (let r = 0; r < model.rows; r++) for (let c = 0; c < model.columns; c++) this.mask[r * model.columns + c] = isInFieldOfView(model, c, r) ? 1 : 0;
      this.maskModel = model;
      this.hu = new Float32Array(model.columns * model.rows);
      this.image = this.context.createImageData(model.columns, model.rows);
    }
    const plane = planeOf(imageToCt, model);
    const hu = reslicePlane(volume, plane, -1024, this.hu);
    const image = this.image!;
    const { lower, upper } = windowToHuRange(window);
    const scale = 255 / (upper - lower);
    const mask = this.mask!;
    for (let p = 0; p < hu.length; p++) {
      const grey = mask[p] ? Math.max(0, Math.min(255, (hu[p]! - lower) * scale)) : 0;
      image.data[p * 4] = grey;
      image.data[p * 4 + 1] = grey;
      image.data[p * 4 + 2] = grey;
      image.data[p * 4 + 3] = 255;
    }
    this.context.putImageData(image, 0, 0);
    // Orientation marker: the marked side (image +x) at the top.
    this.context.fillStyle = '#4fa3ff';
    this.context.beginPath();
    this.context.arc(model.columns - 14, 14, 6, 0, 2 * Math.PI);
    this.context.fill();
    // Targets cut by the plane.
    const normal = normalize(applyToVector(imageToCt, [0, 0, 1]));
    for (const target of targets) {
      const toTarget: Vec3 = [target.centre[0] - plane.centreInCt[0], target.centre[1] - plane.centreInCt[1], target.centre[2] - plane.centreInCt[2]];
      const off = toTarget[0] * normal[0] + toTarget[1] * normal[1] + toTarget[2] * normal[2];
      if (Math.abs(off) >= target.radiusMm) continue;
      const [c, r] = ctToPlanePixel(plane, target.centre);
      this.context.strokeStyle = '#3dff7a';
      this.context.lineWidth = 1.5;
      this.context.beginPath();
      this.context.arc(c, r, Math.sqrt(target.radiusMm ** 2 - off ** 2) / model.mmPerPixel, 0, 2 * Math.PI);
      this.context.stroke();
    }
    if (needle) this.drawNeedle(plane, normal, needle);
  }

  /**
   * The virtual needle projected on the image: solid where the shaft lies within the beam's
   * elevation thickness (±2.5 mm of the plane: what the ultrasound would show), dashed where it
   * is off-plane; the tip as a ring, filled when in plane.
   */
  private drawNeedle(plane: ImagePlane, normal: Vec3, needle: { tip: Vec3; hub: Vec3 }): void {
    const HALF_BEAM_MM = 2.5;
    const steps = 75;
    const context = this.context;
    const offPlane = (p: Vec3) => (p[0] - plane.centreInCt[0]) * normal[0] + (p[1] - plane.centreInCt[1]) * normal[1] + (p[2] - plane.centreInCt[2]) * normal[2];
    let previous: { c: number; r: number; inPlane: boolean } | undefined;
    for (let s = 0; s <= steps; s++) {
      const t = s / steps;
      const p: Vec3 = [needle.hub[0] + (needle.tip[0] - needle.hub[0]) * t, needle.hub[1] + (needle.tip[1] - needle.hub[1]) * t, needle.hub[2] + (needle.tip[2] - needle.hub[2]) * t];
      const [c, r] = ctToPlanePixel(plane, p);
      const inPlane = Math.abs(offPlane(p)) <= HALF_BEAM_MM;
      if (previous) {
        context.strokeStyle = inPlane ? '#ffe14d' : 'rgba(255, 225, 77, 0.55)';
        context.lineWidth = inPlane ? 2.5 : 1.5;
        context.setLineDash(inPlane ? [] : [5, 4]);
        context.beginPath();
        context.moveTo(previous.c, previous.r);
        context.lineTo(c, r);
        context.stroke();
      }
      previous = { c, r, inPlane };
    }
    context.setLineDash([]);
    const [tc, tr] = ctToPlanePixel(plane, needle.tip);
    context.beginPath();
    context.arc(tc, tr, 5, 0, 2 * Math.PI);
    context.strokeStyle = '#ffe14d';
    context.stroke();
    if (Math.abs(offPlane(needle.tip)) <= HALF_BEAM_MM) {
      context.fillStyle = '#ffe14d';
      context.fill();
    }
  }
}

/** The Ct plane of the probe image: pixel (c, r) ↦ ImageToCt · (c, r, 0). */
export function planeOf(imageToCt: Transform<'Image', 'Ct'>, model: ProbeModel): ImagePlane {
  return {
    centreInCt: applyToPoint(imageToCt, [(model.columns - 1) / 2, (model.rows - 1) / 2, 0]),
    right: normalize(applyToVector(imageToCt, [1, 0, 0])),
    down: normalize(applyToVector(imageToCt, [0, 1, 0])),
    columns: model.columns,
    rows: model.rows,
    mmPerPixel: model.mmPerPixel,
  };
}
