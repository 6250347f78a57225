import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setAside } from '../../src/build/set-aside.ts';

describe('setAside', () => {
  it('takes the named folders out of the output at once and deletes them, leaving the rest and nothing behind', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'aside-'));
    const out = join(parent, 'dist');
    for (const folder of ['data/articles/ab', 'a', 'assets']) mkdirSync(join(out, folder), { recursive: true });
    for (let i = 0; i < 50; i++) writeFileSync(join(out, 'a', `${i}.html`), 'page');
    writeFileSync(join(out, 'data/articles/ab/x.json'), '{}');
    writeFileSync(join(out, 'assets/app.js'), 'js');

    const deleted = setAside(out, ['data', 'a', 'missing']);
    expect(readdirSync(out), 'output right after').toEqual(['assets']);
    await deleted;
    expect(readdirSync(parent), 'beside the output once deleted').toEqual(['dist']);
    expect(existsSync(join(out, 'assets/app.js'))).toBe(true);
  });
});
