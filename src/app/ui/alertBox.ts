/** The page's single role="alert" element: problems the user must know about, each on its own line. */
export class AlertBox {
  constructor(private readonly element: HTMLElement) {}

  show(lines: readonly string[]): void {
    if (lines.length === 0) return this.clear();
    this.element.replaceChildren(...lines.map((line) => Object.assign(document.createElement('p'), { textContent: line })));
    this.element.hidden = false;
  }

  clear(): void {
    this.element.replaceChildren();
    this.element.hidden = true;
  }
}
