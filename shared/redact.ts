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

export class Redactor {
  private literal: RegExp | undefined;
  private readonly patterns: readonly RegExp[];
  private readonly secrets: Set<string>;
  private added = 0;

  constructor(secrets: readonly string[], patterns: readonly string[] = []) {
    this.patterns = [...KEY_SHAPES, ...patterns.map((p) => new RegExp(p, 'g'))];
    this.secrets = new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH));
    this.compile();
  }

  /** Adds a secret learnt while running. Short values are ignored, like configured ones. */
  add(secret: string): void {
    if (secret.length < MIN_SECRET_LENGTH || this.secrets.has(secret) || this.added >= MAX_ADDED_SECRETS) return;
    this.added++;
    this.secrets.add(secret);
    this.compile();
  }

  // Each secret in the forms it may take on the way out: as-is, JSON-escaped, URL-encoded, base64.
  private compile(): void {
    const forms = new Set<string>();
    for (const secret of this.secrets) {
      forms.add(secret);
      forms.add(JSON.stringify(secret).slice(1, -1));
      forms.add(encodeURIComponent(secret));
      forms.add(Buffer.from(secret).toString('base64').replace(/=+$/, ''));
    }
    const sorted = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.literal = sorted.length ? new RegExp(sorted.join('|'), 'g') : undefined;
  }

  text(value: string): string {
    let out = this.literal ? value.replace(this.literal, REDACTED) : value;
    for (const shape of this.patterns) out = out.replace(shape, REDACTED);
    return out;
  }

  /** Redacts every string (keys and values) in a JSON-like value, returning a copy. */
  value<T>(value: T): T {
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.text(value);
    if (depth > 64 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.walk(v, depth + 1));
    if (value instanceof Uint8Array) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[this.text(k)] = this.walk(v, depth + 1);
    return out;
  }
}
