import { defineConfig } from 'vitest/config';

// Unit tests only: the Playwright specs in test/e2e run in a real Chromium, not here.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
