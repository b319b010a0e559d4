import { defineConfig } from 'vite';
import { sampleDicomPlugin } from './scripts/vite-sample-dicom-plugin.ts';

// Settings from ../shared/design/stack.md (cornerstone3D 5 with Vite):
// - the decode worker's emscripten codecs are CommonJS and must be pre-bundled, or volume
//   loading hangs with no error;
// - core, metadata and utils are pre-bundled together so only one metadata registry exists;
//   the dicom-image-loader is excluded so its worker URL stays intact.
export default defineConfig({
  server: { port: 5173, strictPort: false },
  preview: { port: 4173 },
  worker: { format: 'es' },
  optimizeDeps: {
    include: [
      '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
      '@cornerstonejs/codec-charls/decodewasmjs',
      '@cornerstonejs/codec-openjpeg/decodewasmjs',
      '@cornerstonejs/codec-openjph/wasmjs',
      '@cornerstonejs/core',
      '@cornerstonejs/metadata',
      '@cornerstonejs/tools',
      '@cornerstonejs/utils',
      'dicom-parser',
    ],
    exclude: ['@cornerstonejs/dicom-image-loader'],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  plugins: [sampleDicomPlugin(import.meta.dirname)],
});
