/** The benchmark baseline: two Web Workers ping-pong a string over a MessageChannel (ms per round trip). */
import EchoWorker from './echo.worker.ts?worker';
import { timedPingPong } from './ping_pong';

/** Untimed round trips first, so the echo worker's start is not in the figure. */
const WARM_ROUND_TRIPS = 200;

export async function rawBrowserPingPong(n: number, payloadBytes: number): Promise<number> {
  const echo = new EchoWorker();
  const pinger = new EchoWorker();
  const { port1, port2 } = new MessageChannel();
  echo.postMessage({ role: 'echo', port: port2 }, [port2]);
  const result = new Promise<number>((resolve) => {
    pinger.onmessage = (ev: MessageEvent<number>) => resolve(ev.data);
  });
  pinger.postMessage({ role: 'ping', port: port1, n, warm: WARM_ROUND_TRIPS, payload: 'x'.repeat(payloadBytes) }, [port1]);
  const ms = await result;
  echo.terminate();
  pinger.terminate();
  return ms;
}

/** The page thread (where the broker runs) ping-pongs one Web Worker: the hop a bus call takes four times. */
export async function rawPageToWorker(n: number, payloadBytes: number): Promise<number> {
  const echo = new EchoWorker();
  const { port1, port2 } = new MessageChannel();
  echo.postMessage({ role: 'echo', port: port2 }, [port2]);
  const ms = await timedPingPong(port1, n, WARM_ROUND_TRIPS, 'x'.repeat(payloadBytes));
  port1.close();
  echo.terminate();
  return ms;
}
