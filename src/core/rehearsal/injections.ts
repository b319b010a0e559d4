import type { CaseTarget } from '../cases/caseFile';
import type { Injection } from '../ctpass/injectateSpread';
import type { SessionEvent } from './sessionRecord';

/** The injections an attempt made up to time `untilMs` (all by default), on the attempt's clock. */
export function injectionsIn(events: readonly SessionEvent[], untilMs = Infinity): Injection[] {
  return events.flatMap((e) => (e.kind === 'injection' && e.t <= untilMs ? [{ tip: e.tip, volumeMl: e.volumeMl, medium: e.medium, startedAtMs: e.t }] : []));
}

/**
 * What is injected at a target (../shared/design/anatomy-and-procedures.md): 20 mL of O₂/O₃ into a
 * disc, 10 mL at a facet joint (the reference study), 5 mL of fluid (anaesthetic, steroid) in a joint.
 */
export function injectateFor(target: CaseTarget): { volumeMl: number; medium: 'gas' | 'fluid' } {
  if (/disc/i.test(target.id)) return { volumeMl: 20, medium: 'gas' };
  if (/facet/i.test(target.id)) return { volumeMl: 10, medium: 'gas' };
  return { volumeMl: 5, medium: 'fluid' };
}
