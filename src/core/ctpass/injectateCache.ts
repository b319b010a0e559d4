import type { Vec3 } from '../geometry/vec3';
import type { VoxelShapeSpec } from '../phantom/voxelShape';
import type { CtVolume } from '../volume/ctVolume';
import type { CompartmentContext } from './injectateCompartment';
import { fillInjectate, type InjectateFill } from './injectateFill';
import { injectateShape } from './injectateRegion';

/** What a fill depends on besides the CT. */
export interface FillKey {
  readonly tip: Vec3;
  readonly hub?: Vec3;
  readonly volumeMl: number;
  readonly medium: 'gas' | 'fluid';
}

/** Shapes are recomputed when the volume out of the syringe moved by this fraction of the injection (4 %). */
const VOLUME_STEPS = 25;
const SHAPES_KEPT = 4;

const fills = new WeakMap<CtVolume, Map<string, { fill: InjectateFill; shapes: Map<number, VoxelShapeSpec | undefined> }>>();

const keyOf = (key: FillKey, context: CompartmentContext): string =>
  JSON.stringify([key.tip, key.hub ?? null, key.volumeMl, key.medium, (context.feedbackRegions ?? []).map((r) => r.id), (context.avoid ?? []).map((a) => a.id)]);

/** The flood of one injection on this CT, computed once (about 0.2–0.5 s) and kept while the CT is. */
export function cachedFill(volume: CtVolume, key: FillKey, context: CompartmentContext): { fill: InjectateFill; shapes: Map<number, VoxelShapeSpec | undefined> } {
  let perVolume = fills.get(volume);
  if (!perVolume) fills.set(volume, (perVolume = new Map()));
  const k = keyOf(key, context);
  let entry = perVolume.get(k);
  if (!entry) perVolume.set(k, (entry = { fill: fillInjectate(volume, key, context), shapes: new Map() }));
  return entry;
}

/**
 * The injectate's shape after `injectedMl` of `key.volumeMl` mL (quantised to 4 % of the
 * injection, so the syringe's growth costs one distance transform per step, 40–120 ms on this machine).
 */
export function cachedInjectateShape(volume: CtVolume, key: FillKey, context: CompartmentContext, injectedMl: number): VoxelShapeSpec | undefined {
  const entry = cachedFill(volume, key, context);
  const step = Math.min(VOLUME_STEPS, Math.round((injectedMl / key.volumeMl) * VOLUME_STEPS));
  if (step <= 0) return undefined;
  if (entry.shapes.has(step)) return entry.shapes.get(step);
  const shape = injectateShape(entry.fill, (step / VOLUME_STEPS) * key.volumeMl);
  entry.shapes.set(step, shape);
  if (entry.shapes.size > SHAPES_KEPT) entry.shapes.delete(entry.shapes.keys().next().value!);
  return shape;
}
