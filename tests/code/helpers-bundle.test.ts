// The helpers bundle: the committed file matches what helpers/src builds to (so it cannot drift),
// and the libraries inside it do the jobs they are there for.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';

import { describe, expect, it } from 'vitest';

import { buildHelpersModule, GENERATED_FILE } from '../../servers/code/helpers/build-bundle.js';
import { HELPERS_BUNDLE } from '../../servers/code/helpers/bundle.generated.js';

interface Helpers {
  csv: { parse(t: string, o?: object): Record<string, unknown>[]; stringify(rows: unknown[]): string };
  stats: {
    summarize(rows: unknown[]): Record<string, unknown>[];
    totals(rows: unknown[], by: string, v: string, r?: string): { key: string; value: number }[];
    quantile(v: number[], p: number): number;
  };
  chart: Record<'bar' | 'line' | 'scatter' | 'pie', (data: unknown[], o?: object) => string>;
  table: { markdown(rows: unknown[], o?: object): string };
}

function load(): Helpers {
  return runInNewContext(`${HELPERS_BUNDLE}\n;__hearthHelpers;`, {}) as Helpers;
}

describe('helpers bundle', () => {
  it('is up to date with helpers/src (regenerate with servers/code/generate.ts)', async () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(await buildHelpersModule());
  });

  it('csv parses with types and round-trips', () => {
    const { csv } = load();
    const rows = csv.parse('name,n,ok\n"a, b",1.5,true\nc,,false\n');
    expect(rows).toEqual([
      { name: 'a, b', n: 1.5, ok: true },
      { name: 'c', n: null, ok: false },
    ]);
    expect(csv.stringify(rows)).toBe('name,n,ok\r\n"a, b",1.5,true\r\nc,,false');
  });

  it('stats summarize columns and total by group', () => {
    const { stats } = load();
    const rows = [
      { g: 'x', v: 1 },
      { g: 'y', v: 5 },
      { g: 'x', v: 3 },
    ];
    const [g, v] = stats.summarize(rows);
    expect(g).toMatchObject({ column: 'g', type: 'text', count: 3, unique: 2, top: 'x' });
    expect(v).toMatchObject({ column: 'v', type: 'number', mean: 3, median: 3, min: 1, max: 5, sum: 9, std: 2 });
    expect(stats.totals(rows, 'g', 'v')).toEqual([
      { key: 'y', value: 5 },
      { key: 'x', value: 4 },
    ]);
    expect(stats.quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('charts are well-formed SVG with one mark per datum, labels escaped', () => {
    const { chart } = load();
    const bar = chart.bar(
      [
        ['a<b', 3],
        ['c', -1],
      ],
      { title: 'T & U' },
    );
    expect(bar.match(/<rect x=/g)).toHaveLength(2);
    expect(bar).toContain('T &#38; U');
    expect(bar).not.toContain('a<b');
    expect(
      chart.line(
        [
          { t: 1, y: 2 },
          { t: 2, y: 4 },
        ],
        { x: 't', y: 'y' },
      ),
    ).toMatch(/<path d="M[\d.]+,[\d.]+L/);
    expect(
      chart
        .scatter(
          [
            { t: 1, y: 2 },
            { t: 2, y: 4 },
            { t: 3, y: 1 },
          ],
          { x: 't', y: 'y' },
        )
        .match(/<circle/g),
    ).toHaveLength(3);
    expect(
      chart
        .pie([
          ['a', 1],
          ['b', 3],
        ])
        .match(/<path transform/g),
    ).toHaveLength(2);
  });

  it('table.markdown aligns numbers right and escapes pipes', () => {
    const { table } = load();
    expect(table.markdown([{ a: 'x|y', b: 1234.5 }])).toBe('| a | b |\n| --- | ---: |\n| x\\|y | 1,234.5 |');
  });
});
