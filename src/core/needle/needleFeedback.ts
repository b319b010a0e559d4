import type { SessionEvent } from '../rehearsal/sessionRecord';

/** A session event without its time: what the needle simulation reports, for the recorder to stamp. */
type Untimed<E> = E extends unknown ? Omit<E, 't'> : never;

/** What the operator feels through the needle: the SessionEvent shapes of sessionRecord.ts without `t`. */
export type NeedleFeedback = Untimed<Extract<SessionEvent, { kind: 'skin-puncture' | 'needle-out' | 'redirection' | 'bone-contact' | 'resistance' }>>;

/** What the navigation warns about: a structure to avoid within the margin, or entered. */
export type StructureFeedback = Untimed<Extract<SessionEvent, { kind: 'warning' | 'breach' }>>;

/** The outcome of a command the needle may refuse (aiming while inside, steering too deep). */
export type NeedleCommandResult = { readonly ok: true; readonly feedback: readonly NeedleFeedback[] } | { readonly ok: false; readonly reason: string };
