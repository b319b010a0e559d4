import type { Metric } from './metric';
import { insertedShaftOf } from './insertedShaft';
import { pathInTissueMm } from './pathInTissue';
import { distance, isInTissue } from './sessionQueries';

/**
 * Perk Tutor's path inefficiency, %: 100 · (path / straight distance − 1).
 *
 * The straight distance runs from the skin entry of the first sample with the tip in tissue
 * (tip − unit(tip − hub) · insertedMm) to the tip at the last such sample. The path is the same
 * journey as travelled: the first in-tissue sample's depth (skin → its tip, along the shaft) plus
 * the path in tissue. A single straight insertion scores 0 %. Null without tissue, or when the
 * final tip is within 1 mm of the entry (the ratio means nothing there).
 */
export const pathInefficiency: Metric = {
  id: 'pathInefficiency',
  name: 'Path inefficiency',
  unit: '%',
  definition: '100 × (tip path from the skin entry / straight distance from the skin entry to the final tip − 1).',
  compute(record) {
    const inTissue = record.samples.filter(isInTissue);
    const first = inTissue[0];
    const last = inTissue[inTissue.length - 1];
    if (!first || !last) return null;
    const entry = insertedShaftOf(first.needle, first.insertedMm).entry;
    const straight = distance(entry, last.needle.tip);
    if (straight < 1) return null;
    const path = first.insertedMm + pathInTissueMm(record);
    return 100 * (path / straight - 1);
  },
};
