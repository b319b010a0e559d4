import {
  addTool,
  AngleTool,
  annotation,
  CrosshairsTool,
  Enums as ToolEnums,
  init as initTools,
  LengthTool,
  PanTool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import type { Vec3 } from '../../core/geometry/vec3';
import { PLANE_COLOURS } from './viewOverlay';
import type { ViewName } from './orthogonalViews';

/** The tools the left mouse button can take (the tool bar's choices). */
export type LeftTool = 'crosshairs' | 'window' | 'pan' | 'zoom' | 'length' | 'angle';
export const LEFT_TOOLS: readonly LeftTool[] = ['crosshairs', 'window', 'pan', 'zoom', 'length', 'angle'];

const TOOL_NAME: Record<LeftTool, string> = {
  crosshairs: CrosshairsTool.toolName,
  window: WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
  length: LengthTool.toolName,
  angle: AngleTool.toolName,
};

const { MouseBindings } = ToolEnums;
let toolsRegistered = false;

/**
 * Starts cornerstone's tools and registers the ones used here. Must run BEFORE the viewports
 * are enabled (RenderingEngine.setViewports): the tools attach their mouse listeners to an
 * element when cornerstone announces it enabled, and not to elements enabled earlier.
 */
export function initPlanningTools(): void {
  if (toolsRegistered) return;
  initTools();
  for (const tool of [CrosshairsTool, WindowLevelTool, PanTool, ZoomTool, StackScrollTool, LengthTool, AngleTool]) addTool(tool);
  toolsRegistered = true;
}

/**
 * The cornerstone3D tools on a set of volume viewports, bound as radiology viewers do:
 * left = the chosen tool, right drag = zoom, middle drag = pan, wheel = slice scroll.
 * When not on the left button, the crosshairs stay drawn (Enabled, not grabbable, so a length
 * started near the centre is not taken for a crosshair drag) and measurements stay editable (Passive).
 */
export class PlanningTools {
  private readonly group: ToolTypes.IToolGroup;
  private left: LeftTool = 'crosshairs';
  private activated = false;

  constructor(
    readonly groupId: string,
    renderingEngineId: string,
    viewportIds: readonly ViewName[],
  ) {
    initPlanningTools();
    this.group = ToolGroupManager.createToolGroup(groupId)!;
    this.group.addTool(CrosshairsTool.toolName, {
      getReferenceLineColor: (viewportId: string) => PLANE_COLOURS[viewportId as ViewName] ?? '#fff',
      getReferenceLineControllable: () => true,
      // Rotation: drag the round handles on a line to turn the other planes (an oblique along the needle).
      getReferenceLineDraggableRotatable: () => true,
      getReferenceLineSlabThicknessControlsOn: () => false,
    });
    this.group.addTool(WindowLevelTool.toolName);
    this.group.addTool(PanTool.toolName);
    this.group.addTool(ZoomTool.toolName);
    // invert: wheel up (deltaY < 0) brings the slice toward the viewer, as this app always did
    // (the axial camera looks from the feet: z falls by one slice).
    this.group.addTool(StackScrollTool.toolName, { invert: true });
    this.group.addTool(LengthTool.toolName);
    this.group.addTool(AngleTool.toolName);
    for (const id of viewportIds) this.group.addViewport(id, renderingEngineId);
  }

  /** Call once the viewports show a volume (the crosshairs compute their centre from the cameras). */
  activate(): void {
    if (this.activated) {
      this.crosshairs()?.computeToolCenter();
      return;
    }
    this.activated = true;
    this.group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
    this.group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
    this.group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
    this.group.setToolPassive(LengthTool.toolName);
    this.group.setToolPassive(AngleTool.toolName);
    this.group.setToolPassive(WindowLevelTool.toolName);
    this.setLeft(this.left, true);
  }

  leftTool(): LeftTool {
    return this.left;
  }

  setLeft(tool: LeftTool, force = false): void {
    if (!this.activated) {
      this.left = tool;
      return;
    }
    if (tool === this.left && !force) return;
    const previous = this.left;
    if (previous !== tool || force) {
      if (previous === 'crosshairs') this.group.setToolEnabled(TOOL_NAME.crosshairs);
      else this.group.setToolPassive(TOOL_NAME[previous]); // keeps right/middle bindings of zoom/pan
    }
    this.left = tool;
    this.group.setToolActive(TOOL_NAME[tool], { bindings: [{ mouseButton: MouseBindings.Primary }] });
  }

  crosshairs(): CrosshairsTool | undefined {
    return this.group.getToolInstance(CrosshairsTool.toolName) as CrosshairsTool | undefined;
  }

  /** Moves the crosshair centre (all planes through it), as the tool itself does. */
  setCrosshairCentre(pointInCt: Vec3): boolean {
    const tool = this.crosshairs();
    if (!this.activated || !tool) return false;
    tool.setToolCenter([pointInCt[0], pointInCt[1], pointInCt[2]], true);
    return true;
  }

  resetCrosshairs(): void {
    if (this.activated) this.crosshairs()?.resetCrosshairs();
  }

  /** Length and angle measurements, with their values as the tools computed them (mm, degrees). */
  /** Each length (mm) and angle (°) drawn, with its handles in Ct (LPS mm). */
  measurements(): { tool: string; viewportId?: string; text: string; value: number | undefined; points: number[][] }[] {
    const out: { tool: string; viewportId?: string; text: string; value: number | undefined; points: number[][] }[] = [];
    for (const toolName of [LengthTool.toolName, AngleTool.toolName]) {
      for (const a of annotation.state.getAllAnnotations().filter((x) => x.metadata?.toolName === toolName)) {
        const stats = Object.values((a.data as { cachedStats?: Record<string, { length?: number; angle?: number; unit?: string }> }).cachedStats ?? {})[0];
        const value = toolName === LengthTool.toolName ? stats?.length : stats?.angle;
        const points = ((a.data as { handles?: { points?: number[][] } }).handles?.points ?? []).map((p) => [...p]);
        out.push({ tool: toolName, text: value === undefined ? '' : `${value.toFixed(1)} ${toolName === LengthTool.toolName ? 'mm' : '°'}`, value, points });
      }
    }
    return out;
  }

  clearMeasurements(): void {
    for (const a of annotation.state.getAllAnnotations()) {
      if (a.metadata?.toolName === LengthTool.toolName || a.metadata?.toolName === AngleTool.toolName) annotation.state.removeAnnotation(a.annotationUID!);
    }
  }
}
