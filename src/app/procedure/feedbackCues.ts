/**
 * What the trainee feels, shown and (optionally) heard and felt: bone contact, the rise in
 * resistance entering the disc or the joint capsule, warnings near structures to avoid and
 * breaches. Visual always (a flashing line in the panel); a short tone through Web Audio and a
 * gamepad rumble when the trainee turns them on.
 */
export type CueKind = 'bone' | 'resistance' | 'warning' | 'breach' | 'info';

const TONES: Record<CueKind, { hz: number; ms: number; rumble: number }> = {
  bone: { hz: 180, ms: 120, rumble: 1 },
  resistance: { hz: 440, ms: 200, rumble: 0.5 },
  warning: { hz: 880, ms: 90, rumble: 0.3 },
  breach: { hz: 220, ms: 400, rumble: 1 },
  info: { hz: 660, ms: 60, rumble: 0 },
};

export class FeedbackCues {
  private audio: AudioContext | undefined;

  constructor(
    private readonly feedback: HTMLElement,
    private readonly warning: HTMLElement,
    private readonly sound: HTMLInputElement,
    private readonly rumble: HTMLInputElement,
  ) {}

  cue(kind: CueKind, text: string): void {
    const target = kind === 'warning' || kind === 'breach' ? this.warning : this.feedback;
    target.textContent = text;
    target.dataset.kind = kind;
    // Restart the flash animation.
    target.classList.remove('flash');
    void target.offsetWidth;
    target.classList.add('flash');
    if (this.sound.checked) this.beep(TONES[kind]);
    if (this.rumble.checked && TONES[kind].rumble > 0) this.vibrate(TONES[kind]);
  }

  clear(): void {
    this.feedback.textContent = '';
    this.warning.textContent = '';
  }

  private beep(tone: { hz: number; ms: number }): void {
    this.audio ??= new AudioContext();
    const oscillator = this.audio.createOscillator();
    const gain = this.audio.createGain();
    oscillator.frequency.value = tone.hz;
    gain.gain.value = 0.15;
    oscillator.connect(gain).connect(this.audio.destination);
    oscillator.start();
    oscillator.stop(this.audio.currentTime + tone.ms / 1000);
  }

  private vibrate(tone: { ms: number; rumble: number }): void {
    for (const pad of navigator.getGamepads?.() ?? []) {
      const actuator = (pad as (Gamepad & { vibrationActuator?: { playEffect(type: string, p: object): Promise<unknown> } }) | null)?.vibrationActuator;
      void actuator?.playEffect('dual-rumble', { duration: tone.ms, strongMagnitude: tone.rumble, weakMagnitude: tone.rumble / 2 }).catch(() => undefined);
    }
  }
}
