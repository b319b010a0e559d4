import type { NeedleFeedback } from '../needle/needleFeedback';
import type { RunEvent } from '../rehearsal/procedureRun';
import type { CueKind } from './simulatorEvents';

/** What the trainee is told (and how it sounds) for each thing the needle meets; undefined for events without a cue. */
export function cueFor(event: NeedleFeedback | RunEvent, structureName: (id: string) => string): { kind: CueKind; text: string } | undefined {
  switch (event.kind) {
    case 'bone-contact':
      return { kind: 'bone', text: 'Bone: the needle stops (contact).' };
    case 'resistance':
      return { kind: 'resistance', text: `Resistance rises: ${event.name}.` };
    case 'skin-puncture':
      return { kind: 'info', text: 'Skin punctured.' };
    case 'needle-out':
      return { kind: 'info', text: 'The needle is out of the skin.' };
    case 'redirection':
      return { kind: 'info', text: `Redirected by ${event.angleDeg.toFixed(0)}° at ${event.depthMm.toFixed(0)} mm.` };
    case 'warning':
      return { kind: 'warning', text: `Close to ${structureName(event.structureId)}: ${event.distanceMm.toFixed(1)} mm.` };
    case 'breach':
      return { kind: 'breach', text: `Breach: the needle entered ${event.name}.` };
    default:
      return undefined;
  }
}
