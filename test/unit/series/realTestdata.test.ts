import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupIntoSeries } from '../../../src/core/series/seriesCandidate';
import { planVolume } from '../../../src/core/series/planVolume';
import { parseSliceHeader } from '../../../src/core/dicom/parseSliceHeader';
import type { SliceHeader } from '../../../src/core/dicom/sliceHeader';
import { hasTestdata, readFolder, SKIP_REASON, TESTDATA_DIR } from '../fixtures/sharedTestdata';

const headersIn = (folder: string): SliceHeader[] => readFolder(folder).flatMap((r) => (r.kind === 'header' ? [r.header] : []));

describe.skipIf(!hasTestdata)(`real CT from ../shared/testdata${hasTestdata ? '' : ' — ' + SKIP_REASON}`, () => {
  it('plans the TCIA lumbar CT as 512×512×134 at 3.0 mm, sorted against InstanceNumber', () => {
    const headers = headersIn('ct-lumbar-tcia');
    const [series] = groupIntoSeries(headers);
    expect(series?.notLoadableBecause).toBeUndefined();
    const result = planVolume(series!.headers);
    if (!result.ok) throw new Error(result.reason);
    const { plan } = result;
    expect(plan.geometry.dimensions).toEqual([512, 512, 134]);
    expect(plan.geometry.spacingMm[0]).toBeCloseTo(1.074, 2);
    expect(plan.geometry.spacingMm[2]).toBeCloseTo(3.0, 3);
    expect(plan.method).toBe('copy');
    expect(plan.voxelType).toBe('int16');
    // InstanceNumber 1 is the most superior slice, so sorting by position puts it last.
    expect(plan.slices[plan.slices.length - 1]!.header.instanceNumber).toBe(1);
    expect(plan.geometry.axesInCt[2][2]).toBeCloseTo(1, 6);
  });

  it('detects the +18.5° gantry tilt and variable spacing of the GE head CT and resamples', () => {
    const headers = headersIn('gantry-tilt-ge');
    const result = planVolume(headers);
    if (!result.ok) throw new Error(result.reason);
    expect(result.plan.method).toBe('resample');
    const text = result.plan.warnings.join(' ');
    expect(text).toMatch(/Gantry tilt of 18\.[45]°/);
    expect(text).toMatch(/not uniform/);
    // The grid's k axis is the true slice normal, not the table direction.
    const normal = result.plan.geometry.axesInCt[2];
    expect(Math.abs(normal[2])).toBeCloseTo(Math.cos((18.5 * Math.PI) / 180), 2);
  });

  it('sorts the bad files into not-DICOM, unreadable and refused, each with a reason', () => {
    const results = readFolder('bad-files');
    const byName = new Map(results.map((r) => [(r.kind === 'header' ? r.header.fileName : r.fileName).replace('bad-files/', ''), r]));
    for (const name of ['empty_zero_bytes.dcm', 'text_not_dicom.dcm', 'png_image_renamed.dcm', 'jpeg_image_renamed.dcm', 'random_bytes_64k.dcm']) {
      expect(byName.get(name)?.kind, name).toBe('not-dicom');
    }
    expect(byName.get('ct_gzipped.dcm.gz')?.kind).toBe('gzip');
    expect(byName.get('ct_truncated_in_header_300B.dcm')).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/ends inside its DICOM header \(300 bytes\)/) });
    expect(byName.get('dicm_magic_then_garbage.dcm')?.kind).toBe('unreadable');

    const refusal = (name: string) => {
      const r = byName.get(name);
      if (r?.kind !== 'header') throw new Error(`${name} should parse`);
      const plan = planVolume([r.header]);
      return plan.ok ? undefined : plan.reason;
    };
    expect(refusal('ct_truncated_half.dcm')).toMatch(/ct_truncated_half\.dcm is truncated/);
    expect(refusal('ct_rows_600_pixeldata_too_short.dcm')).toMatch(/ct_rows_600_pixeldata_too_short\.dcm is damaged: its pixel data holds 524288 bytes, but 512×600/);
    expect(refusal('ct_no_PixelSpacing.dcm')).toMatch(/PixelSpacing/);
    expect(refusal('ct_no_ImagePositionPatient_or_Orientation.dcm')).toMatch(/cannot be placed in 3D/);
    expect(refusal('ct_rescale_slope_0.5_HU_preserved.dcm')).toBeUndefined();
    expect(refusal('ct_signed_pixelrep1_intercept0_HU_preserved.dcm')).toBeUndefined();
  });

  it('reads the gunzipped file like the original', () => {
    const bytes = new Uint8Array(gunzipSync(readFileSync(join(TESTDATA_DIR, 'bad-files/ct_gzipped.dcm.gz'))));
    const result = parseSliceHeader(bytes, 'ct_gzipped.dcm', 0);
    expect(result.kind).toBe('header');
  });

  it('reads every transfer syntax header and explains the non-CT objects', () => {
    const results = readFolder('transfer-syntaxes');
    const headers = results.flatMap((r) => (r.kind === 'header' ? [r.header] : []));
    expect(results.filter((r) => r.kind !== 'header').map((r) => ('fileName' in r ? r.fileName : ''))).toEqual(['transfer-syntaxes/LICENSE']);
    const series = groupIntoSeries(headers);
    const reasons = series.map((s) => s.notLoadableBecause ?? 'ok');
    expect(reasons.some((r) => /not CT/.test(r))).toBe(true); // the US image
    expect(reasons.some((r) => /no PixelData/.test(r))).toBe(true); // the SR
    expect(reasons.some((r) => /multi-frame/.test(r))).toBe(true); // the 2-frame CT
    const ctSyntaxes = new Set(headers.filter((h) => h.modality === 'CT' && h.numberOfFrames === 1).map((h) => h.transferSyntaxUid));
    expect(ctSyntaxes.size).toBeGreaterThanOrEqual(14);
  });
});
