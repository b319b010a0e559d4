import { cross, normalize, type Vec3 } from '../geometry/vec3';
import { latticeHash } from '../random/latticeHash';

/**
 * The tissue's scatterers, integrated across the elevation beam.
 *
 * The scatterers lie on planes fixed in the patient, parallel to the image plane and a quarter of
 * the elevation FWHM apart ("node planes", at e = m·Δ along the image normal from a fixed tissue
 * anchor). On each node plane the scatterer amplitudes (I and Q, uniform in [−1, 1)) are a hashed
 * square lattice of `cellMm` in tissue-fixed in-plane axes U, V (they depend only on the normal),
 * interpolated linearly within the lattice's triangles. The echo of a sample is the sum over the
 * node planes near the image plane weighted by the elevation beam profile.
 *
 * What follows (each tested): sliding or rocking the probe in plane moves the speckle with the
 * tissue (the same node planes, the same lattice); moving it out of plane by d changes only the
 * weights, so the speckle decorrelates as the beam profiles' overlap predicts; the field is
 * finer than the PSF at every frequency, so the PSF sets the grain; many independent contributions
 * per resolution cell make the envelope Rayleigh.
 */
export interface SpeckleFrame {
  /** Tissue-fixed in-plane axes (unit, Ct) of the node planes, and the anchor they start from (Ct mm). */
  readonly u: Vec3;
  readonly v: Vec3;
  readonly anchor: Vec3;
  readonly cellMm: number;
  /** Integer index of each node plane used (tissue-fixed), and its weight (Σ weight² = 1). */
  readonly planes: Int32Array;
  readonly weights: Float64Array;
}

/**
 * The node planes for an image plane through `pointOnPlane` with unit normal `normal` (Ct), for an
 * elevation profile exp(−e²/2σ²) and node spacing `spacingMm` (≤ FWHM/4).
 */
export function speckleFrame(normal: Vec3, pointOnPlane: Vec3, anchor: Vec3, sigmaMm: number, spacingMm: number, cellMm: number): SpeckleFrame {
  // The in-plane axes from the normal and the Ct axis least aligned with it: fixed for a given normal.
  const ax = Math.abs(normal[0]);
  const ay = Math.abs(normal[1]);
  const az = Math.abs(normal[2]);
  const other: Vec3 = ax <= ay && ax <= az ? [1, 0, 0] : ay <= az ? [0, 1, 0] : [0, 0, 1];
  const u = normalize(cross(normal, other));
  const v = cross(normal, u);
  const e0 = (pointOnPlane[0] - anchor[0]) * normal[0] + (pointOnPlane[1] - anchor[1]) * normal[1] + (pointOnPlane[2] - anchor[2]) * normal[2];
  const m = Math.floor(e0 / spacingMm);
  const reach = Math.ceil((2.2 * sigmaMm) / spacingMm);
  const planes: number[] = [];
  const weights: number[] = [];
  let sumSquares = 0;
  for (let j = -reach; j <= reach + 1; j++) {
    const offset = (m + j) * spacingMm - e0;
    const w = Math.exp(-(offset * offset) / (2 * sigmaMm * sigmaMm));
    if (w < 0.12) continue;
    planes.push(m + j);
    weights.push(w);
    sumSquares += w * w;
  }
  const norm = 1 / Math.sqrt(sumSquares);
  return { u, v, anchor, cellMm, planes: Int32Array.from(planes), weights: Float64Array.from(weights, (w) => w * norm) };
}

/**
 * Scatterer echo (I, Q) at Ct point (x, y, z) of the image plane: unit variance in each of I and Q.
 * Writes into `out[0]`, `out[1]`.
 */
export function speckleAt(frame: SpeckleFrame, x: number, y: number, z: number, out: Float64Array): void {
  const px = x - frame.anchor[0];
  const py = y - frame.anchor[1];
  const pz = z - frame.anchor[2];
  const gu = (px * frame.u[0] + py * frame.u[1] + pz * frame.u[2]) / frame.cellMm;
  const gv = (px * frame.v[0] + py * frame.v[1] + pz * frame.v[2]) / frame.cellMm;
  const u0 = Math.floor(gu);
  const v0 = Math.floor(gv);
  const fu = gu - u0;
  const fv = gv - v0;
  // The square split along its diagonal: corners (0,0), (1,1) and (1,0) or (0,1).
  let w0: number, w1: number, w2: number, cu: number, cv: number;
  if (fu >= fv) {
    w0 = 1 - fu;
    w1 = fu - fv;
    w2 = fv;
    cu = 1;
    cv = 0;
  } else {
    w0 = 1 - fv;
    w1 = fv - fu;
    w2 = fu;
    cu = 0;
    cv = 1;
  }
  // Interpolating white noise lowers its variance between lattice points: restore unit variance.
  const norm = 1 / Math.sqrt(w0 * w0 + w1 * w1 + w2 * w2);
  w0 *= norm;
  w1 *= norm;
  w2 *= norm;
  let sumI = 0;
  let sumQ = 0;
  const { planes, weights } = frame;
  for (let n = 0; n < planes.length; n++) {
    const plane = planes[n]!;
    const h0 = latticeHash(u0, v0, plane);
    const h1 = latticeHash(u0 + cu, v0 + cv, plane);
    const h2 = latticeHash(u0 + 1, v0 + 1, plane);
    const i = w0 * ((h0 & 0xffff) / 0x8000 - 1) + w1 * ((h1 & 0xffff) / 0x8000 - 1) + w2 * ((h2 & 0xffff) / 0x8000 - 1);
    const q = w0 * ((h0 >>> 16) / 0x8000 - 1) + w1 * ((h1 >>> 16) / 0x8000 - 1) + w2 * ((h2 >>> 16) / 0x8000 - 1);
    sumI += weights[n]! * i;
    sumQ += weights[n]! * q;
  }
  // Uniform [−1, 1) has variance 1/3: scale to unit variance.
  out[0] = sumI * Math.sqrt(3);
  out[1] = sumQ * Math.sqrt(3);
}
