// The prelude: JavaScript that runs first in every isolate, before any user code. It receives the
// host callbacks (copy-only functions: nothing from the host is reachable through them), keeps them
// in a closure, captures the built-ins it relies on (so user code that patches prototypes cannot
// change how results are bounded), and installs the sandbox's globals: console, workspace, fetch,
// setTimeout, TextEncoder/TextDecoder, atob/btoa, assert and the lazily loaded helpers (csv, stats,
// chart, table). It returns the functions the host drives: run, test, settle, expose.
//
// Callbacks, in order: $0 write(stream, text) → chars left; $1 ws(op, path, data) → value;
// $2 start(op, kind, payload) (an async host operation, answered later through settle);
// $3 helpers() → bundle source; $4 codec(op, value) → converted value.

export const PRELUDE_FILENAME = 'hearth:prelude';

export const PRELUDE_SOURCE = String.raw`
'use strict';
const hostWrite = $0, hostWs = $1, hostStart = $2, hostHelpers = $3, hostCodec = $4;
const G = globalThis;
const indirectEval = eval;
const stringify = JSON.stringify, jsonParse = JSON.parse;
const ObjectKeys = Object.keys, ObjectIs = Object.is, ObjectFreeze = Object.freeze, defineProperty = Object.defineProperty;
const getPrototypeOf = Object.getPrototypeOf, ObjectCreate = Object.create;
const ArrayIsArray = Array.isArray, NumberIsFinite = Number.isFinite, isView = ArrayBuffer.isView;
const StringCtor = String, ErrorCtor = Error, TypeErrorCtor = TypeError, RangeErrorCtor = RangeError, PromiseCtor = Promise;
const Uint8ArrayCtor = Uint8Array, DateNow = Date.now, MathMin = Math.min, MathMax = Math.max;
const uncurry = Function.prototype.bind.bind(Function.prototype.call);
const toTag = uncurry(Object.prototype.toString);
const strSlice = uncurry(String.prototype.slice);
const strReplace = uncurry(String.prototype.replace);
const arrPush = uncurry(Array.prototype.push);
const arrPop = uncurry(Array.prototype.pop);
const arrJoin = uncurry(Array.prototype.join);
const arrIncludes = uncurry(Array.prototype.includes);
const arrMap = uncurry(Array.prototype.map);
const dateToISO = uncurry(Date.prototype.toISOString);
const dateGetTime = uncurry(Date.prototype.getTime);
const regexpToString = uncurry(RegExp.prototype.toString);
const symbolToString = uncurry(Symbol.prototype.toString);
const mapEntries = uncurry(Map.prototype.entries);
const setValues = uncurry(Set.prototype.values);
const mapGet = uncurry(Map.prototype.get), mapHas = uncurry(Map.prototype.has), setHas = uncurry(Set.prototype.has);
const mapSize = uncurry(Object.getOwnPropertyDescriptor(Map.prototype, 'size').get);
const setSize = uncurry(Object.getOwnPropertyDescriptor(Set.prototype, 'size').get);
const iterNext = (it) => it.next();
const u8Slice = uncurry(Uint8Array.prototype.slice);
const abSlice = uncurry(ArrayBuffer.prototype.slice);
const abByteLength = uncurry(Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get);

// ---- bounded, cycle-safe serialization (runs inside the isolate, under the run's time limits) ----
const MAX_DEPTH = 8, MAX_ITEMS = 200, MAX_KEYS = 200;
function safeString(v, max) {
  try { const s = typeof v === 'string' ? v : StringCtor(v); return s.length > max ? strSlice(s, 0, max) + '…' : s; } catch (e) { return '[unprintable]'; }
}
function typeName(v) {
  if (v === null) return 'null';
  if (ArrayIsArray(v)) return 'array';
  const t = typeof v;
  if (t !== 'object') return t;
  try { const tag = toTag(v); return tag === '[object Object]' ? 'object' : strSlice(tag, 8, -1); } catch (e) { return 'object'; }
}
function toSafe(value, budget) {
  const seen = [];
  function walk(v, depth) {
    if (budget.left <= 0) { budget.truncated = true; return '[…]'; }
    try {
      switch (typeof v) {
        case 'string':
          if (v.length > budget.left) { budget.truncated = true; const cut = MathMax(0, budget.left); budget.left = 0; return strSlice(v, 0, cut) + '… [' + v.length + ' chars]'; }
          budget.left -= v.length + 3; return v;
        case 'number': budget.left -= 8; return NumberIsFinite(v) ? v : StringCtor(v);
        case 'boolean': budget.left -= 5; return v;
        case 'undefined': budget.left -= 11; return '[undefined]';
        case 'bigint': budget.left -= 12; return safeString(v, 64) + 'n';
        case 'symbol': budget.left -= 12; return symbolToString(v);
        case 'function': budget.left -= 24; { const n = typeof v.name === 'string' ? strSlice(v.name, 0, 80) : ''; return n ? '[Function: ' + n + ']' : '[Function]'; }
      }
      if (v === null) { budget.left -= 4; return null; }
      if (arrIncludes(seen, v)) { budget.left -= 10; return '[Circular]'; }
      if (depth >= MAX_DEPTH) { budget.left -= 10; return ArrayIsArray(v) ? '[Array(' + v.length + ')]' : '[Object]'; }
      const tag = toTag(v);
      if (tag === '[object Date]') { budget.left -= 26; const t = dateGetTime(v); return t === t ? dateToISO(v) : 'Invalid Date'; }
      if (tag === '[object RegExp]') { const s = safeString(regexpToString(v), 500); budget.left -= s.length; return s; }
      if (tag === '[object Error]') { const o = ObjectCreate(null); o.name = safeString(v.name, 200); o.message = safeString(v.message, 2000); budget.left -= o.message.length + 20; return o; }
      if (tag === '[object Promise]') { budget.left -= 10; return '[Promise]'; }
      if (tag === '[object ArrayBuffer]') { budget.left -= 20; return '[ArrayBuffer(' + abByteLength(v) + ')]'; }
      if (isView(v)) { const o = ObjectCreate(null); const n = v.length; o.type = strSlice(tag, 8, -1); o.length = n; const vals = []; for (let i = 0; i < MathMin(n, 50); i++) arrPush(vals, walk(v[i], depth + 1)); o.values = vals; return o; }
      arrPush(seen, v);
      try {
        if (tag === '[object Map]') {
          const o = ObjectCreate(null); const entries = []; const it = mapEntries(v); let i = 0;
          for (let step = iterNext(it); !step.done; step = iterNext(it)) { if (i++ >= MAX_ITEMS) { arrPush(entries, '… ' + (mapSize(v) - MAX_ITEMS) + ' more entries'); budget.truncated = true; break; } arrPush(entries, [walk(step.value[0], depth + 1), walk(step.value[1], depth + 1)]); }
          o['[Map]'] = entries; return o;
        }
        if (tag === '[object Set]') {
          const o = ObjectCreate(null); const values = []; const it = setValues(v); let i = 0;
          for (let step = iterNext(it); !step.done; step = iterNext(it)) { if (i++ >= MAX_ITEMS) { arrPush(values, '… ' + (setSize(v) - MAX_ITEMS) + ' more values'); budget.truncated = true; break; } arrPush(values, walk(step.value, depth + 1)); }
          o['[Set]'] = values; return o;
        }
        if (ArrayIsArray(v)) {
          const out = []; const n = v.length;
          for (let i = 0; i < MathMin(n, MAX_ITEMS); i++) { arrPush(out, walk(v[i], depth + 1)); if (budget.left <= 0) break; }
          if (n > out.length) { budget.truncated = true; arrPush(out, '… ' + (n - out.length) + ' more items'); }
          budget.left -= 2; return out;
        }
        const out = ObjectCreate(null); const keys = ObjectKeys(v); const n = keys.length;
        let i = 0;
        for (; i < MathMin(n, MAX_KEYS); i++) { const k = keys[i]; budget.left -= k.length + 4; out[k] = walk(v[k], depth + 1); if (budget.left <= 0) { i++; break; } }
        if (n > i) { budget.truncated = true; out['…'] = (n - i) + ' more keys'; }
        return out;
      } finally { arrPop(seen); }
    } catch (e) {
      budget.left -= 30;
      return '[Unserializable: ' + safeString(e && e.message, 200) + ']';
    }
  }
  return walk(value, 0);
}
function inspect(v, max) {
  const budget = { left: max, truncated: false };
  try { return stringify(toSafe(v, budget)); } catch (e) { return '[unprintable]'; }
}
function describeError(e) {
  const o = ObjectCreate(null);
  try {
    if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
      let name = 'Error', message = '', stack;
      try { name = e.name === undefined ? 'Error' : safeString(e.name, 200); } catch (x) {}
      try { message = e.message === undefined ? inspect(e, 2000) : safeString(e.message, 4000); } catch (x) {}
      try { const s = e.stack; if (typeof s === 'string') stack = strSlice(s, 0, 6000); } catch (x) {}
      o.name = name; o.message = message; if (stack !== undefined) o.stack = stack;
    } else { o.name = 'thrown value'; o.message = inspect(e, 2000); }
  } catch (x) { o.name = 'Error'; o.message = '[error could not be described]'; }
  return o;
}

// ---- console ----
const state = { full: [false, false, false], told: [false, false, false], resultChars: 20000 };
function emit(stream, args) {
  if (state.full[stream]) {
    // Tell the host once that output was dropped, then stop crossing the boundary.
    if (!state.told[stream]) { state.told[stream] = true; hostWrite(stream, ''); }
    return;
  }
  const parts = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === 'string') arrPush(parts, a);
    else if (a !== null && typeof a === 'object' && toTag(a) === '[object Error]') { let s; try { s = a.stack; } catch (x) {} arrPush(parts, typeof s === 'string' ? s : inspect(a, 4000)); }
    else arrPush(parts, inspect(a, 20000));
  }
  const left = hostWrite(stream, arrJoin(parts, ' ') + '\n');
  if (!(left > 0)) state.full[stream] = true;
}
const consoleObject = ObjectCreate(null);
consoleObject.log = (...a) => emit(1, a);
consoleObject.info = (...a) => emit(1, a);
consoleObject.debug = (...a) => emit(1, a);
consoleObject.dir = (v) => emit(1, [v]);
consoleObject.table = (v) => emit(1, [v]);
consoleObject.warn = (...a) => emit(2, a);
consoleObject.error = (...a) => emit(2, a);
consoleObject.trace = (...a) => emit(2, a);
consoleObject.assert = (cond, ...a) => { if (!cond) emit(2, ['Assertion failed' + (a.length ? ':' : ''), ...a]); };

// ---- bytes and text ----
function toBytes(v, what) {
  if (v instanceof Uint8ArrayCtor) return v;
  if (isView(v)) return new Uint8ArrayCtor(v.buffer, v.byteOffset, v.byteLength);
  if (toTag(v) === '[object ArrayBuffer]') return new Uint8ArrayCtor(v);
  throw new TypeErrorCtor(what + ' must be a Uint8Array, a typed array or an ArrayBuffer');
}
class TextEncoder { get encoding() { return 'utf-8'; } encode(s = '') { return hostCodec('encode', StringCtor(s)); } }
class TextDecoder {
  constructor(label = 'utf-8') { const l = StringCtor(label).toLowerCase(); if (l !== 'utf-8' && l !== 'utf8') throw new RangeErrorCtor('TextDecoder: only utf-8 is available in the sandbox'); }
  get encoding() { return 'utf-8'; }
  decode(b) { return b === undefined ? '' : hostCodec('decode', toBytes(b, 'TextDecoder.decode input')); }
}
const atob = (s) => hostCodec('atob', StringCtor(s));
const btoa = (s) => hostCodec('btoa', StringCtor(s));

// ---- the workspace: host callbacks that re-check the jail on every call ----
const workspace = ObjectFreeze({
  readText: (path) => hostWs('readText', StringCtor(path)),
  readBytes: (path) => hostWs('readBytes', StringCtor(path)),
  readJSON: (path) => jsonParse(hostWs('readText', StringCtor(path))),
  writeText: (path, text) => hostWs('writeText', StringCtor(path), StringCtor(text)),
  writeBytes: (path, bytes) => hostWs('writeBytes', StringCtor(path), toBytes(bytes, 'workspace.writeBytes data')),
  writeJSON: (path, value, space = 2) => { const s = stringify(value, null, space); if (typeof s !== 'string') throw new TypeErrorCtor('workspace.writeJSON: the value has no JSON form'); return hostWs('writeText', StringCtor(path), s); },
  list: (path = '.') => hostWs('list', StringCtor(path)),
  exists: (path) => hostWs('exists', StringCtor(path)),
  stat: (path) => hostWs('stat', StringCtor(path)),
  delete: (path, options) => hostWs(options && options.recursive ? 'deleteRecursive' : 'delete', StringCtor(path)),
});

// ---- asynchronous host operations (fetch, timers), answered through settle() ----
let pending = ObjectCreate(null);
let nextOp = 1;
function startOp(kind, payload, onValue) {
  return new PromiseCtor((resolve, reject) => {
    const id = nextOp++;
    pending[id] = { resolve: (v) => { try { resolve(onValue(v)); } catch (e) { reject(e); } }, reject };
    try { hostStart(id, kind, payload); } catch (e) { delete pending[id]; reject(e); }
  });
}
function settle(id, ok, value) {
  const p = pending[id];
  if (!p) return;
  delete pending[id];
  if (ok) p.resolve(value); else p.reject(new TypeErrorCtor(safeString(value, 4000)));
}

function headerPairs(h) {
  const out = [];
  if (h === undefined || h === null) return out;
  if (ArrayIsArray(h)) { for (const pair of h) arrPush(out, [StringCtor(pair[0]), StringCtor(pair[1])]); return out; }
  if (typeof h.forEach === 'function' && typeof h.get === 'function') { h.forEach((v, k) => arrPush(out, [StringCtor(k), StringCtor(v)])); return out; }
  for (const k of ObjectKeys(h)) arrPush(out, [k, StringCtor(h[k])]);
  return out;
}
function makeHeaders(pairs) {
  const h = ObjectCreate(null);
  const find = (name) => { const n = StringCtor(name).toLowerCase(); const vals = []; for (const p of pairs) if (p[0] === n) arrPush(vals, p[1]); return vals; };
  h.get = (name) => { const v = find(name); return v.length ? arrJoin(v, ', ') : null; };
  h.has = (name) => find(name).length > 0;
  h.entries = () => arrMap(pairs, (p) => [p[0], p[1]])[Symbol.iterator]();
  h.keys = () => arrMap(pairs, (p) => p[0])[Symbol.iterator]();
  h.forEach = (fn) => { for (const p of pairs) fn(p[1], p[0], h); };
  h[Symbol.iterator] = h.entries;
  return ObjectFreeze(h);
}
function makeResponse(r) {
  let used = false;
  const body = r.body;
  const take = () => { if (used) throw new TypeErrorCtor('Response body has already been read'); used = true; return body; };
  const res = ObjectCreate(null);
  res.status = r.status; res.statusText = r.statusText; res.ok = r.status >= 200 && r.status < 300;
  res.url = r.url; res.redirected = r.redirected; res.headers = makeHeaders(r.headers);
  res.text = async () => hostCodec('decode', take());
  res.json = async () => jsonParse(hostCodec('decode', take()));
  res.bytes = async () => take();
  res.arrayBuffer = async () => { const b = take(); return abSlice(b.buffer, b.byteOffset, b.byteOffset + b.byteLength); };
  defineProperty(res, 'bodyUsed', { get: () => used });
  return ObjectFreeze(res);
}
function fetch(input, init) {
  try {
    const o = init === undefined || init === null ? ObjectCreate(null) : init;
    const url = StringCtor(input !== null && typeof input === 'object' && 'url' in input ? input.url : input);
    let body;
    if (o.body !== undefined && o.body !== null) body = typeof o.body === 'string' ? o.body : toBytes(o.body, 'fetch: body');
    const req = { url, method: StringCtor(o.method === undefined ? 'GET' : o.method).toUpperCase(), headers: headerPairs(o.headers) };
    if (body !== undefined) req.body = body;
    return startOp('fetch', req, makeResponse);
  } catch (e) { return PromiseCtor.reject(e); }
}

let nextTimer = 1;
const timers = ObjectCreate(null);
function setTimeout(fn, ms, ...args) {
  if (typeof fn !== 'function') throw new TypeErrorCtor('setTimeout: the callback must be a function');
  const id = nextTimer++;
  timers[id] = true;
  const delay = MathMax(0, MathMin(+ms || 0, 2147483647));
  startOp('timer', delay, () => undefined).then(() => { if (timers[id]) { delete timers[id]; fn(...args); } });
  return id;
}
function clearTimeout(id) { delete timers[id]; }
const sleep = (ms) => new PromiseCtor((r) => setTimeout(r, ms));

// ---- assert, for code_test (and anyone) ----
class AssertionError extends ErrorCtor { constructor(message) { super(message); this.name = 'AssertionError'; } }
function deepEqual(a, b, seen) {
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
    for (let s = iterNext(it); !s.done; s = iterNext(it)) { if (!mapHas(b, s.value[0]) || !deepEqual(s.value[1], mapGet(b, s.value[0]), seen)) return false; }
    return true;
  }
  if (tag === '[object Set]') {
    if (setSize(a) !== setSize(b)) return false;
    const it = setValues(a);
    for (let s = iterNext(it); !s.done; s = iterNext(it)) if (!setHas(b, s.value)) return false;
    return true;
  }
  const ka = ObjectKeys(a), kb = ObjectKeys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) { if (!arrIncludes(kb, k) || !deepEqual(a[k], b[k], seen)) return false; }
  return true;
}
function fail(message, fallback) { throw new AssertionError(message === undefined ? fallback : StringCtor(message)); }
function matchesExpected(e, expected) {
  if (expected === undefined) return true;
  if (toTag(expected) === '[object RegExp]') return expected.test(safeString(e && e.message !== undefined ? e.message : e, 10000));
  if (typeof expected === 'function') return e instanceof expected || (expected.prototype === undefined && expected(e) === true);
  if (typeof expected === 'string') return safeString(e && e.message, 10000).includes(expected);
  return deepEqual(e, expected, []);
}
const assert = (value, message) => { if (!value) fail(message, 'expected a truthy value, got ' + inspect(value, 200)); };
assert.ok = assert;
assert.equal = (a, b, m) => { if (!(ObjectIs(a, b) || a === b)) fail(m, 'expected ' + inspect(b, 500) + ', got ' + inspect(a, 500)); };
assert.strictEqual = assert.equal;
assert.notEqual = (a, b, m) => { if (ObjectIs(a, b) || a === b) fail(m, 'expected a value other than ' + inspect(b, 500)); };
assert.deepEqual = (a, b, m) => { if (!deepEqual(a, b, [])) fail(m, 'expected ' + inspect(b, 1000) + ', got ' + inspect(a, 1000)); };
assert.deepStrictEqual = assert.deepEqual;
assert.notDeepEqual = (a, b, m) => { if (deepEqual(a, b, [])) fail(m, 'expected a value different from ' + inspect(b, 1000)); };
assert.match = (s, re, m) => { if (!re.test(s)) fail(m, 'expected ' + inspect(s, 500) + ' to match ' + safeString(re, 200)); };
assert.throws = (fn, expected, m) => { try { fn(); } catch (e) { if (!matchesExpected(e, expected)) fail(m, 'the function threw ' + inspect(e, 500) + ', not what was expected'); return; } fail(m, 'expected the function to throw'); };
assert.rejects = async (p, expected, m) => { try { await (typeof p === 'function' ? p() : p); } catch (e) { if (!matchesExpected(e, expected)) fail(m, 'the promise rejected with ' + inspect(e, 500) + ', not what was expected'); return; } fail(m, 'expected the promise to reject'); };
assert.fail = (m) => fail(m, 'assert.fail()');
assert.AssertionError = AssertionError;

// ---- helpers (papaparse, d3), compiled on first use ----
let helpers;
function loadHelpers() {
  if (!helpers) {
    // The bundle is strict code, so its top-level var stays inside the eval: take it as the completion value.
    helpers = indirectEval(hostHelpers() + '\n;__hearthHelpers;');
  }
  return helpers;
}
for (const name of ['csv', 'stats', 'chart', 'table']) {
  defineProperty(G, name, {
    configurable: true,
    get() { const v = loadHelpers()[name]; defineProperty(G, name, { value: v, writable: true, configurable: true }); return v; },
    set(v) { defineProperty(G, name, { value: v, writable: true, configurable: true, enumerable: true }); },
  });
}

// WebAssembly memory is reserved outside the heap the isolate's memory limit watches: leave it out.
delete G.WebAssembly;

const globals = { console: ObjectFreeze(consoleObject), workspace, fetch, setTimeout, clearTimeout, sleep, TextEncoder, TextDecoder, atob, btoa, assert };
for (const k of ObjectKeys(globals)) defineProperty(G, k, { value: globals[k], writable: true, configurable: true });

function isThenable(v) { return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function'; }
function describeValue(v) {
  const budget = { left: state.resultChars, truncated: false };
  const out = ObjectCreate(null);
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
    let out;
    try {
      let v = indirectEval(code);
      if (isThenable(v)) v = await v;
      out = describeValue(v);
      out.status = 'ok';
    } catch (e) {
      out = ObjectCreate(null);
      out.status = 'threw';
      out.error = describeError(e);
    }
    return stringify(out);
  },
  async test(code) {
    const out = ObjectCreate(null);
    try {
      const fn = indirectEval('(async function () {\n' + code + '\n})');
      await fn();
      out.status = 'passed';
    } catch (e) {
      out.status = 'failed';
      out.error = describeError(e);
    }
    return stringify(out);
  },
  settle,
  expose(ns) {
    const names = ObjectKeys(ns);
    for (const k of names) defineProperty(G, k === 'default' ? 'defaultExport' : k, { value: ns[k], writable: true, configurable: true, enumerable: true });
    defineProperty(G, 'module', { value: ns, writable: true, configurable: true });
    return names.length;
  },
  reset() { pending = ObjectCreate(null); },
};
`;
