import { describe, expect, it } from 'vitest';
import { planVolume } from '../../../src/core/series/planVolume';
import { startVolumeAssembly } from '../../../src/core/series/assembleVolume';
import { ctIjkToCt, ctToCtIjk } from '../../../src/core/volume/volumeGeometry';
import { huAtCtPoint, type CtVolume } from '../../../src/core/volume/ctVolume';
import type { VolumePlan } from '../../../src/core/series/volumePlan';
import { addScaled, type Vec3 } from '../../../src/core/geometry/vec3';
import { headersOf, linearHu, makeSeries, OBLIQUE_COLUMN, OBLIQUE_ROW, storedPixelsOf, type SyntheticSeries } from '../fixtures/syntheticSeries';

function planOf(series: SyntheticSeries, shuffle = true): VolumePlan {
  const headers = headersOf(series.files);
  // A fixed permutation: sorting must come from positions, not from the given order.
  const given = shuffle ? [headers[2]!, headers[0]!, ...headers.slice(3), headers[1]!].filter(Boolean) : headers;
  const result = planVolume(given);
  if (!result.ok) throw new Error(result.reason);
  return result.plan;
}

function assemble(series: SyntheticSeries, plan: VolumePlan): CtVolume {
  const assembly = startVolumeAssembly(plan);
  plan.slices.forEach((placed, index) => {
    const file = series.files[placed.header.fileIndex]!;
    assembly.addSlice(index, storedPixelsOf(file.bytes, placed.header), false);
  });
  return assembly.finish();
}

const close = (a: Vec3, b: Vec3, digits = 6) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, digits));

describe('planVolume: geometry from headers', () => {
  it('sorts by position along the normal, not by order given or InstanceNumber', () => {
    const series = makeSeries({ slices: 5 });
    const plan = planOf(series);
    expect(plan.slices.map((s) => s.header.fileName)).toEqual(series.files.map((f) => f.name));
    expect(plan.method).toBe('copy');
    expect(plan.warnings).toEqual([]);
  });

  it('takes origin, axes and spacing from IPP/IOP/PixelSpacing (column spacing along i)', () => {
    const series = makeSeries({ slices: 4, pixelSpacingMm: [0.8, 0.6] });
    const { geometry } = planOf(series);
    expect(geometry.dimensions).toEqual([7, 5, 4]);
    close(geometry.spacingMm, [0.6, 0.8, 2.5]);
    close(geometry.originInCt, [100, 200, 300]);
    close(geometry.axesInCt[0], OBLIQUE_ROW);
    close(geometry.axesInCt[1], OBLIQUE_COLUMN);
    // Voxel (3, 2, 1) lies 3 columns along the row direction, 2 rows down, 1 slice along the normal.
    const expected = addScaled(addScaled(series.positions[1]!, OBLIQUE_ROW, 3 * 0.6), OBLIQUE_COLUMN, 2 * 0.8);
    close(ctIjkToCt(geometry, [3, 2, 1]), expected);
    close(ctToCtIjk(geometry, expected), [3, 2, 1]);
  });

  it('puts every voxel where its HU says it belongs (rescale slope 2, intercept −1024)', () => {
    const series = makeSeries({ slices: 4, rescaleSlope: 2, rescaleIntercept: -1024, huAt: (p) => 2 * Math.round(linearHu(p) / 2) });
    const plan = planOf(series);
    const volume = assemble(series, plan);
    expect(volume.huVoxels).toBeInstanceOf(Int16Array);
    for (let k = 0; k < 4; k++) {
      for (const [i, j] of [
        [0, 0],
        [6, 4],
        [3, 1],
      ] as const) {
        const p = ctIjkToCt(volume.geometry, [i, j, k]);
        expect(huAtCtPoint(volume, p)).toBe(2 * Math.round(linearHu(p) / 2));
      }
    }
  });

  it('reads signed pixels (PixelRepresentation 1)', () => {
    const series = makeSeries({ signed: true, rescaleIntercept: 0, huAt: (p) => Math.round(linearHu(p)) - 900 });
    const volume = assemble(series, planOf(series));
    const p = ctIjkToCt(volume.geometry, [5, 3, 2]);
    expect(huAtCtPoint(volume, p)).toBe(Math.round(linearHu(p)) - 900);
    expect(Math.min(...volume.huVoxels)).toBeLessThan(0);
  });

  it('keeps HU as Float32 when the slope is fractional', () => {
    const series = makeSeries({ rescaleSlope: 0.5, rescaleIntercept: -1000.25 });
    const plan = planOf(series);
    expect(plan.voxelType).toBe('float32');
    const volume = assemble(series, plan);
    const p = ctIjkToCt(volume.geometry, [1, 1, 1]);
    expect(Math.abs(huAtCtPoint(volume, p)! - linearHu(p))).toBeLessThanOrEqual(0.25);
  });

  it('handles feet-first stacks (positions run toward the feet)', () => {
    const series = makeSeries({
      rowDirection: [-1, 0, 0],
      columnDirection: [0, 1, 0],
      sliceStepInCt: [0, 0, 3],
      firstPositionInCt: [120, -80, 310],
      patientPosition: 'FFS',
    });
    const plan = planOf(series);
    // normal = row × column = (0, 0, −1): the most superior slice comes first.
    close(plan.geometry.axesInCt[2], [0, 0, -1]);
    close(plan.geometry.originInCt, [120, -80, 319]);
    const volume = assemble(series, plan);
    const p = ctIjkToCt(volume.geometry, [2, 3, 0]);
    expect(p[2]).toBeCloseTo(319, 6);
    expect(huAtCtPoint(volume, p)).toBe(Math.round(linearHu(p)));
  });
});

describe('planVolume: refusals and repairs', () => {
  const dropTag = (group: number, element: number) => (_k: number, elements: import('../../../src/core/dicom/writeDicom').DicomElement[]) =>
    elements.filter((e) => !(e.tag[0] === group && e.tag[1] === element));

  it('refuses a series without PixelSpacing, naming the tag', () => {
    const result = planVolume(headersOf(makeSeries({ edit: dropTag(0x0028, 0x0030) }).files));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/PixelSpacing \(0028,0030\)/);
  });

  it('refuses a series without ImagePositionPatient or ImageOrientationPatient', () => {
    for (const tag of [
      [0x0020, 0x0032],
      [0x0020, 0x0037],
    ] as const) {
      const result = planVolume(headersOf(makeSeries({ edit: dropTag(tag[0], tag[1]) }).files));
      expect(!result.ok && result.reason).toMatch(/cannot be placed in 3D/);
    }
  });

  it('refuses two different images at one position, naming both files', () => {
    const series = makeSeries({ slices: 4, stepAt: (k) => (k === 1 ? [0, 0, 0] : addScaled([0, 0, 0], [0, 0, 1], 2)), rowDirection: [1, 0, 0], columnDirection: [0, 1, 0] });
    const result = planVolume(headersOf(series.files));
    expect(!result.ok && result.reason).toMatch(/slice-001\.dcm and slice-002\.dcm are two different images at the same position/);
  });

  it('drops a second copy of the same file with a warning', () => {
    const series = makeSeries({ slices: 3 });
    const headers = headersOf([...series.files, series.files[1]!]);
    const result = planVolume(headers);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.geometry.dimensions[2]).toBe(3);
    expect(result.plan.warnings.join(' ')).toMatch(/second copy/);
  });

  it('loads a single slice with a warning that 3D navigation needs the whole series', () => {
    const result = planVolume(headersOf(makeSeries({ slices: 1 }).files));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.geometry.dimensions[2]).toBe(1);
    expect(result.plan.geometry.spacingMm[2]).toBeCloseTo(9.9);
    expect(result.plan.warnings.join(' ')).toMatch(/single slice/);
  });

  it('resamples a series with a missing slice onto a uniform grid, with a warning naming the gap', () => {
    // Slices at 0, 2, 4, 8, 10 mm: the one at 6 mm is missing.
    const steps = [2, 2, 4, 2];
    const series = makeSeries({ slices: 5, rowDirection: OBLIQUE_ROW, columnDirection: OBLIQUE_COLUMN, stepAt: (k) => scaleNormal(steps[k] ?? 2) });
    const plan = planOf(series);
    expect(plan.method).toBe('resample');
    expect(plan.geometry.dimensions[2]).toBe(6);
    close(plan.geometry.spacingMm, [0.6, 0.8, 2]);
    expect(plan.warnings.join(' ')).toMatch(/not uniform \(2\.00 to 4\.00 mm; the largest gap is between slice-002\.dcm and slice-003\.dcm\)/);
    const volume = assemble(series, plan);
    // A linear field is reproduced exactly by linear interpolation, inside the gap too.
    for (let k = 0; k < 6; k++) {
      const p = ctIjkToCt(volume.geometry, [4, 2, k]);
      // Two roundings (stored pixels, then output voxels) of at most 0.5 HU each.
      expect(Math.abs(huAtCtPoint(volume, p)! - linearHu(p))).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it('detects gantry tilt from sheared positions and resamples onto an orthogonal grid', () => {
    // Rows along x, columns tilted 20° out of the y axis; the table moves along z, so each
    // slice is shifted in-plane relative to the previous one.
    const tilt = (20 * Math.PI) / 180;
    const columnDirection: Vec3 = [0, Math.cos(tilt), -Math.sin(tilt)];
    const series = makeSeries({ columns: 8, rows: 12, pixelSpacingMm: [1, 1], rowDirection: [1, 0, 0], columnDirection, sliceStepInCt: [0, 0, 3], slices: 6 });
    const plan = planOf(series);
    expect(plan.method).toBe('resample');
    expect(plan.warnings.join(' ')).toMatch(/Gantry tilt of 20\.0°/);
    close(plan.geometry.axesInCt[2], [0, Math.sin(tilt), Math.cos(tilt)]);
    expect(plan.geometry.spacingMm[2]).toBeCloseTo(3 * Math.cos(tilt), 6);
    const volume = assemble(series, plan);
    // Every output voxel inside the scanned stack must read the HU of its own Ct position.
    let inside = 0;
    const [nx, ny, nz] = volume.geometry.dimensions;
    for (let k = 0; k < nz; k++) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const value = volume.huVoxels[i + j * nx + k * nx * ny]!;
          if (value === -1024) continue;
          inside++;
          const p = ctIjkToCt(volume.geometry, [i, j, k]);
          // Two roundings (stored pixels, then output voxels) of at most 0.5 HU each.
          expect(Math.abs(value - linearHu(p))).toBeLessThanOrEqual(1 + 1e-9);
        }
      }
    }
    expect(inside).toBeGreaterThan(8 * 12 * 4);
  });

  it('refuses a series too large for the memory budget before allocating it', () => {
    const result = planVolume(headersOf(makeSeries({ slices: 3 }).files), { maxVoxelBytes: 100 });
    expect(!result.ok && result.reason).toMatch(/too large: its voxels need .* \(7×5×3\), more than/);
  });

  it('refuses slices of different orientations and matrices', () => {
    const a = makeSeries({ slices: 2 });
    const b = makeSeries({ slices: 2, rowDirection: [1, 0, 0], columnDirection: [0, 1, 0], firstPositionInCt: [0, 0, 50] });
    const result = planVolume(headersOf([...a.files, ...b.files.map((f) => ({ ...f, name: 'other-' + f.name }))]));
    expect(!result.ok && result.reason).toMatch(/different orientations/);
    const c = makeSeries({ slices: 2, columns: 9, firstPositionInCt: [0, 0, 90] });
    const result2 = planVolume(headersOf([...a.files, ...c.files.map((f) => ({ ...f, name: 'wide-' + f.name }))]));
    expect(!result2.ok && result2.reason).toMatch(/different matrices/);
  });
});

function scaleNormal(size: number): Vec3 {
  const n: Vec3 = [
    OBLIQUE_ROW[1] * OBLIQUE_COLUMN[2] - OBLIQUE_ROW[2] * OBLIQUE_COLUMN[1],
    OBLIQUE_ROW[2] * OBLIQUE_COLUMN[0] - OBLIQUE_ROW[0] * OBLIQUE_COLUMN[2],
    OBLIQUE_ROW[0] * OBLIQUE_COLUMN[1] - OBLIQUE_ROW[1] * OBLIQUE_COLUMN[0],
  ];
  return [n[0] * size, n[1] * size, n[2] * size];
}
