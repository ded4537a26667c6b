// Source code: tree-sitter (the grammars VS Code ships as WebAssembly) parses TypeScript,
// JavaScript and Python, and each top-level function, class, interface or type becomes a section
// named by its symbol, with its leading comments. A class too big for one chunk is split into its
// members (`Parser.parse`). Statements between definitions (imports, setup) form their own sections.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type * as TreeSitter from '@vscode/tree-sitter-wasm';
import type { Language as TsLanguage, Node as TsNode, Parser as TsParser } from '@vscode/tree-sitter-wasm';

import { type ParsedDocument, ParseFailure, type Section } from './document.js';

type CodeFormat = 'typescript' | 'javascript' | 'python';
type Grammar = 'typescript' | 'tsx' | 'javascript' | 'python';

const DEFINITIONS = new Set([
  'function_declaration',
  'generator_function_declaration',
  'class_declaration',
  'abstract_class_declaration',
  'interface_declaration',
  'type_alias_declaration',
  'enum_declaration',
  'lexical_declaration',
  'variable_declaration',
  'internal_module',
  'module',
  'function_definition',
  'class_definition',
  'decorated_definition',
]);
const MEMBERS = new Set([
  'method_definition',
  'public_field_definition',
  'method_signature',
  'abstract_method_signature',
  'function_definition',
  'decorated_definition',
  'property_signature',
]);
const CLASSES = new Set(['class_declaration', 'abstract_class_declaration', 'class_definition', 'class']);

interface Unit {
  start: number;
  end: number;
  row: number;
  symbol?: string;
  node?: TsNode;
}

function nameOf(node: TsNode): string | undefined {
  const direct = node.childForFieldName('name');
  if (direct) return direct.text;
  const inner = node.childForFieldName('declaration') ?? node.childForFieldName('definition');
  if (inner) return nameOf(inner);
  if (node.type === 'lexical_declaration' || node.type === 'variable_declaration') {
    const first = node.namedChildren.find((c) => c?.type === 'variable_declarator');
    return first?.childForFieldName('name')?.text;
  }
  return undefined;
}

/** The definition a node wraps (export statements, decorators), or the node itself. */
function definitionOf(node: TsNode): TsNode {
  const inner = node.childForFieldName('declaration') ?? node.childForFieldName('definition');
  return inner ? definitionOf(inner) : node;
}

function isDefinition(node: TsNode): boolean {
  if (DEFINITIONS.has(node.type)) return true;
  if (node.type === 'export_statement') {
    const inner = node.childForFieldName('declaration');
    return inner !== null || node.childForFieldName('value') !== null;
  }
  return false;
}

export class CodeParser {
  private parser: TsParser | undefined;
  private readonly languages = new Map<Grammar, TsLanguage>();
  private init: Promise<typeof TreeSitter> | undefined;
  private readonly wasmDir: string;

  constructor() {
    const require = createRequire(import.meta.url);
    this.wasmDir = dirname(require.resolve('@vscode/tree-sitter-wasm'));
  }

  private async language(grammar: Grammar): Promise<{ parser: TsParser; language: TsLanguage }> {
    this.init ??= (async () => {
      const require = createRequire(import.meta.url);
      const ts = require('@vscode/tree-sitter-wasm') as typeof TreeSitter;
      await ts.Parser.init({ locateFile: (file: string) => join(this.wasmDir, file) });
      return ts;
    })();
    const ts = await this.init;
    this.parser ??= new ts.Parser();
    let language = this.languages.get(grammar);
    if (!language) {
      language = await ts.Language.load(readFileSync(join(this.wasmDir, `tree-sitter-${grammar}.wasm`)));
      this.languages.set(grammar, language);
    }
    return { parser: this.parser, language };
  }

  async parse(source: string, format: CodeFormat, path: string, maxChars: number): Promise<ParsedDocument> {
    const grammar: Grammar =
      format === 'python' ? 'python' : format === 'javascript' ? 'javascript' : path.toLowerCase().endsWith('.tsx') ? 'tsx' : 'typescript';
    const { parser, language } = await this.language(grammar);
    parser.setLanguage(language);
    const tree = parser.parse(source);
    if (!tree) throw new ParseFailure('corrupt', `tree-sitter could not parse the ${format} file`);
    try {
      const units = this.units(
        tree.rootNode.namedChildren.filter((n): n is TsNode => n !== null),
        source,
      );
      const sections: Section[] = [];
      for (const unit of units) {
        const text = source.slice(unit.start, unit.end);
        if (!text.trim()) continue;
        const def = unit.node && definitionOf(unit.node);
        if (def && CLASSES.has(def.type) && text.length > maxChars) sections.push(...this.members(def, unit, source));
        else sections.push({ text, lineStart: unit.row + 1, ...(unit.symbol ? { symbol: unit.symbol } : {}) });
      }
      return { format, sections };
    } finally {
      tree.delete();
    }
  }

  /** Groups top-level nodes: each definition with the comments before it; other statements together. */
  private units(nodes: TsNode[], source: string, defines: (node: TsNode) => boolean = isDefinition): Unit[] {
    const units: Unit[] = [];
    let loose: Unit | undefined;
    let comments: TsNode[] = [];
    const lineStartOf = (index: number) => source.lastIndexOf('\n', index - 1) + 1;
    for (const node of nodes) {
      if (node.type === 'comment') {
        comments.push(node);
        continue;
      }
      if (defines(node)) {
        if (loose) units.push(loose);
        loose = undefined;
        const first = comments[0] ?? node;
        const symbol = nameOf(node);
        units.push({
          start: lineStartOf(first.startIndex),
          end: node.endIndex,
          row: first.startPosition.row,
          node,
          ...(symbol ? { symbol } : {}),
        });
      } else {
        const first = comments[0] ?? node;
        loose ??= { start: lineStartOf(first.startIndex), end: node.endIndex, row: first.startPosition.row };
        loose.end = node.endIndex;
      }
      comments = [];
    }
    if (comments.length) {
      const first = comments[0]!;
      const last = comments[comments.length - 1]!;
      if (loose) loose.end = last.endIndex;
      else loose = { start: lineStartOf(first.startIndex), end: last.endIndex, row: first.startPosition.row };
    }
    if (loose) units.push(loose);
    return units.sort((a, b) => a.start - b.start);
  }

  /** A big class as its header (up to the first member) and one section per member. */
  private members(def: TsNode, unit: Unit, source: string): Section[] {
    const className = nameOf(def) ?? unit.symbol ?? 'class';
    const body = def.childForFieldName('body');
    const members = (body?.namedChildren ?? []).filter((n): n is TsNode => n !== null);
    if (!body || members.length === 0) return [{ text: source.slice(unit.start, unit.end), lineStart: unit.row + 1, symbol: className }];
    const sections: Section[] = [];
    const firstMember = members.find((m) => m.type !== 'comment') ?? members[0]!;
    const headerEnd = source.lastIndexOf('\n', firstMember.startIndex) + 1 || firstMember.startIndex;
    const header = source.slice(unit.start, headerEnd);
    if (header.trim()) sections.push({ text: header, lineStart: unit.row + 1, symbol: className });
    const groups = this.units(members, source, (n) => MEMBERS.has(n.type));
    for (const g of groups) {
      const text = source.slice(g.start, g.end);
      if (!text.trim()) continue;
      const member = g.node ? (nameOf(g.node) ?? g.symbol) : undefined;
      sections.push({ text, lineStart: g.row + 1, symbol: member ? `${className}.${member}` : className });
    }
    const tail = source.slice(body.endIndex - 1, unit.end);
    if (tail.trim().length > 1) sections.push({ text: tail, lineStart: body.endPosition.row + 1, symbol: className });
    return sections;
  }

  close(): void {
    this.parser?.delete();
    this.parser = undefined;
  }
}
