import { applyToPoint, applyToVector, type Transform } from '../../core/frames/transform';
import { normalize } from '../../core/geometry/vec3';
import { reslicePlane, type ImagePlane } from '../../core/reslice/reslicePlane';
import { drawAnnotations, imagePixelsPerCssPixel, type ImageAnnotations } from './imageAnnotations';
import { COLOUR_MAPS, type ColourMapName } from './colourMaps';
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
  private greys: Uint8ClampedArray | undefined;
  private overlayCanvas: HTMLCanvasElement | undefined;
  private overlayStale = true;
  private overlayMap: ColourMapName | undefined;
  /** The message shown while there is no fused plane, redrawn when the grid or the displayed size changes. */
  private clearedMessage: string | undefined;
  /** The ultrasound canvas beside this one (same probe grid), when on the page. */
  private readonly partner: HTMLCanvasElement | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.context = canvas.getContext('2d')!;
    const partner = canvas.closest('.fusion-pair')?.querySelector<HTMLCanvasElement>('canvas:not(#' + canvas.id + ')') ?? undefined;
    this.partner = partner ?? undefined;
    // While cleared, the message follows the ultrasound's grid (the CT plane has the same one once
    // fused) and the size the canvas is displayed at, so it reads the same at every layout.
    const redraw = () => this.clearedMessage !== undefined && this.clear(this.clearedMessage);
    if (this.partner) new MutationObserver(redraw).observe(this.partner, { attributes: true, attributeFilter: ['width', 'height'] });
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(redraw).observe(canvas);
  }

  clear(message: string): void {
    this.clearedMessage = message;
    // The grid of the image beside it (or of the last probe), so both images have one shape.
    const grid = this.partner && Number(this.partner.dataset.frames ?? 0) > 0 ? { columns: this.partner.width, rows: this.partner.height } : this.maskModel;
    if (grid && (this.canvas.width !== grid.columns || this.canvas.height !== grid.rows)) {
      this.canvas.width = grid.columns;
      this.canvas.height = grid.rows;
    }
    this.context.fillStyle = '#000';
    this.context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    // 14 CSS px as displayed, wrapped to the image's width.
    const px = imagePixelsPerCssPixel(this.context);
    this.context.fillStyle = '#93a1ad';
    this.context.font = `${(14 * px).toFixed(1)}px system-ui, sans-serif`;
    this.context.textBaseline = 'alphabetic';
    let y = 28 * px;
    for (const line of wrapText(this.context, message, this.canvas.width - 32 * px)) {
      this.context.fillText(line, 16 * px, y);
      y += 19 * px;
    }
  }

  render(
    volume: CtVolume,
    model: ProbeModel,
    imageToCt: Transform<'Image', 'Ct'>,
    window: HuWindow,
    annotations: Omit<ImageAnnotations, 'plane' | 'normal' | 'model'>,
  ): ImageAnnotations {
    this.clearedMessage = undefined;
    if (this.canvas.width !== model.columns || this.canvas.height !== model.rows) {
      this.canvas.width = model.columns;
      this.canvas.height = model.rows;
    }
    if (this.maskModel !== model) {
      this.mask = new Uint8Array(model.columns * model.rows);
      for (let r = 0; r < model.rows; r++) for (let c = 0; c < model.columns; c++) this.mask[r * model.columns + c] = isInFieldOfView(model, c, r) ? 1 : 0;
      this.maskModel = model;
      this.hu = new Float32Array(model.columns * model.rows);
      this.greys = new Uint8ClampedArray(model.columns * model.rows);
      this.image = this.context.createImageData(model.columns, model.rows);
    }
    const plane = planeOf(imageToCt, model);
    const hu = reslicePlane(volume, plane, -1024, this.hu);
    const image = this.image!;
    const greys = this.greys!;
    const { lower, upper } = windowToHuRange(window);
    const scale = 255 / (upper - lower);
    const mask = this.mask!;
    for (let p = 0; p < hu.length; p++) {
      const grey = mask[p] ? Math.max(0, Math.min(255, (hu[p]! - lower) * scale)) : 0;
      greys[p] = grey;
      image.data[p * 4] = grey;
      image.data[p * 4 + 1] = grey;
      image.data[p * 4 + 2] = grey;
      image.data[p * 4 + 3] = 255;
    }
    this.context.putImageData(image, 0, 0);
    this.overlayStale = true;
    const all: ImageAnnotations = { ...annotations, plane, normal: normalize(applyToVector(imageToCt, [0, 0, 1])), model };
    drawAnnotations(this.context, all);
    return all;
  }

  /**
   * The last CT plane through a colour map, transparent outside the field of view: what the
   * fused display blends onto the ultrasound (without the annotations, drawn once on top).
   */
  overlay(colourMap: ColourMapName): HTMLCanvasElement | undefined {
    const greys = this.greys;
    const model = this.maskModel;
    if (!greys || !model) return undefined;
    if (!this.overlayStale && this.overlayMap === colourMap && this.overlayCanvas) return this.overlayCanvas;
    const canvas = (this.overlayCanvas ??= document.createElement('canvas'));
    canvas.width = model.columns;
    canvas.height = model.rows;
    const context = canvas.getContext('2d')!;
    const image = context.createImageData(model.columns, model.rows);
    const lut = COLOUR_MAPS[colourMap];
    const mask = this.mask!;
    for (let p = 0; p < greys.length; p++) {
      const g = greys[p]!;
      image.data[p * 4] = lut[g * 3]!;
      image.data[p * 4 + 1] = lut[g * 3 + 1]!;
      image.data[p * 4 + 2] = lut[g * 3 + 2]!;
      image.data[p * 4 + 3] = mask[p] ? 255 : 0;
    }
    context.putImageData(image, 0, 0);
    this.overlayStale = false;
    this.overlayMap = colourMap;
    return canvas;
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

/** Words into lines no wider than `width` (canvas px) in the context's font. */
function wrapText(context: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && context.measureText(next).width > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}
