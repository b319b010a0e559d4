import type { Vec3 } from '../geometry/vec3';
import type { AcousticRegion } from './acousticRegions';

/** Per-frame state of the tissue texture. */
export interface TextureContext {
  readonly normal: Vec3;
}

export function textureContext(_regions: readonly AcousticRegion[], normal: Vec3): TextureContext {
  return { normal };
}

/** Multiplier of the diffuse echogenicity at a Ct point (1: no texture). */
export function tissueTexture(_context: TextureContext, _override: AcousticRegion | undefined, _hu: number, _x: number, _y: number, _z: number): number {
  return 1;
}
