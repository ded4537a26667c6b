// The REPL-style rewrite: top-level let/const/class become re-runnable globals; top-level await is
// wrapped with the last expression returned and declarations still landing on the global object.
import { runInNewContext } from 'node:vm';

import { describe, expect, it } from 'vitest';

import { isModuleSource, prepareScript } from '../../servers/code/sandbox/rewrite.js';

/** Runs prepared code twice in one context, as a session would, and returns the last values. */
async function twice(code: string): Promise<unknown[]> {
  const ctx = { globalThis: undefined as unknown };
  ctx.globalThis = ctx;
  const out: unknown[] = [];
  for (let i = 0; i < 2; i++) out.push(await (runInNewContext(prepareScript(code).code, ctx) as unknown));
  return out;
}

describe('prepareScript', () => {
  it('turns top-level let and const into var so a cell can run twice, keeping columns', async () => {
    const p = prepareScript('const a = 1;\nlet b = a + 1;\nb');
    expect(p.wrapped).toBe(false);
    expect(p.code).toBe('var   a = 1;\nvar b = a + 1;\nb');
    expect(await twice('const a = 1; let b = a + 1; b')).toEqual([2, 2]);
  });

  it('turns a class declaration into a global binding', async () => {
    expect(await twice('class A { v() { return 7 } }\nnew A().v()')).toEqual([7, 7]);
  });

  it('leaves nested declarations alone', () => {
    expect(prepareScript('function f() { const x = 1; return x }').code).toBe('function f() { const x = 1; return x }');
  });

  it('wraps top-level await, returns the last expression and keeps declarations global', async () => {
    const p = prepareScript(
      'const x = await Promise.resolve(20);\nfunction dbl(n) { return n * 2 }\nclass K {}\nlet { y } = { y: 1 };\ndbl(x) + y',
    );
    expect(p.wrapped).toBe(true);
    const ctx: Record<string, unknown> = {};
    ctx.globalThis = ctx;
    expect(await (runInNewContext(p.code, ctx) as Promise<unknown>)).toBe(41);
    expect(ctx.x).toBe(20);
    expect(ctx.y).toBe(1);
    expect(typeof ctx.dbl).toBe('function');
    expect(typeof ctx.K).toBe('function');
  });

  it('finds await in for-await and nested blocks but not inside functions', () => {
    expect(prepareScript('for await (const v of []) {}').wrapped).toBe(true);
    expect(prepareScript('if (true) { await 1 }').wrapped).toBe(true);
    expect(prepareScript('async function f() { await 1 }').wrapped).toBe(false);
  });

  it('passes code that does not parse through unchanged', () => {
    expect(prepareScript('let = = 1').code).toBe('let = = 1');
  });

  it('treats a #! line as a comment', () => {
    expect(prepareScript('#!/usr/bin/env node\n1').code).toBe('///usr/bin/env node\n1');
  });
});

describe('isModuleSource', () => {
  it('detects imports and exports', () => {
    expect(isModuleSource('export const a = 1')).toBe(true);
    expect(isModuleSource('import x from "y"; x')).toBe(true);
    expect(isModuleSource('const a = 1')).toBe(false);
    expect(isModuleSource('this is not code')).toBe(false);
  });
});
