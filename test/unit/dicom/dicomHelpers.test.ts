import { describe, expect, it } from 'vitest';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { sniffFileKind } from '../../../src/core/dicom/sniffFileKind';
import { undeflatePart10, withTransferSyntax } from '../../../src/core/dicom/undeflatePart10';
import { parseSliceHeader } from '../../../src/core/dicom/parseSliceHeader';
import { identityNotice } from '../../../src/core/dicom/identityNotice';
import { headersOf, makeSeries, storedPixelsOf } from '../fixtures/syntheticSeries';

describe('sniffFileKind', () => {
  it('tells Part 10, gzip, bare datasets and other files apart from the first bytes', () => {
    const part10 = makeSeries({ slices: 1 }).files[0]!.bytes;
    expect(sniffFileKind(part10)).toBe('part10');
    expect(sniffFileKind(part10.subarray(132))).toBe('not-dicom'); // meta group (0002) is not a dataset start
    expect(sniffFileKind(new Uint8Array([0x1f, 0x8b, 8, 0]))).toBe('gzip');
    expect(sniffFileKind(new Uint8Array([0x08, 0x00, 0x05, 0x00, 0x0a, 0, 0, 0]))).toBe('raw-dataset');
    expect(sniffFileKind(new Uint8Array())).toBe('not-dicom');
    expect(sniffFileKind(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('not-dicom');
  });
});

describe('undeflatePart10', () => {
  it('turns a deflated file into an explicit little endian file with the same header and pixels', () => {
    const original = makeSeries({ slices: 1 }).files[0]!;
    const bytes = original.bytes;
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const metaEnd = 144 + view.getUint32(140, true);
    const deflated = withTransferSyntax(bytes, metaEnd, new Uint8Array(deflateRawSync(bytes.subarray(metaEnd))), '1.2.840.10008.1.2.1.99');
    const deflatedHeader = parseSliceHeader(deflated, 'deflated.dcm', 0, { inflateRaw: (d) => new Uint8Array(inflateRawSync(d)) });
    expect(deflatedHeader.kind).toBe('header');

    const inflatedDataset = bytes.subarray(metaEnd);
    const rewritten = undeflatePart10(deflated, 144 + new DataView(deflated.buffer, deflated.byteOffset).getUint32(140, true), inflatedDataset);
    const [header] = headersOf([{ name: 'rewritten.dcm', bytes: rewritten }]);
    const [reference] = headersOf([original]);
    expect(header!.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
    expect(header!.imagePositionInCt).toEqual(reference!.imagePositionInCt);
    expect([...storedPixelsOf(rewritten, header!)]).toEqual([...storedPixelsOf(bytes, reference!)]);
  });
});

describe('identityNotice', () => {
  it('warns only when a name or ID is present and the series is not marked de-identified', () => {
    const marked = headersOf(makeSeries({ slices: 2 }).files);
    expect(identityNotice(marked)).toBeUndefined();
    const unmarked = marked.map((h) => ({ ...h, patientIdentityRemoved: false }));
    expect(identityNotice(unmarked)).toMatch(/not marked as de-identified/);
    const anonymous = unmarked.map((h) => ({ ...h, patientName: undefined, patientId: '  ' }));
    expect(identityNotice(anonymous)).toBeUndefined();
  });
});

describe('RLE Lossless', () => {
  it('round-trips 16-bit frames exactly, including noise, runs and row boundaries', async () => {
    const { encodeRle16, decodeRle16 } = await import('../../../src/core/dicom/rleLossless');
    const { seededRandom } = await import('../../../src/core/random/seededRandom');
    const random = seededRandom(3);
    const columns = 37;
    const rows = 11;
    const pixels = new Uint16Array(columns * rows);
    for (let p = 0; p < pixels.length; p++) pixels[p] = p % 50 < 20 ? 24 : Math.round(1000 + 300 * random.next());
    const encoded = encodeRle16(pixels, columns, rows);
    expect(encoded.length % 2).toBe(0);
    expect([...decodeRle16(encoded, columns, rows)]).toEqual([...pixels]);
  });

  it('writes an encapsulated RLE CT slice whose header parses with the RLE transfer syntax', async () => {
    const { writeCtSlice } = await import('../../../src/core/dicom/ctSliceDataset');
    const stored = new Uint16Array(16 * 8).map((_, i) => i * 7);
    const bytes = writeCtSlice({
      studyInstanceUid: '2.25.1',
      seriesInstanceUid: '2.25.2',
      sopInstanceUid: '2.25.3',
      frameOfReferenceUid: '2.25.4',
      seriesDescription: 'rle',
      seriesNumber: 1,
      instanceNumber: 1,
      rows: 8,
      columns: 16,
      pixelSpacingMm: [1, 1],
      imagePositionInCt: [0, 0, 0],
      imageOrientationInCt: [
        [1, 0, 0],
        [0, 1, 0],
      ],
      sliceThicknessMm: 1,
      storedPixels: stored,
      bitsStored: 12,
      rescaleSlope: 1,
      rescaleIntercept: -1024,
      patientPosition: 'HFS',
      encoding: 'rle',
    });
    const result = parseSliceHeader(bytes, 'rle.dcm', 0);
    expect(result.kind === 'header' && result.header.transferSyntaxUid).toBe('1.2.840.10008.1.2.5');
    expect(result.kind === 'header' && result.header.pixelData.kind).toBe('encapsulated');
  });
});
