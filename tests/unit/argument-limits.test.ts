// The shape limits on tool arguments, and the walks over untrusted values that must survive any
// nesting: the canonical hash behind approvals.
import { describe, expect, it } from 'vitest';

import { argumentProblem, MAX_ARGUMENT_DEPTH } from '../../lib/argument-limits.js';
import { callHash } from '../../policies/approvals.js';

function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

describe('argumentProblem', () => {
  it('names the path where a value nests too deep, and lets ordinary arguments through', () => {
    expect(argumentProblem({ json: nested(40), list: [1, 2, { x: 'y' }] })).toBeUndefined();
    const deep = argumentProblem({ json: nested(100_000) });
    expect(deep?.problem).toBe(`nested deeper than ${MAX_ARGUMENT_DEPTH} levels`);
    expect(deep?.path.slice(0, 4)).toEqual(['json', 0, 'a', 0]);
    expect(deep?.path).toHaveLength(MAX_ARGUMENT_DEPTH);
  });

  it('counts values, so a flat flood is refused too', () => {
    expect(argumentProblem({ items: new Array(2_000).fill(0) }, 64, 1_000)?.problem).toBe('the arguments hold more than 1,000 values');
  });
});

describe('callHash', () => {
  /** The recursive form it replaced, for values small enough to walk that way. */
  function reference(value: unknown): string {
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
    if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
  }

  it('is the same canonical JSON as before, key order aside', async () => {
    const { createHash } = await import('node:crypto');
    const samples: unknown[] = [
      { b: 1, a: [true, null, 'x', { z: undefined, y: [1.5, -2] }], c: {} },
      [undefined, [], [[]], { '': 0 }],
      'plain',
      null,
      nested(30, { k: 'v' }),
    ];
    for (const sample of samples) {
      const expected = createHash('sha256')
        .update(`s\nt\n${reference(sample)}`)
        .digest('hex');
      expect(callHash('s', 't', sample)).toBe(expected);
    }
    expect(callHash('s', 't', { b: 2, a: 1 })).toBe(callHash('s', 't', { a: 1, b: 2 }));
  });

  it('hashes a value nested 100,000 levels deep without overflowing', () => {
    expect(callHash('s', 't', nested(100_000))).toMatch(/^[0-9a-f]{64}$/);
  });
});
