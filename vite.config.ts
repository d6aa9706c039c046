import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// One config: the notebook app (SvelteKit) for `vite dev` / `vite build`, and vitest for the tests.
// `npm run dev` proxies the API to a `budget serve` on 5317.
export default defineConfig({
  plugins: process.env['VITEST'] ? [] : [sveltekit()],
  server: {
    host: '127.0.0.1',
    proxy: { '/api': 'http://127.0.0.1:5317' },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { TZ: 'UTC' },
  },
});
