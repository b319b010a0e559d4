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

/**
 * The needle's true hub in the last sample with a needle at or before `t` (samples ordered by t):
 * found by bisection, then back to the nearest sample with a needle — not a scan from the start,
 * which grew with the session (issue 12: the injectate is redrawn every 200 ms while it spreads).
 */
function hubAt(samples: readonly TrackingSample[], t: number): Injection['hub'] {
  let lo = 0;
  let hi = samples.length;
  // The first sample after t.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (samples[mid]!.t > t) hi = mid;
    else lo = mid + 1;
  }
  for (let i = lo - 1; i >= 0; i--) {
    const needle = samples[i]!.needle;
    if (needle) return needle.hub;
  }
  return undefined;
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
