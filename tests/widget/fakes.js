// Recording doubles for the widget's DOM-free modules: a manual clock with timers, a WebSocket
// the test opens, feeds and drops, a server API and a sessionStorage record.

/** now() and setTimeout/clearTimeout that fire only when the test moves the clock. */
export class ManualTimers {
  constructor(start = Date.UTC(2026, 10, 24, 8, 0)) {
    this.time = start;
    this.pending = new Map(); // id → { at, callback }
    this.nextId = 1;
    this.now = () => this.time;
    this.setTimeout = (callback, ms = 0) => {
      const id = this.nextId++;
      this.pending.set(id, { at: this.time + Math.max(0, ms), callback });
      return id;
    };
    this.clearTimeout = (id) => {
      this.pending.delete(id);
    };
  }

  /** Move the clock, firing every timer due on the way, in time order. */
  advance(ms) {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, timer]) => timer.at <= end)
        .sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      const [id, timer] = due;
      this.pending.delete(id);
      this.time = Math.max(this.time, timer.at);
      timer.callback();
    }
    this.time = end;
  }
}

/** A WebSocket the test drives. FakeSocket.made lists every one opened, oldest first. */
export class FakeSocket {
  static made = [];

  static reset() {
    FakeSocket.made = [];
  }

  static get last() {
    return FakeSocket.made[FakeSocket.made.length - 1];
  }

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closedWith = null;
    this.listeners = { open: [], message: [], close: [] };
    FakeSocket.made.push(this);
  }

  addEventListener(type, listener) {
    this.listeners[type].push(listener);
  }

  send(data) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data));
  }

  /** Closed by the client (no close event reaches it in these tests: it stopped listening). */
  close(code) {
    this.readyState = 3;
    this.closedWith = code;
  }

  // -- the test's side ----------------------------------------------------------------------

  accept() {
    this.readyState = 1;
    for (const listener of this.listeners.open) listener({});
  }

  receive(frame) {
    const data = typeof frame === 'string' ? frame : JSON.stringify(frame);
    for (const listener of this.listeners.message) listener({ data });
  }

  /** The server or the network ends it. */
  drop(code = 1006) {
    this.readyState = 3;
    for (const listener of this.listeners.close) listener({ code });
  }

  types() {
    return this.sent.map((frame) => frame.type);
  }
}

export const SERVICE = {
  accepting: true,
  open: true,
  topics: [{ id: 'work', label: { fi: 'Työ', en: 'Work' } },
    { id: 'study', label: { fi: 'Opiskelu', en: 'Study' } }],
  languages: ['fi', 'sv', 'en'],
  queue_length: 0,
  max_length: 2000,
};

export function fakeApi(service = SERVICE) {
  return {
    socketUrl: 'ws://chat.test/ws/visitor',
    served: 0,
    offline: [],
    async service() {
      this.served += 1;
      return structuredClone(service);
    },
    async sendOfflineMessage(body) {
      this.offline.push(body);
      return { ok: true, status: 201, message: null };
    },
  };
}

/** SessionStore's shape over one record kept in memory. */
export function memoryStore(record = {}) {
  return {
    record: structuredClone(record),
    load() {
      return structuredClone(this.record);
    },
    save(next) {
      this.record = structuredClone({ version: 1, ...next });
    },
    clear() {
      this.record = null;
    },
  };
}

/** Let pending promise callbacks (the fake API's answers) run. */
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Run fn with console.warn silenced (the modules warn on purpose in some tests). */
export function quietly(fn) {
  const warn = console.warn;
  const warnings = [];
  console.warn = (...args) => warnings.push(args.join(' '));
  try {
    fn();
  } finally {
    console.warn = warn;
  }
  return warnings;
}
