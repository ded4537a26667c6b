// What a run shows while it works. Two faces share this interface: the terminal (clack prompts and
// spinners) and JSON lines (scripts, no terminal). Everything a model or a page supplied reaches
// either one only made inert (lib/terminal-text.ts): the terminal view
// itself, JSON lines through the CLI's output, which makes every line inert.
import type { ToolCall, ToolOutcome } from './loop.js';
import type { PlanStep } from './plan-driver.js';

export interface RunInfo {
  runId: string;
  task: string;
  mode: string;
  servers: string[];
  limits: { rounds: number; tokens: number; usd: number };
}

export interface ApprovalRequest {
  server: string;
  tool: string;
  /** The server's question with its preview (field → value, diff, code), as sent; hostile until made inert. */
  message: string;
}

export type ApprovalDecision = { approve: true; by: string } | { approve: false; by: string; reason: string };

export interface RunSummary {
  runId: string;
  outcome: string;
  reason: string;
  answer: string;
  rounds: number;
  calls: number;
  failedCalls: number;
  approvals: { asked: number; approved: number; denied: number };
  tokens: number;
  usd: string;
  seconds: number;
  scripted: boolean;
  models: string[];
  saved: string;
  logged: string;
}

export interface RunView {
  start(info: RunInfo): void;
  scripted(model: string): void;
  modelStart(round: number): void;
  modelText(text: string): void;
  modelEnd(round: number, line: string): void;
  toolStart(call: ToolCall, server: string): void;
  toolProgress(message: string, progress: number, total: number | undefined): void;
  toolEnd(call: ToolCall, outcome: ToolOutcome): void;
  /** `--plan`: the plan server's simulation report, before anything runs. */
  planReport(text: string): void;
  /** `--plan`: the live step list, each time a step changes state. */
  planSteps(steps: readonly PlanStep[], done: number, total: number): void;
  /** Puts an approval to the person; a view with no person declines and says why. */
  approve(request: ApprovalRequest): Promise<ApprovalDecision>;
  note(text: string): void;
  end(summary: RunSummary): void;
}
