import type { Transform } from '../../core/frames/transform';
import type { ProbeModel } from '../../core/tracking/probeModels';
import { colourDoppler, defaultColourBox, DEFAULT_DOPPLER_SETTINGS, type ColourBox, type ColourDopplerFrame, type DopplerSettings } from '../../core/ultrasound/colorDoppler';
import type { DopplerVessel } from '../../core/ultrasound/colorDopplerFlow';
import { dopplerColour } from './dopplerColours';

/** Smallest box: 8 % of the lines wide, 4 mm deep. */
const MIN_WIDTH = 0.08;
const MIN_DEPTH_MM = 4;
/** How close to the box's bottom-right corner a drag resizes instead of moving it, canvas pixels. */
const CORNER_PX = 14;

/**
 * The scanner's colour Doppler mode on the ultrasound image: on/off, the colour box (moved by
 * dragging it or Shift+arrows, resized by dragging its bottom-right corner or [ ] (width) and
 * - = (height)), the velocity scale, and the colour painted over the B-mode inside the box with a
 * velocity scale bar (red towards the probe, blue away). Computed on the main thread: the box is
 * small (a few tens of thousands of pixels, a few ms; measured as `colour-doppler`).
 */
export class DopplerOverlay {
  on = false;
  settings: DopplerSettings = DEFAULT_DOPPLER_SETTINGS;
  private box: ColourBox | undefined;
  private last: ColourDopplerFrame | undefined;
  private drag: { kind: 'move' | 'resize'; x: number; y: number; box: ColourBox } | undefined;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly current: () => { model: ProbeModel; depthMm: number } | undefined,
    private readonly changed: () => void,
  ) {
    canvas.addEventListener('pointerdown', (event) => this.pointerDown(event));
    canvas.addEventListener('pointermove', (event) => this.pointerMove(event));
    canvas.addEventListener('pointerup', () => (this.drag = undefined));
  }

  toggle(): void {
    this.on = !this.on;
    this.last = undefined;
    this.changed();
  }

  /** The box for the current depth (the default box when none was set, or it no longer fits). */
  colourBox(depthMm: number): ColourBox {
    if (!this.box || this.box.depthToMm > depthMm) this.box = defaultColourBox(depthMm);
    return this.box;
  }

  setBox(box: ColourBox): void {
    this.box = box;
    this.changed();
  }

  /** Computes the colour for the image at `imageToCt` (the grid of `model`) at time `timeMs`. */
  compute(
    model: ProbeModel,
    imageToCt: Transform<'Image', 'Ct'>,
    vessels: readonly DopplerVessel[],
    timeMs: number,
    shadowed?: Parameters<typeof colourDoppler>[6],
  ): ColourDopplerFrame | undefined {
    if (!this.on) return undefined;
    const started = performance.now();
    this.last = colourDoppler(model, imageToCt, this.colourBox(model.depthMm), vessels, timeMs, this.settings, shadowed);
    performance.measure('colour-doppler', { start: started, end: performance.now() });
    return this.last;
  }

  /** Paints the last colour frame over the B-mode, the box outline and the velocity scale bar. */
  paint(context: CanvasRenderingContext2D, model: ProbeModel): void {
    if (!this.on || !this.last) return;
    const frame = this.last;
    if (frame.columns > 0 && frame.rows > 0) {
      const image = context.getImageData(frame.column0, frame.row0, frame.columns, frame.rows);
      let coloured = 0;
      for (let p = 0; p < frame.velocityCmS.length; p++) {
        const v = frame.velocityCmS[p]!;
        if (!Number.isFinite(v)) continue;
        const [r, g, b] = dopplerColour(v, frame.settings.scaleCmS);
        image.data[p * 4] = r;
        image.data[p * 4 + 1] = g;
        image.data[p * 4 + 2] = b;
        coloured++;
      }
      context.putImageData(image, frame.column0, frame.row0);
      this.canvas.dataset.dopplerPixels = String(coloured);
    }
    drawBoxOutline(context, model, this.colourBox(model.depthMm));
    drawScaleBar(context, model, frame.settings.scaleCmS);
  }

  /** Keys while colour Doppler is on: Shift+arrows move the box, [ ] narrow/widen it, - = make it shallower/deeper. */
  key(key: string, shift: boolean): boolean {
    const now = this.current();
    if (!this.on || !now) return false;
    const box = this.colourBox(now.depthMm);
    const stepMm = Math.max(1, now.depthMm / 40);
    const moves: Record<string, [number, number, number, number]> = {
      ArrowLeft: [-0.04, -0.04, 0, 0],
      ArrowRight: [0.04, 0.04, 0, 0],
      ArrowUp: [0, 0, -stepMm, -stepMm],
      ArrowDown: [0, 0, stepMm, stepMm],
      '[': [0.02, -0.02, 0, 0],
      ']': [-0.02, 0.02, 0, 0],
      '-': [0, 0, 0, -stepMm],
      '=': [0, 0, 0, stepMm],
    };
    const move = moves[key];
    if (!move || (key.startsWith('Arrow') && !shift)) return false;
    this.setBox(
      clampBox(
        { lateralFrom: box.lateralFrom + move[0], lateralTo: box.lateralTo + move[1], depthFromMm: box.depthFromMm + move[2], depthToMm: box.depthToMm + move[3] },
        now.depthMm,
        key.startsWith('Arrow'),
      ),
    );
    return true;
  }

  private pointerDown(event: PointerEvent): void {
    const now = this.current();
    if (!this.on || !now || !this.last) return;
    const [x, y] = this.canvasPoint(event);
    const f = this.last;
    const inside = x >= f.column0 && x <= f.column0 + f.columns && y >= f.row0 && y <= f.row0 + f.rows;
    if (!inside) return;
    const corner = Math.hypot(x - (f.column0 + f.columns), y - (f.row0 + f.rows)) < CORNER_PX * (this.canvas.width / this.canvas.getBoundingClientRect().width);
    this.drag = { kind: corner ? 'resize' : 'move', x, y, box: this.colourBox(now.depthMm) };
    this.canvas.setPointerCapture(event.pointerId);
  }

  private pointerMove(event: PointerEvent): void {
    const now = this.current();
    if (!this.drag || !now) return;
    const [x, y] = this.canvasPoint(event);
    const { model, depthMm } = now;
    const b = this.drag.box;
    const dDepth = (y - this.drag.y) * model.mmPerPixel;
    // Lateral: pixels → fraction of the lines at the box's middle depth.
    const middleMm = (b.depthFromMm + b.depthToMm) / 2;
    const lateralMm = model.type === 'linear' ? model.footprintWidthMm : ((model.radiusMm + middleMm) * model.sectorDeg * Math.PI) / 180;
    const dLateral = ((x - this.drag.x) * model.mmPerPixel) / lateralMm;
    const box =
      this.drag.kind === 'move'
        ? { lateralFrom: b.lateralFrom + dLateral, lateralTo: b.lateralTo + dLateral, depthFromMm: b.depthFromMm + dDepth, depthToMm: b.depthToMm + dDepth }
        : { ...b, lateralTo: b.lateralTo + dLateral, depthToMm: b.depthToMm + dDepth };
    this.setBox(clampBox(box, depthMm, this.drag.kind === 'move'));
  }

  private canvasPoint(event: PointerEvent): [number, number] {
    const rect = this.canvas.getBoundingClientRect();
    return [((event.clientX - rect.left) * this.canvas.width) / rect.width, ((event.clientY - rect.top) * this.canvas.height) / rect.height];
  }
}

/** Keeps the box inside the image and at least its minimum size; a move keeps its size. */
export function clampBox(box: ColourBox, depthMm: number, keepSize: boolean): ColourBox {
  let { lateralFrom, lateralTo, depthFromMm, depthToMm } = box;
  if (keepSize) {
    const width = lateralTo - lateralFrom;
    const height = depthToMm - depthFromMm;
    lateralFrom = Math.min(1 - width, Math.max(0, lateralFrom));
    lateralTo = lateralFrom + width;
    depthFromMm = Math.min(depthMm - height, Math.max(0, depthFromMm));
    depthToMm = depthFromMm + height;
  } else {
    lateralFrom = Math.max(0, lateralFrom);
    lateralTo = Math.min(1, Math.max(lateralFrom + MIN_WIDTH, lateralTo));
    depthFromMm = Math.max(0, depthFromMm);
    depthToMm = Math.min(depthMm, Math.max(depthFromMm + MIN_DEPTH_MM, depthToMm));
  }
  return { lateralFrom, lateralTo, depthFromMm, depthToMm };
}

/** The box's outline: a rectangle for the linear probe, an annular sector for the curvilinear. */
function drawBoxOutline(context: CanvasRenderingContext2D, model: ProbeModel, box: ColourBox): void {
  const s = model.mmPerPixel;
  const centre = (model.columns - 1) / 2;
  const point = (f: number, d: number): [number, number] => {
    if (model.type === 'linear') return [((f - 0.5) * model.footprintWidthMm) / s + centre, d / s];
    const theta = ((f - 0.5) * model.sectorDeg * Math.PI) / 180;
    const r = model.radiusMm + d;
    return [(r * Math.sin(theta)) / s + centre, (r * Math.cos(theta) - model.radiusMm) / s];
  };
  context.strokeStyle = '#e8e8e8';
  context.lineWidth = Math.max(1, model.columns / 400);
  context.beginPath();
  const n = 16;
  for (let i = 0; i <= n; i++) {
    const [x, y] = point(box.lateralFrom + ((box.lateralTo - box.lateralFrom) * i) / n, box.depthFromMm);
    if (i === 0) context.moveTo(x, y);
    else context.lineTo(x, y);
  }
  for (let i = n; i >= 0; i--) {
    const [x, y] = point(box.lateralFrom + ((box.lateralTo - box.lateralFrom) * i) / n, box.depthToMm);
    context.lineTo(x, y);
  }
  context.closePath();
  context.stroke();
}

/** The velocity scale at the right edge: +scale (towards, red) at the top, −scale (away, blue) at the bottom, cm/s. */
function drawScaleBar(context: CanvasRenderingContext2D, model: ProbeModel, scaleCmS: number): void {
  const unit = Math.max(1, model.rows / 376);
  const height = Math.round(90 * unit);
  const width = Math.round(8 * unit);
  const x = model.columns - width - Math.round(30 * unit);
  const y = Math.round(34 * unit);
  for (let i = 0; i < height; i++) {
    const v = scaleCmS * (1 - (2 * i) / (height - 1));
    const [r, g, b] = dopplerColour(v, scaleCmS);
    context.fillStyle = `rgb(${r},${g},${b})`;
    context.fillRect(x, y + i, width, 1);
  }
  context.fillStyle = '#e8e8e8';
  context.font = `${Math.round(10 * unit)}px system-ui, sans-serif`;
  context.textBaseline = 'middle';
  context.fillText(`+${scaleCmS}`, x + width + 2, y + 4 * unit);
  context.fillText(`−${scaleCmS}`, x + width + 2, y + height - 4 * unit);
  context.fillText('cm/s', x - 4 * unit, y + height + 8 * unit);
  context.textBaseline = 'alphabetic';
}
