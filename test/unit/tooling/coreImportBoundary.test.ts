import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The core's import boundary (eslint.config.js) checked with ESLint's own API: source text linted as
 * if it were a file in src/core (the file never exists on disk), so a rule that stopped matching
 * would fail here rather than let three.js or the DOM into the core unnoticed.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const IN_CORE = resolve(ROOT, 'src/core/ultrasound/boundaryProbe.ts');
const IN_APP = resolve(ROOT, 'src/app/views/boundaryProbe.ts');

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The rule ids and messages ESLint reports for `code` placed at `filePath`. */
async function problems(code: string, filePath = IN_CORE): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map(({ ruleId, message }) => ({ ruleId, message }));
}

describe('the core import boundary (eslint.config.js)', () => {
  it.each([
    ["import { Matrix4 } from 'three';\nexport const m = new Matrix4();", 'three.js'],
    ["import type { Vector3 } from 'three';\nexport type V = Vector3;", 'three.js'],
    ["import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';\nexport const c = OrbitControls;", 'three.js'],
    ["import { cache } from '@cornerstonejs/core';\nexport const c = cache;", 'cornerstone'],
    ["import type { Types } from '@cornerstonejs/core';\nexport type V = Types.IImageVolume;", 'cornerstone'],
    ["import { startApp } from '../../app/main';\nexport const s = startApp;", 'src/app'],
    ["export { startApp } from '../../app/main';", 'src/app'],
    ["import { readFileSync } from 'node:fs';\nexport const r = readFileSync;", 'browser'],
  ])('rejects %j (%s)', async (code, named) => {
    const found = await problems(code);
    expect(found.map((p) => p.ruleId)).toContain('@typescript-eslint/no-restricted-imports');
    expect(found.map((p) => p.message).join('\n')).toContain(named);
  });

  it('rejects loading three.js or cornerstone dynamically, or naming their types inline', async () => {
    const dynamic = await problems("export const load = () => import('three');");
    expect(dynamic.map((p) => p.ruleId)).toContain('no-restricted-syntax');
    const inline = await problems("export type Scene = import('three').Scene;");
    expect(inline.map((p) => p.ruleId)).toContain('no-restricted-syntax');
  });

  it.each(['document', 'window', 'navigator', 'localStorage', 'indexedDB', 'requestAnimationFrame'])('rejects the browser global %s', async (name) => {
    const found = await problems(`export const x = ${name};`);
    expect(found).toContainEqual({ ruleId: 'no-restricted-globals', message: expect.stringContaining(`${name} belongs in src/app`) });
  });

  it('rejects DOM types (HTMLElement, Document, a 2D context) in annotations', async () => {
    const found = await problems(
      'export function width(element: HTMLElement, page: Document, context: CanvasRenderingContext2D): number {\n  return element.clientWidth + page.title.length + context.lineWidth;\n}',
    );
    expect(found.filter((p) => p.ruleId === 'no-restricted-syntax')).toHaveLength(3);
  });

  it('lets the core name its own types that merely resemble the DOM (ElementSize, DocumentId)', async () => {
    expect(await problems('type ElementSize = number;\ntype DocumentId = string;\nexport const size = (s: ElementSize, id: DocumentId): string => `${id}: ${s}`;\n')).toEqual([]);
  });

  it('accepts the core importing itself and the libraries it uses (dicom-parser, fflate)', async () => {
    const code = [
      "import dicomParser from 'dicom-parser';",
      "import { gunzipSync } from 'fflate';",
      "import { compose } from '../frames/transform';",
      "import type { Vec3 } from '../geometry/vec3';",
      'export const used = [dicomParser, gunzipSync, compose];',
      'export const origin: Vec3 = [100, 200, 300];',
      '',
    ].join('\n');
    expect(await problems(code)).toEqual([]);
  });

  it('lets src/app import three.js, cornerstone and use the DOM', async () => {
    const code = [
      "import { Matrix4 } from 'three';",
      "import { cache } from '@cornerstonejs/core';",
      'export const used = [new Matrix4(), cache, document.body, window.devicePixelRatio];',
      '',
    ].join('\n');
    expect(await problems(code, IN_APP)).toEqual([]);
  });
});
