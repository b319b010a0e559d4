import type { Types } from '@cornerstonejs/core';
import type { AnalyticShape } from '../../core/phantom/avoidShapes';
import { applyToPoint, applyToVector, type Transform } from '../../core/frames/transform';
import type { Vec3 } from '../../core/geometry/vec3';
import { VIEW_NAMES, type OrthogonalViews, type ViewName } from './orthogonalViews';

/** A structure to draw where it cuts each plane (a case file's `avoid` entry). */
export interface NavigationStructure {
  readonly id: string;
  readonly name: string;
  readonly shape: AnalyticShape;
}

/**
 * What the planning views draw over the CT while navigating (all Ct, LPS mm). Every field is
 * optional but `showAvoid`, `follow` and `labels`:
 * - `tipInCt`: the needle tip (defaults to `needle.tip`); with `follow: 'tip'` the slices follow it.
 * - `needle`: the shaft, hub → tip, drawn projected on each plane (solid).
 * - `trajectory`: the extrapolated path beyond the tip (dashed).
 * - `usPlane`: the ultrasound image (Image px → Ct), `widthMm` × `depthMm` from its top-left
 *   pixel; drawn as its intersection line with each plane. `follow: 'probe'` follows its centre.
 * - `plannedPath`: entry → target (thin, with both ends marked).
 * - `avoid`: structures, drawn as their cross-sections with their names when `showAvoid`.
 */
export interface NavigationView {
  readonly tipInCt?: Vec3;
  readonly needle?: { readonly tip: Vec3; readonly hub: Vec3 };
  readonly trajectory?: { readonly from: Vec3; readonly to: Vec3 };
  readonly usPlane?: { readonly imageToCt: Transform<'Image', 'Ct'>; readonly widthMm: number; readonly depthMm: number };
  readonly plannedPath?: { readonly entry: Vec3; readonly target: Vec3 };
  readonly avoid?: readonly NavigationStructure[];
  readonly showAvoid: boolean;
  readonly follow: 'tip' | 'probe' | 'none';
  readonly labels: boolean;
}

export const NAVIGATION_COLOURS = {
  needle: '#ffd23f',
  trajectory: '#ffd23f',
  usPlane: '#ff9a3c',
  plannedPath: '#c77dff',
  avoid: '#ff4d6d',
  highlight: '#ff8fa3',
} as const;

/**
 * A 2D canvas over each planning view (data-testid="nav-overlay-<view>"), drawn with the
 * viewport's worldToCanvas: cheap enough for every tracker frame, and the volume is not rendered
 * again (only when the slices move). Redrawn when cornerstone renders a view (scroll, zoom, pan).
 */
export class NavigationOverlay {
  private readonly canvases = new Map<ViewName, HTMLCanvasElement>();
  private nav: NavigationView | undefined;
  private caseStructures: readonly NavigationStructure[] = [];
  private highlighted: string | undefined;

  constructor(private readonly views: OrthogonalViews) {
    for (const name of VIEW_NAMES) {
      const canvas = document.createElement('canvas');
      canvas.className = 'nav-overlay';
      canvas.dataset.testid = `nav-overlay-${name}`;
      views.element(name).appendChild(canvas);
      this.canvases.set(name, canvas);
    }
  }

  navigation(): NavigationView | undefined {
    return this.nav;
  }

  /** The case's structures, drawn only when highlighted (showStructure) while no navigation is shown. */
  setCaseStructures(structures: readonly NavigationStructure[]): void {
    this.caseStructures = structures;
    if (this.highlighted && !structures.some((s) => s.id === this.highlighted)) this.highlighted = undefined;
  }

  structure(id: string): NavigationStructure | undefined {
    return this.nav?.avoid?.find((s) => s.id === id) ?? this.caseStructures.find((s) => s.id === id);
  }

  set(nav: NavigationView | undefined): void {
    this.nav = nav;
  }

  highlight(id: string | undefined): void {
    this.highlighted = id;
  }

  drawAll(): void {
    for (const name of VIEW_NAMES) this.draw(name);
  }

  draw(name: ViewName): void {
    const canvas = this.canvases.get(name)!;
    const element = this.views.element(name);
    const width = element.clientWidth;
    const height = element.clientHeight;
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const context = canvas.getContext('2d')!;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, canvas.width, canvas.height);
    const nav = this.nav;
    const highlighted = this.highlighted ? this.structure(this.highlighted) : undefined;
    if (!nav && !highlighted) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const viewport = this.views.viewport(name);
    const camera = viewport.getCamera();
    if (!camera.viewPlaneNormal || !camera.focalPoint) return;
    const plane: Plane = { normal: [...camera.viewPlaneNormal] as Vec3, point: [...camera.focalPoint] as Vec3 };
    const toCanvas = (p: Vec3): [number, number] => {
      const c = viewport.worldToCanvas(p as Types.Point3);
      return [c[0], c[1]];
    };
    const mmToPx = pixelsPerMm(viewport);
    const labels: { text: string; at: [number, number]; colour: string }[] = [];
    const showLabels = nav?.labels ?? true;

    const structures = nav?.showAvoid ? (nav.avoid ?? []) : [];
    for (const s of structures) if (s.id !== highlighted?.id) this.drawStructure(context, s, plane, toCanvas, mmToPx, false, showLabels ? labels : undefined);
    if (highlighted) this.drawStructure(context, highlighted, plane, toCanvas, mmToPx, true, labels);

    if (nav?.plannedPath) {
      const a = toCanvas(nav.plannedPath.entry);
      const b = toCanvas(nav.plannedPath.target);
      stroke(context, [a, b], NAVIGATION_COLOURS.plannedPath, 1.5, []);
      dot(context, a, 3, NAVIGATION_COLOURS.plannedPath);
      ring(context, b, 5, NAVIGATION_COLOURS.plannedPath);
      if (showLabels) labels.push({ text: 'plan', at: [a[0] + 6, a[1] - 6], colour: NAVIGATION_COLOURS.plannedPath });
    }
    if (nav?.usPlane) {
      const segment = usPlaneCut(nav.usPlane, plane);
      if (segment) {
        const a = toCanvas(segment[0]);
        const b = toCanvas(segment[1]);
        stroke(context, [a, b], NAVIGATION_COLOURS.usPlane, 2, []);
        if (showLabels) labels.push({ text: 'US plane', at: [b[0] + 4, b[1] + 12], colour: NAVIGATION_COLOURS.usPlane });
      }
    }
    if (nav?.trajectory) {
      stroke(context, [toCanvas(nav.trajectory.from), toCanvas(nav.trajectory.to)], NAVIGATION_COLOURS.trajectory, 1.5, [6, 5]);
    }
    if (nav?.needle) {
      const hub = toCanvas(nav.needle.hub);
      const tip = toCanvas(nav.needle.tip);
      stroke(context, [hub, tip], 'rgba(0,0,0,0.7)', 4.5, []);
      stroke(context, [hub, tip], NAVIGATION_COLOURS.needle, 2.5, []);
    }
    const tipInCt = nav?.tipInCt ?? nav?.needle?.tip;
    if (tipInCt) {
      const tip = toCanvas(tipInCt);
      dot(context, tip, 3.5, NAVIGATION_COLOURS.needle);
      ring(context, tip, 6, '#000');
      if (showLabels) {
        const off = signedDistance(plane, tipInCt);
        labels.push({
          text: Math.abs(off) < 0.5 ? 'tip (in plane)' : `tip ${off > 0 ? '+' : '−'}${Math.abs(off).toFixed(1)} mm`,
          at: [tip[0] + 8, tip[1] - 8],
          colour: NAVIGATION_COLOURS.needle,
        });
      }
    }
    context.font = '11px system-ui, sans-serif';
    context.lineWidth = 3;
    context.strokeStyle = 'rgba(0,0,0,0.85)';
    context.textBaseline = 'alphabetic';
    for (const label of labels) {
      const x = Math.min(Math.max(2, label.at[0]), width - context.measureText(label.text).width - 2);
      const y = Math.min(Math.max(12, label.at[1]), height - 4);
      context.strokeText(label.text, x, y);
      context.fillStyle = label.colour;
      context.fillText(label.text, x, y);
    }
  }

  private drawStructure(
    context: CanvasRenderingContext2D,
    structure: NavigationStructure,
    plane: Plane,
    toCanvas: (p: Vec3) => [number, number],
    mmToPx: number,
    highlighted: boolean,
    labels: { text: string; at: [number, number]; colour: string }[] | undefined,
  ): void {
    const colour = highlighted ? NAVIGATION_COLOURS.highlight : NAVIGATION_COLOURS.avoid;
    const cut = crossSection(structure.shape, plane);
    if (!cut) return;
    context.beginPath();
    let labelAt: [number, number] | undefined;
    if (cut.kind === 'outline') {
      const pts = cut.points.map(toCanvas);
      pts.forEach((p, i) => (i === 0 ? context.moveTo(p[0], p[1]) : context.lineTo(p[0], p[1])));
      context.closePath();
      labelAt = pts.reduce((best, p) => (p[0] > best[0] ? p : best), pts[0]!);
    } else {
      for (const disc of cut.discs) {
        const c = toCanvas(disc.centre);
        const r = Math.max(1, disc.radiusMm * mmToPx);
        context.moveTo(c[0] + r, c[1]);
        context.arc(c[0], c[1], r, 0, Math.PI * 2);
        if (!labelAt || c[0] + r > labelAt[0]) labelAt = [c[0] + r, c[1]];
      }
    }
    context.globalAlpha = highlighted ? 0.45 : 0.22;
    context.fillStyle = colour;
    context.fill('nonzero');
    context.globalAlpha = 1;
    if (cut.kind === 'outline') {
      context.strokeStyle = colour;
      context.lineWidth = highlighted ? 2.5 : 1.25;
      context.stroke();
    } else if (highlighted) {
      // The union of the discs has no single outline path: a glow marks the chosen structure.
      context.save();
      context.shadowColor = colour;
      context.shadowBlur = 6;
      context.globalAlpha = 0.5;
      context.fill('nonzero');
      context.restore();
    }
    if (labels && labelAt) labels.push({ text: structure.name, at: [labelAt[0] + 4, labelAt[1] + 4], colour });
  }
}

interface Plane {
  readonly normal: Vec3;
  readonly point: Vec3;
}

type CrossSection = { kind: 'outline'; points: Vec3[] } | { kind: 'discs'; discs: { centre: Vec3; radiusMm: number }[] };

const dotV = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const addScaled = (a: Vec3, b: Vec3, s: number): Vec3 => [a[0] + b[0] * s, a[1] + b[1] * s, a[2] + b[2] * s];
const norm = (a: Vec3) => Math.hypot(a[0], a[1], a[2]);
const unit = (a: Vec3): Vec3 => {
  const l = norm(a) || 1;
  return [a[0] / l, a[1] / l, a[2] / l];
};
const crossV = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

export const signedDistance = (plane: Plane, p: Vec3) => dotV(sub(p, plane.point), plane.normal);

/** Two unit vectors spanning the plane perpendicular to `n`. */
function basis(n: Vec3): [Vec3, Vec3] {
  const helper: Vec3 = Math.abs(n[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const u = unit(crossV(n, helper));
  return [u, crossV(n, u)];
}

const CIRCLE_POINTS = 48;

/** Where a case shape cuts the plane: an outline (sphere, ellipsoid) or discs along a tube. */
export function crossSection(shape: AnalyticShape, plane: Plane): CrossSection | undefined {
  if (shape.type === 'sphere' || (shape.type === 'tube' && shape.points.length === 1)) {
    const centre = shape.type === 'sphere' ? shape.centre : shape.points[0]!;
    const d = signedDistance(plane, centre);
    if (Math.abs(d) >= shape.radiusMm) return undefined;
    const c = addScaled(centre, plane.normal, -d);
    const r = Math.sqrt(shape.radiusMm ** 2 - d ** 2);
    const [u, v] = basis(plane.normal);
    return { kind: 'outline', points: circle(c, u, v, r, r) };
  }
  if (shape.type === 'ellipsoid') {
    // x = A⁻¹(p − c) maps the ellipsoid to the unit sphere and the plane to another plane.
    const axes = shape.axes.map(unit) as [Vec3, Vec3, Vec3];
    const r = shape.radiiMm;
    const m: Vec3 = [r[0] * dotV(axes[0], plane.normal), r[1] * dotV(axes[1], plane.normal), r[2] * dotV(axes[2], plane.normal)];
    const mLength = norm(m);
    if (mLength < 1e-9) return undefined;
    const delta = dotV(plane.normal, sub(plane.point, shape.centre)) / mLength;
    if (Math.abs(delta) >= 1) return undefined;
    const mHat = unit(m);
    const rho = Math.sqrt(1 - delta * delta);
    const [u, v] = basis(mHat);
    const points: Vec3[] = [];
    for (let i = 0; i < CIRCLE_POINTS; i++) {
      const t = (i / CIRCLE_POINTS) * Math.PI * 2;
      const x: Vec3 = [
        delta * mHat[0] + rho * (Math.cos(t) * u[0] + Math.sin(t) * v[0]),
        delta * mHat[1] + rho * (Math.cos(t) * u[1] + Math.sin(t) * v[1]),
        delta * mHat[2] + rho * (Math.cos(t) * u[2] + Math.sin(t) * v[2]),
      ];
      let p = shape.centre;
      for (let k = 0; k < 3; k++) p = addScaled(p, axes[k]!, x[k]! * r[k]!);
      points.push(p);
    }
    return { kind: 'outline', points };
  }
  if (shape.type === 'tube') {
    // The tube as spheres every ≤ radius/2 along its axis: their union's cut is the tube's cut.
    const discs: { centre: Vec3; radiusMm: number }[] = [];
    const step = Math.max(0.25, shape.radiusMm / 2);
    for (let i = 0; i + 1 < shape.points.length; i++) {
      const a = shape.points[i]!;
      const b = shape.points[i + 1]!;
      const length = norm(sub(b, a));
      const n = Math.max(1, Math.ceil(length / step));
      for (let j = i === 0 ? 0 : 1; j <= n; j++) {
        const p = addScaled(a, sub(b, a), j / n);
        const d = signedDistance(plane, p);
        if (Math.abs(d) < shape.radiusMm) discs.push({ centre: addScaled(p, plane.normal, -d), radiusMm: Math.sqrt(shape.radiusMm ** 2 - d * d) });
      }
    }
    return discs.length > 0 ? { kind: 'discs', discs } : undefined;
  }
  return undefined;
}

function circle(c: Vec3, u: Vec3, v: Vec3, ru: number, rv: number): Vec3[] {
  const points: Vec3[] = [];
  for (let i = 0; i < CIRCLE_POINTS; i++) {
    const t = (i / CIRCLE_POINTS) * Math.PI * 2;
    points.push(addScaled(addScaled(c, u, Math.cos(t) * ru), v, Math.sin(t) * rv));
  }
  return points;
}

/** The ultrasound image's corners (Ct): top-left, top-right, bottom-right, bottom-left. */
export function usPlaneCorners(us: NonNullable<NavigationView['usPlane']>): [Vec3, Vec3, Vec3, Vec3] {
  const sx = norm(applyToVector(us.imageToCt, [1, 0, 0])) || 1;
  const sy = norm(applyToVector(us.imageToCt, [0, 1, 0])) || 1;
  const w = us.widthMm / sx;
  const h = us.depthMm / sy;
  return [applyToPoint(us.imageToCt, [0, 0, 0]), applyToPoint(us.imageToCt, [w, 0, 0]), applyToPoint(us.imageToCt, [w, h, 0]), applyToPoint(us.imageToCt, [0, h, 0])];
}

export function usPlaneCentre(us: NonNullable<NavigationView['usPlane']>): Vec3 {
  const [a, , c] = usPlaneCorners(us);
  return [(a[0] + c[0]) / 2, (a[1] + c[1]) / 2, (a[2] + c[2]) / 2];
}

/** The segment where the ultrasound image rectangle crosses the plane, or undefined. */
export function usPlaneCut(us: NonNullable<NavigationView['usPlane']>, plane: Plane): [Vec3, Vec3] | undefined {
  const corners = usPlaneCorners(us);
  const d = corners.map((c) => signedDistance(plane, c));
  const hits: Vec3[] = [];
  for (let i = 0; i < 4; i++) {
    const j = (i + 1) % 4;
    const di = d[i]!;
    const dj = d[j]!;
    if (di === 0) hits.push(corners[i]!);
    if ((di < 0 && dj > 0) || (di > 0 && dj < 0)) hits.push(addScaled(corners[i]!, sub(corners[j]!, corners[i]!), di / (di - dj)));
  }
  if (hits.length < 2) return undefined;
  // The two points furthest apart (a corner on the plane may be listed twice).
  let best: [Vec3, Vec3] = [hits[0]!, hits[1]!];
  let bestLength = -1;
  for (let i = 0; i < hits.length; i++)
    for (let j = i + 1; j < hits.length; j++) {
      const l = norm(sub(hits[i]!, hits[j]!));
      if (l > bestLength) {
        bestLength = l;
        best = [hits[i]!, hits[j]!];
      }
    }
  return best;
}

/** CSS pixels per mm in a viewport (orthographic: 2·parallelScale mm span the canvas height). */
function pixelsPerMm(viewport: Types.IVolumeViewport): number {
  const a = viewport.canvasToWorld([0, 0]);
  const b = viewport.canvasToWorld([100, 0]);
  return 100 / (Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]) || 1);
}

function stroke(context: CanvasRenderingContext2D, points: [number, number][], colour: string, width: number, dash: number[]): void {
  context.beginPath();
  points.forEach((p, i) => (i === 0 ? context.moveTo(p[0], p[1]) : context.lineTo(p[0], p[1])));
  context.setLineDash(dash);
  context.strokeStyle = colour;
  context.lineWidth = width;
  context.stroke();
  context.setLineDash([]);
}

function dot(context: CanvasRenderingContext2D, at: [number, number], r: number, colour: string): void {
  context.beginPath();
  context.arc(at[0], at[1], r, 0, Math.PI * 2);
  context.fillStyle = colour;
  context.fill();
}

function ring(context: CanvasRenderingContext2D, at: [number, number], r: number, colour: string): void {
  context.beginPath();
  context.arc(at[0], at[1], r, 0, Math.PI * 2);
  context.strokeStyle = colour;
  context.lineWidth = 1.5;
  context.stroke();
}
