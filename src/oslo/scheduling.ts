/**
 * Resolve after every pending microtask has run: a handler that is not
 * waiting for another message has then finished or is blocked on a reply.
 * Uses setImmediate where the platform has it (Node), a MessageChannel in
 * browsers (setTimeout(0) may be clamped), and setTimeout otherwise.
 */
export function nextMacrotask(): Promise<void> {
  const g = globalThis as unknown as { setImmediate?: (cb: () => void) => void };
  if (typeof g.setImmediate === 'function') return new Promise((r) => g.setImmediate!(r));
  if (typeof MessageChannel !== 'undefined') {
    return new Promise((r) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        r();
      };
      ch.port2.postMessage(null);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}
