import type { Types } from '@cornerstonejs/core';
import { patientDirectionLetter } from '../../core/volume/describeVolume';
import type { Vec3 } from '../../core/geometry/vec3';
import { VIEW_NAMES, type OrthogonalViews, type ViewName } from './orthogonalViews';

/** A sphere to draw where it cuts a view's plane: a target's acceptance region, a fiducial bead. */
export interface OverlayMark {
  readonly centreInCt: Vec3;
  readonly radiusMm: number;
  readonly colour: string;
  readonly label?: string;
}

/** One colour per plane, used for the view's frame and for that plane's line in the other views. */
export const PLANE_COLOURS: Record<ViewName, string> = { axial: '#ff5a4e', sagittal: '#f5d442', coronal: '#4cd97b' };
const SVG = 'http://www.w3.org/2000/svg';

/**
 * Draws over each view, in CSS pixels: the crosshair (the other two planes' lines through the
 * crosshair point), patient-direction letters at the edges and the plane's position.
 */
export class ViewOverlay {
  private readonly svgs = new Map<ViewName, SVGSVGElement>();

  constructor(private readonly views: OrthogonalViews) {
    for (const name of VIEW_NAMES) {
      const svg = document.createElementNS(SVG, 'svg');
      svg.classList.add('view-overlay');
      svg.dataset.testid = `overlay-${name}`;
      svg.style.borderColor = PLANE_COLOURS[name];
      views.element(name).appendChild(svg);
      this.svgs.set(name, svg);
    }
  }

  /**
   * `crosshairLines`: false when cornerstone's CrosshairsTool draws them (the planning views);
   * the title then also gives the slice number along the view's normal.
   */
  draw(name: ViewName, crosshairInCt: Vec3, marks: readonly OverlayMark[] = [], crosshairLines = true): void {
    const svg = this.svgs.get(name)!;
    const viewport = this.views.viewport(name);
    const camera = viewport.getCamera();
    const normal = camera.viewPlaneNormal!;
    const viewUp = camera.viewUp!;
    const { clientWidth: width, clientHeight: height } = this.views.element(name);
    const parts: string[] = [];
    const centre = viewport.worldToCanvas(crosshairInCt as Types.Point3);
    for (const other of crosshairLines ? VIEW_NAMES : []) {
      if (other === name) continue;
      const otherNormal = this.views.viewport(other).getCamera().viewPlaneNormal!;
      const direction = cross(normal, otherNormal);
      const reach = 10_000; // mm: far beyond any volume, the SVG clips the line
      const a = viewport.worldToCanvas(add(crosshairInCt, direction, reach));
      const b = viewport.worldToCanvas(add(crosshairInCt, direction, -reach));
      parts.push(`<line x1="${a[0]}" y1="${a[1]}" x2="${b[0]}" y2="${b[1]}" stroke="${PLANE_COLOURS[other]}" stroke-width="1" stroke-opacity="0.85"/>`);
    }
    if (crosshairLines) parts.push(`<circle cx="${centre[0]}" cy="${centre[1]}" r="3" fill="none" stroke="white" stroke-opacity="0.8"/>`);
    // Marks cut by this view's plane, drawn at their true size in the plane.
    const focal = viewport.getCamera().focalPoint!;
    const right = cross(viewUp, normal);
    for (const mark of marks) {
      const c = mark.centreInCt;
      const off = (c[0] - focal[0]) * normal[0] + (c[1] - focal[1]) * normal[1] + (c[2] - focal[2]) * normal[2];
      if (Math.abs(off) >= mark.radiusMm) continue;
      const inPlane: Vec3 = [c[0] - normal[0] * off, c[1] - normal[1] * off, c[2] - normal[2] * off];
      const rMm = Math.sqrt(mark.radiusMm ** 2 - off ** 2);
      const p = viewport.worldToCanvas(inPlane as Types.Point3);
      const q = viewport.worldToCanvas(add(inPlane, right, rMm));
      const rPx = Math.max(2, Math.hypot(q[0] - p[0], q[1] - p[1]));
      parts.push(`<circle cx="${p[0]}" cy="${p[1]}" r="${rPx}" fill="none" stroke="${mark.colour}" stroke-width="1.5"/>`);
      if (mark.label) parts.push(`<text x="${p[0] + rPx + 3}" y="${p[1] + 4}" class="mark-label" fill="${mark.colour}">${escapeText(mark.label)}</text>`);
    }
    // Screen right is viewUp × viewPlaneNormal; screen up is viewUp.
    const up: Vec3 = [viewUp[0], viewUp[1], viewUp[2]];
    const label = (text: string, x: number, y: number, anchor: string) => `<text x="${x}" y="${y}" text-anchor="${anchor}" class="orientation-label">${text}</text>`;
    parts.push(label(patientDirectionLetter(right), width - 8, height / 2 + 5, 'end'));
    parts.push(label(patientDirectionLetter(scale(right, -1)), 8, height / 2 + 5, 'start'));
    parts.push(label(patientDirectionLetter(up), width / 2, 18, 'middle'));
    parts.push(label(patientDirectionLetter(scale(up, -1)), width / 2, height - 8, 'middle'));
    const axis = name === 'axial' ? 2 : name === 'sagittal' ? 0 : 1;
    const axisName = ['x', 'y', 'z'][axis];
    let slice = '';
    if (!crosshairLines) {
      const count = viewport.getNumberOfSlices?.();
      const index = viewport.getSliceIndex?.();
      if (count && index !== undefined) slice = ` · slice <tspan data-testid="slice-${name}">${index + 1}</tspan>/${count}`;
    }
    parts.push(
      `<text x="8" y="18" class="view-title" fill="${PLANE_COLOURS[name]}">${name[0]!.toUpperCase() + name.slice(1)} · ${axisName} = ${crosshairInCt[axis]!.toFixed(1)} mm${slice}</text>`,
    );
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.innerHTML = parts.join('');
  }
}

const cross = (a: readonly number[], b: readonly number[]): Vec3 => [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
const add = (p: Vec3, d: Vec3, s: number): Types.Point3 => [p[0] + d[0] * s, p[1] + d[1] * s, p[2] + d[2] * s];
const scale = (v: Vec3, s: number): Vec3 => [v[0] * s, v[1] * s, v[2] * s];

const escapeText = (text: string) => text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
