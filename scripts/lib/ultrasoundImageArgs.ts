import { dot, length, normalize, scale, subtract, type Vec3 } from '../../src/core/geometry/vec3';

/**
 * The arguments of `npm run ultrasound-image`, checked: every flag known and given once, numbers
 * in range, vectors of three finite numbers, the beam and the lateral axis non-zero and
 * perpendicular. A lateral axis off by at most ORTHOGONAL_TOLERANCE_DEG is made perpendicular to
 * the beam (and the command says by how much); beyond that the command refuses.
 */
export interface UltrasoundImageArgs {
  readonly ctFolder: string;
  readonly probe: 'linear' | 'curvilinear';
  readonly frequencyMHz: number;
  readonly depthMm: number;
  /** Centre of the transducer face, Ct (LPS mm). */
  readonly faceCentreInCt: Vec3;
  /** Unit direction into the patient, Ct. */
  readonly beamInCt: Vec3;
  /** Unit direction of the image's left-to-right axis, Ct, perpendicular to the beam. */
  readonly lateralInCt: Vec3;
  readonly outFile: string;
  readonly mmPerPixel: number;
  /** How far the lateral axis given was from perpendicular to the beam (degrees; 0 when exact). */
  readonly lateralCorrectedByDeg: number;
}

export const ORTHOGONAL_TOLERANCE_DEG = 1;
/** The app's frequency control spans 2–12 MHz; the PSF and attenuation model hold from 1 to 20. */
const FREQUENCY_RANGE_MHZ = [1, 20] as const;
const DEPTH_RANGE_MM = [5, 300] as const;
const PIXEL_RANGE_MM = [0.01, 5] as const;

export const USAGE =
  'usage: npm run -s ultrasound-image -- --ct <folder of DICOM> --probe linear|curvilinear --frequency <MHz> --depth <mm> ' +
  '--origin x,y,z --beam dx,dy,dz --lateral dx,dy,dz --out <file.png> [--pixel-mm 0.1]\n' +
  '  origin: the transducer face centre, LPS mm; beam: the direction into the patient; lateral: the image’s left-to-right axis (both LPS, any length)';

const FLAGS = ['ct', 'probe', 'frequency', 'depth', 'origin', 'beam', 'lateral', 'out', 'pixel-mm'] as const;
type Flag = (typeof FLAGS)[number];
const REQUIRED: readonly Flag[] = ['ct', 'probe', 'frequency', 'depth', 'origin', 'beam', 'lateral', 'out'];

export class ArgumentError extends Error {}

export function parseUltrasoundImageArgs(argv: readonly string[]): UltrasoundImageArgs {
  const values = new Map<Flag, string>();
  for (let a = 0; a < argv.length; a++) {
    const arg = argv[a]!;
    if (!arg.startsWith('--')) throw new ArgumentError(`unexpected argument "${arg}" (every value follows its flag, e.g. --depth 80)`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!(FLAGS as readonly string[]).includes(name)) throw new ArgumentError(`unknown flag --${name}; the flags are ${FLAGS.map((f) => '--' + f).join(', ')}`);
    const flag = name as Flag;
    if (values.has(flag)) throw new ArgumentError(`--${flag} is given twice`);
    let value = inline;
    if (value === undefined) {
      const next = argv[a + 1];
      // A value may start with "-" (a negative vector such as -1,0,0), never with "--".
      if (next === undefined || next.startsWith('--')) throw new ArgumentError(`--${flag} needs a value`);
      value = next;
      a++;
    }
    values.set(flag, value);
  }
  const missing = REQUIRED.filter((f) => !values.has(f));
  if (missing.length > 0) throw new ArgumentError(`missing ${missing.map((f) => '--' + f).join(', ')}`);
  const get = (flag: Flag) => values.get(flag)!;

  const probe = get('probe');
  if (probe !== 'linear' && probe !== 'curvilinear') throw new ArgumentError(`--probe must be linear or curvilinear, not "${probe}"`);
  const frequencyMHz = numberIn('frequency', get('frequency'), FREQUENCY_RANGE_MHZ, 'MHz');
  const depthMm = numberIn('depth', get('depth'), DEPTH_RANGE_MM, 'mm');
  const mmPerPixel = values.has('pixel-mm') ? numberIn('pixel-mm', get('pixel-mm'), PIXEL_RANGE_MM, 'mm') : 0.1;
  const faceCentreInCt = vector('origin', get('origin'));
  const beam = vector('beam', get('beam'));
  const lateral = vector('lateral', get('lateral'));
  if (length(beam) === 0) throw new ArgumentError('--beam is a zero vector: it must point into the patient');
  if (length(lateral) === 0) throw new ArgumentError('--lateral is a zero vector: it must point along the image, left to right');
  const beamInCt = normalize(beam);
  const lateralUnit = normalize(lateral);
  const cosine = dot(beamInCt, lateralUnit);
  const offDeg = Math.abs(90 - (Math.acos(Math.max(-1, Math.min(1, cosine))) * 180) / Math.PI);
  if (offDeg > ORTHOGONAL_TOLERANCE_DEG) {
    throw new ArgumentError(
      `--beam and --lateral must be perpendicular; they are ${offDeg.toFixed(2)}° from it (angle ${(90 + (cosine > 0 ? -offDeg : offDeg)).toFixed(2)}°; up to ${ORTHOGONAL_TOLERANCE_DEG}° is corrected)`,
    );
  }
  // Within the tolerance: the lateral axis with its component along the beam removed.
  const lateralInCt = normalize(subtract(lateralUnit, scale(beamInCt, cosine)));
  const outFile = get('out');
  if (!outFile.toLowerCase().endsWith('.png')) throw new ArgumentError(`--out ${outFile}: the image is written as PNG; give a file name ending in .png`);
  return { ctFolder: get('ct'), probe, frequencyMHz, depthMm, faceCentreInCt, beamInCt, lateralInCt, outFile, mmPerPixel, lateralCorrectedByDeg: offDeg };
}

function numberIn(flag: Flag, text: string, [min, max]: readonly [number, number], unit: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new ArgumentError(`--${flag} must be a number (${unit}), not "${text}"`);
  if (value < min || value > max) throw new ArgumentError(`--${flag} ${value} ${unit} is out of range (${min}–${max} ${unit})`);
  return value;
}

function vector(flag: Flag, text: string): Vec3 {
  const parts = text.split(',');
  const values = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (parts.length !== 3 || values.some((v) => !Number.isFinite(v))) {
    throw new ArgumentError(`--${flag} must be three numbers separated by commas (x,y,z in LPS), not "${text}"`);
  }
  return [values[0]!, values[1]!, values[2]!];
}
