/*
 * One chat WebSocket that keeps itself honest: the visitor widget's and the duty console's.
 *
 * Theory of operation
 *
 * - The owner decides what to send and whether to come back after a drop; this module opens
 *   the socket, parses frames, reconnects with backoff when asked, and re-sends lines that want
 *   an ack with the same ids (the server stores each id once, so a re-send is always safe).
 * - A socket can look open and still be deaf: the server gets our frames, its answers never come
 *   back (a NAT or proxy that dropped one direction, a phone waking from sleep). Browsers do not
 *   surface WebSocket pings, so whatever was sent that wants an answer (a line's `ack`, the
 *   answer to the first frame, ...) is owed within the ack timeout, and after a silence of
 *   PROBE_AFTER_SILENCE times as long a `ping` goes out that any frame answers. Unanswered: the
 *   socket is closed here and the owner hears of it as of any drop (code 1006).
 * - No DOM: the WebSocket constructor, the timers and the online check are arguments (defaults:
 *   the browser's), so Node runs it against a fake socket in tests/widget.
 */

export const BACKOFF_START_MS = 500;
export const BACKOFF_CAP_MS = 15000;
// A socket that leaves what we sent unanswered this long is deaf (it still looks open): close it
// and resume. The one place this timeout is set; data-ack-timeout-ms on the widget's script tag
// overrides it (tests), and the liveness probe goes out after PROBE_AFTER_SILENCE times as much
// silence.
export const ACK_TIMEOUT_MS = 15000;
export const PROBE_AFTER_SILENCE = 2;

const OPEN = 1; // WebSocket.OPEN

/**
 * Reconnect delay with "full jitter": random in [0, min(cap, start · 2^attempt)]. The jitter
 * spreads out a whole page of visitors that lost the server at the same moment (a restart), so
 * they do not all come back in the same instant.
 */
export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** data-ack-timeout-ms from the script tag: whole milliseconds in [100, 600000], else the default. */
export function ackTimeoutFrom(value) {
  const ms = Number(value);
  return value && Number.isInteger(ms) && ms >= 100 && ms <= 600000 ? ms : ACK_TIMEOUT_MS;
}

/** A client message id. randomUUID exists only in secure contexts; an http:// page has not. */
export function newClientId(cryptoApi = globalThis.crypto) {
  if (typeof cryptoApi.randomUUID === 'function') return cryptoApi.randomUUID();
  const bytes = cryptoApi.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)]
    .join('-');
}

/**
 * What the current socket owes us an answer to, and since when (ms): `message:<id>` (its ack),
 * `ready` (the answer to the first frame), `end`, `feedback`, `ping` (any frame). The deadline is
 * the oldest of them plus the timeout; once it passes unanswered the socket is deaf.
 */
export class AnswerWatch {
  constructor() {
    this.owed = new Map();
  }

  /** Asked now (again: a re-send restarts the clock). */
  owe(key, now) {
    this.owed.delete(key);
    this.owed.set(key, now);
  }

  settle(key) {
    this.owed.delete(key);
  }

  settleAll(prefix) {
    for (const key of [...this.owed.keys()]) if (key.startsWith(prefix)) this.owed.delete(key);
  }

  clear() {
    this.owed.clear();
  }

  get size() {
    return this.owed.size;
  }

  /** When the oldest question goes unanswered for `timeout`, or null when nothing is owed. */
  deadline(timeout) {
    return this.owed.size === 0 ? null : Math.min(...this.owed.values()) + timeout;
  }
}

/**
 * The socket, its backoff and its deaf check. Handlers: onOpen() (send the first frame),
 * onFrame(frame) (every frame but `pong`), onClose(code, owed) (dropped by the server, the
 * network or the deaf check; `owed` holds the keys still unanswered then). Not called after
 * disconnect(). The owner calls markReady() once the server has answered its first frame.
 */
export class Connection {
  constructor(url, handlers, options = {}) {
    this.url = url;
    this.handlers = handlers;
    this.ackTimeout = options.ackTimeoutMs ?? ACK_TIMEOUT_MS;
    this.Socket = options.WebSocket ?? globalThis.WebSocket;
    this.timers = options.timers ?? globalThis;
    this.now = options.now ?? Date.now;
    this.isOnline = options.isOnline ?? (() => true);
    this.random = options.random ?? Math.random;
    this.wanted = options.wanted ?? (() => true); // still worth reconnecting when the delay is up
    this.name = options.name ?? 'neuvo-chat'; // the prefix of its console lines
    this.socket = null; // { ws } for the current attempt, null between attempts
    this.ready = false; // the server has answered the first frame on the current socket
    this.attempt = 0;
    this.inFlight = []; // ids sent on this socket, oldest first, not yet acked
    this.watch = new AnswerWatch();
    this.pingsOut = 0; // probes sent on this socket and not answered by `pong` / unknown_type
    this.timer = { reconnect: null, deaf: null, idle: null };
  }

  /** A socket is open or opening. */
  get active() {
    return this.socket !== null;
  }

  connect() {
    this.clearTimer('reconnect');
    if (this.socket) return;
    this.ready = false;
    this.inFlight = [];
    this.stopWatching();
    const socket = { ws: null };
    this.socket = socket;
    try {
      socket.ws = new this.Socket(this.url);
    } catch (error) {
      // A host page's CSP may refuse the URL outright: treat it as a dropped connection.
      console.warn(`${this.name}: cannot open the chat connection`, error);
      this.timers.setTimeout(() => {
        if (this.socket === socket) this.dropped(1006);
      }, 0);
    }
    const { ws } = socket;
    if (ws) {
      ws.addEventListener('open', () => {
        if (this.socket === socket) this.handlers.onOpen();
      });
      ws.addEventListener('message', (event) => {
        if (this.socket === socket) this.receive(event.data); // nothing from a socket we closed
      });
      ws.addEventListener('close', (event) => {
        if (this.socket === socket) this.dropped(event.code);
      });
    }
    this.owe('ready'); // the handshake and the answer to the first frame, within the ack timeout
  }

  send(frame) {
    const ws = this.socket?.ws;
    if (!ws || ws.readyState !== OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  /** Close on purpose: no onClose follows, nothing reconnects. */
  disconnect() {
    this.closeSocket();
    this.ready = false;
    this.stopWatching();
    this.clearTimer('reconnect');
  }

  /**
   * The server has answered the first frame (after replaying what we missed). Returns whether
   * this socket was not ready before: only then should the owner re-send its outbox.
   */
  markReady() {
    if (this.ready) return false;
    this.ready = true;
    this.attempt = 0;
    this.settle('ready');
    this.restartIdle();
    return true;
  }

  /**
   * Come back after the backoff delay. Returns what to tell the person: 'reconnecting', 'offline'
   * (the browser says so; its `online` event should call reconnectNow()), or null when a socket
   * or a reconnect is already under way.
   */
  scheduleReconnect() {
    if (this.timer.reconnect || this.socket) return null;
    if (this.isOnline() === false) return 'offline';
    const delay = backoffDelay(this.attempt, this.random);
    this.attempt += 1;
    this.timer.reconnect = this.timers.setTimeout(() => {
      this.timer.reconnect = null;
      if (this.wanted()) this.connect();
    }, delay);
    return 'reconnecting';
  }

  /** The network is back: no waiting for the backoff. */
  reconnectNow() {
    this.attempt = 0;
    this.connect();
  }

  // -- lines that want an ack ----------------------------------------------------------------

  /** Send a frame whose `id` the server acks; returns whether it went out on this socket. */
  transmit(frame) {
    if (!this.send(frame)) return false;
    this.inFlight.push(frame.id);
    this.owe(`message:${frame.id}`);
    return true;
  }

  /** Send every frame of an outbox again, with the same ids: the server dedupes by id. */
  resend(frames) {
    this.inFlight = [];
    for (const frame of frames) this.transmit(frame);
  }

  acked(id) {
    this.inFlight = this.inFlight.filter((other) => other !== id);
    this.settle(`message:${id}`);
  }

  /** The id of the oldest line still waiting for its ack, taken off the list (or undefined). */
  takeOldestInFlight() {
    return this.inFlight.shift();
  }

  // -- a socket that looks open but is deaf --------------------------------------------------

  /** The current socket now owes an answer to `key`; the watchdog runs to the oldest one. */
  owe(key) {
    this.watch.owe(key, this.now());
    this.armWatchdog();
  }

  owes(key) {
    return this.watch.owed.has(key);
  }

  settle(key) {
    this.watch.settle(key);
    this.armWatchdog();
  }

  settleAll(prefix) {
    this.watch.settleAll(prefix);
    this.armWatchdog();
  }

  /**
   * The liveness check: Neuvo answers `ping` with `pong`; any frame counts, and so does the
   * `unknown_type` error a server without `ping` would give. Only when nothing else is owed
   * (that is watched already). Also for the owner to call when the page becomes visible again
   * or the browser is back online: the old socket may be gone without a word.
   */
  probe() {
    this.clearTimer('idle');
    if (!this.ready || this.watch.size > 0) return;
    if (this.send({ type: 'ping' })) {
      this.pingsOut += 1;
      this.owe('ping');
    }
  }

  armWatchdog() {
    this.clearTimer('deaf');
    const deadline = this.watch.deadline(this.ackTimeout);
    if (deadline === null || !this.socket) return;
    this.timer.deaf = this.timers.setTimeout(() => this.onDeaf(),
      Math.max(0, deadline - this.now()));
  }

  /**
   * Nothing came back in time. Close the socket ourselves and treat it as any drop; the owner
   * reconnects and the outbox goes again with the same ids.
   */
  onDeaf() {
    this.timer.deaf = null;
    const deadline = this.watch.deadline(this.ackTimeout);
    if (deadline === null) return;
    if (this.now() < deadline) {
      this.armWatchdog(); // a timer that fired early (clock adjusted): wait the rest
      return;
    }
    console.warn(`${this.name}: no answer in ${this.ackTimeout} ms; reconnecting`);
    this.closeSocket(); // on purpose, so no close event: dropped() is called here instead
    this.dropped(1006);
  }

  /** Silence is fine, silence for too long is suspicious: ask (any frame is the answer). */
  restartIdle() {
    this.clearTimer('idle');
    if (!this.ready) return;
    this.timer.idle = this.timers.setTimeout(() => this.probe(),
      PROBE_AFTER_SILENCE * this.ackTimeout);
  }

  // -- inside ----------------------------------------------------------------------------------

  receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      console.warn(`${this.name}: ignored a frame that is not JSON`);
      return;
    }
    if (!frame || typeof frame.type !== 'string') return;
    this.settle('ping'); // any frame at all: the socket hears us and we hear it
    this.restartIdle();
    if (frame.type === 'pong' || (frame.type === 'error' && frame.code === 'unknown_type'
      && this.pingsOut > 0)) {
      this.pingsOut = Math.max(0, this.pingsOut - 1); // an older server answers a ping so
      return;
    }
    this.handlers.onFrame(frame);
  }

  dropped(code) {
    this.socket = null;
    this.ready = false;
    const owed = new Set(this.watch.owed.keys());
    this.stopWatching();
    this.handlers.onClose(code, owed);
  }

  closeSocket() {
    const ws = this.socket?.ws;
    this.socket = null;
    if (ws) ws.close(1000);
  }

  stopWatching() {
    this.watch.clear();
    this.pingsOut = 0;
    this.clearTimer('deaf');
    this.clearTimer('idle');
  }

  clearTimer(name) {
    this.timers.clearTimeout(this.timer[name]);
    this.timer[name] = null;
  }
}
