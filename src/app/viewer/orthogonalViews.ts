import { cache, Enums, RenderingEngine, volumeLoader, type Types } from '@cornerstonejs/core';
import { initPlanningTools } from './planningTools';
import type { CtVolume } from '../../core/volume/ctVolume';
import { centreInCt } from '../../core/volume/volumeGeometry';
import type { Vec3 } from '../../core/geometry/vec3';
import { windowToHuRange, type HuWindow } from '../../core/volume/windowPresets';

export type ViewName = 'axial' | 'sagittal' | 'coronal';
export const VIEW_NAMES: readonly ViewName[] = ['axial', 'sagittal', 'coronal'];

const ORIENTATION: Record<ViewName, Enums.OrientationAxis> = {
  axial: Enums.OrientationAxis.AXIAL,
  sagittal: Enums.OrientationAxis.SAGITTAL,
  coronal: Enums.OrientationAxis.CORONAL,
};

/**
 * The three planning views: cornerstone ORTHOGRAPHIC volume viewports showing one CT volume
 * in axial, sagittal and coronal planes (radiological convention: the patient's left on
 * screen right in axial and coronal). This class owns cornerstone; callers speak Ct (LPS mm).
 */
export class OrthogonalViews {
  readonly renderingEngineId = 'planning';
  private readonly engine = new RenderingEngine(this.renderingEngineId);
  private volumeId: string | undefined;
  private loadCount = 0;

  constructor(private readonly elements: Record<ViewName, HTMLDivElement>) {
    initPlanningTools(); // before the viewports are enabled (see there)
    this.engine.setViewports(
      VIEW_NAMES.map((name) => ({
        viewportId: name,
        type: Enums.ViewportType.ORTHOGRAPHIC,
        element: elements[name],
        defaultOptions: { orientation: ORIENTATION[name], background: [0, 0, 0] as Types.Point3 },
      })),
    );
  }

  viewport(name: ViewName): Types.IVolumeViewport {
    return this.engine.getViewport(name) as Types.IVolumeViewport;
  }

  element(name: ViewName): HTMLDivElement {
    return this.elements[name];
  }

  /**
   * Shows a volume, sharing its voxel array with cornerstone (no copy), and resolves when
   * the axial view has rendered its first frame.
   */
  async show(volume: CtVolume, window: HuWindow): Promise<void> {
    const previous = this.volumeId;
    // No ":" in the id: cornerstone would take the part before it for an image-loader scheme
    // and try to load the slices it already has (setDefaultVolumeVOI).
    const volumeId = `ctsim-volume-${++this.loadCount}`;
    const { geometry } = volume;
    const [iAxis, jAxis, kAxis] = geometry.axesInCt;
    volumeLoader.createLocalVolume(volumeId, {
      scalarData: volume.huVoxels,
      dimensions: [...geometry.dimensions] as Types.Point3,
      spacing: [...geometry.spacingMm] as Types.Point3,
      origin: [...geometry.originInCt] as Types.Point3,
      direction: [...iAxis, ...jAxis, ...kAxis] as Types.Mat3,
      metadata: {
        BitsAllocated: volume.huVoxels instanceof Int16Array ? 16 : 32,
        BitsStored: volume.huVoxels instanceof Int16Array ? 16 : 32,
        SamplesPerPixel: 1,
        HighBit: volume.huVoxels instanceof Int16Array ? 15 : 31,
        PhotometricInterpretation: 'MONOCHROME2',
        PixelRepresentation: 1,
        Modality: 'CT',
        SeriesInstanceUID: volume.seriesInstanceUid,
        ImageOrientationPatient: [...iAxis, ...jAxis],
        PixelSpacing: [geometry.spacingMm[1], geometry.spacingMm[0]],
        FrameOfReferenceUID: 'ctsim-frame',
        Columns: geometry.dimensions[0],
        Rows: geometry.dimensions[1],
        voiLut: [{ windowWidth: window.width, windowCenter: window.level }],
        VOILUTFunction: 'LINEAR',
      },
    });
    const rendered = this.nextRender('axial');
    for (const name of VIEW_NAMES) {
      const viewport = this.viewport(name);
      await viewport.setVolumes([{ volumeId }], false, true);
      viewport.setOrientation(ORIENTATION[name]);
      viewport.resetCamera();
    }
    this.volumeId = volumeId;
    if (previous) this.release(previous);
    this.setWindow(window);
    this.engine.resize(true, true);
    this.moveSlicesTo(centreInCt(geometry));
    await rendered;
  }

  setWindow(window: HuWindow): void {
    for (const name of VIEW_NAMES) this.viewport(name).setProperties({ voiRange: windowToHuRange(window) }, undefined, true);
    this.engine.render();
  }

  /** Moves every view's slice plane through `pointInCt` (the crosshair), keeping zoom and pan. */
  moveSlicesTo(pointInCt: Vec3): void {
    for (const name of VIEW_NAMES) {
      const viewport = this.viewport(name);
      const camera = viewport.getCamera();
      const normal = camera.viewPlaneNormal!;
      const focal = camera.focalPoint!;
      const along = (pointInCt[0] - focal[0]) * normal[0] + (pointInCt[1] - focal[1]) * normal[1] + (pointInCt[2] - focal[2]) * normal[2];
      const shift = (p: Types.Point3): Types.Point3 => [p[0] + normal[0] * along, p[1] + normal[1] * along, p[2] + normal[2] * along];
      viewport.setCamera({ focalPoint: shift(focal), position: shift(camera.position!) });
    }
    this.engine.render();
  }

  /** Zoom by a factor (>1 enlarges) about the view centre. */
  zoom(name: ViewName, factor: number): void {
    const viewport = this.viewport(name);
    const camera = viewport.getCamera();
    viewport.setCamera({ parallelScale: camera.parallelScale! / factor });
    viewport.render();
  }

  /** Pan so that the image moves with the pointer: canvas delta in CSS pixels. */
  pan(name: ViewName, from: readonly [number, number], to: readonly [number, number]): void {
    const viewport = this.viewport(name);
    const a = viewport.canvasToWorld([from[0], from[1]]);
    const b = viewport.canvasToWorld([to[0], to[1]]);
    const camera = viewport.getCamera();
    const delta: Types.Point3 = [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
    const move = (p: Types.Point3): Types.Point3 => [p[0] + delta[0], p[1] + delta[1], p[2] + delta[2]];
    viewport.setCamera({ focalPoint: move(camera.focalPoint!), position: move(camera.position!) });
    viewport.render();
  }

  resetCameras(): void {
    for (const name of VIEW_NAMES) this.viewport(name).resetCamera();
    this.engine.render();
  }

  render(): void {
    this.engine.render();
  }

  resize(): void {
    this.engine.resize(true, false);
  }

  private nextRender(name: ViewName): Promise<void> {
    return new Promise((resolve) => {
      this.elements[name].addEventListener(Enums.Events.IMAGE_RENDERED, () => resolve(), { once: true });
    });
  }

  /** Frees the previous volume's cached slices (cornerstone caches one image per slice). */
  private release(volumeId: string): void {
    const volume = cache.getVolume(volumeId);
    for (const imageId of volume?.imageIds ?? []) cache.removeImageLoadObject(imageId, { force: true });
    cache.removeVolumeLoadObject(volumeId);
  }
}
