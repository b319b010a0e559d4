/**
 * What the simulated needle feels, as CT numbers (HU, trilinear) and distances (mm).
 *
 * - Skin: air outside the body is −1000 HU and fat, the softest tissue, −120 … −80, so the
 *   body starts where the HU first rises above −300 coming from outside (−300 is above any
 *   noisy air and below any tissue, and on a sharp air–skin edge falls within half a voxel of it).
 * - Bone: cortical bone is painted 1100 HU (700 … 1800 on real CT; the thin spinal cortex reads
 *   700 … 1200), while the hardest soft tissues are the disc's annulus (105), cartilage (100) and
 *   tendon (90); cancellous bone (230 … 260) lies inside a cortex. 400 HU is met only at bone
 *   (or a radiopaque marker), about a third of the way into a cortical edge's partial volume.
 */
export const SKIN_HU = -300;
export const BONE_HU = 400;
/** The tip comes to rest this far before the 400 HU bone surface, along the shaft. */
export const BONE_STANDOFF_MM = 0.3;
/** The tip is marched in steps no longer than this (thinner than the thinnest cortex, 1 mm). */
export const MARCH_STEP_MM = 0.25;
/** A rigid needle can be redirected (pivoting about the skin entry) only with the tip at most this deep. */
export const MAX_REDIRECT_DEPTH_MM = 20;
