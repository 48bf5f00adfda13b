/*
 * Neuvo visitor widget.
 *
 * A participating organisation embeds it with one tag:
 *
 *     <script src="https://HOST/widget.js" defer></script>
 *
 * with optional data-lang="fi|sv|en" and data-topic="<topic id>" (and, for tests,
 * data-ack-timeout-ms: see ACK_TIMEOUT_MS).
 *
 * Theory of operation
 *
 * - A classic script with no build step. Everything lives inside the function below; the only
 *   thing it adds to the page is the custom element <neuvo-chat>, appended to <body>, whose OPEN
 *   shadow root (axe-core and assistive technology see into it) holds the launcher and the panel.
 *   Styles come from the server's widget.css and stay inside the shadow root.
 * - The server origin is taken from this script's own src, so the same file works embedded on any
 *   other origin. From the host page the widget reads only that tag and <html lang>.
 * - The server is the record (PROTOCOL.md). The widget keeps in sessionStorage just enough to pick
 *   a chat up again after a reload or a dropped network: chat id, token, the last seq it has seen,
 *   the lines it has shown, and an outbox of lines the server has not acknowledged yet. An outbox
 *   line keeps its client id across reconnects and the server dedupes by it, so re-sending is
 *   always safe: no line is lost and none is doubled.
 * - A socket can look open and still be deaf: the server gets our frames, its answers never come
 *   back (a NAT or proxy that dropped one direction). Browsers do not surface WebSocket pings, so
 *   the widget watches for itself: whatever it sent that wants an answer (a line's `ack`, the
 *   answer to start/resume, `ended`, `feedback_saved`) must be answered within ACK_TIMEOUT_MS, and
 *   after a silence it sends a `ping` that any frame answers. Unanswered: close, resume, re-send.
 * - The view is a small state machine. Each state has one render function that returns its node,
 *   the element to focus, and an update() that patches the live parts (queue position, new lines,
 *   typing) in place, so typed text and focus survive incoming frames.
 * - Every visible string comes from the catalogs in i18n/{fi,sv,en}.json; chat text is only ever
 *   set as text (textContent / Text nodes), never parsed as HTML.
 *
 * Sections: 1 pure helpers · 2 storage · 3 texts · 4 connection · 5 server · 6 DOM helpers ·
 *           7 views · 8 the element: state machine and frame handlers · 9 boot
 * Sections 1–3 touch no DOM: Node loads them for the unit tests in tests/widget.
 */
(() => {
  'use strict';

  // ---------------------------------------------------------------------------------------------
  // 1. Pure helpers
  // ---------------------------------------------------------------------------------------------

  const UI_LANGUAGES = ['fi', 'sv', 'en'];
  const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
  const BACKOFF_START_MS = 500;
  const BACKOFF_CAP_MS = 15000;
  const TYPING_EVERY_MS = 3000; // we send `typing` at most this often
  const TYPING_SHOWN_MS = 6000; // an advisor's `typing` stays on screen this long
  const RETRY_AFTER_ERROR_MS = 2000; // re-send the outbox after `unavailable` / `rate_limited`
  // A socket that leaves what we sent unanswered this long is deaf (it still looks open): close it
  // and resume. The one place this timeout is set; data-ack-timeout-ms on the script tag overrides
  // it (tests), and the liveness probe goes out after PROBE_AFTER_SILENCE times as much silence.
  const ACK_TIMEOUT_MS = 15000;
  const PROBE_AFTER_SILENCE = 2;
  const RESTORED_SHOWN_MS = 4000; // "Connection restored" stays this long
  const SERVICE_STALE_MS = 60000; // re-ask /api/service when the panel opens after this
  const DRAFT_SAVE_DELAY_MS = 300;
  const DEFAULT_MAX_LENGTH = 2000; // PROTOCOL.md's default, until /api/service tells
  const STORE_VERSION = 1;

  /** The first candidate whose primary subtag is a widget language ("sv-FI" → sv), else fi. */
  function pickLanguage(...candidates) {
    for (const candidate of candidates) {
      const primary = String(candidate || '').trim().toLowerCase().split(/[-_]/)[0];
      if (UI_LANGUAGES.includes(primary)) return primary;
    }
    return 'fi';
  }

  /**
   * Reconnect delay with "full jitter": random in [0, min(cap, start · 2^attempt)]. The jitter
   * spreads out a whole page of visitors that lost the server at the same moment (a restart), so
   * they do not all come back in the same instant.
   */
  function backoffDelay(attempt, random = Math.random) {
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * 2 ** attempt);
    return Math.floor(random() * ceiling);
  }

  /** Characters as the server counts them (code points, not UTF-16 units: an emoji is one). */
  function countChars(text) {
    return [...text].length;
  }

  /** A client message id. randomUUID exists only in secure contexts; an http:// page has not. */
  function newClientId(cryptoApi) {
    if (typeof cryptoApi.randomUUID === 'function') return cryptoApi.randomUUID();
    const bytes = cryptoApi.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)]
      .join('-');
  }

  /**
   * The visitor's side of one chat: the lines shown (each seq once, in seq order) and the outbox
   * of lines sent but not yet acknowledged. lastSeq is the highest seq of a server `message`
   * frame; an `ack` alone does not move it, so a resume still replays the server's own copy.
   */
  class ChatBook {
    constructor({ history = [], outbox = [], lastSeq = 0 } = {}) {
      this.history = [...history].sort((a, b) => a.seq - b.seq);
      this.outbox = [...outbox];
      this.lastSeq = lastSeq;
    }

    /** Take a server `message` frame. Returns whether anything on screen changes. */
    addMessage({ seq, from, text, at }) {
      this.lastSeq = Math.max(this.lastSeq, seq);
      const existing = this.history.find((line) => line.seq === seq);
      if (existing && existing.from === from && existing.text === text && existing.at === at) {
        return false;
      }
      this.put({ ...existing, seq, from, text, at });
      return true;
    }

    /**
     * The server stored outbox line `id` as `seq`. It is shown as sent at once; its `message`
     * frame, when it comes, replaces this local copy. Returns false for an id already acked
     * (a re-send after reconnect, or the same chat open in a second tab).
     */
    acknowledge(id, seq) {
      const item = this.takeBack(id);
      if (!item) return false;
      if (!this.history.some((line) => line.seq === seq)) {
        this.put({ seq, from: 'visitor', text: item.text, at: item.at, clientId: id });
      }
      return true;
    }

    queue(item) {
      this.outbox.push(item);
    }

    /** Remove outbox line `id` and return it (acked, or refused by the server). */
    takeBack(id) {
      const index = this.outbox.findIndex((item) => item.id === id);
      return index < 0 ? null : this.outbox.splice(index, 1)[0];
    }

    clearOutbox() {
      const items = this.outbox;
      this.outbox = [];
      return items;
    }

    visitorTexts() {
      return this.history.filter((line) => line.from === 'visitor').map((line) => line.text);
    }

    put(line) {
      const index = this.history.findIndex((other) => other.seq >= line.seq);
      if (index < 0) this.history.push(line);
      else this.history.splice(index, this.history[index].seq === line.seq ? 1 : 0, line);
    }
  }

  /** data-ack-timeout-ms from the script tag: whole milliseconds in [100, 600000], else the default. */
  function ackTimeoutFrom(value) {
    const ms = Number(value);
    return value && Number.isInteger(ms) && ms >= 100 && ms <= 600000 ? ms : ACK_TIMEOUT_MS;
  }

  /**
   * What the current socket owes us an answer to, and since when (ms): `message:<id>` (its ack),
   * `ready` (the answer to start/resume), `end`, `feedback`, `ping` (any frame). The deadline is
   * the oldest of them plus the timeout; once it passes unanswered the socket is deaf.
   */
  class AnswerWatch {
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
   * The .txt transcript a visitor downloads, built from the lines on screen: nothing is asked of
   * the server, and internal notes (never sent to a visitor) cannot appear in it.
   */
  function buildTranscript(lines, { heading, when, who }) {
    const out = [...heading, ''];
    for (const line of lines) {
      const [first, ...rest] = line.text.split('\n');
      out.push(`[${when(line.at)}] ${who(line.from)}: ${first}`);
      for (const more of rest) out.push(`    ${more}`);
    }
    return `${out.join('\n')}\n`;
  }

  // ---------------------------------------------------------------------------------------------
  // 2. Storage: one JSON record per server origin in sessionStorage.
  // ---------------------------------------------------------------------------------------------

  /**
   * sessionStorage is per tab and gone when the tab closes, which suits an anonymous chat. The key
   * names the server origin, so two Neuvo services embedded on one site never mix. Storage that
   * throws (disabled, private modes, quota) degrades to nothing kept: the chat still works, it
   * just does not survive a reload.
   */
  class SessionStore {
    constructor(storage, origin) {
      this.storage = storage;
      this.key = `neuvo-chat:v${STORE_VERSION}:${origin}`;
    }

    load() {
      try {
        const record = JSON.parse(this.storage?.getItem(this.key) || 'null');
        return record && record.version === STORE_VERSION ? record : {};
      } catch (error) {
        console.warn('neuvo-chat: stored state unreadable, starting afresh', error);
        return {};
      }
    }

    save(record) {
      try {
        this.storage?.setItem(this.key, JSON.stringify({ version: STORE_VERSION, ...record }));
      } catch (error) {
        console.warn('neuvo-chat: could not keep the chat in sessionStorage', error);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 3. Texts and formats for one language
  // ---------------------------------------------------------------------------------------------

  /** Every visible string comes from the catalog; numbers, dates and names from Intl. */
  class Translator {
    constructor(lang, catalog) {
      this.lang = lang;
      this.catalog = catalog;
      this.locale = LOCALES[lang] || lang;
      this.plurals = new Intl.PluralRules(this.locale);
    }

    has(key) {
      return typeof this.catalog[key] === 'string';
    }

    t(key, vars = {}) {
      if (!this.has(key)) {
        console.warn(`neuvo-chat: no "${this.lang}" text for "${key}"`);
        return key;
      }
      return this.catalog[key].replace(/\{(\w+)\}/g, (match, name) =>
        name in vars ? String(vars[name]) : match);
    }

    /** "key.one" or "key.other" by the language's plural rules, with {count} filled in. */
    plural(key, count, vars = {}) {
      return this.t(`${key}.${this.plurals.select(count)}`, { count, ...vars });
    }

    time(iso) {
      return this.format(iso, { hour: 'numeric', minute: '2-digit' });
    }

    dateTime(iso) {
      return this.format(iso, {
        day: 'numeric', month: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit',
      });
    }

    /** When the service opens next, in the visitor's own time zone. */
    opening(iso, now = new Date()) {
      const when = new Date(iso);
      if (Number.isNaN(when.getTime())) return this.t('closed.no_next_open');
      const time = this.time(iso);
      const tomorrow = new Date(now);
      tomorrow.setDate(now.getDate() + 1);
      if (when.toDateString() === now.toDateString()) return this.t('closed.opens_today', { time });
      if (when.toDateString() === tomorrow.toDateString()) {
        return this.t('closed.opens_tomorrow', { time });
      }
      const date = this.format(iso, { weekday: 'long', day: 'numeric', month: 'long' });
      return this.t('closed.opens_on', { date, time });
    }

    /** An estimated wait in words, or null when the server has no estimate. */
    wait(seconds) {
      if (typeof seconds !== 'number') return null;
      if (seconds < 60) return this.t('wait.under_minute');
      const minutes = new Intl.NumberFormat(this.locale, {
        style: 'unit', unit: 'minute', unitDisplay: 'long',
      }).format(Math.round(seconds / 60));
      return this.t('wait.about', { duration: minutes });
    }

    /** A language's name, by default in the widget's language ("ruotsi"), or in its own. */
    languageName(code, inLanguage = this.lang) {
      try {
        const locale = LOCALES[inLanguage] || inLanguage;
        return new Intl.DisplayNames([locale], { type: 'language' }).of(code) || code;
      } catch {
        return code;
      }
    }

    sender(from) {
      const key = `message.${from}`;
      return this.has(key) ? this.t(key) : from;
    }

    format(iso, options) {
      const date = new Date(iso);
      if (Number.isNaN(date.getTime())) return '';
      return new Intl.DateTimeFormat(this.locale, options).format(date);
    }
  }

  if (typeof document === 'undefined') {
    // Loaded by Node for the unit tests: hand over the pure parts and start nothing.
    if (typeof module === 'object') {
      module.exports = {
        pickLanguage, backoffDelay, countChars, newClientId, ChatBook, buildTranscript,
        SessionStore, Translator, AnswerWatch, ackTimeoutFrom, BACKOFF_START_MS, BACKOFF_CAP_MS,
        ACK_TIMEOUT_MS,
      };
    }
    return;
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Connection: one visitor WebSocket; the element decides what to send and when to reconnect.
  // ---------------------------------------------------------------------------------------------

  class VisitorSocket {
    constructor(url, { onOpen, onFrame, onClose }) {
      this.url = url;
      this.handlers = { onOpen, onFrame, onClose };
      this.ws = null;
    }

    open() {
      let ws;
      try {
        ws = new WebSocket(this.url);
      } catch (error) {
        // A host page's CSP may refuse the URL outright: treat it as a dropped connection.
        console.warn('neuvo-chat: cannot open the chat connection', error);
        setTimeout(() => this.handlers.onClose(1006), 0);
        return;
      }
      this.ws = ws;
      ws.addEventListener('open', () => this.handlers.onOpen());
      ws.addEventListener('message', (event) => {
        if (this.ws === ws) this.receive(event.data); // nothing from a socket we closed
      });
      ws.addEventListener('close', (event) => {
        if (this.ws !== ws) return; // closed on purpose by close(): nobody is waiting for it
        this.ws = null;
        this.handlers.onClose(event.code);
      });
    }

    receive(data) {
      let frame;
      try {
        frame = JSON.parse(data);
      } catch {
        console.warn('neuvo-chat: ignored a frame that is not JSON');
        return;
      }
      if (frame && typeof frame.type === 'string') this.handlers.onFrame(frame);
    }

    send(frame) {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
      this.ws.send(JSON.stringify(frame));
      return true;
    }

    /** Close on purpose: no onClose callback follows, so nothing reconnects. */
    close() {
      const ws = this.ws;
      this.ws = null;
      if (ws) ws.close(1000);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Server: the HTTP side, all on the origin this script came from.
  // ---------------------------------------------------------------------------------------------

  class ServerApi {
    constructor(origin) {
      this.origin = origin;
    }

    get socketUrl() {
      return `${this.origin.replace(/^http/, 'ws')}/ws/visitor`;
    }

    get stylesheetUrl() {
      return `${this.origin}/widget/widget.css`;
    }

    service() {
      return this.getJson('/api/service', 'no-store');
    }

    catalog(lang) {
      return this.getJson(`/widget/i18n/${lang}.json`, 'default');
    }

    /** POST /api/offline-messages; resolves to { ok, message } where message is the 4xx reason. */
    async sendOfflineMessage(body) {
      const response = await fetch(`${this.origin}/api/offline-messages`, {
        method: 'POST',
        credentials: 'omit',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
      });
      const payload = await response.json().catch(() => ({}));
      return { ok: response.ok, status: response.status, message: payload.message || null };
    }

    // credentials: 'omit' — the visitor is anonymous; no cookie of the server's is wanted.
    async getJson(path, cache) {
      const response = await fetch(this.origin + path, {
        credentials: 'omit', cache, headers: { Accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      return response.json();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 6. DOM helpers
  // ---------------------------------------------------------------------------------------------

  /**
   * Create an element. Props that the element has as properties (value, hidden, tabIndex,
   * htmlFor...) are set as properties, the rest (aria-*, role, data-*) as attributes, `on…` as
   * listeners. Children are nodes or strings; append() makes strings Text nodes, never HTML.
   */
  function h(tag, props = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
      else if (name === 'class') element.className = value;
      else if (name in element && !name.includes('-') && name !== 'role') element[name] = value;
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    element.append(...children.flat().filter((child) => child !== null && child !== undefined));
    return element;
  }

  /** Set text only when it differs, so live regions do not announce the same words again. */
  function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;
  }

  const ICONS = {
    chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z',
    close: 'M5 6.4 6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12z',
  };

  function icon(name) {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'icon');
    const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', ICONS[name]);
    svg.append(path);
    return svg;
  }

  const TABBABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

  function tabbables(container) {
    return [...container.querySelectorAll(TABBABLE)].filter((element) =>
      !element.disabled && element.tabIndex >= 0 && element.getClientRects().length > 0);
  }

  // ---------------------------------------------------------------------------------------------
  // 7. Views: one render function per state. Each takes the element (`ui`) and returns
  //    { node, focus?, update? }: focus is where focus goes on entering the state, update()
  //    patches the live parts after a frame.
  // ---------------------------------------------------------------------------------------------

  function heading(text) {
    return h('h3', { class: 'view__title', tabIndex: -1 }, text);
  }

  function viewLoading(ui) {
    const text = h('p', { class: 'muted' }, ui.t('status.loading'));
    return { node: h('div', { class: 'view' }, text) };
  }

  function viewLoadError(ui) {
    const title = heading(ui.t('load_error.title'));
    const retry = h('button', { type: 'button', class: 'button', onclick: () => ui.showEntry() },
      ui.t('action.retry'));
    return { node: h('div', { class: 'view' }, title, h('p', {}, ui.t('load_error.text')), retry),
      focus: title };
  }

  function viewClosed(ui) {
    const unstaffed = ui.closedReason === 'unstaffed';
    const title = heading(ui.t(unstaffed ? 'closed.title_unstaffed' : 'closed.title_closed'));
    const next = ui.service?.next_open;
    const when = unstaffed ? ui.t('closed.unstaffed_text')
      : next ? ui.i18n.opening(next) : ui.t('closed.no_next_open');
    const form = offlineForm(ui, 'offline.intro');
    return { node: h('div', { class: 'view' }, title, h('p', {}, when), form.node), focus: title };
  }

  function viewOfflineSent(ui) {
    const title = heading(ui.t('offline.sent_title'));
    const again = h('button', { type: 'button', class: 'button button--secondary',
      onclick: () => ui.startAgain() }, ui.t('offline.back'));
    return { node: h('div', { class: 'view' }, title, h('p', {}, ui.t('offline.sent_text')), again),
      focus: title };
  }

  function viewBefore(ui) {
    const choice = ui.forms.before;
    const title = heading(ui.t('before.title'));
    const topic = selectField('before-topic', ui.t('field.topic'), topicOptions(ui), choice.topic,
      (value) => { choice.topic = value; });
    const language = selectField('before-language', ui.t('field.chat_language'),
      languageOptions(ui), choice.language, (value) => { choice.language = value; });
    const problem = h('p', { class: 'field__error', role: 'alert', hidden: true });
    const start = h('button', { type: 'submit', class: 'button' });
    const form = h('form', { class: 'form', onsubmit: (event) => {
      event.preventDefault();
      ui.startChat(choice.topic, choice.language);
    } }, topic.node, language.node, privacyNotice(ui), problem, start);
    const update = () => {
      setText(start, ui.t(ui.startRequest ? 'before.starting' : 'before.start'));
      start.setAttribute('aria-disabled', String(Boolean(ui.startRequest)));
      setText(problem, ui.startError || '');
      problem.hidden = !ui.startError;
    };
    update();
    const node = h('div', { class: 'view' }, title, h('p', {}, ui.t('before.intro')),
      h('p', { class: 'muted' }, queueSummary(ui)), form);
    return { node, focus: title, update };
  }

  function viewWaiting(ui) {
    const title = heading(ui.t('waiting.title'));
    const position = h('p', { class: 'queue', role: 'status' });
    const log = messageLog(ui);
    const composer = composerForm(ui, 'waiting.hint');
    const cancel = h('button', { type: 'button', class: 'button button--secondary',
      onclick: () => ui.endChat() }, ui.t('waiting.cancel'));
    const update = () => {
      const { position: place, estimated_wait_s: seconds } = ui.queue;
      const wait = ui.i18n.wait(seconds);
      const parts = [];
      if (typeof place === 'number') parts.push(ui.t('waiting.position', { position: place }));
      if (wait) parts.push(ui.t('waiting.estimate', { wait }));
      setText(position, parts.join(' '));
      log.update();
      composer.update();
    };
    update();
    const node = h('div', { class: 'view view--conversation' }, title, position, log.node,
      composer.node, h('div', { class: 'actions' }, cancel));
    return { node, focus: title, update, reveal: log.reveal };
  }

  function viewChatting(ui) {
    const title = heading('');
    const organisation = h('p', { class: 'muted' });
    const log = messageLog(ui);
    const typing = h('p', { class: 'typing', 'aria-live': 'polite' });
    const composer = composerForm(ui, 'chatting.hint');
    const end = h('button', { type: 'button', class: 'button button--secondary',
      onclick: () => ui.endChat() }, ui.t('chatting.end'));
    const update = () => {
      const advisor = ui.chat?.advisor || {};
      setText(title, ui.t('chatting.title', { name: advisor.name || ui.t('message.advisor') }));
      setText(organisation, advisor.organisation || '');
      organisation.hidden = !advisor.organisation;
      setText(typing, ui.advisorTyping
        ? ui.t('chatting.typing', { name: advisor.name || ui.t('message.advisor') }) : '');
      log.update();
      composer.update();
    };
    update();
    const node = h('div', { class: 'view view--conversation' }, title, organisation, log.node,
      typing, composer.node, h('div', { class: 'actions' }, end));
    return { node, focus: composer.textarea, update, reveal: log.reveal };
  }

  function viewEnded(ui) {
    const chat = ui.chat || {};
    const title = heading(ui.t('ended.title'));
    const parts = [h('p', {}, endedText(ui, chat))];
    let feedback = null;
    if (chat.offerOffline) {
      parts.push(offlineForm(ui, 'ended.offline_intro').node);
    } else if (chat.wasAssigned) {
      feedback = feedbackForm(ui);
      parts.push(feedback.node);
    }
    const actions = h('div', { class: 'actions' });
    if (ui.book.history.length > 0) {
      actions.append(h('button', { type: 'button', class: 'button button--secondary',
        onclick: () => ui.downloadTranscript() }, ui.t('transcript.download')));
    }
    actions.append(h('button', { type: 'button', class: 'button button--secondary',
      onclick: () => ui.startAgain() }, ui.t('ended.start_again')));
    parts.push(actions);
    if (ui.book.history.length > 0) {
      const log = messageLog(ui);
      log.update();
      parts.push(h('h4', { class: 'subheading' }, ui.t('ended.history')), log.node);
    }
    return { node: h('div', { class: 'view' }, title, ...parts), focus: title,
      update: () => feedback?.update() };
  }

  function endedText(ui, chat) {
    const { by, reason } = chat.ended || {};
    if (!chat.wasAssigned && by === 'visitor') return ui.t('ended.left_queue');
    if (by === 'system') {
      const key = `ended.reason.${reason}`;
      return ui.i18n.has(key) ? ui.t(key) : ui.t('ended.by_system');
    }
    return ui.t(by === 'advisor' ? 'ended.by_advisor' : 'ended.by_visitor');
  }

  // -- parts shared by the views ------------------------------------------------------------

  function topicOptions(ui) {
    return (ui.service?.topics || []).map((topic) => ({
      value: topic.id,
      label: topic.label?.[ui.i18n.lang] || topic.label?.fi || topic.id,
    }));
  }

  function languageOptions(ui) {
    return (ui.service?.languages || UI_LANGUAGES).map((code) => ({
      value: code, label: ui.i18n.languageName(code),
    }));
  }

  function queueSummary(ui) {
    const waiting = ui.service?.queue_length || 0;
    if (waiting === 0) return ui.t('before.queue_empty');
    const wait = ui.i18n.wait(ui.service.estimated_wait_s);
    const summary = ui.i18n.plural('before.queue', waiting);
    return wait ? `${summary} ${ui.t('waiting.estimate', { wait })}` : summary;
  }

  /** Anonymous, what is stored, for how long: said before the visitor starts anything. */
  function privacyNotice(ui) {
    const days = ui.service?.retention_days;
    const retention = Number.isInteger(days)
      ? ui.i18n.plural('privacy.retention_days', days) : ui.t('privacy.retention');
    return h('section', { class: 'privacy', 'aria-labelledby': 'privacy-title' },
      h('h4', { id: 'privacy-title', class: 'subheading' }, ui.t('privacy.title')),
      h('ul', {},
        h('li', {}, ui.t('privacy.anonymous')),
        h('li', {}, ui.t('privacy.stored')),
        h('li', {}, retention),
        h('li', {}, ui.t('privacy.statistics'))));
  }

  /** A labelled control with an optional hint and an error line, tied by aria-describedby. */
  function field(id, label, control, { hint = null, after = null } = {}) {
    const hintNode = hint ? h('p', { id: `${id}-hint`, class: 'field__hint' }, hint) : null;
    const error = h('p', { id: `${id}-error`, class: 'field__error', hidden: true });
    const described = [hintNode && `${id}-hint`, after?.id, `${id}-error`].filter(Boolean);
    control.id = id;
    control.setAttribute('aria-describedby', described.join(' '));
    const node = h('div', { class: 'field' },
      h('label', { htmlFor: id, class: 'field__label' }, label), hintNode, error, control, after);
    const setError = (prefix, message) => {
      error.replaceChildren(...(message ? [h('span', { class: 'vh' }, prefix), ' ', message] : []));
      error.hidden = !message;
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    };
    return { node, control, setError };
  }

  function selectField(id, label, options, selected, onChange) {
    const select = h('select', { class: 'field__control',
      onchange: (event) => onChange(event.target.value) },
    options.map(({ value, label: text }) => h('option', { value, selected: value === selected },
      text)));
    return field(id, label, select);
  }

  /** "12 / 2000", or how many characters too many; the limit is /api/service's max_length. */
  function counter(ui, id) {
    const node = h('p', { id, class: 'counter' });
    const update = (text) => {
      const count = countChars(text);
      const over = count - ui.maxLength;
      setText(node, over > 0 ? ui.i18n.plural('composer.over', over)
        : ui.t('composer.count', { count, max: ui.maxLength }));
      node.classList.toggle('counter--over', over > 0);
      return over;
    };
    return { node, update };
  }

  /**
   * The GOV.UK error summary: a heading and one line per problem, each linking to its field.
   * The links focus the field themselves: a #fragment would neither reach into the shadow root
   * nor leave the host page's URL alone.
   */
  function errorSummary(ui) {
    const node = h('div', { class: 'error-summary', tabIndex: -1, hidden: true });
    const show = (problems) => {
      node.replaceChildren();
      node.hidden = problems.length === 0;
      if (node.hidden) return;
      const items = problems.map(({ message, control }) => h('li', {}, control
        ? h('a', { href: '#', onclick: (event) => { event.preventDefault(); control.focus(); } },
          message)
        : message));
      node.append(h('h4', { class: 'subheading' }, ui.t('error.summary_title')),
        h('ul', {}, items));
      node.focus();
    };
    return { node, show };
  }

  function offlineForm(ui, introKey) {
    const values = ui.forms.offline;
    const summary = errorSummary(ui);
    const topic = selectField('offline-topic', ui.t('field.topic'), topicOptions(ui), values.topic,
      (value) => { values.topic = value; });
    const language = selectField('offline-language', ui.t('field.language'), languageOptions(ui),
      values.language, (value) => { values.language = value; });
    const count = counter(ui, 'offline-text-count');
    const textarea = h('textarea', { class: 'field__control', rows: 5, value: values.text,
      oninput: () => { values.text = textarea.value; count.update(textarea.value); } });
    const text = field('offline-text', ui.t('field.message'), textarea, { after: count.node });
    count.update(values.text);
    const input = h('input', { type: 'text', class: 'field__control', value: values.contact,
      oninput: () => { values.contact = input.value; } });
    const contact = field('offline-contact', ui.t('field.contact'), input,
      { hint: ui.t('field.contact_hint') });
    const submit = h('button', { type: 'submit', class: 'button' }, ui.t('offline.submit'));
    let busy = false;

    const validate = () => {
      const problems = [];
      const over = countChars(values.text.trim()) - ui.maxLength;
      if (!values.text.trim()) {
        problems.push({ message: ui.t('offline.error_required'), control: textarea });
      } else if (over > 0) {
        problems.push({ message: ui.i18n.plural('composer.over', over), control: textarea });
      }
      text.setError(ui.t('error.prefix'), problems[0]?.message || null);
      return problems;
    };

    const onSubmit = async (event) => {
      event.preventDefault();
      if (busy) return;
      const problems = validate();
      summary.show(problems);
      if (problems.length > 0) return;
      busy = true;
      setText(submit, ui.t('offline.sending'));
      const result = await ui.sendOfflineMessage({ ...values, text: values.text.trim() });
      busy = false;
      setText(submit, ui.t('offline.submit'));
      if (!result.ok) summary.show([{ message: result.message || ui.t('offline.error_generic') }]);
    };

    const node = h('form', { class: 'form', noValidate: true, onsubmit: onSubmit },
      h('h4', { class: 'subheading' }, ui.t('offline.title')),
      h('p', {}, ui.t(introKey)),
      summary.node, topic.node, language.node, text.node, contact.node,
      h('p', { class: 'muted' }, ui.t('offline.privacy')),
      submit);
    return { node };
  }

  /**
   * The transcript as a role="log" live region: polite, and only additions are announced, so a
   * line is read once when it arrives and history is not re-read. Lines are keyed by seq; an
   * outbox line keeps its element when it is acknowledged, so it is not announced twice.
   */
  function messageLog(ui) {
    // The log is a box around the list: role="log" on the <ol> itself would take away its list
    // role, and its <li> would then be list items outside any list.
    const list = h('ol', { class: 'log__list' });
    const box = h('div', {
      class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions',
      'aria-label': ui.t('log.label'), tabIndex: 0,
    }, list);
    const items = new Map(); // key → { li, line, pending }

    const update = () => {
      const { history, outbox } = ui.book;
      const wanted = [
        ...history.map((line) => ({ key: `seq:${line.seq}`, line, pending: false })),
        ...outbox.map((item) => ({ key: `id:${item.id}`, line: item, pending: true })),
      ];
      for (const { key, line } of wanted) {
        const sent = line.clientId && items.get(`id:${line.clientId}`);
        if (sent && !items.has(key)) {
          items.set(key, sent);
          items.delete(`id:${line.clientId}`);
        }
      }
      const keep = new Set(wanted.map((want) => want.key));
      for (const [key, item] of items) {
        if (!keep.has(key)) {
          item.li.remove();
          items.delete(key);
        }
      }
      const follow = followTheEnd(box);
      let added = false;
      wanted.forEach(({ key, line, pending }, index) => {
        let item = items.get(key);
        if (!item) {
          item = { li: h('li'), line: null, pending: null };
          items.set(key, item);
          added = true;
        }
        if (item.line !== line || item.pending !== pending) {
          fillMessage(ui, item.li, line, pending);
          Object.assign(item, { line, pending });
        }
        const here = list.children[index];
        if (here !== item.li) list.insertBefore(item.li, here || null);
      });
      follow(added && list.lastElementChild);
    };
    /** Show the end of the conversation: on entering it, and when the panel opens. */
    const reveal = () => {
      const scroller = scrollBox(box);
      if (scroller) scroller.scrollTop = scroller.scrollHeight;
    };
    return { node: box, update, reveal };
  }

  /** The nearest box, `element` itself included, that scrolls vertically; null when none does. */
  function scrollBox(element) {
    for (let node = element; node; node = node.parentElement) {
      if (/auto|scroll/.test(getComputedStyle(node).overflowY)) return node;
    }
    return null;
  }

  /**
   * Call before the log changes; call what it returns after. A visitor who was following the
   * conversation (who could see the end of the log, or the message box below it) sees the newest
   * line; one who scrolled back up to read is left where they are.
   *
   * On most screens the log is its own scrolling box: follow = it was scrolled to its end. On a
   * short screen (200 % zoom) the whole panel scrolls and the log just grows: follow = the log's
   * end was on screen or just below; then what is below the log (typing line, message box) stays
   * where it was on screen, and the new line appears above it; a new line taller than the room
   * above is shown from its start.
   */
  function followTheEnd(box) {
    const scroller = box.isConnected ? scrollBox(box) : null;
    if (!scroller) return () => {};
    if (scroller === box) {
      const atEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 48;
      return () => {
        if (atEnd) box.scrollTop = box.scrollHeight;
      };
    }
    const end = () => box.getBoundingClientRect().bottom;
    const before = end();
    if (before > scroller.getBoundingClientRect().bottom + 48) return () => {};
    return (newest) => {
      scroller.scrollTop += end() - before;
      if (!newest) return;
      const above = scroller.getBoundingClientRect().top - newest.getBoundingClientRect().top;
      if (above > 0) scroller.scrollTop -= above;
    };
  }

  /** One line: who, when, its state in words (not only in colour), and the text, as text. */
  function fillMessage(ui, li, line, pending) {
    if (!li.firstChild) {
      li.append(
        h('p', { class: 'msg__meta' }, h('span', { class: 'msg__who' }), ' ',
          h('time', { class: 'msg__time' }), ' ', h('span', { class: 'msg__state' })),
        // The chat's language for the words; the labels above stay in the widget's language.
        h('p', { class: 'msg__text', lang: ui.chat?.language || null }));
    }
    const from = pending ? 'visitor' : line.from;
    li.className = `msg msg--${from}${pending ? ' msg--pending' : ''}`;
    const time = li.querySelector('.msg__time');
    setText(li.querySelector('.msg__who'), ui.i18n.sender(from));
    setText(time, line.at ? ui.i18n.time(line.at) : '');
    time.dateTime = line.at || '';
    setText(li.querySelector('.msg__state'), pending ? ui.t('message.sending') : '');
    setText(li.querySelector('.msg__text'), line.text);
  }

  /** Enter sends, Shift+Enter is a new line; the text survives view changes and reloads. */
  function composerForm(ui, hintKey) {
    const count = counter(ui, 'composer-count');
    const textarea = h('textarea', { class: 'field__control composer__input', rows: 3,
      value: ui.draft });
    const message = field('composer', ui.t('composer.label'), textarea,
      { hint: `${ui.t(hintKey)} ${ui.t('composer.keys')}`, after: count.node });
    const send = h('button', { type: 'submit', class: 'button' }, ui.t('composer.send'));

    const submit = () => {
      const problem = ui.sendMessage(textarea.value);
      message.setError(ui.t('error.prefix'), problem);
      if (!problem) {
        textarea.value = '';
        ui.setDraft('');
        count.update('');
      }
      textarea.focus();
    };
    textarea.addEventListener('keydown', (event) => {
      // isComposing: Enter that confirms an IME composition is not a send.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    });
    textarea.addEventListener('input', () => {
      ui.setDraft(textarea.value);
      count.update(textarea.value);
    });
    const update = () => {
      if (textarea.value !== ui.draft) textarea.value = ui.draft;
      count.update(textarea.value);
      if (ui.composerError) message.setError(ui.t('error.prefix'), ui.composerError);
    };
    const node = h('form', { class: 'composer', onsubmit: (event) => {
      event.preventDefault();
      submit();
    } }, message.node, h('div', { class: 'composer__actions' }, send));
    return { node, textarea, update };
  }

  /** Rating 1–5 as a radio group in a fieldset, an optional comment, then thanks. */
  function feedbackForm(ui) {
    const values = ui.forms.feedback;
    const thanks = h('p', { class: 'success', role: 'status', tabIndex: -1 });
    const problem = h('p', { id: 'rating-error', class: 'field__error', hidden: true });
    const radios = [1, 2, 3, 4, 5].map((rating) => {
      const input = h('input', { type: 'radio', name: 'rating', id: `rating-${rating}`,
        value: String(rating), checked: values.rating === rating,
        onchange: () => { values.rating = rating; } });
      return h('span', { class: 'rating__option' }, input,
        h('label', { htmlFor: `rating-${rating}` }, ui.t(`feedback.rating_${rating}`)));
    });
    const group = h('fieldset', { class: 'rating', 'aria-describedby': 'rating-error' },
      h('legend', { class: 'field__label' }, ui.t('feedback.legend')), problem,
      h('div', { class: 'rating__options' }, radios));
    const comment = h('textarea', { class: 'field__control', rows: 3, value: values.comment,
      maxLength: ui.maxLength, oninput: () => { values.comment = comment.value; } });
    const submit = h('button', { type: 'submit', class: 'button' });
    const form = h('form', { class: 'form', onsubmit: (event) => {
      event.preventDefault();
      if (!values.rating) {
        problem.replaceChildren(h('span', { class: 'vh' }, ui.t('error.prefix')), ' ',
          ui.t('feedback.required'));
        problem.hidden = false;
        radios[0].querySelector('input').focus();
        return;
      }
      problem.hidden = true;
      ui.sendFeedback(values.rating, values.comment.trim() || null);
    } }, group, field('feedback-comment', ui.t('feedback.comment'), comment).node, submit);

    const update = () => {
      const saved = Boolean(ui.chat?.feedbackSaved);
      setText(submit, ui.t(ui.pendingFeedback ? 'feedback.sending' : 'feedback.submit'));
      setText(thanks, saved ? ui.t('feedback.thanks') : '');
      if (saved && !form.hidden) {
        const hadFocus = form.contains(ui.shadowRoot.activeElement);
        form.hidden = true;
        if (hadFocus) thanks.focus();
      }
    };
    update();
    return { node: h('div', { class: 'feedback' }, form, thanks), update };
  }

  const VIEWS = {
    loading: viewLoading,
    load_error: viewLoadError,
    closed: viewClosed,
    offline_sent: viewOfflineSent,
    before: viewBefore,
    waiting: viewWaiting,
    chatting: viewChatting,
    ended: viewEnded,
  };

  // ---------------------------------------------------------------------------------------------
  // 8. The element: state machine, frame handlers, panel behaviour.
  // ---------------------------------------------------------------------------------------------

  /*
   * States and what moves between them:
   *
   *   loading ──/api/service──▶ before (accepting) | closed (not accepting) | load_error
   *   before ──start──▶ waiting (queued) | closed (closed frame)
   *   waiting ──assigned──▶ chatting ──queued/position──▶ waiting (advisor lost; transfer)
   *   waiting | chatting ──ended──▶ ended ──start again──▶ loading
   *   closed ──offline message sent──▶ offline_sent ──back──▶ loading
   *
   * A page load with a stored chat goes straight to its stored phase (waiting, chatting, ended)
   * and resumes. The connection state (reconnecting, offline) is shown beside the view, not as a
   * state of its own, so the visitor keeps reading and typing while it reconnects.
   */
  class NeuvoChatElement extends HTMLElement {
    constructor() {
      super();
      this.attachShadow({ mode: 'open' });
      this.booted = false;
    }

    connectedCallback() {
      if (this.booted) return;
      this.booted = true;
      this.boot().catch((error) => console.error('neuvo-chat: could not start', error));
    }

    // -- boot and persistence -------------------------------------------------------------

    async boot() {
      this.api = new ServerApi(CONFIG.origin);
      this.store = new SessionStore(sessionStorageOrNull(), CONFIG.origin);
      this.catalogs = new Map();
      this.restore(this.store.load());
      const lang = pickLanguage(this.storedLang, CONFIG.dataLang, CONFIG.pageLang);
      const [styled, translator] = await Promise.all([this.buildShell(), this.translator(lang)]);
      // Nothing at all is better than an unstyled or textless widget inside the host's page.
      if (!styled || !translator) {
        console.error('neuvo-chat: stylesheet or texts did not load; the widget stays hidden');
        return;
      }
      this.i18n = translator;
      this.applyShellTexts();
      this.root.style.removeProperty('display');
      this.raise();
      window.addEventListener('online', () => this.onOnline());
      window.addEventListener('offline', () => this.onOffline());
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') this.probe(); // a phone waking: still there?
      });

      if (this.chat) {
        if (this.chat.offerOffline) this.prefillOfflineForm();
        this.go(this.chat.phase);
        if (this.needsSocket()) this.connect();
        // The offline form lists the service's topics; the rest only needs max_length.
        this.fetchService().then(() => (this.chat?.offerOffline ? this.remount() : this.update()));
      } else {
        this.showEntry();
      }
      if (this.panelOpen) this.openPanel({ focus: false });
    }

    /** State from the stored record (language, panel, draft, chat); everything else fresh. */
    restore(record) {
      this.storedLang = record.lang;
      this.panelOpen = Boolean(record.panelOpen);
      this.draft = typeof record.draft === 'string' ? record.draft : '';
      const stored = record.chat;
      this.chat = stored && stored.id && stored.token ? stripBook(stored) : null;
      this.book = new ChatBook(this.chat ? {
        history: stored.history || [], outbox: record.outbox || [], lastSeq: stored.lastSeq || 0,
      } : {});
      this.service = null;
      this.serviceAt = 0;
      this.viewName = null;
      this.current = null;
      this.queue = {};
      this.socket = null;
      this.ready = false; // the server has answered start/resume on the current socket
      this.attempt = 0;
      this.inFlight = []; // ids sent on this socket, oldest first, not yet acked
      this.watch = new AnswerWatch(); // what this socket owes an answer to (deaf detection)
      this.pingsOut = 0; // probes sent on this socket and not answered by `pong` / unknown_type
      this.connection = 'ok';
      this.startRequest = null;
      this.startError = null;
      this.pendingEnd = false;
      this.pendingFeedback = null;
      this.composerError = null;
      this.advisorTyping = false;
      this.lastTypingSent = 0;
      this.unread = 0;
      this.closedReason = 'closed';
      this.notice = null;
      this.timers = {};
      this.forms = {
        before: { topic: null, language: null },
        offline: { topic: null, language: null, text: '', contact: '' },
        feedback: { rating: null, comment: '' },
      };
    }

    persist() {
      clearTimeout(this.timers.draft);
      this.store.save({
        lang: this.i18n?.lang || this.storedLang,
        panelOpen: this.panelOpen,
        draft: this.draft,
        chat: this.chat && { ...this.chat, lastSeq: this.book.lastSeq, history: this.book.history },
        outbox: this.book.outbox,
      });
    }

    async translator(lang) {
      if (!this.catalogs.has(lang)) {
        try {
          this.catalogs.set(lang, await this.api.catalog(lang));
        } catch (error) {
          console.warn(`neuvo-chat: no "${lang}" texts`, error);
          return lang === 'fi' ? null : this.translator('fi');
        }
      }
      return new Translator(lang, this.catalogs.get(lang));
    }

    get maxLength() {
      const limit = this.service?.max_length;
      return Number.isInteger(limit) ? limit : DEFAULT_MAX_LENGTH;
    }

    t(key, vars) {
      return this.i18n.t(key, vars);
    }

    // -- the shell: launcher, panel, header, status lines -----------------------------------

    buildShell() {
      const link = h('link', { rel: 'stylesheet', href: this.api.stylesheetUrl });
      this.launcherText = h('span', { class: 'launcher__text' });
      this.launcherBadge = h('span', { class: 'launcher__badge', hidden: true });
      this.launcher = h('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false',
        'aria-controls': 'neuvo-panel', onclick: () => this.openPanel() },
      icon('chat'), this.launcherText, this.launcherBadge);
      this.titleEl = h('h2', { id: 'neuvo-title', class: 'panel__title', tabIndex: -1 });
      this.closeText = h('span', { class: 'vh' });
      const close = h('button', { type: 'button', class: 'icon-button',
        onclick: () => this.closePanel() }, icon('close'), this.closeText);
      this.languageButtons = UI_LANGUAGES.map((code) => h('button', { type: 'button',
        class: 'languages__button', lang: code, onclick: () => this.setLanguage(code) },
      selfName(code)));
      this.languageGroup = h('div', { class: 'languages', role: 'group' }, this.languageButtons);
      this.statusEl = h('p', { class: 'connection', role: 'status' });
      this.noticeEl = h('p', { class: 'notice', role: 'status' });
      this.body = h('div', { class: 'panel__body' });
      this.panel = h('section', { id: 'neuvo-panel', class: 'panel', role: 'dialog',
        'aria-modal': 'false', 'aria-labelledby': 'neuvo-title', hidden: true,
        onkeydown: (event) => this.onPanelKeydown(event) },
      h('header', { class: 'panel__header' }, this.titleEl, close),
      this.languageGroup, this.statusEl, this.noticeEl, this.body);
      // For lines that arrive while the panel is closed: the log inside it is hidden then.
      this.announcer = h('p', { class: 'vh', role: 'status' });
      this.root = h('div', { class: 'root' }, this.launcher, this.panel, this.announcer);
      this.root.style.display = 'none'; // until widget.css is in: no unstyled flash on the page
      this.shadowRoot.append(link, this.root);
      return new Promise((resolve) => {
        link.addEventListener('load', () => resolve(true));
        link.addEventListener('error', () => resolve(false));
      });
    }

    /**
     * Into the top layer, where `position: fixed` means the viewport whatever the page does: a
     * transform, filter or `contain` on <body> would otherwise make <body> the containing block,
     * and the launcher would sit at the end of the page instead of the corner of the screen. The
     * root is an empty box there (widget.css); the launcher and panel are fixed inside it.
     */
    raise() {
      if (typeof this.root.showPopover !== 'function') return; // older browsers: plain fixed
      this.root.popover = 'manual'; // manual: no light dismiss, Escape stays ours
      this.root.showPopover();
    }

    applyShellTexts() {
      this.root.lang = this.i18n.lang;
      setText(this.titleEl, this.t('app.title'));
      setText(this.closeText, this.t('panel.close'));
      this.languageGroup.setAttribute('aria-label', this.t('language_switch.label'));
      for (const button of this.languageButtons) {
        button.setAttribute('aria-pressed', String(button.lang === this.i18n.lang));
      }
      this.renderLauncher();
      this.renderConnection();
      this.renderNotice();
    }

    renderLauncher() {
      setText(this.launcherText, this.t('launcher.label'));
      const unread = this.unread ? this.i18n.plural('launcher.unread', this.unread) : '';
      setText(this.launcherBadge, unread);
      this.launcherBadge.hidden = !this.unread;
    }

    setConnection(state) {
      clearTimeout(this.timers.restored);
      this.connection = state;
      this.renderConnection();
      if (state === 'restored') {
        this.timers.restored = setTimeout(() => this.setConnection('ok'), RESTORED_SHOWN_MS);
      }
    }

    renderConnection() {
      const key = { reconnecting: 'status.reconnecting', offline: 'status.offline',
        restored: 'status.restored' }[this.connection];
      setText(this.statusEl, key ? this.t(key) : '');
    }

    /** A polite line under the header: an error frame, a chat that could not be resumed. */
    setNotice(notice) {
      this.notice = notice;
      this.renderNotice();
    }

    renderNotice() {
      const { key, text } = this.notice || {};
      setText(this.noticeEl, key ? this.t(key) : text || '');
    }

    // -- the state machine ------------------------------------------------------------------

    go(name) {
      if (name === this.viewName) {
        this.current.update?.();
        return;
      }
      this.mount(name);
    }

    /**
     * Replace the view. Focus follows only when it was inside the old view (it would otherwise
     * fall to <body>): to the control with the same id if the new view has one (the message box
     * from waiting to chatting), else to the new view's focus target.
     */
    mount(name) {
      const active = this.shadowRoot.activeElement;
      const hadFocus = Boolean(active && this.body.contains(active));
      this.viewName = name;
      this.current = VIEWS[name](this);
      this.body.replaceChildren(this.current.node);
      if (!this.panel.hidden) this.current.reveal?.();
      if (!hadFocus || this.panel.hidden) return;
      const same = active.id && this.shadowRoot.getElementById(active.id);
      (same || this.current.focus || this.titleEl).focus();
    }

    remount() {
      const name = this.viewName;
      this.viewName = null;
      if (name) this.mount(name);
    }

    update() {
      this.current?.update?.();
    }

    async setLanguage(lang) {
      if (lang === this.i18n.lang) return;
      const translator = await this.translator(lang);
      if (!translator || translator.lang !== lang) return;
      this.i18n = translator;
      this.persist();
      this.applyShellTexts();
      this.remount();
    }

    /** Without a chat: ask the service whether it takes chats now, and show that. */
    async showEntry({ quiet = false } = {}) {
      if (!quiet) this.go('loading');
      const service = await this.fetchService();
      if (this.chat || this.startRequest) return; // a chat began while we asked
      if (!service) {
        if (!quiet) this.go('load_error');
        return;
      }
      if (service.accepting) {
        this.go('before');
      } else {
        this.closedReason = service.open ? 'unstaffed' : 'closed';
        this.go('closed');
      }
    }

    async fetchService() {
      try {
        this.service = await this.api.service();
        this.serviceAt = Date.now();
        this.fillFormDefaults();
      } catch (error) {
        console.warn('neuvo-chat: /api/service did not answer', error);
      }
      return this.service;
    }

    /** Preselect data-topic (if the service has it) and the widget's language (if offered). */
    fillFormDefaults() {
      const topics = (this.service.topics || []).map((topic) => topic.id);
      const languages = this.service.languages || [];
      const topic = topics.includes(CONFIG.topic) ? CONFIG.topic : topics[0] || null;
      const language = languages.includes(this.i18n.lang) ? this.i18n.lang : languages[0] || null;
      for (const form of [this.forms.before, this.forms.offline]) {
        if (!topics.includes(form.topic)) form.topic = topic;
        if (!languages.includes(form.language)) form.language = language;
      }
    }

    // -- panel: open, close, focus ------------------------------------------------------------

    openPanel({ focus = true } = {}) {
      this.panel.hidden = false;
      this.launcher.hidden = true;
      this.launcher.setAttribute('aria-expanded', 'true');
      this.panelOpen = true;
      this.unread = 0;
      this.renderLauncher();
      this.persist();
      this.current?.reveal?.();
      if (focus) (this.current?.focus || this.titleEl).focus();
      const stale = Date.now() - this.serviceAt > SERVICE_STALE_MS;
      const entry = ['before', 'closed', 'load_error'].includes(this.viewName);
      if (!this.chat && entry && stale) this.showEntry({ quiet: this.viewName !== 'load_error' });
    }

    closePanel() {
      this.panel.hidden = true;
      this.launcher.hidden = false;
      this.launcher.setAttribute('aria-expanded', 'false');
      this.panelOpen = false;
      this.persist();
      this.launcher.focus();
    }

    onPanelKeydown(event) {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.closePanel();
      } else if (event.key === 'Tab') {
        this.keepTabInPanel(event);
      }
    }

    /** While the panel is open, Tab cycles inside it; closing it (Escape, ×) is the way out. */
    keepTabInPanel(event) {
      const items = tabbables(this.panel);
      if (items.length === 0) return;
      const first = items[0];
      const last = items[items.length - 1];
      const active = this.shadowRoot.activeElement;
      if (!active) return;
      const beforeFirst = !items.includes(active)
        && Boolean(first.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_PRECEDING);
      if (event.shiftKey && (active === first || beforeFirst)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && active === last) {
        event.preventDefault();
        first.focus();
      }
    }

    // -- connection ---------------------------------------------------------------------------

    /** A socket is wanted while a start is pending, a chat is live, or feedback is on its way. */
    needsSocket() {
      if (this.startRequest) return true;
      if (!this.chat) return false;
      return this.chat.phase !== 'ended' || Boolean(this.pendingFeedback);
    }

    connect() {
      clearTimeout(this.timers.reconnect);
      this.timers.reconnect = null;
      if (this.socket) return;
      this.ready = false;
      this.inFlight = [];
      this.stopWatching();
      const socket = new VisitorSocket(this.api.socketUrl, {
        onOpen: () => {
          const first = this.firstFrame();
          if (first) socket.send(first);
          else this.disconnect(); // the chat was forgotten while the socket was opening
        },
        onFrame: (frame) => this.handleFrame(frame),
        onClose: (code) => this.handleClose(code),
      });
      this.socket = socket;
      socket.open();
      this.owe('ready'); // the handshake and the answer to start/resume, within the ack timeout
    }

    firstFrame() {
      if (this.chat) {
        const { id: chat, token } = this.chat;
        return { type: 'resume', chat, token, after: this.book.lastSeq };
      }
      return this.startRequest && { type: 'start', ...this.startRequest };
    }

    disconnect() {
      this.socket?.close();
      this.socket = null;
      this.ready = false;
      this.stopWatching();
      clearTimeout(this.timers.reconnect);
      this.timers.reconnect = null;
    }

    /**
     * Closed by the server or the network. 4401: the stored chat is not ours any more (expired,
     * wrong token): forget it. 1012 (server restarting), 1006 (network) and the rest: reconnect
     * with backoff and resume, as long as there is something to resume.
     */
    handleClose(code) {
      this.socket = null;
      this.ready = false;
      // An `end` without its `ended` may never have arrived: send it again after the resume (a
      // resume that answers `ended` instead cancels it).
      if (this.watch.owed.has('end')) this.pendingEnd = true;
      this.stopWatching();
      if (code === 4401 && this.chat?.phase === 'ended') {
        // Feedback for an ended chat could not be sent; keep its transcript for download.
        this.pendingFeedback = null;
        this.setNotice({ key: 'notice.resume_failed' });
        this.update();
        return;
      }
      if (code === 4401) {
        this.forgetChat();
        this.showEntry().then(() => this.setNotice({ key: 'notice.resume_failed' }));
        return;
      }
      if (!this.chat && this.startRequest) {
        // The start never got an answer. Say so and let the visitor try again, rather than
        // retrying alone: a start that did arrive would leave a second chat in the queue.
        this.startRequest = null;
        this.startError = this.t('before.connect_error');
        this.go('before');
        return;
      }
      if (this.needsSocket()) this.scheduleReconnect();
    }

    scheduleReconnect() {
      if (this.timers.reconnect || this.socket) return;
      if (navigator.onLine === false) {
        this.setConnection('offline'); // the `online` event brings us back
        return;
      }
      this.setConnection('reconnecting');
      const delay = backoffDelay(this.attempt);
      this.attempt += 1;
      this.timers.reconnect = setTimeout(() => {
        this.timers.reconnect = null;
        if (this.needsSocket()) this.connect();
      }, delay);
    }

    // -- a socket that looks open but is deaf ------------------------------------------------

    get ackTimeout() {
      return CONFIG.ackTimeoutMs;
    }

    /** The current socket now owes an answer to `key`; the watchdog runs to the oldest one. */
    owe(key) {
      this.watch.owe(key, Date.now());
      this.armWatchdog();
    }

    settle(key) {
      this.watch.settle(key);
      this.armWatchdog();
    }

    armWatchdog() {
      clearTimeout(this.timers.deaf);
      this.timers.deaf = null;
      const deadline = this.watch.deadline(this.ackTimeout);
      if (deadline === null || !this.socket) return;
      this.timers.deaf = setTimeout(() => this.onDeaf(), Math.max(0, deadline - Date.now()));
    }

    /**
     * Nothing came back in time. Close the socket ourselves and treat it as any drop: reconnect
     * with backoff and resume; the replay shows what the server did store, and the outbox goes
     * again with the same ids (the server acks a known id with the seq it already has).
     */
    onDeaf() {
      this.timers.deaf = null;
      const deadline = this.watch.deadline(this.ackTimeout);
      if (deadline === null) return;
      if (Date.now() < deadline) {
        this.armWatchdog(); // a timer that fired early (clock adjusted): wait the rest
        return;
      }
      console.warn(`neuvo-chat: no answer in ${this.ackTimeout} ms; reconnecting`);
      this.socket?.close(); // on purpose, so no close event: handleClose is called here instead
      this.handleClose(1006);
    }

    /** Silence is fine, silence for too long is suspicious: ask (any frame is the answer). */
    restartIdle() {
      clearTimeout(this.timers.idle);
      this.timers.idle = null;
      if (!this.ready) return;
      this.timers.idle = setTimeout(() => this.probe(), PROBE_AFTER_SILENCE * this.ackTimeout);
    }

    /**
     * The liveness check: Neuvo answers `ping` with `pong`; any frame counts, and so does the
     * `unknown_type` error a server without `ping` would give. Only when nothing else is owed
     * (that is watched already).
     */
    probe() {
      clearTimeout(this.timers.idle);
      this.timers.idle = null;
      if (!this.ready || this.watch.size > 0) return;
      if (this.socket.send({ type: 'ping' })) {
        this.pingsOut += 1;
        this.owe('ping');
      }
    }

    stopWatching() {
      this.watch.clear();
      this.pingsOut = 0;
      for (const name of ['deaf', 'idle']) {
        clearTimeout(this.timers[name]);
        this.timers[name] = null;
      }
    }

    /** The browser lost its network: drop the socket now instead of waiting for it to time out. */
    onOffline() {
      if (!this.needsSocket()) return;
      this.disconnect();
      this.setConnection('offline');
    }

    onOnline() {
      if (this.socket) {
        this.probe(); // another network now: the old socket may be gone without a word
        return;
      }
      if (!this.needsSocket()) return;
      this.attempt = 0;
      this.setConnection('reconnecting');
      this.connect();
    }

    /**
     * The server has answered start/resume with the chat's current state (after replaying what
     * we missed). Only now is the outbox re-sent: the replay first shows what did arrive, and
     * the server dedupes the rest by id.
     */
    markReady() {
      if (this.ready) return;
      this.ready = true;
      this.attempt = 0;
      this.settle('ready');
      this.restartIdle();
      if (this.connection !== 'ok') this.setConnection('restored');
      this.flushOutbox();
      this.sendPending();
    }

    flushOutbox() {
      this.inFlight = [];
      for (const item of this.book.outbox) this.transmit(item);
    }

    transmit(item) {
      if (this.socket?.send({ type: 'message', id: item.id, text: item.text })) {
        this.inFlight.push(item.id);
        this.owe(`message:${item.id}`);
      }
    }

    sendPending() {
      if (!this.ready) return;
      if (this.pendingEnd && this.socket.send({ type: 'end' })) {
        this.pendingEnd = false;
        this.owe('end');
      }
      if (this.pendingFeedback && this.socket.send({ type: 'feedback', ...this.pendingFeedback })) {
        this.owe('feedback');
      }
    }

    // -- frames from the server ---------------------------------------------------------------

    handleFrame(frame) {
      this.settle('ping'); // any frame at all: the socket hears us and we hear it
      this.restartIdle();
      const handler = FRAME_HANDLERS[frame.type];
      if (handler) this[handler](frame);
      // Unknown types are ignored: the project may add frames (PROTOCOL.md) before we know them.
    }

    onQueued(frame) {
      if (!this.chat && frame.token && frame.chat && this.startRequest) {
        this.chat = { id: frame.chat, token: frame.token, ...this.startRequest, phase: 'waiting',
          advisor: null, wasAssigned: false, ended: null, feedbackSaved: false };
        this.book = new ChatBook();
        this.startRequest = null;
        this.startError = null;
      }
      this.onPosition(frame);
    }

    onPosition(frame) {
      if (!this.chat) return;
      this.queue = { position: frame.position, estimated_wait_s: frame.estimated_wait_s };
      this.chat.phase = 'waiting';
      this.chat.advisor = null;
      this.advisorTyping = false;
      this.persist();
      this.markReady();
      this.go('waiting');
    }

    /** Not taking chats (reply to `start`): offer the offline form with what was chosen. */
    onClosed(frame) {
      if (this.chat) return; // PROTOCOL.md sends it only instead of `queued`
      const request = this.startRequest || {};
      this.startRequest = null;
      this.disconnect();
      this.closedReason = frame.reason === 'unstaffed' ? 'unstaffed' : 'closed';
      if (this.service && 'next_open' in frame) this.service.next_open = frame.next_open;
      const form = this.forms.offline;
      form.topic = request.topic || form.topic;
      form.language = request.language || form.language;
      if (this.draft && !form.text) form.text = this.draft;
      this.go('closed');
    }

    onAssigned(frame) {
      if (!this.chat) return;
      const before = this.chat.advisor;
      const advisor = frame.advisor || {};
      this.chat.advisor = advisor;
      this.chat.phase = 'chatting';
      this.chat.wasAssigned = true;
      this.advisorTyping = false;
      this.persist();
      this.markReady();
      // A resume answers with `assigned` again: announce only a new advisor (first or transfer).
      if (before?.name !== advisor.name || before?.organisation !== advisor.organisation) {
        const name = advisor.name || this.t('message.advisor');
        this.announce(this.t('chatting.joined', { name }));
      }
      this.go('chatting');
    }

    onMessage(frame) {
      if (!this.chat || !Number.isInteger(frame.seq) || typeof frame.text !== 'string') return;
      if (!this.book.addMessage(frame)) return;
      this.persist();
      if (frame.from === 'advisor') {
        this.advisorTyping = false;
        if (this.panel.hidden) {
          this.unread += 1;
          this.renderLauncher();
          this.announce(this.i18n.plural('launcher.unread', this.unread));
        }
      }
      this.update();
    }

    onAck(frame) {
      this.inFlight = this.inFlight.filter((id) => id !== frame.id);
      this.settle(`message:${frame.id}`);
      if (this.book.acknowledge(frame.id, frame.seq)) {
        this.persist();
        this.update();
      }
    }

    onTyping(frame) {
      if (frame.from !== 'advisor') return;
      this.advisorTyping = true;
      clearTimeout(this.timers.typing);
      this.timers.typing = setTimeout(() => {
        this.advisorTyping = false;
        this.update();
      }, TYPING_SHOWN_MS);
      this.update();
    }

    /**
     * The chat is over. Lines still in the outbox were never stored and now cannot be; when the
     * service closed before anyone answered, they and everything the visitor wrote go into the
     * offline form instead (DESIGN.md: "offered the offline form with what they typed kept").
     */
    onEnded(frame) {
      if (!this.chat) return;
      this.watch.settleAll('message:');
      this.settle('end');
      if (this.chat.phase !== 'ended') {
        const unsent = this.book.clearOutbox().map((item) => item.text);
        this.inFlight = [];
        this.pendingEnd = false;
        this.advisorTyping = false;
        this.chat.phase = 'ended';
        this.chat.ended = { by: frame.by || null, reason: frame.reason || null };
        this.chat.offerOffline = frame.reason === 'service_closed' && !this.chat.wasAssigned;
        if (this.chat.offerOffline) this.prefillOfflineForm(unsent);
        this.persist();
      }
      this.markReady();
      const feedbackPossible = this.chat.wasAssigned && !this.chat.feedbackSaved;
      if (!feedbackPossible && !this.pendingFeedback) this.disconnect();
      this.go('ended');
    }

    /** The offline form, filled with the chat's topic, language and all the visitor wrote. */
    prefillOfflineForm(unsent = []) {
      const form = this.forms.offline;
      form.topic = this.chat.topic;
      form.language = this.chat.language;
      form.text = [...this.book.visitorTexts(), ...unsent, this.draft].filter(Boolean).join('\n\n');
      this.draft = '';
    }

    onFeedbackSaved() {
      if (!this.chat) return;
      this.chat.feedbackSaved = true;
      this.pendingFeedback = null;
      this.settle('feedback');
      this.persist();
      this.disconnect();
      this.update();
    }

    onPong() {
      this.pingsOut = Math.max(0, this.pingsOut - 1);
    }

    onError(frame) {
      if (frame.code === 'unknown_type' && this.pingsOut > 0) {
        this.onPong(); // today's server answers a ping so (see probe())
        return;
      }
      const known = `error.${frame.code}`;
      const text = this.i18n.has(known) ? this.t(known) : frame.message || this.t('error.generic');
      switch (frame.code) {
        case 'too_long': {
          // Nothing was stored. The refused line is the oldest one still waiting for its ack
          // (the server answers in order): put it back in the message box to be shortened.
          const item = this.book.takeBack(this.inFlight.shift());
          if (item) this.settle(`message:${item.id}`);
          if (item) this.draft = this.draft ? `${item.text}\n${this.draft}` : item.text;
          this.composerError = text;
          this.persist();
          this.update();
          return;
        }
        case 'unauthorized':
          return; // close 4401 follows; handleClose forgets the chat
        case 'unavailable':
        case 'rate_limited':
          if (!this.chat) break;
          // Nothing was acked or saved: send again in a moment, with the same ids (the server
          // answered, so it is not deaf: the clocks start again with the re-send).
          if (this.watch.owed.has('end')) this.pendingEnd = true; // `ended` cancels it
          for (const key of ['message:', 'end', 'feedback']) this.watch.settleAll(key);
          this.armWatchdog();
          clearTimeout(this.timers.retry);
          this.timers.retry = setTimeout(() => {
            if (!this.ready) return;
            this.flushOutbox();
            this.sendPending();
          }, RETRY_AFTER_ERROR_MS);
          this.setNotice({ text });
          return;
        default:
          break;
      }
      if (this.startRequest && !this.chat) {
        // The start itself was refused (unknown topic, too many new chats...): say why.
        this.startRequest = null;
        this.startError = text;
        this.disconnect();
        this.update();
        return;
      }
      if (this.pendingFeedback) {
        this.pendingFeedback = null; // refused; the button comes back
        this.settle('feedback');
      }
      this.setNotice({ text });
      this.update();
    }

    // -- actions from the views ---------------------------------------------------------------

    startChat(topic, language) {
      if (this.startRequest || this.chat) return;
      this.startRequest = { topic, language };
      this.startError = null;
      this.setNotice(null);
      this.update();
      this.connect();
    }

    /** Returns an error text for the message box, or null when the line is on its way. */
    sendMessage(rawText) {
      const text = rawText.trim();
      if (!text) return null;
      const over = countChars(text) - this.maxLength;
      if (over > 0) return this.i18n.plural('composer.over', over);
      if (!this.chat || this.chat.phase === 'ended') return this.t('error.chat_ended');
      const item = { id: newClientId(window.crypto), text, at: new Date().toISOString() };
      this.book.queue(item);
      this.composerError = null;
      this.setNotice(null);
      this.persist();
      if (this.ready) this.transmit(item);
      this.update();
      return null;
    }

    /** Keep the draft (saved a moment later) and tell the advisor, at most every 3 s. */
    setDraft(text) {
      this.draft = text;
      clearTimeout(this.timers.draft);
      this.timers.draft = setTimeout(() => this.persist(), DRAFT_SAVE_DELAY_MS);
      const now = Date.now();
      const someoneToTell = this.ready && this.chat?.phase === 'chatting';
      if (text.trim() && someoneToTell && now - this.lastTypingSent >= TYPING_EVERY_MS) {
        if (this.socket.send({ type: 'typing' })) this.lastTypingSent = now;
      }
    }

    endChat() {
      if (!this.chat || this.chat.phase === 'ended') return;
      this.pendingEnd = true;
      this.sendPending();
    }

    sendFeedback(rating, comment) {
      this.pendingFeedback = { rating, comment };
      this.update();
      if (this.ready) this.sendPending();
      else this.connect();
    }

    async sendOfflineMessage(values) {
      const body = { topic: values.topic, language: values.language, text: values.text };
      if (values.contact.trim()) body.contact = values.contact.trim();
      try {
        const result = await this.api.sendOfflineMessage(body);
        if (result.ok) {
          this.forms.offline.text = '';
          this.forms.offline.contact = '';
          this.go('offline_sent');
        }
        return result;
      } catch (error) {
        console.warn('neuvo-chat: offline message not sent', error);
        return { ok: false, message: null };
      }
    }

    downloadTranscript() {
      const i18n = this.i18n;
      const chat = this.chat || {};
      const topic = (this.service?.topics || []).find((item) => item.id === chat.topic);
      const heading = [
        this.t('transcript.title'),
        this.t('transcript.saved', { date: i18n.dateTime(new Date().toISOString()) }),
      ];
      if (topic) {
        heading.push(this.t('transcript.topic', { topic: topic.label?.[i18n.lang] || topic.id }));
      }
      const text = buildTranscript(this.book.history, {
        heading, when: (at) => i18n.dateTime(at), who: (from) => i18n.sender(from),
      });
      const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
      const day = new Date().toISOString().slice(0, 10);
      const link = h('a', { href: url, download: `${this.t('transcript.filename')}-${day}.txt`,
        hidden: true });
      this.shadowRoot.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    }

    startAgain() {
      this.forgetChat();
      this.showEntry();
    }

    forgetChat() {
      this.disconnect();
      for (const timer of Object.values(this.timers)) clearTimeout(timer);
      this.chat = null;
      this.book = new ChatBook();
      this.draft = '';
      this.pendingEnd = false;
      this.pendingFeedback = null;
      this.composerError = null;
      this.advisorTyping = false;
      this.forms.feedback = { rating: null, comment: '' };
      this.setConnection('ok');
      this.setNotice(null);
      this.persist();
    }

    announce(text) {
      setText(this.announcer, text);
    }
  }

  const FRAME_HANDLERS = {
    queued: 'onQueued',
    position: 'onPosition',
    closed: 'onClosed',
    assigned: 'onAssigned',
    message: 'onMessage',
    ack: 'onAck',
    typing: 'onTyping',
    ended: 'onEnded',
    feedback_saved: 'onFeedbackSaved',
    error: 'onError',
    pong: 'onPong',
  };

  function stripBook({ history, lastSeq, ...chat }) {
    return chat;
  }

  /** A language's name in that language ("suomi", "svenska", "English") for the switch. */
  function selfName(code) {
    try {
      return new Intl.DisplayNames([LOCALES[code]], { type: 'language' }).of(code) || code;
    } catch {
      return code.toUpperCase();
    }
  }

  function sessionStorageOrNull() {
    try {
      return window.sessionStorage; // the getter itself throws where storage is disabled
    } catch {
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 9. Boot: read our own tag and <html lang>, define the element, append it to <body>.
  // ---------------------------------------------------------------------------------------------

  // The tag is on the page twice: one widget is enough.
  if (customElements.get('neuvo-chat')) return;

  const ownScript = document.currentScript;
  if (!ownScript || !ownScript.src) {
    console.error('neuvo-chat: load widget.js with <script src="…/widget.js" defer>');
    return;
  }

  const CONFIG = Object.freeze({
    origin: new URL(ownScript.src).origin, // .src is already absolute
    dataLang: ownScript.dataset.lang,
    topic: ownScript.dataset.topic,
    ackTimeoutMs: ackTimeoutFrom(ownScript.dataset.ackTimeoutMs),
    pageLang: document.documentElement.lang,
  });

  customElements.define('neuvo-chat', NeuvoChatElement);

  const mount = () => document.body.append(document.createElement('neuvo-chat'));
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
})();
