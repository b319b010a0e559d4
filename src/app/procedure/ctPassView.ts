import { burnIntoImage } from '../../core/ctpass/burnIntoImage';
import type { InjectateInCt } from '../../core/ctpass/burnInjectates';
import { axialSliceThrough, confirmationPlanes, sagittalThrough } from '../../core/ctpass/confirmationPlanes';
import type { MetalNeedleInCt } from '../../core/ctpass/needleInCt';
import type { Vec3 } from '../../core/geometry/vec3';
import { reslicePlane, type ImagePlane } from '../../core/reslice/reslicePlane';
import type { CtVolume } from '../../core/volume/ctVolume';
import { centreInCt } from '../../core/volume/volumeGeometry';
import { windowToHuRange, type HuWindow } from '../../core/volume/windowPresets';

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
 * DOM: a heading (data-testid="ctpass-title"), canvases data-testid="ctpass-axial" and
 * "ctpass-oblique". The view only draws; it keeps no procedure state.
 */
export class CtPassView {
  readonly element: HTMLElement;
  private readonly title: HTMLHeadingElement;
  private readonly panels: Record<'axial' | 'oblique', { canvas: HTMLCanvasElement; caption: HTMLElement }>;

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
    this.element.append(this.title, row);
    container.append(this.element);
    this.clear();
  }

  show(volume: CtVolume, needle: MetalNeedleInCt | undefined, injectates: readonly InjectateInCt[], window: HuWindow, passNumber: number, doseText: string): void {
    this.title.textContent = doseText ? `CT pass ${passNumber} · ${doseText}` : `CT pass ${passNumber}`;
    const windowText = `W ${Math.round(window.width)} / L ${Math.round(window.level)}`;
    const slices = volume.geometry.dimensions[2];
    if (needle) {
      const planes = confirmationPlanes(volume, needle);
      this.paint(this.panels.axial, volume, planes.axial, needle, injectates, window, `CT pass ${passNumber} · axial through the tip`, `slice ${planes.sliceIndex + 1} of ${slices} · ${windowText}`);
      this.paint(this.panels.oblique, volume, planes.oblique, needle, injectates, window, `CT pass ${passNumber} · oblique along the needle`, `tip at the centre · ${Math.round(planes.insertedMm)} mm of shaft inside · ${windowText}`);
      return;
    }
    const point: Vec3 = injectates[0]?.centre ?? centreInCt(volume.geometry);
    const where = injectates.length > 0 ? 'the injectate' : 'the volume centre';
    const slice = axialSliceThrough(volume.geometry, point);
    this.paint(this.panels.axial, volume, slice.plane, undefined, injectates, window, `CT pass ${passNumber} · axial through ${where}`, `no needle · slice ${slice.sliceIndex + 1} of ${slices} · ${windowText}`);
    this.paint(this.panels.oblique, volume, sagittalThrough(volume.geometry, point), undefined, injectates, window, `CT pass ${passNumber} · sagittal through ${where}`, `no needle · ${windowText}`);
  }

  clear(): void {
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

  private paint(
    panel: { canvas: HTMLCanvasElement; caption: HTMLElement },
    volume: CtVolume,
    plane: ImagePlane,
    needle: MetalNeedleInCt | undefined,
    injectates: readonly InjectateInCt[],
    window: HuWindow,
    label: string,
    details: string,
  ): void {
    const { canvas } = panel;
    canvas.width = plane.columns;
    canvas.height = plane.rows;
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
    panel.caption.textContent = details;
    canvas.setAttribute('aria-label', `${label} (${details})`);
  }
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
  const letters: readonly (readonly [string, string])[] = [['L', 'R'], ['P', 'A'], ['S', 'I']];
  for (let axis = 0; axis < 3; axis++) {
    const c = directionInCt[axis]!;
    if (Math.abs(c) >= 0.3) parts.push({ letter: c > 0 ? letters[axis]![0] : letters[axis]![1], size: Math.abs(c) });
  }
  return parts.sort((a, b) => b.size - a.size).map((p) => p.letter).join('');
}
