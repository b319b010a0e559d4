import { Enums, type Types } from '@cornerstonejs/core';
import { shapeCentre } from '../../core/cases/shapeCentre';
import { LEFT_TOOLS, PlanningTools, type LeftTool } from './planningTools';
import { NavigationOverlay, usPlaneCentre, type NavigationView } from './navigationOverlay';
import './viewer.css';
import type { Vec3 } from '../../core/geometry/vec3';
import type { CtVolume } from '../../core/volume/ctVolume';
import { centreInCt } from '../../core/volume/volumeGeometry';
import type { HuWindow } from '../../core/volume/windowPresets';
import { VIEW_NAMES, type OrthogonalViews, type ViewName } from './orthogonalViews';
import { ViewOverlay, type OverlayMark } from './viewOverlay';
import type { CaseFile } from '../../core/cases/caseFile';

export interface PlanningCallbacks {
  /** The Ct point under the pointer, or undefined when it leaves the views. */
  onPointer(pointInCt: Vec3 | undefined): void;
  onWindowChange(window: HuWindow): void;
  onCrosshairChange(pointInCt: Vec3): void;
}

/**
 * Mouse and keyboard on the planning views, through cornerstone3D's tools (@cornerstonejs/tools):
 * left button = the tool chosen in the tool bar (crosshairs with rotation handles, window/level,
 * pan, zoom, length, angle); right drag: zoom; middle drag: pan; wheel: slices; R: reset.
 * The crosshair point (Ct) is the intersection of the three view planes, read from the cameras
 * after every camera change (whichever tool moved them) and reported through onCrosshairChange;
 * a window/level drag in one view is applied to all three and reported through onWindowChange.
 */
export class PlanningInteraction {
  private crosshairInCt: Vec3 = [0, 0, 0];
  private window: HuWindow = { width: 400, level: 40 };
  private volume: CtVolume | undefined;
  private readonly overlay: ViewOverlay;
  private readonly navigationOverlay: NavigationOverlay;
  private marks: OverlayMark[] = [];
  private readonly tools: PlanningTools;
  private readonly toolButtons = new Map<LeftTool, HTMLButtonElement>();
  private applyingWindow = false;

  constructor(
    private readonly views: OrthogonalViews,
    private readonly callbacks: PlanningCallbacks,
  ) {
    this.overlay = new ViewOverlay(views);
    this.navigationOverlay = new NavigationOverlay(views);
    this.tools = new PlanningTools('planning-tools', views.renderingEngineId, VIEW_NAMES);
    for (const name of VIEW_NAMES) this.attach(name);
    this.buildToolBar(views.element('axial'));
    window.addEventListener('keydown', (event) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLSelectElement) return;
      if (event.key === 'r' || event.key === 'R') {
        this.tools.resetCrosshairs();
        this.views.resetCameras();
        if (this.volume) this.setCrosshair(centreInCt(this.volume.geometry));
      }
    });
    // A test hook of this module's own: the tools and views, for the workspace e2e tests.
    (window as unknown as { __planning?: unknown }).__planning = { views, interaction: this };
  }

  volumeShown(volume: CtVolume, window: HuWindow): void {
    this.volume = volume;
    this.window = window;
    this.tools.activate();
    this.setCrosshair(centreInCt(volume.geometry));
  }

  /** Shows the case's targets (green, their acceptance spheres) and fiducial beads (cyan) in the views. */
  setCase(caseFile: CaseFile | undefined): void {
    this.marks = caseFile
      ? [
          ...caseFile.targets.map((t) => ({
            centreInCt: t.centre,
            radiusMm: t.acceptanceRadiusMm,
            colour: t.priority === 'primary' ? '#3dff7a' : '#9be8b4',
            label: t.priority === 'primary' ? t.name : undefined,
          })),
          ...(caseFile.fiducials.marker?.beadsInCt ?? []).map((c) => ({ centreInCt: c, radiusMm: caseFile.fiducials.marker!.beadDiameterMm, colour: '#4de3ff' })),
          ...caseFile.fiducials.skinMarkers.map((m) => ({ centreInCt: m.centre, radiusMm: m.diameterMm, colour: '#4de3ff' })),
        ]
      : [];
    this.navigationOverlay.setCaseStructures(caseFile?.avoid ?? []);
    this.views.render();
  }

  setWindow(window: HuWindow): void {
    this.window = window;
    this.applyingWindow = true;
    try {
      this.views.setWindow(window);
    } finally {
      this.applyingWindow = false;
    }
    this.callbacks.onWindowChange(window);
  }

  crosshair(): Vec3 {
    return this.crosshairInCt;
  }

  setCrosshair(pointInCt: Vec3): void {
    this.crosshairInCt = [pointInCt[0], pointInCt[1], pointInCt[2]];
    if (this.tools.setCrosshairCentre(pointInCt)) this.views.render();
    else this.views.moveSlicesTo(pointInCt);
    this.callbacks.onCrosshairChange(this.crosshairInCt);
  }

  /** The tool on the left mouse button. */
  leftTool(): LeftTool {
    return this.tools.leftTool();
  }

  setLeftTool(tool: LeftTool): void {
    this.tools.setLeft(tool);
    for (const [name, button] of this.toolButtons) button.setAttribute('aria-pressed', String(name === tool));
  }

  /** Length (mm) and angle (degrees) measurements drawn so far, as the tools computed them. */
  measurements(): { tool: string; text: string; value: number | undefined }[] {
    return this.tools.measurements();
  }

  clearMeasurements(): void {
    this.tools.clearMeasurements();
    this.views.render();
  }

  /**
   * Navigation over the three views (needle, trajectory, ultrasound plane, planned path,
   * structures to avoid); undefined clears it. Cheap: redraws the overlay canvases only, and
   * moves the slices (one volume render) only when `follow` asks and the followed point moved.
   */
  showNavigation(nav: NavigationView | undefined): void {
    this.navigationOverlay.set(nav);
    const follow = nav?.follow === 'tip' ? (nav.tipInCt ?? nav.needle?.tip) : nav?.follow === 'probe' && nav.usPlane ? usPlaneCentre(nav.usPlane) : undefined;
    const c = this.crosshairInCt;
    if (follow && this.volume && Math.hypot(follow[0] - c[0], follow[1] - c[1], follow[2] - c[2]) > 0.25) this.setCrosshair(follow);
    else this.navigationOverlay.drawAll();
  }

  /**
   * Draws a structure (a case's `avoid` entry, by id) outlined in the three views, and, unless
   * `centre` is false, moves the crosshair to its centre. undefined removes the outline.
   */
  showStructure(id: string | undefined, centre = true): void {
    this.navigationOverlay.highlight(id);
    const structure = id ? this.navigationOverlay.structure(id) : undefined;
    if (structure && centre) this.setCrosshair(shapeCentre(structure.shape));
    else this.navigationOverlay.drawAll();
  }

  private attach(name: ViewName): void {
    const element = this.views.element(name);
    element.addEventListener(Enums.Events.IMAGE_RENDERED, () => {
      if (!this.volume) return;
      this.overlay.draw(name, this.crosshairInCt, this.marks, false);
      this.navigationOverlay.draw(name);
    });
    element.addEventListener(Enums.Events.CAMERA_MODIFIED, () => this.cameraMoved());
    element.addEventListener(Enums.Events.VOI_MODIFIED, (event) => {
      if (this.applyingWindow || !this.volume) return;
      const range = (event as CustomEvent<{ range?: { lower: number; upper: number } }>).detail.range;
      if (!range) return;
      const window = { width: range.upper - range.lower, level: (range.upper + range.lower) / 2 };
      if (Math.abs(window.width - this.window.width) < 1e-6 && Math.abs(window.level - this.window.level) < 1e-6) return;
      this.setWindow(window);
    });
    element.addEventListener('contextmenu', (event) => event.preventDefault());
    element.addEventListener('pointermove', (event) => {
      if (!this.volume) return;
      this.callbacks.onPointer(this.canvasToCt(name, event));
    });
    element.addEventListener('pointerleave', () => this.callbacks.onPointer(undefined));
  }

  /** After any camera change (scroll, crosshair drag or rotation): the planes' common point. */
  private cameraMoved(): void {
    if (!this.volume) return;
    const planes = VIEW_NAMES.map((n) => {
      const camera = this.views.viewport(n).getCamera();
      return { normal: camera.viewPlaneNormal!, point: camera.focalPoint! };
    });
    const point = intersectPlanes(planes);
    if (!point) return;
    const c = this.crosshairInCt;
    if (Math.hypot(point[0] - c[0], point[1] - c[1], point[2] - c[2]) < 1e-3) return;
    this.crosshairInCt = point;
    this.callbacks.onCrosshairChange(point);
  }

  private buildToolBar(container: HTMLElement): void {
    const bar = document.createElement('div');
    bar.className = 'tool-bar';
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', 'Left mouse tool');
    bar.dataset.testid = 'tool-bar';
    const labels: Record<LeftTool, [string, string]> = {
      crosshairs: ['✛', "Crosshairs: click or drag to move the planes; drag a line's round handle to rotate (oblique along the needle)"],
      window: ['W/L', 'Window/level: drag horizontally for width, vertically for level'],
      pan: ['Pan', 'Pan (also middle drag)'],
      zoom: ['Zoom', 'Zoom (also right drag)'],
      length: ['mm', 'Length: drag between two points (skin-to-target depth)'],
      angle: ['∠', 'Angle: click three points (needle angle)'],
    };
    for (const tool of LEFT_TOOLS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = labels[tool][0];
      button.title = labels[tool][1];
      button.dataset.testid = `tool-${tool}`;
      button.setAttribute('aria-pressed', String(tool === this.tools.leftTool()));
      button.addEventListener('click', () => this.setLeftTool(tool));
      this.toolButtons.set(tool, button);
      bar.append(button);
    }
    const clear = document.createElement('button');
    clear.type = 'button';
    clear.className = 'tool-clear';
    clear.textContent = '✕';
    clear.title = 'Clear the measurements';
    clear.dataset.testid = 'tool-clear';
    clear.addEventListener('click', () => this.clearMeasurements());
    bar.append(clear);
    // The bar sits in a viewport element: keep its clicks from reaching cornerstone's tools.
    for (const type of ['mousedown', 'pointerdown', 'mouseup', 'click', 'wheel', 'dblclick']) bar.addEventListener(type, (event) => event.stopPropagation());
    container.append(bar);
  }

  private canvasToCt(name: ViewName, event: MouseEvent): Vec3 {
    const rect = this.views.element(name).getBoundingClientRect();
    const point = this.views.viewport(name).canvasToWorld([event.clientX - rect.left, event.clientY - rect.top]);
    return [point[0], point[1], point[2]];
  }
}

/** The point common to three planes (normal, point on it), or undefined when two are parallel. */
export function intersectPlanes(planes: readonly { normal: Types.Point3 | readonly number[]; point: Types.Point3 | readonly number[] }[]): Vec3 | undefined {
  const [a, b, c] = planes.map((p) => p.normal as readonly number[]) as [readonly number[], readonly number[], readonly number[]];
  const d = planes.map((p) => p.normal[0]! * p.point[0]! + p.normal[1]! * p.point[1]! + p.normal[2]! * p.point[2]!);
  const bc = [b[1]! * c[2]! - b[2]! * c[1]!, b[2]! * c[0]! - b[0]! * c[2]!, b[0]! * c[1]! - b[1]! * c[0]!];
  const ca = [c[1]! * a[2]! - c[2]! * a[1]!, c[2]! * a[0]! - c[0]! * a[2]!, c[0]! * a[1]! - c[1]! * a[0]!];
  const ab = [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
  const det = a[0]! * bc[0]! + a[1]! * bc[1]! + a[2]! * bc[2]!;
  if (Math.abs(det) < 1e-6) return undefined;
  const solve = (i: number) => (d[0]! * bc[i]! + d[1]! * ca[i]! + d[2]! * ab[i]!) / det;
  return [solve(0), solve(1), solve(2)];
}
