import type { CaseTarget } from '../cases/caseFile';
import type { Injection } from '../ctpass/injectateSpread';
import type { SessionEvent, TrackingSample } from './sessionRecord';

/**
 * The injections an attempt made up to time `untilMs` (all by default), on the attempt's clock.
 * With the attempt's tracking samples, each carries the needle's hub at that moment (the last
 * sample with a needle at or before it): the track is a way out of a disc for the injectate.
 */
export function injectionsIn(events: readonly SessionEvent[], untilMs = Infinity, samples: readonly TrackingSample[] = []): Injection[] {
  return events.flatMap((e) => {
    if (e.kind !== 'injection' || e.t > untilMs) return [];
    const hub = hubAt(samples, e.t);
    return [{ tip: e.tip, volumeMl: e.volumeMl, medium: e.medium, startedAtMs: e.t, ...(hub ? { hub } : {}) }];
  });
}

/** The needle's true hub in the last sample with a needle at or before `t` (samples ordered by t). */
function hubAt(samples: readonly TrackingSample[], t: number): Injection['hub'] {
  let hub: Injection['hub'];
  for (const sample of samples) {
    if (sample.t > t) break;
    if (sample.needle) hub = sample.needle.hub;
  }
  return hub;
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
