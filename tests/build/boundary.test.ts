import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run.ts';

const eslint = new ESLint({ cwd: ROOT });

async function problems(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${file}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the import boundary lint rule', () => {
  it('stops app code from importing Node built-ins', async () => {
    expect(await problems("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'src/app/x.ts')).toHaveLength(1);
  });

  it('stops app code from importing the build side', async () => {
    expect(await problems("import { cleanHtml } from '../build/clean-html.ts';\nexport const c = cleanHtml;\n", 'src/app/x.ts')).toHaveLength(1);
  });

  it('stops the bundle contract from importing React', async () => {
    expect(await problems("import { useState } from 'react';\nexport const u = useState;\n", 'src/content/x.ts')).toHaveLength(1);
  });

  it('lets build code use Node', async () => {
    expect(await problems("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'src/build/x.ts')).toEqual([]);
  });
});
