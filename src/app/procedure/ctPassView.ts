import { burnIntoImage } from '../../core/ctpass/burnIntoImage';
import type { InjectateInCt } from '../../core/ctpass/burnInjectates';
import { axialSliceThrough, confirmationPlanes, sagittalThrough } from '../../core/ctpass/confirmationPlanes';
import type { MetalNeedleInCt } from '../../core/ctpass/needleInCt';
import type { Vec3 } from '../../core/geometry/vec3';
import { reslicePlane, type ImagePlane } from '../../core/reslice/reslicePlane';
import type { CtVolume } from '../../core/volume/ctVolume';
import { centreInCt } from '../../core/volume/volumeGeometry';
import { dragWindow, windowToHuRange, type HuWindow } from '../../core/volume/windowPresets';
import { orientAxialLikePlanning, orientLikeAxial, sliceIndexOf } from './ctPassOrientation';

/**
 * The images of a confirmation CT pass, side by side: the axial slice through the tip and a
 * reformat along the needle, with the true needle and the injectates burned in (core/ctpass).
 * Each image is drawn at its own pixel grid and carries its label, the patient-direction
 * letters at its edges and a 1 cm scale bar; the caption under it gives the slice, the shaft
 * inside the body and the window.
 *
 * Without a needle (a final CT after withdrawal) the axial goes through the first injectate
 * (or the volume's centre) and the second image is a sagittal reformat through the same point.
 *
 * Orientation: the axial is shown as the planning axial (cornerstone's AXIAL: patient left on
 * screen right, posterior down, whatever the scan's row/column directions: a prone scan is no
 * longer turned 180°), and the second image's right agrees with it (see ctPassOrientation).
 * Interaction, as in the planning views: wheel scrolls (the axial one slice, the reformat 1 mm
 * along its normal), left drag windows (horizontal width, vertical level), double click returns
 * to the pass's own slice and window.
 *
 * DOM: a heading (data-testid="ctpass-title"), canvases data-testid="ctpass-axial" and
 * "ctpass-oblique" (data-slice: the axial's slice index, 0-based; data-window "W/L").
 * The view only draws; it keeps no procedure state.
 */
export class CtPassView {
  readonly element: HTMLElement;
  private readonly title: HTMLHeadingElement;
  private readonly panels: Record<PanelName, Panel>;
  private shown: Shown | undefined;
  private window: HuWindow = { width: 400, level: 40 };

  constructor(container: HTMLElement) {
    this.element = document.createElement('section');
    this.element.className = 'ctpass';
    this.element.style.cssText = 'display:flex;flex-direction:column;gap:6px;min-width:0;';
    this.title = document.createElement('h3');
    this.title.dataset.testid = 'ctpass-title';
    this.title.style.cssText = 'margin:0;font:600 14px system-ui,sans-serif;';
    const row = document.createElement('div');
    row.style.cssText = 'display:flex;gap:8px;min-width:0;';
    const panel = (testId: string) => {
      const figure = document.createElement('figure');
      figure.style.cssText = 'margin:0;flex:1 1 0;min-width:0;display:flex;flex-direction:column;gap:2px;';
      const canvas = document.createElement('canvas');
      canvas.dataset.testid = testId;
      canvas.style.cssText = 'width:100%;height:auto;background:#000;display:block;';
      const caption = document.createElement('figcaption');
      caption.style.cssText = 'font:12px system-ui,sans-serif;color:#93a1ad;';
      figure.append(canvas, caption);
      row.append(figure);
      return { canvas, caption };
    };
    this.panels = { axial: panel('ctpass-axial'), oblique: panel('ctpass-oblique') };
    for (const name of ['axial', 'oblique'] as const) this.attach(name);
    this.element.append(this.title, row);
    container.append(this.element);
    this.clear();
  }

  show(volume: CtVolume, needle: MetalNeedleInCt | undefined, injectates: readonly InjectateInCt[], window: HuWindow, passNumber: number, doseText: string): void {
    this.title.textContent = doseText ? `CT pass ${passNumber} · ${doseText}` : `CT pass ${passNumber}`;
    this.window = window;
    if (needle) {
      const planes = confirmationPlanes(volume, needle);
      const axial = orientAxialLikePlanning(planes.axial);
      const oblique = orientLikeAxial(planes.oblique, axial);
      this.shown = {
        volume,
        needle,
        injectates,
        window,
        axial: {
          plane: axial,
          initial: axial,
          label: `CT pass ${passNumber} · axial through the tip`,
          details: () => `slice ${sliceIndexOf(volume.geometry, this.shown!.axial.plane.centreInCt) + 1} of ${volume.geometry.dimensions[2]}`,
        },
        oblique: {
          plane: oblique,
          initial: oblique,
          label: `CT pass ${passNumber} · oblique along the needle`,
          details: () => `${offsetText(this.shown!.oblique)} · ${Math.round(planes.insertedMm)} mm of shaft inside`,
        },
      };
    } else {
      const point: Vec3 = injectates[0]?.centre ?? centreInCt(volume.geometry);
      const where = injectates.length > 0 ? 'the injectate' : 'the volume centre';
      const axial = orientAxialLikePlanning(axialSliceThrough(volume.geometry, point).plane);
      const sagittal = orientLikeAxial(sagittalThrough(volume.geometry, point), axial);
      this.shown = {
        volume,
        needle: undefined,
        injectates,
        window,
        axial: {
          plane: axial,
          initial: axial,
          label: `CT pass ${passNumber} · axial through ${where}`,
          details: () => `no needle · slice ${sliceIndexOf(volume.geometry, this.shown!.axial.plane.centreInCt) + 1} of ${volume.geometry.dimensions[2]}`,
        },
        oblique: {
          plane: sagittal,
          initial: sagittal,
          label: `CT pass ${passNumber} · sagittal through ${where}`,
          details: () => `no needle · ${offsetText(this.shown!.oblique)}`,
        },
      };
    }
    this.paint('axial');
    this.paint('oblique');
  }

  /** Moves an image's plane along its normal: the axial by whole slices, the other by mm. */
  scroll(name: PanelName, steps: number): void {
    const shown = this.shown;
    if (!shown) return;
    const view = shown[name];
    const { geometry } = shown.volume;
    const normal = cross(view.plane.right, view.plane.down);
    let stepMm = 1;
    if (name === 'axial') {
      // One slice: the spacing along the slice axis, projected on this plane's normal.
      const k = geometry.axesInCt[2];
      const along = normal[0] * k[0] + normal[1] * k[1] + normal[2] * k[2];
      const nz = geometry.dimensions[2];
      const index = sliceIndexOf(geometry, view.plane.centreInCt);
      const next = Math.max(0, Math.min(nz - 1, index + Math.sign(along || 1) * steps));
      stepMm = ((next - index) * geometry.spacingMm[2]) / (along || 1);
      steps = 1;
    }
    const c = view.plane.centreInCt;
    view.plane = { ...view.plane, centreInCt: [c[0] + normal[0] * stepMm * steps, c[1] + normal[1] * stepMm * steps, c[2] + normal[2] * stepMm * steps] };
    this.schedule(name);
  }

  setWindow(window: HuWindow): void {
    this.window = window;
    this.schedule('axial');
    this.schedule('oblique');
  }

  currentWindow(): HuWindow {
    return this.window;
  }

  /** Back to the pass's own planes and window. */
  reset(): void {
    if (!this.shown) return;
    this.shown.axial.plane = this.shown.axial.initial;
    this.shown.oblique.plane = this.shown.oblique.initial;
    this.setWindow(this.shown.window);
  }

  private readonly pending = new Set<PanelName>();
  private frame = 0;

  private schedule(name: PanelName): void {
    this.pending.add(name);
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      for (const n of this.pending) this.paint(n);
      this.pending.clear();
    });
  }

  private attach(name: PanelName): void {
    const { canvas } = this.panels[name];
    canvas.addEventListener(
      'wheel',
      (event) => {
        if (!this.shown) return;
        event.preventDefault();
        this.scroll(name, event.deltaY > 0 ? 1 : -1);
      },
      { passive: false },
    );
    canvas.addEventListener('pointerdown', (event) => {
      if (!this.shown || event.button !== 0) return;
      canvas.setPointerCapture(event.pointerId);
      const start = [event.clientX, event.clientY] as const;
      const atStart = this.window;
      const move = (e: PointerEvent) => this.setWindow(dragWindow(atStart, e.clientX - start[0], e.clientY - start[1]));
      const up = () => {
        canvas.removeEventListener('pointermove', move);
        canvas.removeEventListener('pointerup', up);
        canvas.removeEventListener('pointercancel', up);
      };
      canvas.addEventListener('pointermove', move);
      canvas.addEventListener('pointerup', up);
      canvas.addEventListener('pointercancel', up);
    });
    canvas.addEventListener('dblclick', () => this.reset());
  }

  clear(): void {
    this.shown = undefined;
    this.title.textContent = 'No CT pass yet';
    for (const { canvas, caption } of Object.values(this.panels)) {
      canvas.width = 256;
      canvas.height = 256;
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#000';
      context.fillRect(0, 0, canvas.width, canvas.height);
      caption.textContent = '';
    }
  }

  private paint(name: PanelName): void {
    const shown = this.shown;
    if (!shown) return;
    const panel = this.panels[name];
    const { plane, label } = shown[name];
    const { volume, needle, injectates } = shown;
    const window = this.window;
    const { canvas } = panel;
    if (canvas.width !== plane.columns) canvas.width = plane.columns;
    if (canvas.height !== plane.rows) canvas.height = plane.rows;
    const context = canvas.getContext('2d')!;
    const hu = burnIntoImage(reslicePlane(volume, plane), plane, volume.geometry, needle, injectates, {});
    const image = context.createImageData(plane.columns, plane.rows);
    const { lower, upper } = windowToHuRange(window);
    const scale = 255 / (upper - lower);
    for (let p = 0; p < hu.length; p++) {
      const grey = Math.max(0, Math.min(255, (hu[p]! - lower) * scale));
      image.data[p * 4] = grey;
      image.data[p * 4 + 1] = grey;
      image.data[p * 4 + 2] = grey;
      image.data[p * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
    drawLabels(context, plane, label);
    const windowText = `W ${Math.round(window.width)} / L ${Math.round(window.level)}`;
    const details = `${shown[name].details()} · ${windowText}`;
    panel.caption.textContent = details;
    canvas.dataset.window = `${Math.round(window.width)}/${Math.round(window.level)}`;
    if (name === 'axial') canvas.dataset.slice = String(sliceIndexOf(volume.geometry, plane.centreInCt));
    canvas.setAttribute('aria-label', `${label} (${details})`);
    canvas.title = 'Wheel: scroll · drag: window/level · double click: back to the pass';
  }
}

type PanelName = 'axial' | 'oblique';
interface Panel {
  readonly canvas: HTMLCanvasElement;
  readonly caption: HTMLElement;
}
interface ShownPlane {
  plane: ImagePlane;
  readonly initial: ImagePlane;
  readonly label: string;
  readonly details: () => string;
}
interface Shown {
  readonly volume: CtVolume;
  readonly needle: MetalNeedleInCt | undefined;
  readonly injectates: readonly InjectateInCt[];
  readonly window: HuWindow;
  readonly axial: ShownPlane;
  readonly oblique: ShownPlane;
}

const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

function offsetText(view: ShownPlane): string {
  const n = cross(view.initial.right, view.initial.down);
  const c = view.plane.centreInCt;
  const i = view.initial.centreInCt;
  const off = (c[0] - i[0]) * n[0] + (c[1] - i[1]) * n[1] + (c[2] - i[2]) * n[2];
  return Math.abs(off) < 0.05 ? 'tip at the centre' : `plane ${off > 0 ? '+' : '−'}${Math.abs(off).toFixed(0)} mm from the tip`;
}

/** Caption at the top left, direction letters at the edge midpoints, a 1 cm bar at the bottom right. */
function drawLabels(context: CanvasRenderingContext2D, plane: ImagePlane, label: string): void {
  const { columns: width, rows: height } = plane;
  context.font = '12px system-ui, sans-serif';
  context.lineWidth = 3;
  context.strokeStyle = 'rgba(0,0,0,0.85)';
  context.fillStyle = '#e6edf3';
  const text = (value: string, x: number, y: number, align: CanvasTextAlign, baseline: CanvasTextBaseline) => {
    context.textAlign = align;
    context.textBaseline = baseline;
    context.strokeText(value, x, y);
    context.fillText(value, x, y);
  };
  text(label, 6, 6, 'left', 'top');
  const minus = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];
  // Just above the middle row: the oblique's needle runs along it.
  text(directionLetters(plane.right), width - 6, height / 2 - 8, 'right', 'bottom');
  text(directionLetters(minus(plane.right)), 6, height / 2 - 8, 'left', 'bottom');
  text(directionLetters(minus(plane.down)), width / 2, 22, 'center', 'top');
  text(directionLetters(plane.down), width / 2, height - 6, 'center', 'bottom');

  const barPixels = 10 / plane.mmPerPixel;
  const x1 = width - 12;
  const x0 = x1 - barPixels;
  const y = height - 14;
  context.strokeStyle = '#e6edf3';
  context.lineWidth = 2;
  context.beginPath();
  context.moveTo(x0, y - 4);
  context.lineTo(x0, y);
  context.lineTo(x1, y);
  context.lineTo(x1, y - 4);
  context.stroke();
  context.lineWidth = 3;
  context.strokeStyle = 'rgba(0,0,0,0.85)';
  text('1 cm', (x0 + x1) / 2, y - 5, 'center', 'bottom');
}

/**
 * Patient-direction letters of a Ct (LPS) direction: each axis whose component is at least 0.3,
 * the largest first ("A", or "AR" for a direction between anterior and right), as oblique
 * reformats are labelled.
 */
export function directionLetters(directionInCt: Vec3): string {
  const parts: { letter: string; size: number }[] = [];
  const letters: readonly (readonly [string, string])[] = [
    ['L', 'R'],
    ['P', 'A'],
    ['S', 'I'],
  ];
  for (let axis = 0; axis < 3; axis++) {
    const c = directionInCt[axis]!;
    if (Math.abs(c) >= 0.3) parts.push({ letter: c > 0 ? letters[axis]![0] : letters[axis]![1], size: Math.abs(c) });
  }
  return parts
    .sort((a, b) => b.size - a.size)
    .map((p) => p.letter)
    .join('');
}
