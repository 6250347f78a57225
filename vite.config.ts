import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { deferGenerateSW } from './src/build/lazy-generate-sw.ts';
import { newsBundle } from './src/build/vite-plugin.ts';

/**
 * SEEDS_DIR  folder of seed files (default ./seeds)
 * BASE_PATH  sub-path the site is served under, e.g. /news/ (default /)
 * SEEDS_STRICT=1 fail the build when any seed file is refused (the CLI's --strict)
 * SEEDS_CACHE    folder of the seeds cache (default node_modules/.vite/news-bundle), or 0 to read every seed and write every file again
 * SITE_URL   origin the site is served from, for absolute links in previews and the sitemap
 * SITE_NAME  site name in titles, previews and the installed app (default 新闻存档)
 * SITE_SHORT_NAME  name under the installed app's icon (default 新闻存档)
 */
const siteName = process.env.SITE_NAME || '新闻存档';
// The PWA plugin needs only workbox-build's injectManifest: what the rest loads is loaded if ever called.
deferGenerateSW();

export default defineConfig(({ command }) => ({
  base: process.env.BASE_PATH ?? '/',
  resolve: {
    // react-router's package points every import at its development build, with its warnings
    // (remix-run/react-router#12532); the build takes the production one beside it, 0.5 KB gzip less.
    alias: command === 'build' ? [{ find: /^react-router$/, replacement: fileURLToPath(new URL('node_modules/react-router/dist/production/index.mjs', import.meta.url)) }] : [],
  },
  plugins: [
    react(),
    process.env.VITEST
      ? []
      : [
          newsBundle({
            seedsDir: process.env.SEEDS_DIR ?? 'seeds',
            strict: process.env.SEEDS_STRICT === '1',
            cache: process.env.SEEDS_CACHE === '0' ? false : process.env.SEEDS_CACHE || undefined,
            siteUrl: process.env.SITE_URL,
            siteName,
          }),
          VitePWA({
            strategies: 'injectManifest',
            srcDir: 'src/sw',
            filename: 'sw.ts',
            registerType: 'prompt',
            // Registered from the app's own bundle: no inline script, so it works under a strict CSP.
            injectRegister: false,
            manifest: {
              id: './',
              name: siteName,
              short_name: process.env.SITE_SHORT_NAME || '新闻存档',
              description: '离线可读的中文新闻存档：时间线、全文与相关报道，不向第三方发送请求。',
              lang: 'zh-Hans',
              dir: 'ltr',
              display: 'standalone',
              start_url: './',
              scope: './',
              theme_color: '#a3261c',
              background_color: '#fbfaf7',
              categories: ['news', 'books'],
              // Made from public/favicon.svg by `npm run icons` (the minimal-2023 preset), and kept in public/:
              // made on every build, they cost each build about 0.3 s.
              icons: [
                { src: 'pwa-64x64.png', sizes: '64x64', type: 'image/png' },
                { src: 'pwa-192x192.png', sizes: '192x192', type: 'image/png' },
                { src: 'pwa-512x512.png', sizes: '512x512', type: 'image/png' },
                { src: 'maskable-icon-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
              ],
            },
            injectManifest: {
              // The app shell (404.html, which opens every address but `/`, and index.html, `/` with the newest
              // articles listed) and the bundle's manifest; articles and their pages are cached as they are read.
              globPatterns: ['**/*.{js,css,html,svg,png,ico}', 'data/manifest.json', 'data/timeline/0.*.json'],
              globIgnores: ['a/**'],
            },
          }),
        ],
  ],
  // Every browser that runs es2022 modules has <link rel="modulepreload">: no polyfill.
  build: { target: 'es2022', modulePreload: { polyfill: false } },
  preview: { port: 4173 },
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
}));
