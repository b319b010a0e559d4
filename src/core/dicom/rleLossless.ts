/**
 * DICOM RLE Lossless (PS3.5 Annex G) for 16-bit single-sample frames: the frame is split into
 * two byte segments (most significant bytes first, then least significant), each PackBits
 * encoded row by row (no run crosses a row), each padded to an even length, behind a 64-byte
 * header of segment count and offsets. Cornerstone's loader decodes it; the phantoms use it to
 * keep sample-dicom small without losing a single HU.
 */
export function encodeRle16(pixels: Uint16Array | Int16Array, columns: number, rows: number): Uint8Array {
  const bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const high = new Uint8Array(columns * rows);
  const low = new Uint8Array(columns * rows);
  for (let p = 0; p < columns * rows; p++) {
    low[p] = bytes[2 * p]!; // little endian in memory
    high[p] = bytes[2 * p + 1]!;
  }
  const segments = [high, low].map((plane) => padEven(packBitsRows(plane, columns, rows)));
  const header = new Uint8Array(64);
  const view = new DataView(header.buffer);
  view.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((segment, index) => {
    view.setUint32(4 + index * 4, offset, true);
    offset += segment.length;
  });
  const out = new Uint8Array(offset);
  out.set(header, 0);
  let at = 64;
  for (const segment of segments) {
    out.set(segment, at);
    at += segment.length;
  }
  return out;
}

function packBitsRows(plane: Uint8Array, columns: number, rows: number): Uint8Array {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) packBits(plane.subarray(r * columns, (r + 1) * columns), out);
  return Uint8Array.from(out);
}

/** PackBits: a replicate run of n (2..128) bytes is (257 − n, byte); a literal run of n (1..128) is (n − 1, bytes…). */
function packBits(row: Uint8Array, out: number[]): void {
  let i = 0;
  while (i < row.length) {
    let run = 1;
    while (i + run < row.length && run < 128 && row[i + run] === row[i]) run++;
    if (run >= 2) {
      out.push(257 - run, row[i]!);
      i += run;
      continue;
    }
    // Literal: up to the next run of at least 3 equal bytes (a run of 2 inside a literal costs nothing extra).
    const start = i;
    while (i < row.length && i - start < 128) {
      if (i + 2 < row.length && row[i] === row[i + 1] && row[i] === row[i + 2]) break;
      i++;
    }
    out.push(i - start - 1);
    for (let k = start; k < i; k++) out.push(row[k]!);
  }
}

function padEven(bytes: Uint8Array): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/** Decoder for the same format (tests check the encoder with it; the app decodes with cornerstone). */
export function decodeRle16(frame: Uint8Array, columns: number, rows: number): Uint16Array {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const count = view.getUint32(0, true);
  if (count !== 2) throw new Error(`expected 2 RLE segments, found ${count}`);
  const planes = [0, 1].map((s) => {
    const start = view.getUint32(4 + s * 4, true);
    const end = s + 1 < count ? view.getUint32(8 + s * 4, true) : frame.length;
    const plane = new Uint8Array(columns * rows);
    let out = 0;
    let i = start;
    while (out < plane.length && i < end) {
      const n = frame[i++]!;
      if (n < 128) {
        for (let k = 0; k <= n; k++) plane[out++] = frame[i++]!;
      } else if (n > 128) {
        const value = frame[i++]!;
        for (let k = 0; k < 257 - n; k++) plane[out++] = value;
      }
    }
    return plane;
  });
  const pixels = new Uint16Array(columns * rows);
  for (let p = 0; p < pixels.length; p++) pixels[p] = (planes[0]![p]! << 8) | planes[1]![p]!;
  return pixels;
}
