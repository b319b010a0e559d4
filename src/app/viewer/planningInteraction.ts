import { Enums, type Types } from '@cornerstonejs/core';
import type { Vec3 } from '../../core/geometry/vec3';
import type { CtVolume } from '../../core/volume/ctVolume';
import { centreInCt } from '../../core/volume/volumeGeometry';
import { dragWindow, type HuWindow } from '../../core/volume/windowPresets';
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
 * Mouse and keyboard on the planning views. Left click/drag: crosshair (all views follow);
 * wheel: scroll slices; Ctrl+wheel: zoom; right drag: window/level; Shift+drag or middle drag:
 * pan; R: reset. The state kept here is the crosshair point (Ct) and the window.
 */
export class PlanningInteraction {
  private crosshairInCt: Vec3 = [0, 0, 0];
  private window: HuWindow = { width: 400, level: 40 };
  private volume: CtVolume | undefined;
  private readonly overlay: ViewOverlay;
  private marks: OverlayMark[] = [];

  constructor(
    private readonly views: OrthogonalViews,
    private readonly callbacks: PlanningCallbacks,
  ) {
    this.overlay = new ViewOverlay(views);
    for (const name of VIEW_NAMES) this.attach(name);
    window.addEventListener('keydown', (event) => {
      if (event.key === 'r' || event.key === 'R') {
        if (event.target instanceof HTMLInputElement) return;
        this.views.resetCameras();
        if (this.volume) this.setCrosshair(centreInCt(this.volume.geometry));
      }
    });
  }

  volumeShown(volume: CtVolume, window: HuWindow): void {
    this.volume = volume;
    this.window = window;
    this.setCrosshair(centreInCt(volume.geometry));
  }

  /** Shows the case's targets (green, their acceptance spheres) and fiducial beads (cyan) in the views. */
  setCase(caseFile: CaseFile | undefined): void {
    this.marks = caseFile
      ? [
          ...caseFile.targets.map((t) => ({ centreInCt: t.centre, radiusMm: t.acceptanceRadiusMm, colour: t.priority === 'primary' ? '#3dff7a' : '#9be8b4', label: t.priority === 'primary' ? t.name : undefined })),
          ...(caseFile.fiducials.marker?.beadsInCt ?? []).map((c) => ({ centreInCt: c, radiusMm: caseFile.fiducials.marker!.beadDiameterMm, colour: '#4de3ff' })),
          ...caseFile.fiducials.skinMarkers.map((m) => ({ centreInCt: m.centre, radiusMm: m.diameterMm, colour: '#4de3ff' })),
        ]
      : [];
    this.views.render();
  }

  setWindow(window: HuWindow): void {
    this.window = window;
    this.views.setWindow(window);
    this.callbacks.onWindowChange(window);
  }

  crosshair(): Vec3 {
    return this.crosshairInCt;
  }

  setCrosshair(pointInCt: Vec3): void {
    this.crosshairInCt = pointInCt;
    this.views.moveSlicesTo(pointInCt);
    this.callbacks.onCrosshairChange(pointInCt);
  }

  private attach(name: ViewName): void {
    const element = this.views.element(name);
    element.addEventListener(Enums.Events.IMAGE_RENDERED, () => {
      if (this.volume) this.overlay.draw(name, this.crosshairInCt, this.marks);
    });
    element.addEventListener('contextmenu', (event) => event.preventDefault());
    element.addEventListener('wheel', (event) => this.onWheel(name, event), { passive: false });
    element.addEventListener('pointerdown', (event) => this.onPointerDown(name, event));
    element.addEventListener('pointermove', (event) => {
      if (!this.volume) return;
      this.callbacks.onPointer(this.canvasToCt(name, event));
    });
    element.addEventListener('pointerleave', () => this.callbacks.onPointer(undefined));
  }

  private canvasToCt(name: ViewName, event: MouseEvent): Vec3 {
    const rect = this.views.element(name).getBoundingClientRect();
    const point = this.views.viewport(name).canvasToWorld([event.clientX - rect.left, event.clientY - rect.top]);
    return [point[0], point[1], point[2]];
  }

  private onWheel(name: ViewName, event: WheelEvent): void {
    if (!this.volume) return;
    event.preventDefault();
    if (event.ctrlKey || event.metaKey) {
      this.views.zoom(name, event.deltaY < 0 ? 1.1 : 1 / 1.1);
      return;
    }
    // One slice per wheel notch: the voxel spacing along the axis closest to this view's normal.
    const normal = this.views.viewport(name).getCamera().viewPlaneNormal!;
    const step = this.sliceStepMm(normal);
    const direction = event.deltaY > 0 ? -1 : 1;
    const p = this.crosshairInCt;
    this.setCrosshair([p[0] + normal[0] * step * direction, p[1] + normal[1] * step * direction, p[2] + normal[2] * step * direction]);
  }

  private sliceStepMm(normal: Types.Point3): number {
    const { axesInCt, spacingMm } = this.volume!.geometry;
    let best = 0;
    let bestDot = -1;
    axesInCt.forEach((axis, index) => {
      const d = Math.abs(axis[0] * normal[0] + axis[1] * normal[1] + axis[2] * normal[2]);
      if (d > bestDot) {
        bestDot = d;
        best = index;
      }
    });
    return spacingMm[best]!;
  }

  private onPointerDown(name: ViewName, event: PointerEvent): void {
    if (!this.volume) return;
    const element = this.views.element(name);
    element.setPointerCapture(event.pointerId);
    const rect = element.getBoundingClientRect();
    const start: [number, number] = [event.clientX - rect.left, event.clientY - rect.top];
    let last = start;
    const mode = event.button === 2 ? 'window' : event.button === 1 || event.shiftKey ? 'pan' : 'crosshair';
    const windowAtStart = this.window;
    if (mode === 'crosshair') this.setCrosshair(this.canvasToCt(name, event));
    const move = (moveEvent: PointerEvent) => {
      const now: [number, number] = [moveEvent.clientX - rect.left, moveEvent.clientY - rect.top];
      if (mode === 'crosshair') this.setCrosshair(this.canvasToCt(name, moveEvent));
      else if (mode === 'pan') this.views.pan(name, last, now);
      else this.setWindow(dragWindow(windowAtStart, now[0] - start[0], now[1] - start[1]));
      last = now;
    };
    const up = () => {
      element.removeEventListener('pointermove', move);
      element.removeEventListener('pointerup', up);
      element.removeEventListener('pointercancel', up);
    };
    element.addEventListener('pointermove', move);
    element.addEventListener('pointerup', up);
    element.addEventListener('pointercancel', up);
  }
}
