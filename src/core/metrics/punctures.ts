import type { Metric } from './metric';

/** Depth the tip must pass for an entry to count as a puncture, mm (Perk Tutor's threshold). */
export const PUNCTURE_DEPTH_MM = 5;

/**
 * Perk Tutor's tissue punctures: entries of the tip past 5 mm below the skin. One puncture is
 * counted when insertedMm first exceeds 5 mm after the tip was outside the body (insertedMm = 0,
 * or at the start); pulling back without leaving the skin and advancing again is not a new one.
 */
export const punctures: Metric = {
  id: 'punctures',
  name: 'Skin punctures',
  unit: 'count',
  definition: 'Entries of the needle tip deeper than 5 mm after being outside the body.',
  compute(record) {
    let count = 0;
    let outside = true;
    for (const sample of record.samples) {
      const depth = sample.needle ? sample.insertedMm : 0;
      if (depth <= 0) outside = true;
      else if (outside && depth > PUNCTURE_DEPTH_MM) {
        count++;
        outside = false;
      }
    }
    return count;
  },
};
