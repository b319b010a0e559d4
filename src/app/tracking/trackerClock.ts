import type { SimulatorState } from '../../core/simulation/simulatorState';

/**
 * The simulated tracker's own clock: the state is ticked at the tracker's update rate whether or
 * not anything moves, as a real tracker streams its samples — so jitter, dropouts, metal
 * distortion and out-of-field show on a still probe. The rate follows the tracker's settings.
 */
export class TrackerClock {
  private timer: ReturnType<typeof setInterval> | undefined;
  private rateHz = 0;

  constructor(private readonly state: SimulatorState) {
    state.events.on('tracker', ({ settings }) => this.run(settings.updateRateHz));
    state.events.on('opened', ({ session }) => (session ? this.run(session.tracker.current().updateRateHz) : this.stop()));
  }

  private run(rateHz: number): void {
    if (rateHz === this.rateHz && this.timer) return;
    this.stop();
    this.rateHz = rateHz;
    // At most 60 ticks a second: the display cannot show more, and a faster tracker's samples in between are never seen.
    this.timer = setInterval(() => this.state.tick(), 1000 / Math.min(60, Math.max(1, rateHz)));
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.rateHz = 0;
  }
}
