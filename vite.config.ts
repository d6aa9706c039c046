import { defineConfig } from 'vitest/config';

// One config for vitest now; the SvelteKit plugin joins here when web/ lands.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { TZ: 'UTC' },
  },
});
