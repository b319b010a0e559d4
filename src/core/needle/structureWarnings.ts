import { addScaled, dot, subtract } from '../geometry/vec3';
import type { AvoidStructure } from '../cases/caseFile';
import { shapeOf } from '../phantom/avoidShapes';
import type { NeedleState } from './needleMechanics';
import type { StructureFeedback } from './needleFeedback';
import { shaftToStructures } from './shaftToStructures';
import { closestAlongSegment } from './closestAlongSegment';

/**
 * The structures to avoid that the inserted part of the needle (skin entry → tip, the shaft's
 * centreline) comes within `marginMm` of: a 'warning' with the distance (mm), or a 'breach' with
 * the shaft point deepest inside when it has entered one (distance < 0). Nearest first; nothing
 * while the needle is outside the body. The closest point is refined between shaftToStructures'
 * 0.5 mm samples. A pure function of the state: the recorder reports a warning once per approach
 * by comparing with the previous call.
 */
export function structureWarnings(state: NeedleState, avoid: readonly AvoidStructure[], marginMm: number): StructureFeedback[] {
  const { entry, tip, direction, insertedMm } = state;
  if (!entry || insertedMm <= 0) return [];
  return shaftToStructures(entry, tip, avoid, marginMm)
    .map(({ structure, closest }) => ({ structure, ...closestAlongSegment(shapeOf(structure.shape), entry, direction, insertedMm, dot(subtract(closest, entry), direction)) }))
    .filter(({ distanceMm }) => distanceMm <= marginMm)
    .sort((a, b) => a.distanceMm - b.distanceMm)
    .map(({ structure, distanceMm, depthMm }): StructureFeedback =>
      distanceMm < 0
        ? { kind: 'breach', structureId: structure.id, name: structure.name, point: addScaled(entry, direction, depthMm) }
        : { kind: 'warning', structureId: structure.id, distanceMm },
    );
}
