// ESLint flat config: the recommended JavaScript and typescript-eslint rules for every file, plus
// the core's import boundary (../shared/design/architecture-and-style.md: "an import-boundary
// rule that fails the tests, rather than a convention"). tsconfig.core.json already keeps DOM
// types out of src/core; this keeps out the libraries whose types are installed anyway (three,
// cornerstone), the app, Node's built-ins and the browser globals.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** What src/core may not import: the core runs unchanged in Node (tests, scripts) and in the browser's workers. */
export const CORE_RESTRICTED_IMPORTS = {
  paths: [{ name: 'three', message: 'src/core runs without three.js: draw core state in a view under src/app, or pass the numbers in.' }],
  patterns: [
    { group: ['three/*'], message: 'src/core runs without three.js: draw core state in a view under src/app, or pass the numbers in.' },
    { group: ['@cornerstonejs/*'], message: 'src/core does not use cornerstone: turn cornerstone objects into core types in an adapter under src/app.' },
    // Any path through a folder named app (../../app/state, src/app/main): the core has no such folder.
    { regex: '(^|/)app(/|$)', message: 'src/core may not import from src/app: the app depends on the core, never the other way round.' },
    { group: ['node:*'], message: 'src/core also runs in the browser: read files in scripts/ or test/ and pass the bytes in.' },
  ],
};

/** Browser globals the core may not touch (tsconfig.core.json rejects their types too; this also catches untyped use). */
export const CORE_RESTRICTED_GLOBALS = [
  'document',
  'window',
  'self',
  'HTMLElement',
  'navigator',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'localStorage',
  'sessionStorage',
  'indexedDB',
].map((name) => ({ name, message: `src/core runs without a DOM: ${name} belongs in src/app, which passes the core what it needs.` }));

/** The same boundary for `import('three')` and `typeof import('three')`, which no-restricted-imports does not see. */
const CORE_FORBIDDEN_SOURCE = '/^(three|@cornerstonejs\\u002F|node:)|(^|\\u002F)app(\\u002F|$)/';
const CORE_RESTRICTED_SYNTAX = [
  { selector: `ImportExpression[source.value=${CORE_FORBIDDEN_SOURCE}]`, message: 'src/core may not load three.js, cornerstone, Node built-ins or src/app, not even dynamically.' },
  { selector: `TSImportType[argument.literal.value=${CORE_FORBIDDEN_SOURCE}]`, message: 'src/core may not name types of three.js, cornerstone, Node built-ins or src/app.' },
  // no-restricted-globals sees values only; these are the DOM's types (`element: HTMLElement`).
  {
    selector: 'TSTypeReference > Identifier.typeName[name=/^(HTML[A-Za-z]*|SVG[A-Za-z]*Element|Element|Document|Window|Navigator|Storage|IDB[A-Za-z]+|CanvasRenderingContext2D)$/]',
    message: 'src/core runs without a DOM: DOM types belong in src/app, which passes the core plain data.',
  },
];

export default tseslint.config(
  // scratch/: a developer's local experiments (kept out of git by .git/info/exclude).
  { ignores: ['dist/', 'node_modules/', 'sample-dicom/', 'docs/', 'test-results/', 'playwright-report/', 'bench-results/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused arguments are kept when they document a callback's signature; a leading underscore
      // marks the others (and destructured names dropped on purpose).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/app/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['scripts/**', 'test/**', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Playwright drivers: the callbacks given to page.evaluate() and waitForFunction() run in the page.
    files: ['test/e2e/**', 'scripts/screenshot*.mjs', 'scripts/bench-*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', CORE_RESTRICTED_IMPORTS],
      'no-restricted-globals': ['error', ...CORE_RESTRICTED_GLOBALS],
      'no-restricted-syntax': ['error', ...CORE_RESTRICTED_SYNTAX],
      // "No `any` in the core" (architecture-and-style.md, Habits): an error here, not a warning.
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
);
