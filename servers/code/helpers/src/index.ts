// The helpers sandboxed code gets as globals: csv (papaparse), stats (d3-array), chart (SVG from
// d3-scale and d3-shape) and table (Markdown). This file is bundled by esbuild into one script
// (bundle.generated.ts) that the sandbox compiles on first use; it runs inside the isolate only,
// where `workspace` is the sandbox's file API.
import * as d3 from 'd3-array';
import { format } from 'd3-format';
import { scaleBand, scaleLinear, scaleOrdinal, scalePoint, scaleUtc } from 'd3-scale';
import { arc, line, pie } from 'd3-shape';
import Papa from 'papaparse';

type Row = Record<string, unknown>;
type Accessor = string | ((row: Row, index: number) => unknown);

interface SandboxWorkspace {
  readText(path: string): string;
  writeText(path: string, text: string): unknown;
}
declare const workspace: SandboxWorkspace;

// ---- csv ----

export interface ParseOptions {
  /** First row holds column names (default true): rows are objects; otherwise arrays. */
  header?: boolean;
  /** Turn numbers and booleans into values (default true). */
  dynamicTyping?: boolean;
  delimiter?: string;
}

function parse(text: string, options: ParseOptions = {}): Row[] {
  const result = Papa.parse<Row>(String(text), {
    header: options.header ?? true,
    dynamicTyping: options.dynamicTyping ?? true,
    skipEmptyLines: 'greedy',
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
  });
  const fatal = result.errors.find((e) => e.type === 'Delimiter' && result.data.length === 0);
  if (fatal) throw new Error(`csv.parse: ${fatal.message}`);
  Object.defineProperty(result.data, 'fields', { value: result.meta.fields ?? [], enumerable: false });
  Object.defineProperty(result.data, 'errors', { value: result.errors.slice(0, 50), enumerable: false });
  return result.data;
}

export const csv = {
  parse,
  stringify: (rows: unknown[], options: { columns?: string[]; delimiter?: string } = {}): string =>
    Papa.unparse(rows as Row[], {
      ...(options.columns ? { columns: options.columns } : {}),
      ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    }),
  read: (path: string, options?: ParseOptions): Row[] => parse(workspace.readText(path), options),
  write: (path: string, rows: unknown[], options?: { columns?: string[] }): unknown =>
    workspace.writeText(path, csv.stringify(rows, options)),
};

// ---- stats ----

function get(row: Row, i: number, accessor: Accessor): unknown {
  return typeof accessor === 'function' ? accessor(row, i) : row[accessor];
}

function numbers(rows: readonly Row[], accessor: Accessor): number[] {
  const out: number[] = [];
  rows.forEach((r, i) => {
    const v = get(r, i, accessor);
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  });
  return out;
}

export interface ColumnSummary {
  column: string;
  type: 'number' | 'text' | 'boolean' | 'empty' | 'mixed';
  count: number;
  missing: number;
  unique: number;
  mean?: number;
  median?: number;
  min?: number | string;
  max?: number | string;
  std?: number;
  sum?: number;
  top?: string;
}

function columnsOf(rows: readonly Row[]): string[] {
  const fields = (rows as unknown as { fields?: string[] }).fields;
  if (Array.isArray(fields) && fields.length) return fields;
  const seen = new Set<string>();
  for (const r of rows.slice(0, 1000)) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/** One summary row per column: type, counts, and for numbers mean/median/min/max/std/sum. */
function summarize(rows: readonly Row[], columns?: string[]): ColumnSummary[] {
  return (columns ?? columnsOf(rows)).map((column) => {
    const values = rows.map((r) => r[column]);
    const present = values.filter((v) => v !== null && v !== undefined && v !== '');
    const nums = present.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const bools = present.filter((v) => typeof v === 'boolean');
    const unique = new Set(present.map((v) => String(v))).size;
    const base = { column, count: present.length, missing: values.length - present.length, unique };
    if (present.length === 0) return { ...base, type: 'empty' };
    if (nums.length === present.length) {
      const [min, max] = d3.extent(nums) as [number, number];
      return {
        ...base,
        type: 'number',
        mean: d3.mean(nums)!,
        median: d3.median(nums)!,
        min,
        max,
        std: d3.deviation(nums) ?? 0,
        sum: d3.fsum(nums),
      };
    }
    if (bools.length === present.length) return { ...base, type: 'boolean' };
    const counts = d3.rollup(
      present,
      (v) => v.length,
      (v) => String(v),
    );
    const top = d3.greatest(counts, ([, n]) => n)?.[0];
    const texts = present.map((v) => String(v)).sort(d3.ascending);
    return {
      ...base,
      type: nums.length ? 'mixed' : 'text',
      min: texts[0],
      max: texts[texts.length - 1],
      ...(top === undefined ? {} : { top }),
    };
  });
}

export const stats = {
  summarize,
  mean: (rows: Row[] | number[], accessor?: Accessor) => (accessor ? d3.mean(numbers(rows as Row[], accessor)) : d3.mean(rows as number[])),
  median: (rows: Row[] | number[], accessor?: Accessor) =>
    accessor ? d3.median(numbers(rows as Row[], accessor)) : d3.median(rows as number[]),
  sum: (rows: Row[] | number[], accessor?: Accessor) => (accessor ? d3.fsum(numbers(rows as Row[], accessor)) : d3.fsum(rows as number[])),
  deviation: (rows: Row[] | number[], accessor?: Accessor) =>
    accessor ? d3.deviation(numbers(rows as Row[], accessor)) : d3.deviation(rows as number[]),
  quantile: (values: number[], p: number) => d3.quantile(values, p),
  extent: d3.extent,
  min: d3.min,
  max: d3.max,
  count: d3.count,
  variance: d3.variance,
  cumsum: d3.cumsum,
  group: d3.group,
  groups: d3.groups,
  rollup: d3.rollup,
  rollups: d3.rollups,
  index: d3.index,
  bin: d3.bin,
  ascending: d3.ascending,
  descending: d3.descending,
  sort: d3.sort,
  /** Rows grouped by a column with an aggregate per group, as [{ key, value }], largest first. */
  totals(rows: Row[], by: string, value: string, reduce: 'sum' | 'mean' | 'count' | 'max' | 'min' = 'sum') {
    const reducers: Record<string, (v: number[]) => number | undefined> = {
      sum: (v) => d3.fsum(v),
      mean: (v) => d3.mean(v),
      count: (v) => v.length,
      max: (v) => d3.max(v),
      min: (v) => d3.min(v),
    };
    const fn = reducers[reduce] ?? reducers.sum!;
    return d3
      .rollups(
        rows,
        (g) => fn(numbers(g, value)) ?? 0,
        (r) => String(r[by]),
      )
      .map(([key, v]) => ({ key, value: v }))
      .sort((a, b) => d3.descending(a.value, b.value));
  },
};

// ---- table ----

const number = format(',.4~f');

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (typeof v === 'number') s = number(v);
  else if (v instanceof Date) s = v.toISOString();
  else if (typeof v === 'string') s = v;
  else if (typeof v === 'boolean' || typeof v === 'bigint') s = v.toString();
  else s = JSON.stringify(v) ?? '';
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export const table = {
  /** A Markdown table of the rows (objects), with the given or discovered columns. */
  markdown(rows: readonly Row[], options: { columns?: string[]; maxRows?: number } = {}): string {
    const columns = options.columns ?? columnsOf(rows);
    const shown = rows.slice(0, options.maxRows ?? 1000);
    const lines = [
      `| ${columns.map(cell).join(' | ')} |`,
      `| ${columns.map((c) => (shown.every((r) => typeof r[c] === 'number' || r[c] == null) ? '---:' : '---')).join(' | ')} |`,
    ];
    for (const r of shown) lines.push(`| ${columns.map((c) => cell(r[c])).join(' | ')} |`);
    if (rows.length > shown.length) lines.push(`\n… ${rows.length - shown.length} more rows`);
    return lines.join('\n');
  },
};

// ---- chart: SVG strings ----

export interface ChartOptions {
  x?: Accessor;
  y?: Accessor | Accessor[];
  title?: string;
  width?: number;
  height?: number;
  color?: string;
  colors?: string[];
  xLabel?: string;
  yLabel?: string;
}

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const tick = format('~s');

function esc(s: unknown): string {
  return String(s).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function size(o: ChartOptions) {
  const width = Math.max(200, Math.min(4000, o.width ?? 640));
  const height = Math.max(150, Math.min(4000, o.height ?? 400));
  const m = { top: o.title ? 40 : 16, right: 20, bottom: 56, left: 64 };
  return { width, height, m, w: width - m.left - m.right, h: height - m.top - m.bottom };
}

function frame(o: ChartOptions, width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    o.title ? `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="600">${esc(o.title)}</text>` : '',
    ...body,
    `</svg>`,
  ].join('\n');
}

function pairs(data: readonly unknown[], o: ChartOptions): { label: unknown; values: number[]; row: Row }[] {
  const ys = o.y === undefined ? [1 as unknown as Accessor] : Array.isArray(o.y) ? o.y : [o.y];
  return data.map((d, i) => {
    if (Array.isArray(d)) return { label: d[0], values: [Number(d[1])], row: {} };
    const row = d as Row;
    const label = o.x === undefined ? i : get(row, i, o.x);
    return { label, values: ys.map((y) => Number(get(row, i, y))), row };
  });
}

function yAxis(y: ReturnType<typeof scaleLinear<number>>, m: { left: number; top: number }, w: number, label?: string): string[] {
  const out = y
    .ticks(6)
    .map(
      (t) =>
        `<g transform="translate(${m.left},${m.top + y(t)})"><line x2="${w}" stroke="#e5e5e5"/><text x="-8" dy="0.32em" text-anchor="end" fill="#444">${esc(tick(t))}</text></g>`,
    );
  if (label)
    out.push(
      `<text transform="translate(16,${m.top + (y.range()[0] ?? 0) / 2}) rotate(-90)" text-anchor="middle" fill="#444">${esc(label)}</text>`,
    );
  return out;
}

function xLabelText(o: ChartOptions, width: number, height: number): string {
  return o.xLabel ? `<text x="${width / 2}" y="${height - 8}" text-anchor="middle" fill="#444">${esc(o.xLabel)}</text>` : '';
}

function seriesNames(o: ChartOptions): string[] {
  const ys = o.y === undefined ? [] : Array.isArray(o.y) ? o.y : [o.y];
  return ys.map((y, i) => (typeof y === 'string' ? y : `series ${i + 1}`));
}

function legend(names: string[], colors: (i: number) => string, x: number, y: number): string[] {
  if (names.length < 2) return [];
  return names.map(
    (n, i) =>
      `<g transform="translate(${x},${y + i * 16})"><rect width="10" height="10" fill="${colors(i)}"/><text x="14" y="9" fill="#444">${esc(n)}</text></g>`,
  );
}

/** Vertical bars: data as [{x, y}] rows with `x`/`y` naming the columns, or [label, value] pairs. */
function bar(data: readonly unknown[], options: ChartOptions = {}): string {
  const { width, height, m, w, h } = size(options);
  const points = pairs(data, options);
  const names = seriesNames(options);
  const colors = (i: number) => options.colors?.[i] ?? (i === 0 && options.color ? options.color : PALETTE[i % PALETTE.length]!);
  const x = scaleBand<string>()
    .domain(points.map((p) => String(p.label)))
    .range([0, w])
    .padding(0.2);
  const lo = Math.min(0, d3.min(points.flatMap((p) => p.values)) ?? 0);
  const hi = Math.max(0, d3.max(points.flatMap((p) => p.values)) ?? 0);
  const y = scaleLinear()
    .domain([lo, hi === lo ? lo + 1 : hi])
    .nice()
    .range([h, 0]);
  const k = Math.max(1, points[0]?.values.length ?? 1);
  const inner = scaleBand<number>().domain(d3.range(k)).range([0, x.bandwidth()]).padding(0.05);
  const body = yAxis(y, m, w, options.yLabel);
  for (const p of points) {
    p.values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const top = y(Math.max(0, v));
      const bottom = y(Math.min(0, v));
      body.push(
        `<rect x="${m.left + x(String(p.label))! + inner(i)!}" y="${m.top + top}" width="${inner.bandwidth()}" height="${Math.max(0, bottom - top)}" fill="${colors(i)}"><title>${esc(p.label)}: ${esc(v)}</title></rect>`,
      );
    });
  }
  const every = Math.ceil(points.length / Math.max(1, Math.floor(w / 60)));
  points.forEach((p, i) => {
    if (i % every) return;
    body.push(
      `<text x="${m.left + x(String(p.label))! + x.bandwidth() / 2}" y="${m.top + h + 18}" text-anchor="middle" fill="#444">${esc(String(p.label).slice(0, 18))}</text>`,
    );
  });
  body.push(
    `<line x1="${m.left}" x2="${m.left + w}" y1="${m.top + y(0)}" y2="${m.top + y(0)}" stroke="#333"/>`,
    xLabelText(options, width, height),
    ...legend(names, colors, m.left + w - 120, m.top),
  );
  return frame(options, width, height, body);
}

function xScaleFor(labels: unknown[], w: number) {
  if (labels.every((l) => l instanceof Date))
    return {
      kind: 'time' as const,
      scale: scaleUtc()
        .domain(d3.extent(labels) as [Date, Date])
        .range([0, w]),
    };
  if (labels.every((l) => typeof l === 'number'))
    return {
      kind: 'number' as const,
      scale: scaleLinear()
        .domain(d3.extent(labels) as [number, number])
        .nice()
        .range([0, w]),
    };
  return { kind: 'point' as const, scale: scalePoint<string>().domain(labels.map(String)).range([0, w]).padding(0.5) };
}

function xPosition(xs: ReturnType<typeof xScaleFor>, label: unknown): number {
  if (xs.kind === 'time') return xs.scale(label as Date);
  if (xs.kind === 'number') return xs.scale(label as number);
  return xs.scale(String(label)) ?? 0;
}

function xTicks(xs: ReturnType<typeof xScaleFor>, m: { left: number; top: number }, h: number): string[] {
  const at = (x: number, text: string) =>
    `<text x="${m.left + x}" y="${m.top + h + 18}" text-anchor="middle" fill="#444">${esc(text)}</text>`;
  if (xs.kind === 'time') return xs.scale.ticks(6).map((t) => at(xs.scale(t), xs.scale.tickFormat()(t)));
  if (xs.kind === 'number') return xs.scale.ticks(8).map((t) => at(xs.scale(t), tick(t)));
  const domain = xs.scale.domain();
  const every = Math.ceil(domain.length / 10);
  return domain.filter((_, i) => i % every === 0).map((d) => at(xs.scale(d) ?? 0, d.slice(0, 18)));
}

function xyChart(kind: 'line' | 'scatter', data: readonly unknown[], options: ChartOptions): string {
  const { width, height, m, w, h } = size(options);
  const points = pairs(data, options);
  const names = seriesNames(options);
  const colors = (i: number) => options.colors?.[i] ?? (i === 0 && options.color ? options.color : PALETTE[i % PALETTE.length]!);
  const xs = xScaleFor(
    points.map((p) => p.label),
    w,
  );
  const all = points.flatMap((p) => p.values).filter(Number.isFinite);
  const found = d3.extent(all);
  const [lo, hi] = found[0] === undefined ? [0, 1] : found;
  const y = scaleLinear()
    .domain([Math.min(lo, kind === 'line' ? lo : lo), hi === lo ? lo + 1 : hi])
    .nice()
    .range([h, 0]);
  const body = [...yAxis(y, m, w, options.yLabel), ...xTicks(xs, m, h)];
  const k = points[0]?.values.length ?? 1;
  for (let s = 0; s < k; s++) {
    const pts = points
      .map((p) => [m.left + xPosition(xs, p.label), m.top + y(p.values[s]!)] as [number, number])
      .filter(([, py]) => Number.isFinite(py));
    if (kind === 'line') body.push(`<path d="${line()(pts) ?? ''}" fill="none" stroke="${colors(s)}" stroke-width="2"/>`);
    else for (const [px, py] of pts) body.push(`<circle cx="${px}" cy="${py}" r="3.5" fill="${colors(s)}" fill-opacity="0.8"/>`);
  }
  body.push(
    `<line x1="${m.left}" x2="${m.left + w}" y1="${m.top + h}" y2="${m.top + h}" stroke="#333"/>`,
    xLabelText(options, width, height),
    ...legend(names, colors, m.left + w - 120, m.top),
  );
  return frame(options, width, height, body);
}

function pieChart(data: readonly unknown[], options: ChartOptions = {}): string {
  const { width, height } = size(options);
  const points = pairs(data, options).filter((p) => Number.isFinite(p.values[0]) && p.values[0]! > 0);
  const color = scaleOrdinal<string, string>()
    .domain(points.map((p) => String(p.label)))
    .range(options.colors ?? PALETTE);
  const r = Math.min(width, height - (options.title ? 40 : 0)) / 2 - 10;
  const arcs = pie<{ label: unknown; values: number[] }>()
    .value((p) => p.values[0]!)
    .sort(null)(points);
  const path = arc<(typeof arcs)[number]>().innerRadius(0).outerRadius(r);
  const cy = (options.title ? 40 : 0) + (height - (options.title ? 40 : 0)) / 2;
  const body = arcs.map(
    (a) =>
      `<path transform="translate(${width / 2},${cy})" d="${path(a) ?? ''}" fill="${color(String(a.data.label))}" stroke="#fff"><title>${esc(a.data.label)}: ${esc(a.data.values[0])}</title></path>`,
  );
  arcs.forEach((a, i) =>
    body.push(
      `<g transform="translate(10,${(options.title ? 44 : 10) + i * 16})"><rect width="10" height="10" fill="${color(String(a.data.label))}"/><text x="14" y="9" fill="#444">${esc(a.data.label)}</text></g>`,
    ),
  );
  return frame(options, width, height, body);
}

export const chart = {
  bar,
  line: (data: readonly unknown[], options: ChartOptions = {}) => xyChart('line', data, options),
  scatter: (data: readonly unknown[], options: ChartOptions = {}) => xyChart('scatter', data, options),
  pie: pieChart,
};
