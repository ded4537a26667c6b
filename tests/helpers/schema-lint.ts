// What a strict client refuses or warns about in a tool's JSON Schemas (the checks MCP Inspector's
// strict mode and Claude Code's validator make): a schema without a type, a list as `type`, a bare
// `true` / `{}` schema, references and dialect keywords, an input object that allows unknown keys,
// `required` naming a property that is not declared, an enum value of the wrong type.
type Json = Record<string, unknown>;

const KNOWN_TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);
const REFUSED_KEYWORDS = ['$ref', '$defs', 'definitions', '$schema', '$id', 'nullable', 'dependencies'];

function valueHasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}

export function lintSchema(schema: unknown, kind: 'input' | 'output'): string[] {
  const findings: string[] = [];
  const visit = (node: unknown, path: string, root = false): void => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      findings.push(`${path}: a schema must be an object, not ${JSON.stringify(node)}`);
      return;
    }
    const n = node as Json;
    for (const key of REFUSED_KEYWORDS) if (key in n) findings.push(`${path}: uses ${key}`);
    const union = n.anyOf ?? n.oneOf;
    if (Array.isArray(n.type)) findings.push(`${path}: type is a list`);
    else if (n.type === undefined && !Array.isArray(union)) findings.push(`${path}: no type`);
    else if (n.type !== undefined && !KNOWN_TYPES.has(n.type as string)) findings.push(`${path}: unknown type ${JSON.stringify(n.type)}`);
    if (Array.isArray(union)) union.forEach((b, i) => visit(b, `${path}.anyOf[${i}]`));
    if (typeof n.type === 'string' && Array.isArray(n.enum)) {
      for (const v of n.enum as unknown[])
        if (!valueHasType(v, n.type)) findings.push(`${path}: enum value ${JSON.stringify(v)} is not ${n.type}`);
    }
    if (typeof n.type === 'string' && 'const' in n && !valueHasType(n.const, n.type)) findings.push(`${path}: const is not ${n.type}`);
    if ('description' in n && (typeof n.description !== 'string' || n.description.trim() === ''))
      findings.push(`${path}: empty description`);
    const props = n.properties as Record<string, unknown> | undefined;
    if (props !== undefined) {
      if (typeof props !== 'object' || props === null) findings.push(`${path}: properties is not an object`);
      else for (const [k, v] of Object.entries(props)) visit(v, `${path}.${k}`);
    }
    if (Array.isArray(n.required)) {
      for (const r of n.required as unknown[])
        if (!props || !(String(r) in props)) findings.push(`${path}: requires undeclared ${String(r)}`);
    }
    if (n.type === 'object' && kind === 'input' && props && n.additionalProperties !== false) {
      findings.push(`${path}: an input object with properties must set additionalProperties: false`);
    }
    if (root && kind === 'input' && (n.type !== 'object' || n.additionalProperties !== false)) {
      findings.push(`${path}: the input root must be a closed object`);
    }
    const extra = n.additionalProperties;
    if (extra !== undefined && typeof extra !== 'boolean') visit(extra, `${path}.additionalProperties`);
    if (n.items !== undefined) visit(n.items, `${path}[]`);
    if (n.propertyNames !== undefined) visit(n.propertyNames, `${path}.propertyNames`);
  };
  visit(schema, kind === 'input' ? 'inputSchema' : 'outputSchema', true);
  return findings;
}
