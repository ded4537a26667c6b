// The prelude: code that runs first in every isolate, before any user code. This file is compiled
// on its own into a script (build-prelude.ts → prelude.generated.ts) and evaluated inside the
// isolate, so it may import types only: nothing of Node or of the host exists in there.
//
// It receives the host callbacks as one object (copy-only functions: nothing of the host is
// reachable through them), keeps them in a closure, captures the built-ins it relies on (so user
// code that patches prototypes cannot change how results are bounded), and installs the sandbox's
// globals: console, workspace, fetch, setTimeout, TextEncoder/TextDecoder, atob/btoa, assert and the
// lazily loaded helpers (csv, stats, chart, table). It returns the functions the host drives.
import type { ErrorInfo, FetchRequest, FetchResponse, HostCallbacks, PreludeApi, RunReply, Stream, TestReply } from './protocol.js';

type Json = unknown;
type Dict = Record<string, unknown>;
type AnyFunction = (...args: unknown[]) => unknown;
interface Budget {
  left: number;
  truncated: boolean;
}

export function prelude(host: HostCallbacks): PreludeApi {
  'use strict';
  const G = globalThis as unknown as Dict;
  const indirectEval = eval;
  const stringify = JSON.stringify,
    jsonParse = JSON.parse;
  const ObjectKeys = Object.keys,
    ObjectIs = Object.is,
    ObjectFreeze = Object.freeze,
    defineProperty = Object.defineProperty;
  const getPrototypeOf = Object.getPrototypeOf,
    ObjectCreate = Object.create as (proto: null) => Dict;
  const ArrayIsArray = Array.isArray,
    NumberIsFinite = Number.isFinite,
    isView = ArrayBuffer.isView;
  const StringCtor = String,
    ErrorCtor = Error,
    TypeErrorCtor = TypeError,
    RangeErrorCtor = RangeError,
    PromiseCtor = Promise;
  const Uint8ArrayCtor = Uint8Array,
    MathMin = Math.min,
    MathMax = Math.max;
  // Prototype methods taken off their prototypes now, called as plain functions later.
  const uncurry = Function.prototype.bind.bind(Function.prototype.call) as <A extends unknown[], R>(
    fn: (...args: A) => R,
  ) => (self: unknown, ...args: A) => R;
  const toTag = uncurry(Object.prototype.toString);
  const strSlice = uncurry(String.prototype.slice);
  const arrPush = uncurry(Array.prototype.push as (...items: unknown[]) => number);
  const arrPop = uncurry(Array.prototype.pop as () => unknown);
  const arrJoin = uncurry(Array.prototype.join);
  const arrIncludes = uncurry(Array.prototype.includes as (value: unknown) => boolean);
  const arrMap = uncurry(Array.prototype.map as (fn: (value: [string, string]) => unknown) => unknown[]);
  const dateToISO = uncurry(Date.prototype.toISOString);
  const dateGetTime = uncurry(Date.prototype.getTime);
  const regexpToString = uncurry(RegExp.prototype.toString);
  const symbolToString = uncurry(Symbol.prototype.toString);
  const mapEntries = uncurry(Map.prototype.entries as () => Iterator<[unknown, unknown]>);
  const setValues = uncurry(Set.prototype.values as () => Iterator<unknown>);
  const mapGet = uncurry(Map.prototype.get as (key: unknown) => unknown),
    mapHas = uncurry(Map.prototype.has as (key: unknown) => boolean),
    setHas = uncurry(Set.prototype.has as (value: unknown) => boolean);
  const mapSize = uncurry(Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get as () => number);
  const setSize = uncurry(Object.getOwnPropertyDescriptor(Set.prototype, 'size')!.get as () => number);
  const iterNext = <T>(it: Iterator<T>) => it.next();
  const abSlice = uncurry(ArrayBuffer.prototype.slice);
  const abByteLength = uncurry(Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get as () => number);

  // ---- bounded, cycle-safe serialization (runs inside the isolate, under the run's time limits) ----
  const MAX_DEPTH = 8,
    MAX_ITEMS = 200,
    MAX_KEYS = 200;
  function safeString(v: unknown, max: number): string {
    try {
      const s = typeof v === 'string' ? v : StringCtor(v);
      return s.length > max ? strSlice(s, 0, max) + '…' : s;
    } catch {
      return '[unprintable]';
    }
  }
  function typeName(v: unknown): string {
    if (v === null) return 'null';
    if (ArrayIsArray(v)) return 'array';
    const t = typeof v;
    if (t !== 'object') return t;
    try {
      const tag = toTag(v);
      return tag === '[object Object]' ? 'object' : strSlice(tag, 8, -1);
    } catch {
      return 'object';
    }
  }
  function toSafe(value: unknown, budget: Budget): Json {
    const seen: unknown[] = [];
    function walk(v: unknown, depth: number): Json {
      if (budget.left <= 0) {
        budget.truncated = true;
        return '[…]';
      }
      try {
        switch (typeof v) {
          case 'string':
            if (v.length > budget.left) {
              budget.truncated = true;
              const cut = MathMax(0, budget.left);
              budget.left = 0;
              return strSlice(v, 0, cut) + '… [' + v.length + ' chars]';
            }
            budget.left -= v.length + 3;
            return v;
          case 'number':
            budget.left -= 8;
            return NumberIsFinite(v) ? v : StringCtor(v);
          case 'boolean':
            budget.left -= 5;
            return v;
          case 'undefined':
            budget.left -= 11;
            return '[undefined]';
          case 'bigint':
            budget.left -= 12;
            return safeString(v, 64) + 'n';
          case 'symbol':
            budget.left -= 12;
            return symbolToString(v);
          case 'function': {
            budget.left -= 24;
            const n = typeof v.name === 'string' ? strSlice(v.name, 0, 80) : '';
            return n ? '[Function: ' + n + ']' : '[Function]';
          }
        }
        if (v === null) {
          budget.left -= 4;
          return null;
        }
        const o = v as Dict;
        if (arrIncludes(seen, o)) {
          budget.left -= 10;
          return '[Circular]';
        }
        if (depth >= MAX_DEPTH) {
          budget.left -= 10;
          return ArrayIsArray(o) ? '[Array(' + o.length + ')]' : '[Object]';
        }
        const tag = toTag(o);
        if (tag === '[object Date]') {
          budget.left -= 26;
          const t = dateGetTime(o);
          return t === t ? dateToISO(o) : 'Invalid Date';
        }
        if (tag === '[object RegExp]') {
          const s = safeString(regexpToString(o), 500);
          budget.left -= s.length;
          return s;
        }
        if (tag === '[object Error]') {
          const e = ObjectCreate(null);
          const message = safeString(o.message, 2000);
          e.name = safeString(o.name, 200);
          e.message = message;
          budget.left -= message.length + 20;
          return e;
        }
        if (tag === '[object Promise]') {
          budget.left -= 10;
          return '[Promise]';
        }
        if (tag === '[object ArrayBuffer]') {
          budget.left -= 20;
          return '[ArrayBuffer(' + abByteLength(o) + ')]';
        }
        if (isView(o)) {
          const typed = o as unknown as ArrayLike<unknown>;
          const e = ObjectCreate(null);
          const n = typed.length;
          e.type = strSlice(tag, 8, -1);
          e.length = n;
          const values: Json[] = [];
          for (let i = 0; i < MathMin(n, 50); i++) arrPush(values, walk(typed[i], depth + 1));
          e.values = values;
          return e;
        }
        arrPush(seen, o);
        try {
          if (tag === '[object Map]') {
            const e = ObjectCreate(null);
            const entries: Json[] = [];
            const it = mapEntries(o);
            let i = 0;
            for (let step = iterNext(it); !step.done; step = iterNext(it)) {
              if (i++ >= MAX_ITEMS) {
                arrPush(entries, '… ' + (mapSize(o) - MAX_ITEMS) + ' more entries');
                budget.truncated = true;
                break;
              }
              arrPush(entries, [walk(step.value[0], depth + 1), walk(step.value[1], depth + 1)]);
            }
            e['[Map]'] = entries;
            return e;
          }
          if (tag === '[object Set]') {
            const e = ObjectCreate(null);
            const values: Json[] = [];
            const it = setValues(o);
            let i = 0;
            for (let step = iterNext(it); !step.done; step = iterNext(it)) {
              if (i++ >= MAX_ITEMS) {
                arrPush(values, '… ' + (setSize(o) - MAX_ITEMS) + ' more values');
                budget.truncated = true;
                break;
              }
              arrPush(values, walk(step.value, depth + 1));
            }
            e['[Set]'] = values;
            return e;
          }
          if (ArrayIsArray(o)) {
            const out: Json[] = [];
            const n = o.length;
            for (let i = 0; i < MathMin(n, MAX_ITEMS); i++) {
              arrPush(out, walk(o[i], depth + 1));
              if (budget.left <= 0) break;
            }
            if (n > out.length) {
              budget.truncated = true;
              arrPush(out, '… ' + (n - out.length) + ' more items');
            }
            budget.left -= 2;
            return out;
          }
          const out = ObjectCreate(null);
          const keys = ObjectKeys(o);
          const n = keys.length;
          let i = 0;
          for (; i < MathMin(n, MAX_KEYS); i++) {
            const k = keys[i]!;
            budget.left -= k.length + 4;
            out[k] = walk(o[k], depth + 1);
            if (budget.left <= 0) {
              i++;
              break;
            }
          }
          if (n > i) {
            budget.truncated = true;
            out['…'] = n - i + ' more keys';
          }
          return out;
        } finally {
          arrPop(seen);
        }
      } catch (e) {
        budget.left -= 30;
        return '[Unserializable: ' + safeString(e && (e as Dict).message, 200) + ']';
      }
    }
    return walk(value, 0);
  }
  function inspect(v: unknown, max: number): string {
    const budget = { left: max, truncated: false };
    try {
      return stringify(toSafe(v, budget));
    } catch {
      return '[unprintable]';
    }
  }
  function describeError(e: unknown): ErrorInfo {
    const o = ObjectCreate(null) as unknown as ErrorInfo;
    try {
      if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
        const err = e as Dict;
        let name = 'Error',
          message = '',
          stack: string | undefined;
        try {
          name = err.name === undefined ? 'Error' : safeString(err.name, 200);
        } catch {
          /* a throwing getter: keep the default */
        }
        try {
          message = err.message === undefined ? inspect(e, 2000) : safeString(err.message, 4000);
        } catch {
          /* a throwing getter: keep the default */
        }
        try {
          const s = err.stack;
          if (typeof s === 'string') stack = strSlice(s, 0, 6000);
        } catch {
          /* a throwing getter: no stack */
        }
        o.name = name;
        o.message = message;
        if (stack !== undefined) o.stack = stack;
      } else {
        o.name = 'thrown value';
        o.message = inspect(e, 2000);
      }
    } catch {
      o.name = 'Error';
      o.message = '[error could not be described]';
    }
    return o;
  }

  // ---- console ----
  const state = { full: [false, false, false], told: [false, false, false], resultChars: 20000 };
  function emit(stream: Stream, args: unknown[]): void {
    if (state.full[stream]) {
      // Tell the host once that output was dropped, then stop crossing the boundary.
      if (!state.told[stream]) {
        state.told[stream] = true;
        host.write(stream, '');
      }
      return;
    }
    const parts: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (typeof a === 'string') arrPush(parts, a);
      else if (a !== null && typeof a === 'object' && toTag(a) === '[object Error]') {
        let s: unknown;
        try {
          s = (a as Dict).stack;
        } catch {
          /* a throwing getter: inspect it instead */
        }
        arrPush(parts, typeof s === 'string' ? s : inspect(a, 4000));
      } else arrPush(parts, inspect(a, 20000));
    }
    const left = host.write(stream, arrJoin(parts, ' ') + '\n');
    if (!(left > 0)) state.full[stream] = true;
  }
  const consoleObject = ObjectCreate(null);
  consoleObject.log = (...a: unknown[]) => emit(1, a);
  consoleObject.info = (...a: unknown[]) => emit(1, a);
  consoleObject.debug = (...a: unknown[]) => emit(1, a);
  consoleObject.dir = (v: unknown) => emit(1, [v]);
  consoleObject.table = (v: unknown) => emit(1, [v]);
  consoleObject.warn = (...a: unknown[]) => emit(2, a);
  consoleObject.error = (...a: unknown[]) => emit(2, a);
  consoleObject.trace = (...a: unknown[]) => emit(2, a);
  consoleObject.assert = (cond: unknown, ...a: unknown[]) => {
    if (!cond) emit(2, ['Assertion failed' + (a.length ? ':' : ''), ...a]);
  };

  // ---- bytes and text ----
  function toBytes(v: unknown, what: string): Uint8Array {
    if (v instanceof Uint8ArrayCtor) return v;
    if (isView(v)) return new Uint8ArrayCtor(v.buffer, v.byteOffset, v.byteLength);
    if (toTag(v) === '[object ArrayBuffer]') return new Uint8ArrayCtor(v as ArrayBuffer);
    throw new TypeErrorCtor(what + ' must be a Uint8Array, a typed array or an ArrayBuffer');
  }
  class TextEncoder {
    get encoding() {
      return 'utf-8';
    }
    encode(s: unknown = ''): Uint8Array {
      return host.codec('encode', StringCtor(s));
    }
  }
  class TextDecoder {
    constructor(label: unknown = 'utf-8') {
      const l = StringCtor(label).toLowerCase();
      if (l !== 'utf-8' && l !== 'utf8') throw new RangeErrorCtor('TextDecoder: only utf-8 is available in the sandbox');
    }
    get encoding() {
      return 'utf-8';
    }
    decode(b?: unknown): string {
      return b === undefined ? '' : host.codec('decode', toBytes(b, 'TextDecoder.decode input'));
    }
  }
  const atob = (s: unknown) => host.codec('atob', StringCtor(s));
  const btoa = (s: unknown) => host.codec('btoa', StringCtor(s));

  // ---- the workspace: host callbacks that re-check the jail on every call ----
  const workspace = ObjectFreeze({
    readText: (path: unknown) => host.workspace('readText', StringCtor(path)),
    readBytes: (path: unknown) => host.workspace('readBytes', StringCtor(path)),
    readJSON: (path: unknown): unknown => jsonParse(host.workspace('readText', StringCtor(path)) as string),
    writeText: (path: unknown, text: unknown) => host.workspace('writeText', StringCtor(path), StringCtor(text)),
    writeBytes: (path: unknown, bytes: unknown) =>
      host.workspace('writeBytes', StringCtor(path), toBytes(bytes, 'workspace.writeBytes data')),
    writeJSON: (path: unknown, value: unknown, space: string | number = 2) => {
      const s = stringify(value, null, space) as string | undefined;
      if (typeof s !== 'string') throw new TypeErrorCtor('workspace.writeJSON: the value has no JSON form');
      return host.workspace('writeText', StringCtor(path), s);
    },
    list: (path: unknown = '.') => host.workspace('list', StringCtor(path)),
    exists: (path: unknown) => host.workspace('exists', StringCtor(path)),
    stat: (path: unknown) => host.workspace('stat', StringCtor(path)),
    delete: (path: unknown, options?: { recursive?: boolean }) =>
      host.workspace(options && options.recursive ? 'deleteRecursive' : 'delete', StringCtor(path)),
  });

  // ---- asynchronous host operations (fetch, timers), answered through settle() ----
  interface Pending {
    resolve: (v: unknown) => void;
    reject: (e: unknown) => void;
  }
  const pending = ObjectCreate(null) as Record<number, Pending>;
  let nextOp = 1;
  function startOp<T>(kind: 'timer' | 'fetch', payload: unknown, onValue: (v: unknown) => T): Promise<T> {
    return new PromiseCtor<T>((resolve, reject) => {
      const id = nextOp++;
      pending[id] = {
        resolve: (v) => {
          try {
            resolve(onValue(v));
          } catch (e) {
            reject(e);
          }
        },
        reject,
      };
      try {
        host.start(id, kind, payload);
      } catch (e) {
        delete pending[id];
        reject(e);
      }
    });
  }
  function settle(id: number, ok: boolean, value: unknown): void {
    const p = pending[id];
    if (!p) return;
    delete pending[id];
    if (ok) p.resolve(value);
    else p.reject(new TypeErrorCtor(safeString(value, 4000)));
  }

  function headerPairs(h: unknown): [string, string][] {
    const out: [string, string][] = [];
    if (h === undefined || h === null) return out;
    if (ArrayIsArray(h)) {
      for (const pair of h as unknown[][]) arrPush(out, [StringCtor(pair[0]), StringCtor(pair[1])]);
      return out;
    }
    const headers = h as Dict & { forEach?: unknown; get?: unknown };
    if (typeof headers.forEach === 'function' && typeof headers.get === 'function') {
      (headers.forEach as (fn: (v: unknown, k: unknown) => void) => void)((v, k) => arrPush(out, [StringCtor(k), StringCtor(v)]));
      return out;
    }
    for (const k of ObjectKeys(headers)) arrPush(out, [k, StringCtor(headers[k])]);
    return out;
  }
  function makeHeaders(pairs: [string, string][]): Dict {
    const h = ObjectCreate(null);
    const find = (name: unknown) => {
      const n = StringCtor(name).toLowerCase();
      const values: string[] = [];
      for (const p of pairs) if (p[0] === n) arrPush(values, p[1]);
      return values;
    };
    h.get = (name: unknown) => {
      const v = find(name);
      return v.length ? arrJoin(v, ', ') : null;
    };
    h.has = (name: unknown) => find(name).length > 0;
    h.entries = () => arrMap(pairs, (p: [string, string]) => [p[0], p[1]])[Symbol.iterator]();
    h.keys = () => arrMap(pairs, (p: [string, string]) => p[0])[Symbol.iterator]();
    h.forEach = (fn: (value: string, key: string, headers: Dict) => void) => {
      for (const p of pairs) fn(p[1], p[0], h);
    };
    (h as Record<symbol, unknown>)[Symbol.iterator] = h.entries;
    return ObjectFreeze(h);
  }
  function makeResponse(raw: unknown): Dict {
    const r = raw as FetchResponse;
    let used = false;
    const body = r.body;
    const take = () => {
      if (used) throw new TypeErrorCtor('Response body has already been read');
      used = true;
      return body;
    };
    const res = ObjectCreate(null);
    res.status = r.status;
    res.statusText = r.statusText;
    res.ok = r.status >= 200 && r.status < 300;
    res.url = r.url;
    res.redirected = r.redirected;
    res.headers = makeHeaders(r.headers);
    res.text = async () => host.codec('decode', take());
    res.json = async (): Promise<unknown> => jsonParse(host.codec('decode', take())) as unknown;
    res.bytes = async () => take();
    res.arrayBuffer = async () => {
      const b = take();
      return abSlice(b.buffer, b.byteOffset, b.byteOffset + b.byteLength);
    };
    defineProperty(res, 'bodyUsed', { get: () => used });
    return ObjectFreeze(res);
  }
  function fetch(input: unknown, init?: unknown): Promise<Dict> {
    try {
      const o = (init === undefined || init === null ? ObjectCreate(null) : init) as Dict;
      const url = StringCtor(input !== null && typeof input === 'object' && 'url' in input ? (input as Dict).url : input);
      let body: string | Uint8Array | undefined;
      if (o.body !== undefined && o.body !== null) body = typeof o.body === 'string' ? o.body : toBytes(o.body, 'fetch: body');
      const request: FetchRequest = {
        url,
        method: StringCtor(o.method === undefined ? 'GET' : o.method).toUpperCase(),
        headers: headerPairs(o.headers),
      };
      if (body !== undefined) request.body = body;
      return startOp('fetch', request, makeResponse);
    } catch (e) {
      return PromiseCtor.reject(e);
    }
  }

  let nextTimer = 1;
  const timers = ObjectCreate(null) as Record<number, true>;
  function setTimeout(fn: unknown, ms?: unknown, ...args: unknown[]): number {
    if (typeof fn !== 'function') throw new TypeErrorCtor('setTimeout: the callback must be a function');
    const id = nextTimer++;
    timers[id] = true;
    const delay = MathMax(0, MathMin(+(ms as number) || 0, 2147483647));
    void startOp('timer', delay, () => undefined).then(() => {
      if (timers[id]) {
        delete timers[id];
        (fn as AnyFunction)(...args);
      }
    });
    return id;
  }
  function clearTimeout(id: number): void {
    delete timers[id];
  }
  const sleep = (ms: number) => new PromiseCtor((r) => setTimeout(r, ms));

  // ---- assert, for code_test (and anyone) ----
  class AssertionError extends ErrorCtor {
    constructor(message: string) {
      super(message);
      this.name = 'AssertionError';
    }
  }
  function deepEqual(a: unknown, b: unknown, seen: [unknown, unknown][]): boolean {
    if (ObjectIs(a, b)) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (getPrototypeOf(a) !== getPrototypeOf(b)) return false;
    for (const pair of seen) if (pair[0] === a && pair[1] === b) return true;
    arrPush(seen, [a, b]);
    const tag = toTag(a);
    if (tag !== toTag(b)) return false;
    if (tag === '[object Date]') return ObjectIs(dateGetTime(a), dateGetTime(b));
    if (tag === '[object RegExp]') return regexpToString(a) === regexpToString(b);
    if (tag === '[object Map]') {
      if (mapSize(a) !== mapSize(b)) return false;
      const it = mapEntries(a);
      for (let s = iterNext(it); !s.done; s = iterNext(it)) {
        if (!mapHas(b, s.value[0]) || !deepEqual(s.value[1], mapGet(b, s.value[0]), seen)) return false;
      }
      return true;
    }
    if (tag === '[object Set]') {
      if (setSize(a) !== setSize(b)) return false;
      const it = setValues(a);
      for (let s = iterNext(it); !s.done; s = iterNext(it)) if (!setHas(b, s.value)) return false;
      return true;
    }
    const ka = ObjectKeys(a),
      kb = ObjectKeys(b);
    if (ka.length !== kb.length) return false;
    for (const k of ka) {
      if (!arrIncludes(kb, k) || !deepEqual((a as Dict)[k], (b as Dict)[k], seen)) return false;
    }
    return true;
  }
  function fail(message: unknown, fallback: string): never {
    throw new AssertionError(message === undefined ? fallback : StringCtor(message));
  }
  function matchesExpected(e: unknown, expected: unknown): boolean {
    const err = e as Dict | null | undefined;
    if (expected === undefined) return true;
    if (toTag(expected) === '[object RegExp]')
      return (expected as RegExp).test(safeString(err && err.message !== undefined ? err.message : e, 10000));
    if (typeof expected === 'function')
      return e instanceof (expected as new () => unknown) || (expected.prototype === undefined && (expected as AnyFunction)(e) === true);
    if (typeof expected === 'string') return safeString(err && err.message, 10000).includes(expected);
    return deepEqual(e, expected, []);
  }
  const assert = (value: unknown, message?: unknown): void => {
    if (!value) fail(message, 'expected a truthy value, got ' + inspect(value, 200));
  };
  const asserts = assert as typeof assert & Dict;
  asserts.ok = assert;
  asserts.equal = (a: unknown, b: unknown, m?: unknown) => {
    if (!(ObjectIs(a, b) || a === b)) fail(m, 'expected ' + inspect(b, 500) + ', got ' + inspect(a, 500));
  };
  asserts.strictEqual = asserts.equal;
  asserts.notEqual = (a: unknown, b: unknown, m?: unknown) => {
    if (ObjectIs(a, b) || a === b) fail(m, 'expected a value other than ' + inspect(b, 500));
  };
  asserts.deepEqual = (a: unknown, b: unknown, m?: unknown) => {
    if (!deepEqual(a, b, [])) fail(m, 'expected ' + inspect(b, 1000) + ', got ' + inspect(a, 1000));
  };
  asserts.deepStrictEqual = asserts.deepEqual;
  asserts.notDeepEqual = (a: unknown, b: unknown, m?: unknown) => {
    if (deepEqual(a, b, [])) fail(m, 'expected a value different from ' + inspect(b, 1000));
  };
  asserts.match = (s: string, re: RegExp, m?: unknown) => {
    if (!re.test(s)) fail(m, 'expected ' + inspect(s, 500) + ' to match ' + safeString(re, 200));
  };
  asserts.throws = (fn: () => unknown, expected?: unknown, m?: unknown) => {
    try {
      fn();
    } catch (e) {
      if (!matchesExpected(e, expected)) fail(m, 'the function threw ' + inspect(e, 500) + ', not what was expected');
      return;
    }
    fail(m, 'expected the function to throw');
  };
  asserts.rejects = async (p: unknown, expected?: unknown, m?: unknown) => {
    try {
      await (typeof p === 'function' ? (p as () => unknown)() : p);
    } catch (e) {
      if (!matchesExpected(e, expected)) fail(m, 'the promise rejected with ' + inspect(e, 500) + ', not what was expected');
      return;
    }
    fail(m, 'expected the promise to reject');
  };
  asserts.fail = (m?: unknown) => fail(m, 'assert.fail()');
  asserts.AssertionError = AssertionError;

  // ---- helpers (papaparse, d3), compiled on first use ----
  let helpers: Dict | undefined;
  function loadHelpers(): Dict {
    // The bundle is strict code, so its top-level var stays inside the eval: take it as the completion value.
    helpers ??= indirectEval(host.helpers() + '\n;__hearthHelpers;') as Dict;
    return helpers;
  }
  for (const name of ['csv', 'stats', 'chart', 'table']) {
    defineProperty(G, name, {
      configurable: true,
      get() {
        const v = loadHelpers()[name];
        defineProperty(G, name, { value: v, writable: true, configurable: true });
        return v;
      },
      set(v: unknown) {
        defineProperty(G, name, { value: v, writable: true, configurable: true, enumerable: true });
      },
    });
  }

  // WebAssembly memory is reserved outside the heap the isolate's memory limit watches: leave it out.
  delete G.WebAssembly;

  const globals: Dict = {
    console: ObjectFreeze(consoleObject),
    workspace,
    fetch,
    setTimeout,
    clearTimeout,
    sleep,
    TextEncoder,
    TextDecoder,
    atob,
    btoa,
    assert,
  };
  for (const k of ObjectKeys(globals)) defineProperty(G, k, { value: globals[k], writable: true, configurable: true });

  function isThenable(v: unknown): v is PromiseLike<unknown> {
    return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as Dict).then === 'function';
  }
  function describeValue(v: unknown): RunReply {
    const budget = { left: state.resultChars, truncated: false };
    const out = ObjectCreate(null) as unknown as RunReply & { status: 'ok' };
    out.status = 'ok';
    out.type = typeName(v);
    out.value = v === undefined ? null : toSafe(v, budget);
    out.truncated = budget.truncated;
    return out;
  }

  return {
    async run(code, resultChars) {
      state.full = [false, false, false];
      state.told = [false, false, false];
      state.resultChars = resultChars;
      let out: RunReply;
      try {
        let v = indirectEval(code) as unknown;
        if (isThenable(v)) v = await v;
        out = describeValue(v);
      } catch (e) {
        const threw = ObjectCreate(null) as unknown as RunReply & { status: 'threw' };
        threw.status = 'threw';
        threw.error = describeError(e);
        out = threw;
      }
      return stringify(out);
    },
    async test(code) {
      let out: TestReply;
      try {
        const fn = indirectEval('(async function () {\n' + code + '\n})') as () => Promise<unknown>;
        await fn();
        out = ObjectCreate(null) as unknown as TestReply;
        out.status = 'passed';
      } catch (e) {
        const failed = ObjectCreate(null) as unknown as TestReply & { status: 'failed' };
        failed.status = 'failed';
        failed.error = describeError(e);
        out = failed;
      }
      return stringify(out);
    },
    settle,
    expose(ns) {
      const names = ObjectKeys(ns);
      for (const k of names)
        defineProperty(G, k === 'default' ? 'defaultExport' : k, { value: ns[k], writable: true, configurable: true, enumerable: true });
      defineProperty(G, 'module', { value: ns, writable: true, configurable: true });
      return names.length;
    },
  };
}
