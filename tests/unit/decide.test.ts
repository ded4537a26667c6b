// The mode table, row by row: effect × mode × dry-run × whether the client can ask its person.
import { describe, expect, it } from 'vitest';

import { type CallDecision, decide } from '../../policies/decide.js';
import { MODES } from '../../policies/modes.js';

const RUN: CallDecision = { kind: 'run' };
const DRY: CallDecision = { kind: 'preview', reason: 'dry-run' };
const OBSERVE: CallDecision = { kind: 'preview', reason: 'observe' };
const ASK: CallDecision = { kind: 'ask' };
const QUEUE: CallDecision = { kind: 'approval-queue' };

// mode, dry-run, can ask → decision, for a write and an external tool alike.
const CHANGING: [(typeof MODES)[number], boolean, boolean, CallDecision][] = [
  ['observe', false, false, OBSERVE],
  ['observe', false, true, OBSERVE],
  ['observe', true, false, DRY],
  ['observe', true, true, DRY],
  ['draft', false, false, QUEUE],
  ['draft', false, true, ASK],
  ['draft', true, false, DRY],
  ['draft', true, true, DRY],
  ['autopilot', false, false, RUN],
  ['autopilot', false, true, RUN],
  ['autopilot', true, false, DRY],
  ['autopilot', true, true, DRY],
];

describe('decide', () => {
  it.each(CHANGING)('a write tool in %s mode, dry-run %s, can ask %s', (mode, dryRun, canElicit, expected) => {
    expect(decide({ effect: 'write', mode, dryRun, canElicit })).toEqual(expected);
  });

  it.each(CHANGING)('an external tool in %s mode, dry-run %s, can ask %s', (mode, dryRun, canElicit, expected) => {
    expect(decide({ effect: 'external', mode, dryRun, canElicit })).toEqual(expected);
  });

  it('runs a draft call a plan grant covers, naming the approval; observe and dry-run still only preview', () => {
    const granted = 'apr_plan';
    expect(decide({ effect: 'write', mode: 'draft', dryRun: false, canElicit: true, granted })).toEqual({
      kind: 'run-granted',
      approval: granted,
    });
    expect(decide({ effect: 'external', mode: 'draft', dryRun: false, canElicit: false, granted, standing: 'x' })).toEqual({
      kind: 'run-granted',
      approval: granted,
    });
    expect(decide({ effect: 'write', mode: 'draft', dryRun: true, canElicit: false, granted })).toEqual(DRY);
    expect(decide({ effect: 'write', mode: 'observe', dryRun: false, canElicit: false, granted })).toEqual(OBSERVE);
  });

  it('runs a draft call the policy already approves (a standing approval), and only then', () => {
    const standing = 'the policy’s llm limits';
    expect(decide({ effect: 'external', mode: 'draft', dryRun: false, canElicit: false, standing })).toEqual({
      kind: 'run-within-policy',
      reason: standing,
    });
    expect(decide({ effect: 'external', mode: 'draft', dryRun: false, canElicit: true, standing })).toEqual({
      kind: 'run-within-policy',
      reason: standing,
    });
    // A dry-run and observe mode still only preview; autopilot runs as it would anyway.
    expect(decide({ effect: 'external', mode: 'draft', dryRun: true, canElicit: false, standing })).toEqual(DRY);
    expect(decide({ effect: 'external', mode: 'observe', dryRun: false, canElicit: false, standing })).toEqual(OBSERVE);
    expect(decide({ effect: 'external', mode: 'autopilot', dryRun: false, canElicit: false, standing })).toEqual(RUN);
  });

  it('runs a draft call whose preview shows no change without asking, and only in draft mode', () => {
    const unchanged = { effect: 'write' as const, dryRun: false, changesNothing: true };
    expect(decide({ ...unchanged, mode: 'draft', canElicit: false })).toEqual({ kind: 'run-unchanged' });
    expect(decide({ ...unchanged, mode: 'draft', canElicit: true })).toEqual({ kind: 'run-unchanged' });
    // Nothing changes, but a dry-run and observe mode still only preview.
    expect(decide({ ...unchanged, mode: 'draft', dryRun: true, canElicit: false })).toEqual(DRY);
    expect(decide({ ...unchanged, mode: 'observe', canElicit: false })).toEqual(OBSERVE);
    expect(decide({ ...unchanged, mode: 'draft', canElicit: false, changesNothing: false })).toEqual(QUEUE);
  });

  it('runs a read tool in every mode, dry-run or not, whether or not the client can ask', () => {
    for (const mode of MODES)
      for (const dryRun of [false, true])
        for (const canElicit of [false, true]) expect(decide({ effect: 'read', mode, dryRun, canElicit })).toEqual(RUN);
  });
});
