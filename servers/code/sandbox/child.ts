// The sandbox process: hosts slots (isolates) for the server over Node IPC. It is spawned under
// the Node permission model (file writes only inside the workspaces folder, no child processes),
// with an empty environment; network access goes back to the server, which checks the policy.
// If code inside an isolate brings this process down, only this process dies.
import { describeError } from '../../../lib/errors.js';
import { HELPERS_BUNDLE } from '../helpers/bundle.generated.js';
import type { ChildMessage, FetchResponse, ParentMessage } from './protocol.js';
import { Slot, type SlotHost } from './slot.js';

const slots = new Map<string, Slot>();
const fetches = new Map<string, (ok: boolean, value: FetchResponse | string) => void>();

function send(message: ChildMessage): void {
  if (process.connected) process.send?.(message);
}

const host: SlotHost = {
  fetch(op, request, deadline, done) {
    fetches.set(op, done);
    send({ type: 'fetch', op, request, deadline });
  },
  cancelFetch(op) {
    if (fetches.delete(op)) send({ type: 'cancel-fetch', op });
  },
  helpersSource: () => HELPERS_BUNDLE,
};

function slotOf(id: string): Slot {
  const slot = slots.get(id);
  if (!slot) throw new Error(`no slot ${id}`);
  return slot;
}

async function handle(message: ParentMessage): Promise<unknown> {
  switch (message.type) {
    case 'create': {
      slots.get(message.slot)?.dispose();
      slots.set(message.slot, await Slot.create(message.slot, message.options, host));
      return true;
    }
    case 'run':
      return slotOf(message.slot).run(message.code, message.limits);
    case 'test':
      return slotOf(message.slot).test(message.source, message.kind, message.tests, message.limits);
    case 'dispose':
      slots.get(message.slot)?.dispose();
      slots.delete(message.slot);
      return true;
    case 'fetched':
    case 'cancel':
      return undefined;
  }
}

process.on('message', (raw: unknown) => {
  const message = raw as ParentMessage;
  if (message.type === 'cancel') {
    slots.get(message.slot)?.cancel();
    return;
  }
  if (message.type === 'fetched') {
    const done = fetches.get(message.op);
    fetches.delete(message.op);
    done?.(message.ok, message.ok ? message.response : message.error);
    return;
  }
  handle(message).then(
    (value) => send({ type: 'reply', id: message.id, ok: true, value }),
    (error: unknown) => send({ type: 'reply', id: message.id, ok: false, error: describeError(error) }),
  );
});

process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
