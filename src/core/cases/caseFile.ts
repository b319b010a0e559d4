import type { Vec3 } from '../geometry/vec3';
import type { AnalyticShape } from '../phantom/avoidShapes';
import type { AcousticOverride } from '../ultrasound/acousticRegions';

/**
 * case.json: what a rehearsal case says about its CT, version 1.
 *
 * Every coordinate is in the CT's patient frame (`Ct`: DICOM LPS, millimetres: x toward the
 * patient's left, y posterior, z superior), the frame of ImagePositionPatient, so one file
 * serves any viewer. Instructors write the same file for their own CTs; docs/case-file.md
 * explains each field with an example.
 */
export const CASE_SCHEMA = 'us-ct-fusion-case';
export const CASE_SCHEMA_VERSION = 1;

export interface CaseFile {
  readonly schema: typeof CASE_SCHEMA;
  readonly schemaVersion: typeof CASE_SCHEMA_VERSION;
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The CT series this case belongs to (its SeriesInstanceUID) and the patient position it was scanned in. */
  readonly series: { readonly seriesInstanceUid: string; readonly patientPosition: string };
  readonly targets: readonly CaseTarget[];
  readonly avoid: readonly AvoidStructure[];
  /** Optional regions whose entry the operator feels through the needle (a disc, a joint capsule). */
  readonly feedbackRegions?: readonly FeedbackRegion[];
  readonly fiducials: Fiducials;
  readonly procedure: Procedure;
  /**
   * Optional tissues whose ultrasound texture the CT's HU cannot tell (fibre direction of a muscle,
   * tendon or capsule; hyaline cartilage, whose HU is the disc's). Without this list the simulator
   * textures every soft tissue as muscle with fibres along the patient's cranio-caudal axis (Ct z)
   * and labels no cartilage. Where two tissues overlap, the later one in the list applies.
   */
  readonly tissues?: readonly CaseTissue[];
  /** Optional named anatomical points (e.g. the femoral head centre), for views and teaching. */
  readonly landmarks?: readonly { readonly id: string; readonly name: string; readonly point: Vec3 }[];
}

export interface CaseTarget {
  readonly id: string;
  readonly name: string;
  /** 'primary' targets are what the rehearsal scores; 'secondary' ones are optional extra passes. */
  readonly priority: 'primary' | 'secondary';
  readonly centre: Vec3;
  /** The tip counts as on target within this distance of the centre (mm). */
  readonly acceptanceRadiusMm: number;
}

/** The ultrasound media a tissue of the case's `tissues` list may be (AcousticMedium's tissue kinds). */
export type TissueMedium = 'cartilage' | 'muscle' | 'tendon' | 'capsule';
export const TISSUE_MEDIA: readonly TissueMedium[] = ['cartilage', 'muscle', 'tendon', 'capsule'];

export interface CaseTissue {
  readonly name: string;
  readonly medium: TissueMedium;
  /** Covers the tissue (Ct mm); may reach a little into its neighbours, where their HU still decide. */
  readonly shape: AnalyticShape;
  /** Fibre direction (Ct, LPS, any length) of a muscle, tendon or capsule. */
  readonly fibreAxis?: Vec3;
}

export interface AvoidStructure {
  readonly id: string;
  readonly name: string;
  readonly kind: 'nerve' | 'dural-sac' | 'artery' | 'vein' | 'bowel' | 'other';
  readonly shape: AnalyticShape;
  /** How the ultrasound shows the structure when its HU would mislead (a vessel's lumen: anechoic, pulsating). */
  readonly acoustic?: AcousticOverride;
}

/**
 * A region the operator FEELS when the needle enters it: "the operator clearly feels an increase
 * of tissue resistance when the needle penetrates the disc, completely different from the bony
 * margins" (the reference study). The needle simulation reports a 'resistance' event when the
 * tip crosses into `shape` (Ct mm). The shape approximates the painted structure (an ellipsoid
 * for a disc or a capsule), so the feeling comes within about a millimetre of the image's edge.
 */
export interface FeedbackRegion {
  readonly id: string;
  readonly name: string;
  readonly kind: 'disc' | 'joint-capsule' | 'other';
  readonly shape: AnalyticShape;
}

export interface Fiducials {
  /** External marker placed before the planning CT (automatic registration). */
  readonly marker?: {
    readonly name: string;
    readonly beadDiameterMm: number;
    /** Bead centres in the marker's own frame (mm): the geometry a tracked marker reports. */
    readonly beadsInMarker: readonly Vec3[];
    /** Ground truth: the same beads in Ct, in the same order. */
    readonly beadsInCt: readonly Vec3[];
  };
  /** Single skin markers for manual point-pair registration. */
  readonly skinMarkers: readonly { readonly id: string; readonly centre: Vec3; readonly diameterMm: number }[];
}

export interface Procedure {
  readonly name: string;
  readonly approach: string;
  /**
   * The probe the case is scanned with; `gainDb`, if given, is the case's default overall gain
   * (dB, the scanner's gain control: what puts this patient's muscle mid-to-dark grey), else the
   * probe's default.
   */
  readonly probe: { readonly type: 'curvilinear' | 'linear'; readonly frequencyMHz: number; readonly gainDb?: number };
  readonly needle: { readonly gauge: number; readonly lengthMm: number; readonly type: string };
  /** A skin entry point that reaches the primary target along the planned path (Ct mm), if the case suggests one. */
  readonly suggestedEntry?: Vec3;
}
