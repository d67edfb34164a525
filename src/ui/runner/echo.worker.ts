/// <reference lib="webworker" />
// Benchmark baseline worker: echoes, or pings `warm` untimed and then n timed times and reports ms per round trip.
self.onmessage = (ev: MessageEvent<{ role: 'echo' | 'ping'; port: MessagePort; n?: number; warm?: number; payload?: string }>) => {
  const { role, port, n = 0, warm = 0, payload } = ev.data;
  if (role === 'echo') {
    port.onmessage = (m) => port.postMessage(m.data);
    return;
  }
  let i = 0;
  let t0 = performance.now();
  port.onmessage = () => {
    i += 1;
    if (i === warm) t0 = performance.now();
    if (i === warm + n) (self as unknown as Worker).postMessage((performance.now() - t0) / n);
    else port.postMessage(payload);
  };
  port.postMessage(payload);
};
