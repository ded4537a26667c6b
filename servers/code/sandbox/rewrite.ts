// Makes a snippet behave like a REPL entry: top-level `let`, `const` and `class` become `var`
// bindings so a session can run the same cell twice, and code with top-level `await` is wrapped in
// an async function whose last expression is returned, its declarations still landing on the
// global object. Only the top level is touched; code that does not parse is passed through so V8
// reports the syntax error itself.
import { type ModuleDeclaration, type Node, parse, type Pattern, type Program, type Statement } from 'acorn';

export interface Prepared {
  code: string;
  /** The code was wrapped because it awaits at the top level. */
  wrapped: boolean;
}

type AnyNode = Node & Record<string, unknown>;

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

function hasTopLevelAwait(node: AnyNode): boolean {
  if (node.type === 'AwaitExpression') return true;
  if (node.type === 'ForOfStatement' && node.await === true) return true;
  if (FUNCTION_TYPES.has(node.type)) return false;
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item) && hasTopLevelAwait(item)) return true;
    } else if (isNode(value) && hasTopLevelAwait(value)) return true;
  }
  return false;
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function patternNames(pattern: Pattern, out: string[]): void {
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties) patternNames(p.type === 'RestElement' ? p.argument : p.value, out);
      break;
    case 'ArrayPattern':
      for (const p of pattern.elements) if (p) patternNames(p, out);
      break;
    case 'RestElement':
      patternNames(pattern.argument, out);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left, out);
      break;
    default:
      break;
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function apply(code: string, edits: Edit[]): string {
  let out = code;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function parseScript(code: string): Program | undefined {
  try {
    return parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true, allowHashBang: true });
  } catch {
    return undefined;
  }
}

/** Whether the source is an ES module (it imports or exports), so code_test loads it as one. */
export function isModuleSource(code: string): boolean {
  try {
    const program = parse(code, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
    return program.body.some((s: Statement | ModuleDeclaration) => s.type.startsWith('Import') || s.type.startsWith('Export'));
  } catch {
    return false;
  }
}

export function prepareScript(source: string): Prepared {
  // A leading #! line is a comment to us; keeping its length keeps every position.
  const code = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const program = parseScript(code);
  if (!program) return { code, wrapped: false };
  const body = program.body as Statement[];
  const wrapped = body.some((s) => hasTopLevelAwait(s as unknown as AnyNode));
  const src = (n: Node) => code.slice(n.start, n.end);
  const edits: Edit[] = [];

  if (!wrapped) {
    for (const s of body) {
      if (s.type === 'VariableDeclaration' && s.kind !== 'var') {
        edits.push({ start: s.start, end: s.start + s.kind.length, text: 'var'.padEnd(s.kind.length, ' ') });
      } else if (s.type === 'ClassDeclaration' && s.id) {
        edits.push({ start: s.start, end: s.end, text: `var ${s.id.name} = ${src(s)};` });
      }
    }
    return { code: apply(code, edits), wrapped: false };
  }

  const hoisted: string[] = [];
  const functionExports: string[] = [];
  body.forEach((s, i) => {
    const last = i === body.length - 1;
    if (s.type === 'VariableDeclaration') {
      const assigns: string[] = [];
      for (const d of s.declarations) {
        patternNames(d.id, hoisted);
        if (d.init) assigns.push(`${src(d.id)} = ${src(d.init)}`);
      }
      edits.push({ start: s.start, end: s.end, text: assigns.length ? `;(${assigns.join(', ')});` : ';' });
    } else if (s.type === 'FunctionDeclaration' && s.id) {
      functionExports.push(s.id.name);
    } else if (s.type === 'ClassDeclaration' && s.id) {
      hoisted.push(s.id.name);
      edits.push({ start: s.start, end: s.end, text: `${s.id.name} = ${src(s)};` });
    } else if (last && s.type === 'ExpressionStatement') {
      edits.push({ start: s.start, end: s.end, text: `return (${src(s.expression)});` });
    }
  });
  const declarations = hoisted.length ? `var ${[...new Set(hoisted)].join(', ')}; ` : '';
  const head = `${declarations}(async () => { ${functionExports.map((n) => `globalThis.${n} = ${n}; `).join('')}`;
  return { code: `${head}${apply(code, edits)}\n})()`, wrapped: true };
}
