/// <reference lib="webworker" />
// Benchmark baseline worker: echoes, or pings n times and reports ms per round trip.
self.onmessage = (ev: MessageEvent<{ role: 'echo' | 'ping'; port: MessagePort; n?: number; payload?: string }>) => {
  const { role, port, n = 0, payload } = ev.data;
  if (role === 'echo') {
    port.onmessage = (m) => port.postMessage(m.data);
    return;
  }
  let i = 0;
  const t0 = performance.now();
  port.onmessage = () => {
    i += 1;
    if (i === n) (self as unknown as Worker).postMessage((performance.now() - t0) / n);
    else port.postMessage(payload);
  };
  port.postMessage(payload);
};
