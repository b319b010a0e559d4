import type { CaseFile } from '../../core/cases/caseFile';

/** Needles to rehearse with besides the case's: spinal needles of common gauges and lengths. */
const NEEDLE_CHOICES = [
  { gauge: 22, lengthMm: 150 },
  { gauge: 22, lengthMm: 90 },
  { gauge: 20, lengthMm: 150 },
  { gauge: 18, lengthMm: 150 },
  { gauge: 25, lengthMm: 90 },
  { gauge: 22, lengthMm: 200 },
];

/** The needle list's options, value "gauge/lengthMm": the case's needle first, then the others. */
export function needleOptions(caseNeedle: CaseFile['procedure']['needle'] | undefined): HTMLOptionElement[] {
  const others = NEEDLE_CHOICES.filter((n) => !caseNeedle || n.gauge !== caseNeedle.gauge || n.lengthMm !== caseNeedle.lengthMm);
  const all = [
    ...(caseNeedle ? [{ gauge: caseNeedle.gauge, lengthMm: caseNeedle.lengthMm, label: ` (the case's ${caseNeedle.type})` }] : []),
    ...others.map((n) => ({ ...n, label: '' })),
  ];
  return all.map((n) => Object.assign(document.createElement('option'), { value: `${n.gauge}/${n.lengthMm}`, textContent: `${n.gauge} G, ${n.lengthMm / 10} cm${n.label}` }));
}
