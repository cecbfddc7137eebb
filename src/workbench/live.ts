// The live feed: GET /_sim/live read with fetch (EventSource cannot send the Bearer key), parsed as
// Server-Sent Events. Reconnects with a growing pause; stops when the key changes or the tab closes.
import { CLIENT_HEADER, CLIENT_NAME, storedKey } from './api.js';

export type LiveState = 'connecting' | 'live' | 'offline';
export interface LiveMessage {
  event: string;
  data: any;
}

export function connectLive(onMessage: (m: LiveMessage) => void, onState: (s: LiveState, detail?: string) => void): () => void {
  const controller = new AbortController();
  let pause = 1000;
  const run = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      onState('connecting');
      try {
        const res = await fetch('/_sim/live', { headers: { Authorization: `Bearer ${storedKey() ?? ''}`, [CLIENT_HEADER]: CLIENT_NAME }, signal: controller.signal });
        if (!res.ok || !res.body) {
          const body = await res.json().catch(() => undefined);
          onState('offline', body?.error?.message ?? `HTTP ${res.status}`);
        } else {
          pause = 1000;
          await readEvents(res.body, (m) => {
            if (m.event === 'ready') onState('live');
            onMessage(m);
          });
          onState('offline');
        }
      } catch (e) {
        if (controller.signal.aborted) return;
        onState('offline', (e as Error).message);
      }
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 15_000);
    }
  };
  void run();
  return () => controller.abort();
}

/** Splits the byte stream into SSE messages (`event:` and `data:` lines, a blank line ends one). */
export async function readEvents(body: ReadableStream<Uint8Array>, onMessage: (m: LiveMessage) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length === 0) continue;
      try {
        onMessage({ event, data: JSON.parse(data.join('\n')) });
      } catch {
        // A message that is not JSON is not ours to act on.
      }
    }
  }
}
