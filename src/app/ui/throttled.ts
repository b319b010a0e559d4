/**
 * Runs `work` at most once every `intervalMs` (the last call within an interval runs at its end):
 * readouts the tracker's 40 Hz stream updates need not cost a style recalculation per sample.
 */
export function throttled(work: () => void, intervalMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = -Infinity;
  return () => {
    if (timer !== undefined) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        last = performance.now();
        work();
      },
      Math.max(0, last + intervalMs - performance.now()),
    );
  };
}

/** Sets an element's text only when it changes (a write of the same text still invalidates layout). */
export function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
