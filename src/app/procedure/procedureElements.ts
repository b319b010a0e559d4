/** The page's elements the rehearsal drives (ids in index.html, wired in main.ts). */
export interface ProcedureElements {
  readonly target: HTMLSelectElement;
  readonly mode: HTMLSelectElement;
  readonly needle: HTMLSelectElement;
  readonly start: HTMLButtonElement;
  readonly checklist: HTMLOListElement;
  readonly planBox: HTMLElement;
  readonly controls: HTMLElement;
  readonly entryAtCrosshair: HTMLButtonElement;
  readonly planReviewed: HTMLButtonElement;
  readonly alignProbe: HTMLButtonElement;
  readonly needleAtEntry: HTMLButtonElement;
  readonly aimAtCrosshair: HTMLButtonElement;
  readonly confirm: HTMLButtonElement;
  readonly inject: HTMLButtonElement;
  readonly ctPass: HTMLButtonElement;
  readonly finish: HTMLButtonElement;
  readonly tipToTarget: HTMLElement;
  readonly depth: HTMLElement;
  readonly inPlane: HTMLElement;
  readonly ctPasses: HTMLElement;
  readonly feedback: HTMLElement;
  readonly warning: HTMLElement;
  readonly sound: HTMLInputElement;
  readonly rumble: HTMLInputElement;
  readonly dlpPerPass: HTMLInputElement;
  readonly avoidMargin: HTMLInputElement;
  readonly ctPassPanel: HTMLElement;
  readonly ctPassView: HTMLElement;
  readonly ctPassClose: HTMLButtonElement;
  readonly resumeBanner: HTMLElement;
  readonly resumeText: HTMLElement;
  readonly resumeButton: HTMLButtonElement;
  readonly discardButton: HTMLButtonElement;
}
