/// <reference lib="webworker" />
import { timedPingPong } from './ping_pong';
// Benchmark baseline worker: echoes, or pings `warm` untimed and then n timed times and reports ms per round trip.
self.onmessage = (ev: MessageEvent<{ role: 'echo' | 'ping'; port: MessagePort; n?: number; warm?: number; payload?: string }>) => {
  const { role, port, n = 0, warm = 0, payload } = ev.data;
  if (role === 'echo') {
    port.onmessage = (m) => port.postMessage(m.data);
    return;
  }
  void timedPingPong(port, n, warm, payload ?? '').then((ms) => (self as unknown as Worker).postMessage(ms));
};
