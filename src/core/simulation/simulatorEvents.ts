import type { CaseFile } from '../cases/caseFile';
import type { RegistrationSummary, NavigationSession } from '../navigation/navigationSession';
import type { NeedleFeedback } from '../needle/needleFeedback';
import type { ProcedureRun } from '../rehearsal/procedureRun';
import type { GuidanceMode, SessionEvent, SessionRecord } from '../rehearsal/sessionRecord';
import type { TrackerSettings } from '../tracking/trackerSettings';
import type { AcousticRegionSpec } from '../ultrasound/acousticRegions';
import type { UltrasoundSettings } from '../ultrasound/ultrasoundSettings';
import type { CtVolume } from '../volume/ctVolume';
import type { HuWindow } from '../volume/windowPresets';
import type { NavigationSnapshot } from './navigationSnapshot';
import type { CtPassShown } from './ctPassShown';

/** How a cue sounds and looks: an information, bone contact, resistance, a warning or a breach. */
export type CueKind = 'info' | 'bone' | 'resistance' | 'warning' | 'breach';

/**
 * Every change the state owner (SimulatorState) announces, with its payload. Views subscribe to
 * the ones they draw; nothing else changes the state. Times are performance-clock ms.
 */
export interface SimulatorEventMap {
  /** A CT (and its case, or none) was opened: every view starts afresh. `session` is absent when the case cannot be navigated (`reason` says why). */
  opened: { readonly volume: CtVolume; readonly caseFile: CaseFile | undefined; readonly session: NavigationSession | undefined; readonly reason: string | undefined };
  /** The probe's true pose changed (the ultrasound follows it). */
  pose: { readonly timeMs: number };
  /** The needle's true pose changed, with what the hand felt. */
  needle: { readonly timeMs: number; readonly feedback: readonly NeedleFeedback[] };
  /** A registration was accepted, or cleared. */
  registration: { readonly summary: RegistrationSummary | undefined };
  /** The manual point pairs changed (picked, touched, cleared). */
  pairs: Record<string, never>;
  /** The scanner's settings in use (the probe's defaults with the user's changes and the gain). */
  scanner: { readonly settings: UltrasoundSettings };
  window: { readonly window: HuWindow };
  mode: { readonly mode: GuidanceMode };
  /** The tracker's settings or the room changed (metal, jitter, the patient moved, reference sensor). */
  tracker: { readonly settings: TrackerSettings };
  /** The derived navigation was recomputed: a new tracker sample, or an input changed. */
  navigation: { readonly snapshot: NavigationSnapshot };
  /** The acoustic regions the ultrasound sees besides the CT (the case's, plus injectate). */
  'acoustic-regions': { readonly regions: readonly AcousticRegionSpec[] };
  /** A recorded attempt is being replayed (live commands are refused meanwhile), or no longer. */
  replay: { readonly active: boolean };
  /** The attempt started, changed step, or stopped (undefined). */
  attempt: { readonly run: ProcedureRun | undefined };
  /** What the attempt added to its record since the last delta; `urgent` when an event is among it (save at once). */
  'session-delta': { readonly record: SessionRecord; readonly samplesAdded: number; readonly events: readonly SessionEvent[]; readonly urgent: boolean };
  /** A message for the trainee (feedback, refusals). */
  cue: { readonly kind: CueKind; readonly text: string };
  /** Something went wrong that the user must read. */
  alert: { readonly message: string };
  /** A CT pass was acquired: what the CT-pass viewer shows. */
  'ct-pass': CtPassShown;
  /** The attempt was finished: the report follows. */
  finished: { readonly record: SessionRecord; readonly caseFile: CaseFile };
  /** The planned entry changed (the plan panel and the views redraw it). */
  plan: { readonly entry: readonly [number, number, number] | undefined };
}
