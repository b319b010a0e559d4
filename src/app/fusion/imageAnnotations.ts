import type { Vec3 } from '../../core/geometry/vec3';
import { ctToPlanePixel, type ImagePlane } from '../../core/reslice/reslicePlane';
import type { ProbeModel } from '../../core/tracking/probeModels';

/**
 * What both images of the fused display carry on top of their pixels: the orientation marker,
 * a depth scale in cm, the targets cut by the plane, the tracked needle (shaft, tip, and its
 * projected trajectory beyond the tip) and the in-plane indicator. Drawn in image pixels of the
 * probe's grid, so the ultrasound and the CT plane show them at the same place and scale.
 */
export interface ImageAnnotations {
  readonly plane: ImagePlane;
  /** Unit normal of the plane (Ct), for distances out of the plane. */
  readonly normal: Vec3;
  readonly model: ProbeModel;
  readonly depthMm: number;
  readonly targets: readonly { readonly centre: Vec3; readonly radiusMm: number }[];
  readonly needle?: { readonly tip: Vec3; readonly hub: Vec3 };
  /** The needle's angle to the plane and the tip's distance from it. */
  readonly inPlane?: { readonly angleDeg: number; readonly tipDistanceMm: number };
}

/** Half the elevation thickness of the beam, mm: a needle this close to the plane is "in plane". */
export const HALF_BEAM_MM = 2.5;
/** How far the projected trajectory runs beyond the tip, mm. */
const TRAJECTORY_MM = 80;

export function drawAnnotations(context: CanvasRenderingContext2D, a: ImageAnnotations): void {
  drawScannerMarks(context, a.model, a.depthMm);
  drawTargets(context, a);
  if (a.needle) drawNeedle(context, a.plane, a.normal, a.needle);
  if (a.inPlane) drawInPlaneIndicator(context, a.model, a.inPlane);
}

/**
 * Image pixels per CSS pixel of the canvas as displayed (1 when it is not on the page): text and
 * marks are drawn at a size in CSS pixels, so they stay legible however large the image shows.
 */
export function imagePixelsPerCssPixel(context: CanvasRenderingContext2D): number {
  const canvas = context.canvas;
  const shown = typeof HTMLCanvasElement !== 'undefined' && canvas instanceof HTMLCanvasElement ? canvas.clientWidth : 0;
  if (!(shown > 0) || canvas.width === 0) return 1;
  return Math.min(4, Math.max(0.25, canvas.width / shown));
}

/** Text with a dark outline, readable on bright speckle and on bone. */
function outlinedText(context: CanvasRenderingContext2D, text: string, x: number, y: number, outline: number): void {
  context.save();
  context.lineJoin = 'round';
  context.lineWidth = outline;
  context.strokeStyle = 'rgba(0, 0, 0, 0.85)';
  context.strokeText(text, x, y);
  context.restore();
  context.fillText(text, x, y);
}

/** What the scanner itself shows on its image, registered or not: the orientation marker and the depth scale. */
export function drawScannerMarks(context: CanvasRenderingContext2D, model: ProbeModel, depthMm: number): void {
  drawOrientationMarker(context, model);
  drawDepthScale(context, model, depthMm);
}

/** The marked side of the probe (image +x) at the top right, as scanners show it. */
function drawOrientationMarker(context: CanvasRenderingContext2D, model: ProbeModel): void {
  const px = imagePixelsPerCssPixel(context);
  context.fillStyle = '#4fa3ff';
  context.beginPath();
  context.arc(model.columns - 14 * px, 14 * px, 6 * px, 0, 2 * Math.PI);
  context.fill();
}

/** The depth labels' size as displayed, CSS px. */
const DEPTH_LABEL_CSS_PX = 13;

/**
 * Depth from the probe face in cm along the left edge: a major tick and label every cm, a minor
 * tick every 5 mm, down to the image depth. Labels are 13 CSS px as displayed, outlined.
 */
function drawDepthScale(context: CanvasRenderingContext2D, model: ProbeModel, depthMm: number): void {
  const maxMm = Math.min(depthMm, model.rows * model.mmPerPixel);
  const px = imagePixelsPerCssPixel(context);
  const fontPx = DEPTH_LABEL_CSS_PX * px;
  // The ticks keep the scanner's geometry in image pixels (1 px lines, 12 and 7 px long); the labels start right of them.
  const major = 12;
  const minor = 7;
  const labelX = 15;
  context.strokeStyle = '#c8d2dc';
  context.fillStyle = '#c8d2dc';
  context.lineWidth = 1;
  context.font = `600 ${fontPx.toFixed(1)}px system-ui, sans-serif`;
  context.textBaseline = 'middle';
  // Labels every cm, or every 2 cm when a cm is too short on screen for a readable label.
  const cmOnScreenCssPx = 10 / model.mmPerPixel / px;
  const labelEveryCm = cmOnScreenCssPx < DEPTH_LABEL_CSS_PX * 1.6 ? 2 : 1;
  for (let mm = 0; mm <= maxMm + 1e-6; mm += 5) {
    const row = mm / model.mmPerPixel;
    const isMajor = mm % 10 === 0;
    // On a pixel row's centre, so the 1 px tick is crisp rather than two half-grey rows.
    const y = Math.min(model.rows - 1, Math.round(row)) + 0.5;
    context.beginPath();
    context.moveTo(2, y);
    context.lineTo(isMajor ? major : minor, y);
    context.stroke();
    if (isMajor && mm > 0 && (mm / 10) % labelEveryCm === 0) outlinedText(context, String(mm / 10), labelX, Math.min(row, model.rows - fontPx / 2 - 1), 3 * px);
  }
  context.textBaseline = 'top';
  outlinedText(context, 'cm', labelX, 2, 3 * px);
  context.textBaseline = 'alphabetic';
}

function drawTargets(context: CanvasRenderingContext2D, a: ImageAnnotations): void {
  for (const target of a.targets) {
    const off = signedDistance(a.plane, a.normal, target.centre);
    if (Math.abs(off) >= target.radiusMm) continue;
    const [c, r] = ctToPlanePixel(a.plane, target.centre);
    context.strokeStyle = '#3dff7a';
    context.lineWidth = 1.5;
    context.beginPath();
    context.arc(c, r, Math.sqrt(target.radiusMm ** 2 - off ** 2) / a.model.mmPerPixel, 0, 2 * Math.PI);
    context.stroke();
    context.beginPath();
    context.moveTo(c - 4, r);
    context.lineTo(c + 4, r);
    context.moveTo(c, r - 4);
    context.lineTo(c, r + 4);
    context.stroke();
  }
}

const signedDistance = (plane: ImagePlane, normal: Vec3, p: Vec3) =>
  (p[0] - plane.centreInCt[0]) * normal[0] + (p[1] - plane.centreInCt[1]) * normal[1] + (p[2] - plane.centreInCt[2]) * normal[2];

/**
 * The needle projected on the image: solid where the shaft lies within the beam's elevation
 * thickness (what the ultrasound would show), dashed where it is off-plane; the tip as a ring,
 * filled when in plane; then the trajectory the tip would follow, dotted, 8 cm beyond the tip.
 */
function drawNeedle(context: CanvasRenderingContext2D, plane: ImagePlane, normal: Vec3, needle: { tip: Vec3; hub: Vec3 }): void {
  const steps = 75;
  const point = (t: number): Vec3 => [
    needle.hub[0] + (needle.tip[0] - needle.hub[0]) * t,
    needle.hub[1] + (needle.tip[1] - needle.hub[1]) * t,
    needle.hub[2] + (needle.tip[2] - needle.hub[2]) * t,
  ];
  let previous: [number, number] | undefined;
  for (let s = 0; s <= steps; s++) {
    const p = point(s / steps);
    const pixel = ctToPlanePixel(plane, p);
    const inPlane = Math.abs(signedDistance(plane, normal, p)) <= HALF_BEAM_MM;
    if (previous) {
      context.strokeStyle = inPlane ? '#ffe14d' : 'rgba(255, 225, 77, 0.55)';
      context.lineWidth = inPlane ? 2.5 : 1.5;
      context.setLineDash(inPlane ? [] : [5, 4]);
      context.beginPath();
      context.moveTo(previous[0], previous[1]);
      context.lineTo(pixel[0], pixel[1]);
      context.stroke();
    }
    previous = pixel;
  }
  const length = Math.hypot(needle.tip[0] - needle.hub[0], needle.tip[1] - needle.hub[1], needle.tip[2] - needle.hub[2]);
  if (length > 0) {
    const [tc, tr] = ctToPlanePixel(plane, needle.tip);
    const [ec, er] = ctToPlanePixel(plane, point(1 + TRAJECTORY_MM / length));
    context.strokeStyle = 'rgba(120, 220, 255, 0.9)';
    context.lineWidth = 1.5;
    context.setLineDash([2, 4]);
    context.beginPath();
    context.moveTo(tc, tr);
    context.lineTo(ec, er);
    context.stroke();
  }
  context.setLineDash([]);
  const [tc, tr] = ctToPlanePixel(plane, needle.tip);
  context.beginPath();
  context.arc(tc, tr, 5, 0, 2 * Math.PI);
  context.strokeStyle = '#ffe14d';
  context.lineWidth = 1.5;
  context.stroke();
  if (Math.abs(signedDistance(plane, normal, needle.tip)) <= HALF_BEAM_MM) {
    context.fillStyle = '#ffe14d';
    context.fill();
  }
}

/** Bottom right: the needle's angle to the plane and the tip's distance, green when in plane. */
function drawInPlaneIndicator(context: CanvasRenderingContext2D, model: ProbeModel, inPlane: { angleDeg: number; tipDistanceMm: number }): void {
  const ok = Math.abs(inPlane.tipDistanceMm) <= HALF_BEAM_MM && inPlane.angleDeg <= 5;
  const text = `needle ${inPlane.angleDeg.toFixed(0)}° to plane · tip ${inPlane.tipDistanceMm >= 0 ? '+' : '−'}${Math.abs(inPlane.tipDistanceMm).toFixed(1)} mm`;
  const px = imagePixelsPerCssPixel(context);
  context.font = `${(12 * px).toFixed(1)}px system-ui, sans-serif`;
  const width = context.measureText(text).width + 12 * px;
  // Bottom right, clear of the depth scale's labels on the left.
  const left = model.columns - width - 4 * px;
  context.fillStyle = 'rgba(0, 0, 0, 0.6)';
  context.fillRect(left, model.rows - 22 * px, width, 18 * px);
  context.fillStyle = ok ? '#3dff7a' : '#ffb347';
  context.fillText(text, left + 6 * px, model.rows - 9 * px);
}
