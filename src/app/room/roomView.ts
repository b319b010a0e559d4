import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { CSS2DObject, CSS2DRenderer } from 'three/examples/jsm/renderers/CSS2DRenderer.js';
import type { Vec3 } from '../../core/geometry/vec3';
import { applyToPoint, invert, type Transform } from '../../core/frames/transform';
import type { SkinHeightfield } from '../../core/navigation/skinHeightfield';
import { isInFieldOfView, type ProbeModel } from '../../core/tracking/probeModels';

/**
 * The room in 3D (three.js), drawn in Ct coordinates (LPS mm, kept as they are; the camera's up
 * is +z, superior): the skin the probe can reach, the field generator and its working volume,
 * the probe with its image plane, the target and the fiducials (picked on CT vs touched, with
 * residual lines). Shift+click on the skin puts the probe there; Shift+drag slides it; plain
 * drag orbits, wheel zooms. Each thing shown is labelled (DOM labels over the canvas, at a
 * legible CSS size), and the camera starts framing the patient's skin.
 */
/** Whether WebGL runs on a software rasterizer (no GPU): SwiftShader, llvmpipe, or Microsoft's Basic Render Driver. */
function isSoftwareWebGl(): boolean {
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return true;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software|basic render/i.test(name);
}

/** At most this often the room re-renders for tool moves, ms (orbiting renders at once). */
const ROOM_FRAME_INTERVAL_MS = 200;

export class RoomView {
  private renderTimer: ReturnType<typeof setTimeout> | undefined;
  private lastRenderMs = -Infinity;
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera: THREE.PerspectiveCamera;
  private readonly controls: OrbitControls;
  private readonly dynamic = new THREE.Group();
  private readonly roomGroup = new THREE.Group();
  private skin: THREE.Mesh | undefined;
  private readonly raycaster = new THREE.Raycaster();
  private dragging = false;
  private fromPosterior = true;
  /** DOM labels over the canvas (probe, field generator, table, working volume, skin…). */
  private readonly labels = new CSS2DRenderer();
  /** The skin's bounds, to frame the camera on; undefined before a room or after clear(). */
  private frame: { centre: THREE.Vector3; size: THREE.Vector3 } | undefined;
  /** Until the user orbits or zooms, the camera keeps framing the patient when the tile is resized. */
  private userMoved = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly onSkinPicked: (pointInCt: Vec3, outwardNormal: Vec3) => void,
  ) {
    // Without a GPU (a software renderer such as SwiftShader draws WebGL on the CPU) the room is
    // drawn at half resolution and without antialiasing: it shares the cores with the ultrasound.
    const software = isSoftwareWebGl();
    this.renderer = new THREE.WebGLRenderer({ antialias: !software, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(software ? 0.5 : 1);
    this.container.dataset.softwareGl = String(software);
    container.appendChild(this.renderer.domElement);
    const labelLayer = this.labels.domElement;
    labelLayer.className = 'room-labels';
    labelLayer.style.position = 'absolute';
    labelLayer.style.inset = '0';
    labelLayer.style.pointerEvents = 'none';
    labelLayer.style.overflow = 'hidden';
    container.appendChild(labelLayer);
    this.camera = new THREE.PerspectiveCamera(40, 1, 5, 5000);
    this.camera.up.set(0, 0, 1);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.addEventListener('change', () => this.render());
    this.controls.addEventListener('start', () => (this.userMoved = true));
    this.scene.background = new THREE.Color(0x0c1014);
    this.scene.add(new THREE.AmbientLight(0xffffff, 0.6));
    const light = new THREE.DirectionalLight(0xffffff, 1.4);
    light.position.set(300, 600, 800);
    this.scene.add(light, this.dynamic, this.roomGroup);
    const canvas = this.renderer.domElement;
    canvas.addEventListener('pointerdown', (event) => {
      if (!event.shiftKey) return;
      this.controls.enabled = false;
      this.dragging = true;
      this.pick(event);
    });
    canvas.addEventListener('pointermove', (event) => {
      if (this.dragging) this.pick(event);
    });
    const stop = () => {
      this.dragging = false;
      this.controls.enabled = true;
    };
    canvas.addEventListener('pointerup', stop);
    canvas.addEventListener('pointerleave', stop);
    new ResizeObserver(() => this.resize()).observe(container);
  }

  /**
   * The skin mesh and the static room (generator, working volume, table) for a new case, with
   * the camera framing the skin. Replaces everything of the previous room, tools included.
   * `lookAt` is kept for callers; the camera frames the skin's bounds instead.
   */
  setRoom(skin: SkinHeightfield, ctToTracker: Transform<'Ct', 'Tracker'>, workingVolume: { min: Vec3; max: Vec3 }, _lookAt: Vec3, fromPosterior: boolean): void {
    this.clearGroups();
    this.fromPosterior = fromPosterior;
    this.skin = skinMesh(skin);
    const trackerToCt = invert(ctToTracker);
    // Field generator (a 200 × 200 × 70 mm box behind the tracker origin) and its working volume, in Ct.
    const generatorMin: Vec3 = [-100, -100, -70];
    const generatorMax: Vec3 = [100, 100, 0];
    this.roomGroup.add(this.skin, boxInCt(trackerToCt, generatorMin, generatorMax, 0x8a6bd1, false), boxInCt(trackerToCt, workingVolume.min, workingVolume.max, 0x8a6bd1, true));
    const table = tableMesh(skin, fromPosterior);
    this.roomGroup.add(table);
    const bounds = new THREE.Box3().setFromObject(this.skin);
    const centre = bounds.getCenter(new THREE.Vector3());
    const size = bounds.getSize(new THREE.Vector3());
    // Labels: on the skin's outer surface above its centre, the generator's face, a corner of the working volume, the table's edge.
    const outward = fromPosterior ? 1 : -1;
    this.roomGroup.add(
      label('Patient skin', 'skin', [centre.x - size.x * 0.3, fromPosterior ? bounds.max.y : bounds.min.y, centre.z + size.z * 0.35]),
      label('Field generator', 'generator', applyToPoint(trackerToCt, [0, 0, -35])),
      label('Working volume', 'volume', nearestCorner(trackerToCt, workingVolume, [centre.x, centre.y, centre.z])),
      label('CT table', 'table', [table.position.x + 200, table.position.y + outward * 14, table.position.z]),
    );
    this.frame = { centre, size };
    this.userMoved = false;
    this.frameCamera();
    this.resize();
  }

  /**
   * Takes away the skin, the room and the tools (probe, needle, beads, target): a new CT without
   * a navigable case shows an empty room, nothing of the previous one.
   */
  clear(): void {
    this.clearGroups();
    this.skin = undefined;
    this.frame = undefined;
    this.render();
  }

  private clearGroups(): void {
    for (const group of [this.roomGroup, this.dynamic]) {
      disposeAll(group);
      group.clear();
    }
  }

  /**
   * Looks at the skin's centre from the side the probe works on (posterior when prone), from
   * above the patient's left shoulder, far enough that the skin's bounds fill the view.
   */
  private frameCamera(): void {
    const frame = this.frame;
    if (!frame) return;
    const side = this.fromPosterior ? 1 : -1;
    const direction = new THREE.Vector3(0.55, side * 0.75, 0.4).normalize();
    const radius = 0.5 * Math.hypot(frame.size.x, frame.size.y, frame.size.z);
    const halfV = THREE.MathUtils.degToRad(this.camera.fov / 2);
    const halfH = Math.atan(Math.tan(halfV) * this.camera.aspect);
    const distance = (1.15 * radius) / Math.sin(Math.min(halfV, halfH));
    this.controls.target.copy(frame.centre);
    this.camera.position.copy(frame.centre).addScaledVector(direction, distance);
    this.camera.near = Math.max(1, distance / 50);
    this.camera.far = distance * 20;
    this.camera.updateProjectionMatrix();
    this.controls.update();
  }

  /** Tools, image plane, target and fiducials for the current state. */
  update(state: {
    probeToCt: Transform<'Probe', 'Ct'> | undefined;
    imageToCt: Transform<'Image', 'Ct'> | undefined;
    model: ProbeModel;
    /** Undefined hides it (guidance modes without navigation must not give it away). */
    target: Vec3 | undefined;
    picked: readonly Vec3[];
    touchedInCt: readonly (Vec3 | undefined)[];
    needle?: { tip: Vec3; hub: Vec3 } | undefined;
    stylusTip?: Vec3 | undefined;
  }): void {
    disposeAll(this.dynamic);
    this.dynamic.clear();
    const sphere = (p: Vec3, radius: number, colour: number) => {
      const mesh = new THREE.Mesh(new THREE.SphereGeometry(radius, 16, 12), new THREE.MeshStandardMaterial({ color: colour }));
      mesh.position.set(p[0], p[1], p[2]);
      this.dynamic.add(mesh);
    };
    if (state.target) {
      sphere(state.target, 4, 0x3dff7a);
      this.dynamic.add(label('Target', 'target', state.target));
    }
    state.picked.forEach((p) => sphere(p, 2.5, 0x4de3ff));
    state.touchedInCt.forEach((p, i) => {
      if (!p) return;
      sphere(p, 2, 0xffb347);
      const q = state.picked[i];
      if (q) this.dynamic.add(line([p, q], 0xff5a4e));
    });
    if (state.probeToCt) {
      // The probe: a handle above its face, in the probe's own frame.
      const handle = new THREE.Mesh(new THREE.BoxGeometry(state.model.footprintWidthMm, 60, 20), new THREE.MeshStandardMaterial({ color: 0xdfe6ec }));
      const m = state.probeToCt.matrix;
      const probeToCt = new THREE.Matrix4().set(m[0]!, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!, m[7]!, m[8]!, m[9]!, m[10]!, m[11]!, 0, 0, 0, 1);
      handle.applyMatrix4(new THREE.Matrix4().makeTranslation(0, state.model.sensorToFaceMm - 30, 0).premultiply(probeToCt));
      this.dynamic.add(handle, label('Probe', 'probe', applyToPoint(state.probeToCt, [0, state.model.sensorToFaceMm - 70, 0])));
    }
    if (state.imageToCt) this.dynamic.add(imagePlaneMesh(state.imageToCt, state.model));
    if (state.stylusTip) {
      // The stylus: a pen standing on the point it touched.
      const p = state.stylusTip;
      const up: Vec3 = [0, this.fromPosterior ? 1 : -1, 0];
      this.dynamic.add(line([p, [p[0] + up[0] * 120, p[1] + up[1] * 120, p[2] + 40]], 0x7fd0ff));
    }
    if (state.needle) {
      this.dynamic.add(line([state.needle.hub, state.needle.tip], 0xffe14d));
      sphere(state.needle.hub, 3, 0xb0b0b0);
      this.dynamic.add(label('Needle', 'needle', state.needle.hub));
    }
    this.renderSoon();
  }

  render(): void {
    const started = performance.now();
    this.renderer.render(this.scene, this.camera);
    this.labels.render(this.scene, this.camera);
    this.lastRenderMs = performance.now();
    performance.measure('room-render', { start: started, end: this.lastRenderMs });
    this.container.dataset.renders = String(Number(this.container.dataset.renders ?? 0) + 1);
  }

  /**
   * Tool moves re-render the room at most five times a second, after the fused images: on a
   * machine without a GPU one software-rendered room frame takes longer than the ultrasound and
   * the CT plane together, and would hold them back while the probe moves.
   */
  private renderSoon(): void {
    if (this.renderTimer !== undefined) return;
    const wait = Math.max(0, this.lastRenderMs + ROOM_FRAME_INTERVAL_MS - performance.now());
    this.renderTimer = setTimeout(() => {
      this.renderTimer = undefined;
      this.render();
    }, wait);
  }

  private resize(): void {
    const { clientWidth: w, clientHeight: h } = this.container;
    if (w === 0 || h === 0) return;
    this.renderer.setSize(w, h, false);
    this.labels.setSize(w, h);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    if (!this.userMoved) this.frameCamera();
    this.render();
  }

  private pick(event: PointerEvent): void {
    if (!this.skin) return;
    const rect = this.renderer.domElement.getBoundingClientRect();
    this.raycaster.setFromCamera(new THREE.Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1), this.camera);
    const hit = this.raycaster.intersectObject(this.skin)[0];
    if (!hit?.face) return;
    const normal = hit.face.normal.clone().transformDirection(this.skin.matrixWorld);
    this.onSkinPicked([hit.point.x, hit.point.y, hit.point.z], [normal.x, normal.y, normal.z]);
  }
}

function skinMesh(skin: SkinHeightfield): THREE.Mesh {
  const positions: number[] = [];
  const indices: number[] = [];
  const index = new Map<number, number>();
  skin.points.forEach((p, i) => {
    if (!p) return;
    index.set(i, positions.length / 3);
    positions.push(p[0], p[1], p[2]);
  });
  for (let r = 0; r + 1 < skin.rows; r++) {
    for (let c = 0; c + 1 < skin.columns; c++) {
      const a = index.get(r * skin.columns + c);
      const b = index.get(r * skin.columns + c + 1);
      const d = index.get((r + 1) * skin.columns + c);
      const e = index.get((r + 1) * skin.columns + c + 1);
      if (a !== undefined && b !== undefined && d !== undefined) indices.push(a, d, b);
      if (b !== undefined && d !== undefined && e !== undefined) indices.push(b, d, e);
    }
  }
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.Float32BufferAttribute(positions, 3));
  geometry.setIndex(indices);
  geometry.computeVertexNormals();
  return new THREE.Mesh(geometry, new THREE.MeshStandardMaterial({ color: 0xd9a38a, roughness: 0.8, side: THREE.DoubleSide, transparent: true, opacity: 0.85 }));
}

/** The CT table: a 20 mm slab 480 mm wide under the patient (anterior when prone, posterior when supine). */
function tableMesh(skin: SkinHeightfield, fromPosterior: boolean): THREE.Mesh {
  const points = skin.points.filter((p): p is Vec3 => p !== undefined);
  const zs = points.map((p) => p[2]);
  const ys = points.map((p) => p[1]);
  const zMin = Math.min(...zs) - 100;
  const zMax = Math.max(...zs) + 100;
  // The body's far side is about 240 mm from the skin the probe reaches.
  const y = fromPosterior ? Math.min(...ys) - 250 : Math.max(...ys) + 250;
  const x = points.reduce((sum, p) => sum + p[0], 0) / points.length;
  const table = new THREE.Mesh(new THREE.BoxGeometry(480, 20, zMax - zMin), new THREE.MeshStandardMaterial({ color: 0x3a4652 }));
  table.position.set(x, y, (zMin + zMax) / 2);
  return table;
}

function boxInCt(trackerToCt: Transform<'Tracker', 'Ct'>, min: Vec3, max: Vec3, colour: number, wire: boolean): THREE.Object3D {
  const corners: Vec3[] = [];
  for (const x of [min[0], max[0]]) for (const y of [min[1], max[1]]) for (const z of [min[2], max[2]]) corners.push(applyToPoint(trackerToCt, [x, y, z]));
  const edges = [
    [0, 1],
    [2, 3],
    [4, 5],
    [6, 7],
    [0, 2],
    [1, 3],
    [4, 6],
    [5, 7],
    [0, 4],
    [1, 5],
    [2, 6],
    [3, 7],
  ] as const;
  if (wire)
    return new THREE.LineSegments(
      new THREE.BufferGeometry().setFromPoints(edges.flatMap(([a, b]) => [toVector(corners[a]!), toVector(corners[b]!)])),
      new THREE.LineBasicMaterial({ color: colour }),
    );
  const geometry = new THREE.BufferGeometry().setFromPoints(corners.map(toVector));
  geometry.setIndex([0, 1, 3, 0, 3, 2, 4, 6, 7, 4, 7, 5, 0, 4, 5, 0, 5, 1, 2, 3, 7, 2, 7, 6, 0, 2, 6, 0, 6, 4, 1, 5, 7, 1, 7, 3]);
  geometry.computeVertexNormals();
  return new THREE.Mesh(geometry, new THREE.MeshStandardMaterial({ color: colour, side: THREE.DoubleSide }));
}

/** The ultrasound image's field of view as a translucent fan (or rectangle) in Ct. */
function imagePlaneMesh(imageToCt: Transform<'Image', 'Ct'>, model: ProbeModel): THREE.Mesh {
  const positions: number[] = [];
  const step = 8;
  for (let r = 0; r + step < model.rows; r += step) {
    for (let c = 0; c + step < model.columns; c += step) {
      if (!isInFieldOfView(model, c + step / 2, r + step / 2)) continue;
      const quad = [
        [c, r],
        [c + step, r],
        [c + step, r + step],
        [c, r + step],
      ].map(([x, y]) => applyToPoint(imageToCt, [x!, y!, 0]));
      for (const k of [0, 1, 2, 0, 2, 3]) positions.push(...quad[k]!);
    }
  }
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.Float32BufferAttribute(positions, 3));
  return new THREE.Mesh(geometry, new THREE.MeshBasicMaterial({ color: 0x4fa3ff, transparent: true, opacity: 0.35, side: THREE.DoubleSide, depthWrite: false }));
}

const toVector = (p: Vec3) => new THREE.Vector3(p[0], p[1], p[2]);
const line = (points: Vec3[], colour: number) => new THREE.Line(new THREE.BufferGeometry().setFromPoints(points.map(toVector)), new THREE.LineBasicMaterial({ color: colour }));

/** A label over the room canvas at a point (Ct), styled by its kind (styles.css .room-label). */
function label(text: string, kind: string, at: Vec3): CSS2DObject {
  const element = document.createElement('div');
  element.className = `room-label room-label-${kind}`;
  element.textContent = text;
  element.style.pointerEvents = 'none';
  const object = new CSS2DObject(element);
  object.position.set(at[0], at[1], at[2]);
  return object;
}

/** Frees the GPU buffers of a group's meshes and lines before they are dropped. */
function disposeAll(group: THREE.Object3D): void {
  group.traverse((object) => {
    const drawable = object as THREE.Mesh;
    drawable.geometry?.dispose();
    const material = drawable.material as THREE.Material | THREE.Material[] | undefined;
    if (Array.isArray(material)) material.forEach((m) => m.dispose());
    else material?.dispose();
  });
}

/** The corner of a box (Tracker) nearest a point (Ct), in Ct: where its label is likely in view. */
function nearestCorner(trackerToCt: Transform<'Tracker', 'Ct'>, box: { min: Vec3; max: Vec3 }, near: Vec3): Vec3 {
  let best: Vec3 = applyToPoint(trackerToCt, box.max);
  let bestDistance = Infinity;
  for (const x of [box.min[0], box.max[0]])
    for (const y of [box.min[1], box.max[1]])
      for (const z of [box.min[2], box.max[2]]) {
        const corner = applyToPoint(trackerToCt, [x, y, z]);
        const distance = Math.hypot(corner[0] - near[0], corner[1] - near[1], corner[2] - near[2]);
        if (distance < bestDistance) [best, bestDistance] = [corner, distance];
      }
  return best;
}
