/**
 * A 32-bit hash of an integer lattice point (x, y, z) and a salt: the coordinates multiplied by
 * odd constants and mixed, then two rounds of the murmur3 finaliser. The ultrasound's scatterers,
 * its tissue texture and its receiver noise draw their random values from it, so each is fixed to
 * its lattice (the tissue, or the scan line and sample) and the same in every worker.
 */
export function latticeHash(x: number, y: number, z: number, salt = 0): number {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(z, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
