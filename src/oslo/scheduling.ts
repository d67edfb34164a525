/**
 * Resolve after every pending microtask has run: a handler that is not
 * waiting for another message has then finished or is blocked on a reply.
 * Uses setImmediate where the platform has it (Node), one reused
 * MessageChannel in browsers (setTimeout(0) may be clamped, and a new
 * channel per call costs more than the wait), and setTimeout otherwise.
 */
let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

export function nextMacrotask(): Promise<void> {
  const g = globalThis as unknown as { setImmediate?: (cb: () => void) => void };
  if (typeof g.setImmediate === 'function') return new Promise((r) => g.setImmediate!(r));
  if (typeof MessageChannel !== 'undefined') {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    const ch = channel;
    return new Promise((r) => {
      waiting.push(r);
      ch.port2.postMessage(null);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}
