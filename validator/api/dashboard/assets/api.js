// The validator API from the page: the key, REST calls and the events socket.
//
// The key lives in sessionStorage (this tab only, gone when it closes). Fetches send it as
// `Authorization: Bearer`; the events socket, which a browser cannot give that header, offers it as the
// subprotocol `bearer.<key>` next to `tensornet.v1` (the server selects `tensornet.v1`). A link may carry
// the key in its fragment (`/dashboard#key=…`): fragments never reach a server, and the page removes it
// from the address bar at once.

const STORAGE = 'tensornet.apiKey';
export const EVENTS_PROTOCOL = 'tensornet.v1';

export class ApiFailure extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Moves a `#key=…` fragment into sessionStorage and out of the URL. */
export function takeKeyFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const key = params.get('key');
  if (key === null) return;
  if (key !== '') sessionStorage.setItem(STORAGE, key);
  history.replaceState(null, '', location.pathname + location.search);
}

export const storedKey = () => sessionStorage.getItem(STORAGE);
export const storeKey = (key) => sessionStorage.setItem(STORAGE, key);
export const forgetKey = () => sessionStorage.removeItem(STORAGE);

/** A URL of the API, relative to the page (so the page works behind a proxy that mounts the API under a prefix). */
export const apiUrl = (path) => new URL(path, document.baseURI);

async function call(path, init = {}) {
  const key = storedKey();
  const headers = { ...(init.headers ?? {}), ...(key === null ? {} : { authorization: `Bearer ${key}` }) };
  let res;
  try {
    res = await fetch(apiUrl(path), { ...init, headers, cache: 'no-store' });
  } catch (err) {
    throw new ApiFailure(0, 'Unreachable', `the validator API did not answer (${err.message})`);
  }
  const text = await res.text();
  let body = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    throw new ApiFailure(res.status, 'InvalidJson', `${path}: the answer is not JSON`);
  }
  if (!res.ok) throw new ApiFailure(res.status, body?.error?.code ?? 'HttpError', body?.error?.message ?? `${path}: HTTP ${res.status}`);
  return body;
}

export const apiGet = (path) => call(path);
export const apiPost = (path, body) => call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * Subscribes to `/v1/events`; reconnects with backoff (1 s doubling to 30 s) until `close()`.
 * `onState('open' | 'closed')` reports the connection; `onMessage(event)` each parsed event.
 */
export function openEvents(onMessage, onState) {
  let socket = null;
  let closed = false;
  let delay = 1000;
  let timer = null;
  const connect = () => {
    const url = apiUrl('v1/events');
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(url, [EVENTS_PROTOCOL, `bearer.${storedKey() ?? ''}`]);
    socket.onopen = () => {
      delay = 1000;
      onState('open');
    };
    socket.onmessage = (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      onMessage(event);
    };
    socket.onclose = () => {
      onState('closed');
      if (closed) return;
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30_000);
    };
  };
  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
