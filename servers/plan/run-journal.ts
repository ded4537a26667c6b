// The step boundaries of one driven run, written to the plan database. The finish of a step that can
// safely be called again (a read, or a keyed call to a server that deduplicates by key) is not
// committed on its own: it is held and rides in the transaction of the run's next boundary — usually
// the next step's start, which is always written before the next call is sent — or is flushed when
// the run stops going forward. A kill in between leaves that step "calling"; the resumed run calls it
// again under the same key and its server answers with the recorded result, so nothing happens twice,
// and a cheap step costs one transaction instead of three. A step that cannot be called again is
// finished in its own transaction, as before.
import type { PlanStore, StepChange, StepEvent } from './store.js';

export class RunJournal {
  private held: { event: StepEvent; after: () => void } | undefined;

  constructor(
    private readonly store: PlanStore,
    private readonly runId: string,
  ) {}

  /** Records one boundary of a step (with a held finish before it), in one transaction. */
  step(stepId: string, event: string, change: StepChange, detail?: unknown): void {
    this.write([{ stepId, event, change, detail }]);
  }

  /** Records boundaries in order (with a held finish before them), in one transaction. */
  write(events: readonly StepEvent[]): void {
    const held = this.held;
    this.held = undefined;
    if (!held && events.length === 0) return;
    this.store.stepEvents(this.runId, held ? [held.event, ...events] : events);
    held?.after();
  }

  /**
   * Records a step's start (with a held finish before it) unless the run was asked to stop, read in
   * the same transaction; false when it stopped (the held finish is recorded either way).
   */
  start(events: readonly StepEvent[]): boolean {
    const held = this.held;
    this.held = undefined;
    const started = this.store.stepEventsUnlessCancelled(this.runId, held ? [held.event] : [], events);
    held?.after();
    return started;
  }

  /** Holds a repeatable step's finish for the next write; `after` runs once it is committed. */
  hold(event: StepEvent, after: () => void): void {
    this.flush();
    this.held = { event, after };
  }

  /** Commits a held finish now. */
  flush(): void {
    this.write([]);
  }
}
