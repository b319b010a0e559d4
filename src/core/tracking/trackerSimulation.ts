import type { Vec3 } from '../geometry/vec3';
import type { FrameName } from '../frames/frames';
import { fromRotationTranslation, rotationAboutAxis, type Transform } from '../frames/transform';
import { seededRandom } from '../random/seededRandom';
import { multiply3 } from '../linalg/matrix3';
import type { TrackerSettings } from './trackerSettings';

export type ToolFrame = 'Probe' | 'Needle' | 'Stylus' | 'Reference';
export type ToolStatus = 'ok' | 'out-of-field' | 'missing';

/** What the tracker reports for one tool: a status and, unless missing, the (erroneous) pose. */
export interface TrackedPose<Tool extends ToolFrame> {
  readonly status: ToolStatus;
  readonly toolToTracker: Transform<Tool, 'Tracker'> | undefined;
  /** Time of the sample being reported (ms); older than the query by the latency and the hold. */
  readonly sampledAtMs: number;
}

const TOOL_INDEX: Record<ToolFrame, number> = { Probe: 1, Needle: 2, Stylus: 3, Reference: 4 };
const DEG = Math.PI / 180;

/**
 * A simulated electromagnetic tracker. True tool poses go in (`setTruePose`, with their time);
 * reports come out as a real tracker gives them: sampled at the update rate, delayed by the
 * latency, with a smooth static error over the field, jitter, occasional dropouts, "out-of-field"
 * outside the working volume, and a distortion that grows as 1/r³ near a metal object.
 * Everything random is drawn from (seed, tool, sample index), so a session replays exactly.
 */
export class TrackerSimulation {
  private readonly history = new Map<ToolFrame, { timeMs: number; pose: Transform<FrameName, 'Tracker'> }[]>();
  private readonly fieldPhases: number[];

  constructor(
    private settings: TrackerSettings,
    private readonly seed: number,
  ) {
    const random = seededRandom(seed ^ 0x5eed);
    this.fieldPhases = Array.from({ length: 18 }, () => random.next() * 2 * Math.PI);
  }

  configure(settings: TrackerSettings): void {
    this.settings = settings;
  }

  current(): TrackerSettings {
    return this.settings;
  }

  setTruePose<Tool extends ToolFrame>(tool: Tool, timeMs: number, toolToTracker: Transform<Tool, 'Tracker'>): void {
    const list = this.history.get(tool) ?? [];
    list.push({ timeMs, pose: toolToTracker as Transform<FrameName, 'Tracker'> });
    // Keep one second of history: enough for any latency setting.
    while (list.length > 2 && list[1]!.timeMs < timeMs - 1000) list.shift();
    this.history.set(tool, list);
  }

  report<Tool extends ToolFrame>(tool: Tool, timeMs: number): TrackedPose<Tool> {
    const period = 1000 / this.settings.updateRateHz;
    const sampleIndex = Math.floor((timeMs - this.settings.latencyMs) / period);
    const sampledAtMs = sampleIndex * period;
    const truth = this.truePoseAt(tool, sampledAtMs);
    if (!truth) return { status: 'missing', toolToTracker: undefined, sampledAtMs };
    const random = seededRandom(hash(this.seed, TOOL_INDEX[tool], sampleIndex));
    if (random.next() < this.settings.dropoutProbability) return { status: 'missing', toolToTracker: undefined, sampledAtMs };
    const m = truth.matrix;
    const position: Vec3 = [m[3]!, m[7]!, m[11]!];
    const { min, max } = this.settings.workingVolume;
    if (position.some((v, a) => v < min[a]! || v > max[a]!)) return { status: 'out-of-field', toolToTracker: undefined, sampledAtMs };

    const error = this.positionError(position);
    const jitter: Vec3 = [random.gaussian() * this.settings.jitterMm, random.gaussian() * this.settings.jitterMm, random.gaussian() * this.settings.jitterMm];
    const rotationError = this.rotationError(position, random);
    // Reported = (small rotation about the sensor) applied to the true orientation, then offset.
    const r = rotationError;
    const R = [m[0]!, m[1]!, m[2]!, m[4]!, m[5]!, m[6]!, m[8]!, m[9]!, m[10]!];
    const rotated = multiply3(r, R);
    const reported = fromRotationTranslation(tool, 'Tracker', rotated, [
      position[0] + error[0] + jitter[0],
      position[1] + error[1] + jitter[1],
      position[2] + error[2] + jitter[2],
    ]);
    return { status: 'ok', toolToTracker: reported, sampledAtMs };
  }

  /** The systematic position error at a place in the field (static error + metal distortion), mm. */
  positionError(positionInTracker: Vec3): Vec3 {
    // Smooth field: a sum of low-frequency sines with seeded phases (wavelengths ~ 200–400 mm), RMS ≈ staticErrorMm.
    const p = this.fieldPhases;
    const amplitude = this.settings.staticErrorMm * Math.sqrt(2 / 3);
    const wave = (axis: number) =>
      amplitude *
      (Math.sin(positionInTracker[0] / 61 + p[axis * 3]!) * 0.6 +
        Math.sin(positionInTracker[1] / 47 + p[axis * 3 + 1]!) * 0.6 +
        Math.sin(positionInTracker[2] / 53 + p[axis * 3 + 2]!) * 0.53);
    const error: [number, number, number] = [wave(0), wave(1), wave(2)];
    const metal = this.settings.metal;
    if (metal.enabled) {
      const d: Vec3 = [positionInTracker[0] - metal.positionInTracker[0], positionInTracker[1] - metal.positionInTracker[1], positionInTracker[2] - metal.positionInTracker[2]];
      const r = Math.max(5, Math.hypot(...d));
      const magnitude = metal.errorAt20MmMm * (20 / r) ** 3;
      for (let a = 0; a < 3; a++) error[a]! += (d[a]! / r) * magnitude;
    }
    return error;
  }

  private rotationError(position: Vec3, random: ReturnType<typeof seededRandom>): number[] {
    const p = this.fieldPhases;
    const staticAngle = this.settings.staticErrorDeg * DEG * Math.SQRT2 * Math.sin(position[0] / 71 + position[2] / 89 + p[9]!);
    const axis: Vec3 = normalise([Math.sin(p[10]! + position[1] / 97), Math.cos(p[11]! + position[0] / 83), Math.sin(p[12]!)]);
    const staticR = rotationAboutAxis(axis, staticAngle);
    const jx = random.gaussian() * this.settings.jitterDeg * DEG;
    const jy = random.gaussian() * this.settings.jitterDeg * DEG;
    const jz = random.gaussian() * this.settings.jitterDeg * DEG;
    const angle = Math.hypot(jx, jy, jz);
    const jitterR = angle > 0 ? rotationAboutAxis([jx / angle, jy / angle, jz / angle], angle) : [1, 0, 0, 0, 1, 0, 0, 0, 1];
    return multiply3(jitterR, staticR);
  }

  /** The true pose at a time: the latest one set at or before it. */
  private truePoseAt(tool: ToolFrame, timeMs: number): Transform<FrameName, 'Tracker'> | undefined {
    const list = this.history.get(tool);
    if (!list || list.length === 0) return undefined;
    let found: Transform<FrameName, 'Tracker'> | undefined;
    for (const entry of list) {
      if (entry.timeMs <= timeMs) found = entry.pose;
      else break;
    }
    return found ?? list[0]!.pose;
  }
}

const normalise = (v: Vec3): Vec3 => {
  const l = Math.hypot(...v) || 1;
  return [v[0] / l, v[1] / l, v[2] / l];
};

/** A 32-bit mix of integers (for per-sample seeds). */
function hash(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    h ^= v & 0xffffffff;
    h = Math.imul(h, 0x01000193);
    h ^= h >>> 13;
  }
  return h >>> 0;
}
