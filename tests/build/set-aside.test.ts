import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteInBackground, setAside } from '../../src/build/set-aside.ts';

describe('setAside and deleteInBackground', () => {
  it('take the named folders out of the output at once, then delete them and what a stopped build left', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'aside-'));
    const out = join(parent, 'dist');
    for (const folder of ['data/timeline', 'a', 'assets']) mkdirSync(join(out, folder), { recursive: true });
    for (let i = 0; i < 50; i++) writeFileSync(join(out, 'a', `${i}.html`), 'page');
    writeFileSync(join(out, 'data/timeline/x.json'), '{}');
    writeFileSync(join(out, 'assets/app.js'), 'js');
    mkdirSync(join(parent, '.dist.deleting-1-2-0')); // left by a build that was stopped

    const moved = setAside(out, ['data', 'a', 'missing']);
    expect(readdirSync(out), 'output right after').toEqual(['assets']);
    expect(moved, 'folders to delete').toHaveLength(3);
    deleteInBackground(moved);
    for (let i = 0; i < 100 && readdirSync(parent).length > 1; i++) await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(parent), 'beside the output once deleted').toEqual(['dist']);
    expect(existsSync(join(out, 'assets/app.js'))).toBe(true);
  });
});
