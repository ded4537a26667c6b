// Redaction: configured secrets, provider API keys found in the environment, and strings shaped like
// well-known API keys are replaced before anything leaves the process — tool output, logs, audit rows.
export const REDACTED = '[REDACTED]';

/** Environment variable names whose values are treated as secrets. */
const SECRET_ENV_NAME = /(^|_)(API_?KEY|TOKEN|SECRET|PASSWORD|PASSPHRASE|CREDENTIALS?)$/i;

/** Shapes of well-known provider keys, caught even when nobody configured them. */
const KEY_SHAPES: readonly RegExp[] = [
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/g, // OpenAI, Anthropic
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, // GitHub
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
];

/** Secrets shorter than this are ignored: redacting "abc" everywhere would destroy output. */
const MIN_SECRET_LENGTH = 6;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_ENV_NAME.test(name) && typeof value === 'string' && value.length >= MIN_SECRET_LENGTH)
    .map(([, value]) => value as string);
}

/** Secrets added while running (e.g. passwords typed into pages) are capped so the set stays small. */
const MAX_ADDED_SECRETS = 1_000;

/**
 * The base64 of `bytes` wherever they sit in longer data. Base64 packs 3 bytes into 4 characters,
 * so the characters that encode a secret depend on its offset modulo 3 in the whole buffer; for
 * each of the three offsets, the characters that hold only the secret's bits are the same whatever
 * comes before or after it.
 */
export function base64Cores(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    cores.push(encoded.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6)));
  }
  return cores;
}

/** An MCP content block or resource that carries base64 data: redacted in its bytes, so it stays valid base64. */
function binaryField(value: object): 'data' | 'blob' | undefined {
  const v = value as Record<string, unknown>;
  if ((v.type === 'image' || v.type === 'audio') && typeof v.data === 'string') return 'data';
  if (typeof v.uri === 'string' && typeof v.blob === 'string') return 'blob';
  return undefined;
}

export class Redactor {
  private literal: RegExp | undefined;
  private readonly patterns: RegExp[];
  private readonly secrets: Set<string>;
  private added = 0;

  constructor(secrets: readonly string[], patterns: readonly string[] = []) {
    this.patterns = [...KEY_SHAPES, ...patterns.map((p) => new RegExp(p, 'g'))];
    this.secrets = new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH));
    this.compile();
  }

  /** Adds a secret learnt while running. Short values are ignored, like configured ones. */
  /**
   * Patterns of an edited policy: new ones redact from now on. One taken out of the policy keeps
   * redacting until the server restarts: redacting more than asked is the safe side.
   */
  addPatterns(patterns: readonly string[]): void {
    const known = new Set(this.patterns.map((p) => p.source));
    for (const p of patterns) if (!known.has(p)) this.patterns.push(new RegExp(p, 'g'));
  }

  add(secret: string): void {
    if (secret.length < MIN_SECRET_LENGTH || this.secrets.has(secret) || this.added >= MAX_ADDED_SECRETS) return;
    this.added++;
    this.secrets.add(secret);
    this.compile();
  }

  // Each secret in the forms it may take on the way out: as-is, JSON-escaped, URL-encoded, its
  // UTF-8 bytes read as Latin-1 (how binary data is searched), base64 and base64url at each of the
  // three alignments, and hex in either case.
  private compile(): void {
    const forms = new Set<string>();
    for (const secret of this.secrets) {
      const bytes = Buffer.from(secret, 'utf8');
      forms.add(secret);
      forms.add(JSON.stringify(secret).slice(1, -1));
      forms.add(encodeURIComponent(secret));
      forms.add(bytes.toString('latin1'));
      for (const core of base64Cores(bytes)) {
        forms.add(core);
        forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
      }
      forms.add(bytes.toString('hex'));
      forms.add(bytes.toString('hex').toUpperCase());
    }
    const sorted = [...forms]
      .filter((f) => f.length > 0)
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp);
    this.literal = sorted.length ? new RegExp(sorted.join('|'), 'g') : undefined;
  }

  text(value: string): string {
    let out = this.literal ? value.replace(this.literal, REDACTED) : value;
    for (const shape of this.patterns) out = out.replace(shape, REDACTED);
    return out;
  }

  /** Redacts binary data: the secrets' bytes, and their text forms written into it, become `[REDACTED]`. */
  bytes(data: Buffer): Buffer {
    const latin1 = data.toString('latin1');
    const out = this.text(latin1);
    return out === latin1 ? data : Buffer.from(out, 'latin1');
  }

  /** `bytes` for base64 in, base64 out. */
  base64(data: string): string {
    const raw = Buffer.from(data, 'base64');
    const out = this.bytes(raw);
    // Data that was not clean base64 is redacted as text as well, so nothing passes undecoded.
    return out === raw ? this.text(data) : out.toString('base64');
  }

  /**
   * Redacts every string (keys and values) in a JSON-like value, returning a copy. Iterative, so
   * no nesting depth can overflow the stack or hide a secret below a cut-off; shared and circular
   * references are copied once.
   */
  value<T>(value: T): T {
    const holder: Record<string, unknown> = {};
    const copies = new Map<object, unknown>();
    const stack: [unknown, Record<string | number, unknown>, string | number][] = [[value, holder, 'v']];
    while (stack.length) {
      const [input, parent, key] = stack.pop()!;
      parent[key] = this.copy(input, copies, stack);
    }
    return holder.v as T;
  }

  private copy(
    input: unknown,
    copies: Map<object, unknown>,
    stack: [unknown, Record<string | number, unknown>, string | number][],
  ): unknown {
    if (typeof input === 'string') return this.text(input);
    if (input === null || typeof input !== 'object') return input;
    if (input instanceof Uint8Array) {
      const view = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
      const out = this.bytes(view);
      return out === view ? input : new Uint8Array(out);
    }
    const seen = copies.get(input);
    if (seen !== undefined) return seen;
    if (Array.isArray(input)) {
      const out: unknown[] = new Array<unknown>(input.length);
      copies.set(input, out);
      for (let i = input.length - 1; i >= 0; i--) stack.push([input[i], out as unknown as Record<number, unknown>, i]);
      return out;
    }
    const out: Record<string, unknown> = {};
    copies.set(input, out);
    const binary = binaryField(input);
    const entries: [string, unknown][] = Object.entries(input);
    // Keys are defined first, in order, so the copy keeps the original key order (and a key named
    // __proto__ stays a plain property).
    const keys = entries.map(([k]) => this.text(k));
    for (const k of keys) Object.defineProperty(out, k, { value: undefined, enumerable: true, writable: true, configurable: true });
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i]!;
      if (k === binary) out[k] = this.base64(v as string);
      else stack.push([v, out, keys[i]!]);
    }
    return out;
  }
}
