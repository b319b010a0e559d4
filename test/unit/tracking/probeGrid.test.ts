import { describe, expect, it } from 'vitest';
import { applyToPoint } from '../../../src/core/frames/transform';
import { faceCentreInProbe, imageToProbe, isInFieldOfView, PROBE_MODELS, probeAtDepth, type ProbeModel } from '../../../src/core/tracking/probeModels';

/** Columns and rows of the grid that hold at least one field-of-view pixel, and whether any pixel just outside the grid would. */
function extent(model: ProbeModel) {
  let minColumn = Infinity;
  let maxColumn = -Infinity;
  let maxRow = -Infinity;
  for (let r = 0; r < model.rows; r++) {
    for (let c = 0; c < model.columns; c++) {
      if (!isInFieldOfView(model, c, r)) continue;
      minColumn = Math.min(minColumn, c);
      maxColumn = Math.max(maxColumn, c);
      maxRow = Math.max(maxRow, r);
    }
  }
  let outside = 0;
  for (let r = 0; r <= model.rows; r++) {
    if (isInFieldOfView(model, -1, r)) outside++;
    if (isInFieldOfView(model, model.columns, r)) outside++;
  }
  for (let c = 0; c < model.columns; c++) if (isInFieldOfView(model, c, model.rows)) outside++;
  return { minColumn, maxColumn, maxRow, outside };
}

describe('the image grid follows the depth', () => {
  const curvilinear = PROBE_MODELS['curvilinear-3.5'];
  const linear = PROBE_MODELS['linear-7.5'];
  const cases: [ProbeModel, number][] = [
    [curvilinear, 40],
    [curvilinear, 80],
    [curvilinear, 150],
    [curvilinear, 240],
    [linear, 20],
    [linear, 50],
    [linear, 80],
  ];

  it.each(cases)('%s at %i mm: the field of view touches the left, right and bottom edges, and nothing of it lies beyond', (base, depthMm) => {
    const model = probeAtDepth(base, depthMm);
    expect(model.depthMm).toBe(depthMm);
    const { minColumn, maxColumn, maxRow, outside } = extent(model);
    // The sector's corner may fall between rows: within two columns of the edge.
    expect(minColumn).toBeLessThanOrEqual(2);
    expect(maxColumn).toBeGreaterThanOrEqual(model.columns - 3);
    expect(maxRow).toBeGreaterThanOrEqual(model.rows - 2);
    // The depth fills the rows: the image is as deep as the setting, within a pixel.
    expect(Math.abs(model.rows * model.mmPerPixel - depthMm)).toBeLessThanOrEqual(model.mmPerPixel + 1e-9);
    expect(outside).toBe(0);
  });

  it('keeps the display height (rows) and scales the pixel with the depth: 80 mm curvilinear is 0.213 mm per pixel, 240 mm 0.64', () => {
    expect(probeAtDepth(curvilinear, 80).rows).toBe(curvilinear.rows);
    expect(probeAtDepth(curvilinear, 80).mmPerPixel).toBeCloseTo((0.4 * 80) / 150, 9);
    expect(probeAtDepth(curvilinear, 240).mmPerPixel).toBeCloseTo(0.64, 9);
    // A shallower fan is wider in pixels (same rows, finer pixels): 80 mm shows 2·130·sin 35° = 149 mm across.
    expect(probeAtDepth(curvilinear, 80).columns * probeAtDepth(curvilinear, 80).mmPerPixel).toBeCloseTo(149.1, 0);
  });

  it('the linear probe images 8 cm deep over its 38 mm array', () => {
    const deep = probeAtDepth(linear, 80);
    expect(deep.mmPerPixel).toBeCloseTo(0.16, 9);
    expect(Math.abs(deep.columns * deep.mmPerPixel - 38)).toBeLessThanOrEqual(2 * deep.mmPerPixel);
    expect(isInFieldOfView(deep, (deep.columns - 1) / 2, deep.rows - 1)).toBe(true);
  });

  it.each(cases)('%s at %i mm: the top-centre pixel maps to the face centre, one row down is one pixel deeper (ImageToProbe follows the grid)', (base, depthMm) => {
    const model = probeAtDepth(base, depthMm);
    const calibration = imageToProbe(model);
    const top = applyToPoint(calibration, [(model.columns - 1) / 2, 0, 0]);
    const face = faceCentreInProbe(model);
    for (let axis = 0; axis < 3; axis++) expect(top[axis]).toBeCloseTo(face[axis]!, 9);
    const bottom = applyToPoint(calibration, [(model.columns - 1) / 2, model.rows - 1, 0]);
    expect(bottom[1] - top[1]).toBeCloseTo((model.rows - 1) * model.mmPerPixel, 9);
    expect(bottom[1] - top[1]).toBeGreaterThan(depthMm - 2 * model.mmPerPixel);
  });

  it('the default depth gives the probe model itself (so views caching by identity keep their masks)', () => {
    expect(probeAtDepth(curvilinear, 150)).toBe(curvilinear);
    expect(probeAtDepth(probeAtDepth(linear, 80), 50)).toBe(linear);
  });

  it('a depth the probe does not offer is refused with the range', () => {
    expect(() => probeAtDepth(linear, 90)).toThrow('Linear 7.5 MHz: depth 90 mm is outside 20…80 mm');
    expect(() => probeAtDepth(curvilinear, 10)).toThrow(/outside 20…240 mm/);
    expect(() => probeAtDepth(curvilinear, Number.NaN)).toThrow(/outside/);
  });
});
