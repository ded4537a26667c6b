// The kernel: the per-server, per-process services every tool call passes through — policy,
// redaction, logging, the audit log, the approval queue, artifacts, idempotency keys and plan
// grants. Owned by a server; closed with it.
import { randomBytes } from 'node:crypto';

import { createRequestStateCodec, type RequestStateCodec } from '@modelcontextprotocol/server';

import type { Db } from '../lib/sqlite.js';
import { ApprovalQueue } from '../policies/approvals.js';
import { AuditLog } from '../policies/audit.js';
import { PolicyEngine } from '../policies/engine.js';
import { GrantSigner, loadGrantKey } from '../policies/grants.js';
import { loadPolicy } from '../policies/load.js';
import { type PolicyWatch, watchPolicy } from '../policies/watch.js';
import { ArtifactStore } from './artifacts.js';
import type { HearthConfig } from './config.js';
import { IdempotencyStore } from './idempotency.js';
import { openKernelDb } from './kernel-db.js';
import { createLogger, type Logger } from './logger.js';
import { Redactor, secretsFromEnv } from './redact.js';

/** What an approval round-trip carries through the client: the hash of the call being approved. */
export interface ApprovalState {
  h: string;
}

export interface KernelOptions {
  config: HearthConfig;
  server: string;
  env?: NodeJS.ProcessEnv;
}

export class Kernel {
  readonly server: string;
  readonly config: HearthConfig;
  readonly policy: PolicyEngine;
  readonly redactor: Redactor;
  readonly log: Logger;
  readonly db: Db;
  readonly audit: AuditLog;
  readonly approvals: ApprovalQueue;
  readonly artifacts: ArtifactStore;
  /** Results remembered under `_meta["hearth/idempotencyKey"]`. */
  readonly idempotency: IdempotencyStore;
  /** Signs and checks plan grants with the home's key, shared by every server of this home. */
  readonly grants: GrantSigner;
  /** Signs approval state so a client cannot forge "the person said yes" for other arguments. */
  readonly approvalState: RequestStateCodec<ApprovalState>;
  private readonly closeLogger: () => void;
  private readonly policyWatch: PolicyWatch | undefined;

  constructor(options: KernelOptions) {
    const env = options.env ?? process.env;
    this.server = options.server;
    this.config = options.config;
    const { policy, source } = loadPolicy(options.config.policyFile, options.config.home);
    this.policy = new PolicyEngine(policy, source, options.config.mode);
    const secrets = [...options.config.secrets, ...secretsFromEnv(env), ...(options.config.http.token ? [options.config.http.token] : [])];
    this.redactor = new Redactor(secrets, policy.redact.patterns);
    const owned = createLogger({
      level: options.config.log.level,
      file: options.config.log.file,
      redactor: this.redactor,
      name: `hearth-${options.server}`,
    });
    this.log = owned.logger;
    this.closeLogger = () => owned.close();
    this.db = openKernelDb(options.config.home);
    this.audit = new AuditLog(this.db);
    this.approvals = new ApprovalQueue(this.db, policy.approvals.ttlSeconds);
    this.artifacts = new ArtifactStore(this.db, options.config.home, options.server);
    this.idempotency = new IdempotencyStore(this.db, options.server);
    this.grants = new GrantSigner(loadGrantKey(options.config.home));
    this.approvalState = createRequestStateCodec<ApprovalState>({ key: randomBytes(32), ttlSeconds: 3600 });
    if (source !== 'built-in default') {
      this.policyWatch = watchPolicy(source, {
        changed: (next) => {
          this.policy.replace(next);
          this.redactor.addPatterns(next.redact.patterns);
          this.log.info({ policy: source, mode: this.policy.modeFor(this.server) }, 'policy file changed; the new policy is in force');
        },
        refused: (why) => this.log.warn({ policy: source, why }, 'policy file edit refused; the last good policy stays in force'),
      });
    }
  }

  close(): void {
    this.policyWatch?.close();
    this.db.close();
    this.closeLogger();
  }
}
