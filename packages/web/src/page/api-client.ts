import type { LiveEventName, LiveEvents } from '../api/live-events.js';
import type { StatusDocument } from '../api/status-document.js';
import { SseParser } from './sse-parser.js';

const TOKEN_KEY = 'certkeeper.token';

export type LiveHandler = <K extends LiveEventName>(name: K, data: LiveEvents[K]) => void;
export type Connection = 'connecting' | 'live' | 'offline' | 'unauthorized';

/**
 * The page's side of the JSON API. A token (when the daemon needs one) is kept in sessionStorage: it lives as long
 * as the tab, and only this origin's script — no inline script, no other origin, by the page's CSP — can read it.
 */
export class ApiClient {
  private token: string | undefined = sessionStorage.getItem(TOKEN_KEY) ?? undefined;

  setToken(token: string): void {
    this.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
  }

  forgetToken(): void {
    this.token = undefined;
    sessionStorage.removeItem(TOKEN_KEY);
  }

  async status(): Promise<StatusDocument | 'unauthorized'> {
    const response = await fetch('/api/status', { headers: this.headers(), cache: 'no-cache' });
    if (response.status === 401) return 'unauthorized';
    if (!response.ok) throw new Error(`/api/status answered ${response.status}`);
    const text = await response.text();
    performance.mark('certkeeper:status-downloaded');
    return JSON.parse(text) as StatusDocument;
  }

  /** Follow /api/events until `signal` aborts, reconnecting after a drop (the server says how soon). */
  async follow(onEvent: LiveHandler, onConnection: (state: Connection) => void, signal: AbortSignal) {
    let retryMs = 3000;
    while (!signal.aborted) {
      onConnection('connecting');
      try {
        const response = await fetch('/api/events', { headers: this.headers(), signal });
        if (response.status === 401) {
          onConnection('unauthorized');
          return;
        }
        if (!response.ok || !response.body) throw new Error(`/api/events answered ${response.status}`);
        onConnection('live');
        const parser = new SseParser();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const event of parser.push(value)) {
            if (event.retry !== undefined) retryMs = event.retry;
            if (event.data) onEvent(event.event as LiveEventName, JSON.parse(event.data));
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      onConnection('offline');
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }

  private headers(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }
}
