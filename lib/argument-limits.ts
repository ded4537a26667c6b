// How deep and how big a tool call's arguments may be, checked before anything else looks at
// them. Parsing, hashing, cloning and logging a value all walk it; a value nested thousands of
// levels deep overflows the stack of any recursive walk (V8's structuredClone included), and one
// with millions of parts makes each walk slow. No tool needs either, so the call is refused with
// the field where the limit was crossed.

export const MAX_ARGUMENT_DEPTH = 64;
export const MAX_ARGUMENT_NODES = 1_000_000;

export interface ArgumentProblem {
  /** Where, as the model wrote it: `json.a.a.a[0]`. */
  path: (string | number)[];
  problem: string;
}

interface Visit {
  value: unknown;
  depth: number;
  key: string | number | undefined;
  parent: Visit | undefined;
}

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = [];
  for (let v: Visit | undefined = visit; v?.key !== undefined; v = v.parent) path.unshift(v.key);
  return path;
}

/** The first place `value` nests deeper than `maxDepth` or holds more than `maxNodes` values; undefined when it does not. Iterative. */
export function argumentProblem(value: unknown, maxDepth = MAX_ARGUMENT_DEPTH, maxNodes = MAX_ARGUMENT_NODES): ArgumentProblem | undefined {
  const stack: Visit[] = [{ value, depth: 0, key: undefined, parent: undefined }];
  let nodes = 0;
  while (stack.length) {
    const visit = stack.pop()!;
    if (++nodes > maxNodes)
      return { path: pathOf(visit), problem: `the arguments hold more than ${maxNodes.toLocaleString('en-US')} values` };
    const { value: v, depth } = visit;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return { path: pathOf(visit), problem: `nested deeper than ${maxDepth} levels` };
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth: depth + 1, key: i, parent: visit });
    else for (const [k, child] of Object.entries(v)) stack.push({ value: child, depth: depth + 1, key: k, parent: visit });
  }
  return undefined;
}
