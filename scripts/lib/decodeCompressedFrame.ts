import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RLE_LOSSLESS } from '../../src/core/dicom/transferSyntax';
import { decodeRle16 } from '../../src/core/dicom/rleLossless';

/**
 * Decodes one compressed (encapsulated) CT frame in Node with the codecs the app's
 * cornerstone loader uses, called directly: RLE by the core's decoder, JPEG baseline 8-bit by
 * libjpeg-turbo, JPEG extended/progressive by cornerstone's JS decoder, JPEG lossless by
 * jpeg-lossless-decoder-js, JPEG-LS by CharLS, JPEG 2000 by OpenJPEG (WebAssembly, loaded
 * from node_modules). Returns the stored values, one sample a pixel; throws with the transfer
 * syntax named when no codec here reads it.
 */
export interface FrameFormat {
  readonly fileName: string;
  readonly transferSyntaxUid: string;
  readonly columns: number;
  readonly rows: number;
  readonly bitsAllocated: number;
  /** 0 unsigned, 1 two's complement. */
  readonly pixelRepresentation: number;
}

export type StoredPixels = Uint16Array | Int16Array | Uint8Array | Int8Array;

const require = createRequire(import.meta.url);

/** Names of the transfer syntaxes decoded here, for messages. */
export const COMPRESSED_SYNTAXES: Readonly<Record<string, string>> = {
  [RLE_LOSSLESS]: 'RLE Lossless',
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline (Process 1)',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended (Process 2 & 4)',
  '1.2.840.10008.1.2.4.53': 'JPEG Spectral Selection (Process 6 & 8)',
  '1.2.840.10008.1.2.4.55': 'JPEG Full Progression (Process 10 & 12)',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless (Process 14)',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless, first-order prediction (Process 14 SV1)',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
};

export async function decodeCompressedFrame(frame: Uint8Array, format: FrameFormat): Promise<StoredPixels> {
  const { transferSyntaxUid: uid, columns, rows, fileName } = format;
  const name = COMPRESSED_SYNTAXES[uid];
  if (!name) {
    throw new Error(
      `${fileName}: transfer syntax ${uid} is not decoded by this command (it reads native little/big endian, deflated, RLE, JPEG, JPEG-LS and JPEG 2000); convert the series, e.g. with \`dcmdjpeg\`/\`gdcmconv --raw\`, to uncompressed DICOM`,
    );
  }
  if (format.bitsAllocated !== 8 && format.bitsAllocated !== 16) throw new Error(`${fileName}: BitsAllocated ${format.bitsAllocated}; only 8 or 16 are read`);
  const signed = format.pixelRepresentation === 1;
  const wide = format.bitsAllocated === 16;
  try {
    if (uid === RLE_LOSSLESS) {
      if (!wide) throw new Error('8-bit RLE is not read (CT is 16-bit)');
      const values = decodeRle16(frame, columns, rows);
      return signed ? new Int16Array(values.buffer, values.byteOffset, values.length) : values;
    }
    if (uid === '1.2.840.10008.1.2.4.50' && !wide) return typed(await wasmDecode('libjpeg-turbo-8bit', frame), wide, signed);
    if (uid === '1.2.840.10008.1.2.4.50' || uid === '1.2.840.10008.1.2.4.51' || uid === '1.2.840.10008.1.2.4.53' || uid === '1.2.840.10008.1.2.4.55') {
      return await jpegJs(frame, columns, rows, wide, signed);
    }
    if (uid === '1.2.840.10008.1.2.4.57' || uid === '1.2.840.10008.1.2.4.70') {
      const { Decoder } = await import('@cornerstonejs/jpeg-lossless-decoder-js');
      const decoded = new Decoder().decode(frame.buffer as ArrayBuffer, frame.byteOffset, frame.length, wide ? 2 : 1);
      return typed(new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength), wide, signed);
    }
    if (uid === '1.2.840.10008.1.2.4.80' || uid === '1.2.840.10008.1.2.4.81') return typed(await wasmDecode('charls', frame), wide, signed);
    return typed(await wasmDecode('openjpeg', frame), wide, signed);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${fileName}: ${name} (${uid}) pixel data could not be decoded: ${message}`, { cause: error });
  }
}

/** Reinterprets decoded bytes as the header's sample type (copied: the codec's buffer is reused). */
function typed(bytes: Uint8Array, wide: boolean, signed: boolean): StoredPixels {
  const copy = bytes.slice();
  if (!wide) return signed ? new Int8Array(copy.buffer) : copy;
  return signed ? new Int16Array(copy.buffer, 0, copy.length >> 1) : new Uint16Array(copy.buffer, 0, copy.length >> 1);
}

async function jpegJs(frame: Uint8Array, columns: number, rows: number, wide: boolean, signed: boolean): Promise<StoredPixels> {
  // Not among the package's exports: imported by its path inside the installed package.
  const jpegJsUrl = pathToFileURL(join(dirname(require.resolve('@cornerstonejs/dicom-image-loader/package.json')), 'dist/esm/codecs/jpeg.js')).href;
  const { default: JpegImage } = (await import(jpegJsUrl)) as { default: new () => JpegDecoder };
  const jpeg = new JpegImage();
  jpeg.parse(frame);
  jpeg.colorTransform = false;
  if (!wide) return jpeg.getData(columns, rows);
  const data = jpeg.getData16(columns, rows);
  return signed ? new Int16Array(data.buffer, data.byteOffset, data.length) : data;
}

interface JpegDecoder {
  parse(data: Uint8Array): void;
  colorTransform: boolean;
  getData(width: number, height: number): Uint8Array;
  getData16(width: number, height: number): Uint16Array;
}

/** The Emscripten codec modules: a factory taking the wasm bytes, whose decoder class has this shape. */
interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
}
type WasmCodec = 'libjpeg-turbo-8bit' | 'charls' | 'openjpeg';
const DECODER_CLASS: Record<WasmCodec, string> = { 'libjpeg-turbo-8bit': 'JPEGDecoder', charls: 'JpegLSDecoder', openjpeg: 'J2KDecoder' };
const decoders = new Map<WasmCodec, Promise<WasmDecoder>>();

function wasmDecoder(codec: WasmCodec): Promise<WasmDecoder> {
  let decoder = decoders.get(codec);
  if (!decoder) {
    const factory = require(`@cornerstonejs/codec-${codec}/decodewasmjs`) as (module: {
      wasmBinary: Uint8Array;
      print: (text: string) => void;
      printErr: (text: string) => void;
    }) => Promise<Record<string, new () => WasmDecoder>>;
    // The wasm bytes handed over directly: the module's own locateFile assumes a browser URL.
    const wasmBinary = new Uint8Array(readFileSync(require.resolve(`@cornerstonejs/codec-${codec}/decodewasm`)));
    // print/printErr silenced: OpenJPEG logs [INFO] lines to stdout, which the command keeps for its JSON.
    decoder = factory({ wasmBinary, print: () => {}, printErr: () => {} }).then((instance) => new instance[DECODER_CLASS[codec]]!());
    decoders.set(codec, decoder);
  }
  return decoder;
}

async function wasmDecode(codec: WasmCodec, frame: Uint8Array): Promise<Uint8Array> {
  const decoder = await wasmDecoder(codec);
  decoder.getEncodedBuffer(frame.length).set(frame);
  decoder.decode();
  return decoder.getDecodedBuffer();
}
