/**
 * The benchmark's raw round trip, on whichever thread holds `port`: `warm`
 * untimed round trips (the echo may still be starting), then `n` timed
 * ones; resolves with ms per round trip.
 */
export function timedPingPong(port: MessagePort, n: number, warm: number, payload: string): Promise<number> {
  return new Promise((resolve) => {
    let i = 0;
    let t0 = performance.now();
    port.onmessage = () => {
      i += 1;
      if (i === warm) t0 = performance.now();
      if (i === warm + n) resolve((performance.now() - t0) / n);
      else port.postMessage(payload);
    };
    port.postMessage(payload);
  });
}
