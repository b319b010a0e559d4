/** An error (something failed or was refused) or a note (worth knowing, nothing wrong: e.g. non-DICOM files skipped). */
export type AlertKind = 'error' | 'note';

/**
 * The page's single role="alert" element: problems the user must know about, each on its own
 * line, with a close button. `kind` styles it as an error (default) or a note; the element keeps
 * role="alert" either way (screen readers announce both, and the tests find it by that role).
 */
export class AlertBox {
  constructor(private readonly element: HTMLElement) {}

  show(lines: readonly string[], kind: AlertKind = 'error'): void {
    if (lines.length === 0) return this.clear();
    const messages = document.createElement('div');
    messages.className = 'alert-messages';
    messages.append(...lines.map((line) => Object.assign(document.createElement('p'), { textContent: line })));
    const close = Object.assign(document.createElement('button'), { type: 'button', className: 'alert-close', textContent: '×', title: 'Dismiss' });
    close.setAttribute('aria-label', 'Dismiss this message');
    close.dataset.testid = 'alert-close';
    close.addEventListener('click', () => this.clear());
    this.element.dataset.kind = kind;
    this.element.replaceChildren(messages, close);
    this.element.hidden = false;
  }

  /** Notes: the same box, styled as information rather than as an error. */
  note(lines: readonly string[]): void {
    this.show(lines, 'note');
  }

  clear(): void {
    this.element.replaceChildren();
    this.element.hidden = true;
  }
}
