/** The benchmark baseline: two Web Workers ping-pong a string over a MessageChannel (ms per round trip). */
import EchoWorker from './echo.worker.ts?worker';

export async function rawBrowserPingPong(n: number, payloadBytes: number): Promise<number> {
  const echo = new EchoWorker();
  const pinger = new EchoWorker();
  const { port1, port2 } = new MessageChannel();
  echo.postMessage({ role: 'echo', port: port2 }, [port2]);
  const result = new Promise<number>((resolve) => {
    pinger.onmessage = (ev: MessageEvent<number>) => resolve(ev.data);
  });
  pinger.postMessage({ role: 'ping', port: port1, n, payload: 'x'.repeat(payloadBytes) }, [port1]);
  const ms = await result;
  echo.terminate();
  pinger.terminate();
  return ms;
}
