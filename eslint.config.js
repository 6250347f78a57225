// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/** Node-side code (src/build, scripts) must never reach the browser bundle. */
const nodeOnly = {
  patterns: [
    { group: ['node:*', ...builtinModules], message: 'Browser code must not import Node built-ins.' },
    { group: ['**/build/**', '../build', '../../build'], message: 'Browser code must not import the build side (src/build).' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', nodeOnly] },
  },
  {
    files: ['src/sw/**/*.ts'],
    languageOptions: { globals: { ...globals.serviceworker } },
    rules: { 'no-restricted-imports': ['error', nodeOnly] },
  },
  {
    files: ['src/content/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...nodeOnly.patterns, { group: ['react', 'react-dom', 'react-router', 'react/*'], message: 'The bundle contract imports neither Node nor React.' }] },
      ],
    },
  },
);
