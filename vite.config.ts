import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { newsBundle } from './src/build/vite-plugin.ts';

/**
 * SEEDS_DIR  folder of seed files (default ./seeds)
 * BASE_PATH  sub-path the site is served under, e.g. /news/ (default /)
 * SEEDS_STRICT=1 fail the build when any seed file is refused (the CLI's --strict)
 * SITE_URL   origin the site is served from, for absolute links in previews and the sitemap
 * SITE_NAME  site name in titles and previews (default 新闻存档)
 */
export default defineConfig({
  base: process.env.BASE_PATH ?? '/',
  plugins: [
    react(),
    process.env.VITEST
      ? []
      : newsBundle({
          seedsDir: process.env.SEEDS_DIR ?? 'seeds',
          strict: process.env.SEEDS_STRICT === '1',
          siteUrl: process.env.SITE_URL,
          siteName: process.env.SITE_NAME,
        }),
  ],
  build: { target: 'es2022' },
  preview: { port: 4173 },
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
