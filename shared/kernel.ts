// The kernel: the per-server, per-process services every tool call passes through — policy,
// redaction, logging, the audit log, the approval queue, artifacts, idempotency keys and plan
// grants. Owned by a server; closed with it. The policy is read at start (a bad one stops the
// server); hearth.db, behind the audit log, approvals, artifacts and keys, opens on first use, since
// listing the tools needs none of it.
import { randomBytes } from 'node:crypto';

import { createRequestStateCodec, type RequestStateCodec } from '@modelcontextprotocol/server';

import { describeError, HearthError, isHearthError } from '../lib/errors.js';
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

/** What lives in hearth.db, opened together on first use. */
export interface KernelStore {
  db: Db;
  audit: AuditLog;
  approvals: ApprovalQueue;
  artifacts: ArtifactStore;
  idempotency: IdempotencyStore;
}

export class Kernel {
  readonly server: string;
  readonly config: HearthConfig;
  readonly policy: PolicyEngine;
  readonly redactor: Redactor;
  readonly log: Logger;
  /** Signs and checks plan grants with the home's key, shared by every server of this home. */
  readonly grants: GrantSigner;
  /** Signs approval state so a client cannot forge "the person said yes" for other arguments. */
  readonly approvalState: RequestStateCodec<ApprovalState>;
  private readonly closeLogger: () => void;
  private readonly policyWatch: PolicyWatch | undefined;
  private readonly approvalTtlSeconds: number;
  private store: KernelStore | undefined;
  private closed = false;

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
    this.approvalTtlSeconds = policy.approvals.ttlSeconds;
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

  get db(): Db {
    return this.open().db;
  }

  get audit(): AuditLog {
    return this.open().audit;
  }

  get approvals(): ApprovalQueue {
    return this.open().approvals;
  }

  get artifacts(): ArtifactStore {
    return this.open().artifacts;
  }

  /** Results remembered under `_meta["hearth/idempotencyKey"]`. */
  get idempotency(): IdempotencyStore {
    return this.open().idempotency;
  }

  /**
   * Opens hearth.db (once) with the audit log, approvals, artifacts and keys on it. A database that
   * cannot open is an UNAVAILABLE error naming it, and the next use tries again.
   */
  open(): KernelStore {
    if (this.store) return this.store;
    if (this.closed)
      throw new HearthError('UNAVAILABLE', `the ${this.server} server is closed`, 'The server is shutting down; start it again.');
    const { home } = this.config;
    let db: Db;
    try {
      db = openKernelDb(home);
    } catch (error) {
      if (isHearthError(error)) throw error;
      throw new HearthError(
        'UNAVAILABLE',
        `the Hearth database in ${home} could not be opened: ${describeError(error)}`,
        'Check that the Hearth home folder (HEARTH_HOME) exists and is writable, then call the tool again.',
        { cause: error },
      );
    }
    this.store = {
      db,
      audit: new AuditLog(db),
      approvals: new ApprovalQueue(db, this.approvalTtlSeconds),
      artifacts: new ArtifactStore(db, home, this.server),
      idempotency: new IdempotencyStore(db, this.server),
    };
    return this.store;
  }

  close(): void {
    this.closed = true;
    this.policyWatch?.close();
    this.store?.db.close();
    this.closeLogger();
  }
}
