import { transformOf } from '../../core/frames/transform';
import { injectionAcousticRegions } from '../../core/ctpass/injectateSpread';
import { injectionsIn } from '../../core/rehearsal/injections';
import type { SessionEvent, SessionRecord, TrackingSample } from '../../core/rehearsal/sessionRecord';
import type { SimulatorState } from '../../core/simulation/simulatorState';
import { needleFromSample } from '../../core/rehearsal/resumeState';

export interface ReplayElements {
  readonly bar: HTMLElement;
  readonly play: HTMLButtonElement;
  readonly time: HTMLInputElement;
  readonly clock: HTMLElement;
  readonly event: HTMLElement;
  readonly close: HTMLButtonElement;
}

const EVENT_TEXT: Partial<Record<SessionEvent['kind'], (e: never) => string>> = {
  'skin-puncture': () => 'skin punctured',
  'needle-out': () => 'needle out',
  'bone-contact': () => 'bone contact',
  resistance: (e: Extract<SessionEvent, { kind: 'resistance' }>) => `resistance: ${e.name}`,
  warning: (e: Extract<SessionEvent, { kind: 'warning' }>) => `close to ${e.structureId} (${e.distanceMm} mm)`,
  breach: (e: Extract<SessionEvent, { kind: 'breach' }>) => `BREACH: ${e.name}`,
  'ct-pass': () => 'CT pass',
  injection: (e: Extract<SessionEvent, { kind: 'injection' }>) => `injection ${e.volumeMl} mL ${e.medium}`,
  registration: (e: Extract<SessionEvent, { kind: 'registration' }>) => `registered (${e.method}, FRE ${e.freMm.toFixed(2)} mm)`,
  'colour-doppler': (e: Extract<SessionEvent, { kind: 'colour-doppler' }>) => `colour Doppler: ${e.vesselIds.join(', ')} mapped`,
  'step-done': (e: Extract<SessionEvent, { kind: 'step-done' }>) => `step done: ${e.step}`,
};

/**
 * Replays a recorded attempt in the app: a timeline scrubber (and play at real speed) puts the
 * probe and the needle where the record says they were at that moment, with the injectate as it
 * had spread, and names the last event. The live controls do not act meanwhile.
 */
export class ReplayController {
  private record: SessionRecord | undefined;
  private playing = false;
  private playFrom = { wall: 0, t: 0 };

  constructor(
    private readonly elements: ReplayElements,
    private readonly state: SimulatorState,
  ) {
    elements.time.addEventListener('input', () => this.seek(Number(elements.time.value)));
    elements.play.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    elements.close.addEventListener('click', () => this.close());
  }

  open(record: SessionRecord): void {
    this.record = record;
    const end = Math.max(record.samples.at(-1)?.t ?? 0, record.events.at(-1)?.t ?? 0);
    this.elements.time.max = String(Math.ceil(end));
    this.elements.time.value = '0';
    this.elements.bar.hidden = false;
    document.body.dataset.replaying = record.id;
    this.state.beginReplay(record.mode);
    this.seek(0);
  }

  close(): void {
    this.pause();
    this.record = undefined;
    this.elements.bar.hidden = true;
    delete document.body.dataset.replaying;
    this.state.endReplay();
  }

  get active(): boolean {
    return this.record !== undefined;
  }

  private play(): void {
    if (!this.record) return;
    if (Number(this.elements.time.value) >= Number(this.elements.time.max)) this.elements.time.value = '0';
    this.playing = true;
    this.elements.play.textContent = 'Pause';
    this.playFrom = { wall: performance.now(), t: Number(this.elements.time.value) };
    const step = () => {
      if (!this.playing) return;
      const t = this.playFrom.t + (performance.now() - this.playFrom.wall);
      this.elements.time.value = String(Math.min(t, Number(this.elements.time.max)));
      this.seek(t);
      if (t >= Number(this.elements.time.max)) this.pause();
      else requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }

  private pause(): void {
    this.playing = false;
    this.elements.play.textContent = 'Play';
  }

  /** The recorded truth at attempt time t (ms). */
  seek(t: number): void {
    const record = this.record;
    const session = this.state.session;
    if (!record || !session) return;
    const sample = lastAtOrBefore(record.samples, t);
    let needle;
    try {
      needle = sample?.needle ? needleFromSample(session.volume, session.caseFile, record.settings.needle, sample) : undefined;
    } catch {
      needle = undefined;
    }
    // The injectate fills its compartment on the session's CT (cached per injection).
    const regions = injectionAcousticRegions(injectionsIn(record.events, t, record.samples), t, {
      volume: session.volume,
      feedbackRegions: session.caseFile.feedbackRegions,
      avoid: session.caseFile.avoid,
    });
    this.state.showRecorded(sample?.probeToCt ? transformOf('Probe', 'Ct', sample.probeToCt) : undefined, needle, regions);
    const seconds = Math.floor(t / 1000);
    this.elements.clock.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} / ${Math.floor(Number(this.elements.time.max) / 60000)}:${String(Math.floor(Number(this.elements.time.max) / 1000) % 60).padStart(2, '0')}`;
    const event = [...record.events].reverse().find((e) => e.t <= t && EVENT_TEXT[e.kind]);
    this.elements.event.textContent = event ? (EVENT_TEXT[event.kind] as (e: SessionEvent) => string)(event) : '';
  }
}

function lastAtOrBefore(samples: readonly TrackingSample[], t: number): TrackingSample | undefined {
  let lo = 0;
  let hi = samples.length - 1;
  let found: TrackingSample | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]!.t <= t) {
      found = samples[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
