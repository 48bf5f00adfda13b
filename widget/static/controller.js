/*
 * The visitor's session: what the widget shows and sends, without a DOM.
 *
 * Theory of operation
 *
 * - The controller is fed server frames (through its Connection) and the visitor's intents
 *   (startChat, sendMessage, askToEnd, endChat, ...), keeps the session's state, and tells its
 *   listener after every change: onChange(controller, { remount }) to render, onAnnounce(news)
 *   for what a visitor with the panel closed should hear. It never touches document or window:
 *   the socket, the timers, the clock, the HTTP side and the storage are all handed in, so
 *   tests/widget drives it with a fake socket and a manual clock.
 * - The log shows what happened as well as what was said: the visitor frames say who is serving
 *   the chat, not why it changed, so the events are read from their order (an advisor named
 *   when none was: joined; another advisor named: transferred; back to `queued`/`position` with
 *   an advisor: that advisor left, back in the queue) and kept in the chat book.
 * - Words are chosen, not written: errors and notices are { key, vars, count, text } values that
 *   the views put into the visitor's language (Translator.say), so a language switch rewrites them.
 * - The server is the record (docs/protocol.md). Kept in sessionStorage is just enough to pick a
 *   chat up again after a reload or a dropped network: chat id, token, the last seq seen, the
 *   lines shown, and an outbox of lines not acknowledged yet. An outbox line keeps its client id
 *   across reconnects and the server dedupes by it: no line is lost and none is doubled.
 *
 * Views and what moves between them:
 *
 *   loading ──/api/service──▶ before (accepting) | closed (not accepting) | load_error
 *   before ──start──▶ waiting (queued; the question typed on the start screen is its first line)
 *          | closed (closed frame)
 *   before ──leave a message (nobody on duty speaks the language)──▶ closed
 *   waiting ──assigned──▶ chatting ──queued/position──▶ waiting (advisor lost; transfer)
 *   waiting | chatting ──ended──▶ ended ──start again──▶ loading
 *     (the visitor's own end is asked twice: askToEnd shows the question, endChat sends it)
 *   closed ──offline message sent──▶ offline_sent ──back──▶ loading
 *
 * A page load with a stored chat goes straight to its stored phase (waiting, chatting, ended)
 * and resumes. The connection state (reconnecting, offline, restored) is shown beside the view,
 * not as a view of its own, so the visitor keeps reading and typing while it reconnects.
 */

import { ChatBook, countChars } from './book.js';
import { Connection, newClientId } from './connection.js';

const TYPING_EVERY_MS = 3000; // we send `typing` at most this often
const TYPING_SHOWN_MS = 6000; // an advisor's `typing` stays on screen this long
const RETRY_AFTER_ERROR_MS = 2000; // re-send the outbox after `unavailable` / `rate_limited`
const RESTORED_SHOWN_MS = 4000; // "Connection restored" stays this long
const SERVICE_STALE_MS = 60000; // re-ask /api/service when the panel opens after this
const DRAFT_SAVE_DELAY_MS = 300;
const DEFAULT_MAX_LENGTH = 2000; // PROTOCOL.md's default, until /api/service tells

// Errors under the message box that are about the text's length (updated as it is edited).
const LENGTH_ERRORS = new Set(['composer.over', 'error.too_long']);

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
  survey_saved: 'onSurveySaved',
  idle_warning: 'onIdleWarning',
  idle_cleared: 'onIdleCleared',
  error: 'onError',
};

export class SessionController {
  /**
   * api: ServerApi (or a fake: socketUrl, service(), sendOfflineMessage(body)); store: load() and
   * save(record); topic: data-topic; ackTimeoutMs; onChange, onAnnounce: the listener; and for
   * tests WebSocket, timers ({ setTimeout, clearTimeout }), now, isOnline, random, newId.
   */
  constructor({ api, store, topic = null, ackTimeoutMs, onChange = () => {}, onAnnounce = () => {},
    WebSocket, timers = globalThis, now = Date.now, isOnline = () => globalThis.navigator?.onLine,
    random = Math.random, newId = () => newClientId() }) {
    this.api = api;
    this.store = store;
    this.topic = topic;
    this.onChange = onChange;
    this.onAnnounce = onAnnounce;
    this.timers = timers;
    this.now = now;
    this.newId = newId;
    this.link = new Connection(api.socketUrl, {
      onOpen: () => this.onOpen(),
      onFrame: (frame) => this.handleFrame(frame),
      onClose: (code, owed) => this.handleClose(code, owed),
    }, { ackTimeoutMs, WebSocket, timers, now, isOnline, random, wanted: () => this.needsSocket() });
    this.restore(store.load());
  }

  /** State from the stored record (language, panel, draft, chat); everything else fresh. */
  restore(record) {
    this.storedLang = record.lang;
    this.keepHere = record.keep === true;
    this.lang = null; // the widget's language, once its texts have loaded
    this.panelOpen = Boolean(record.panelOpen);
    this.draft = typeof record.draft === 'string' ? record.draft : '';
    const stored = record.chat;
    this.chat = stored?.id && stored.token ? stripBook(stored) : null;
    this.book = new ChatBook(this.chat ? {
      history: stored.history || [], outbox: record.outbox || [], lastSeq: stored.lastSeq || 0,
      events: stored.events || [],
    } : {});
    this.service = null;
    this.serviceAt = 0;
    this.view = null;
    this.queue = {};
    this.connection = 'ok';
    this.startRequest = null;
    this.startError = null;
    this.pendingEnd = false;
    this.confirmingEnd = false;
    this.firstLine = null; // typed on the start screen: the chat's first line once it is queued
    this.pendingFeedback = null;
    this.pendingSurvey = null; // the questionnaire's answers, on their way until survey_saved
    this.composerError = null;
    this.advisorTyping = false;
    this.idleWarning = false; // the server said the silent chat ends soon (idle_warning)
    this.lastTypingSent = 0;
    this.unread = 0;
    this.closedReason = 'closed';
    this.notice = null;
    this.timer = { typing: null, restored: null, retry: null, draft: null };
    this.chatLanguageChosen = false;
    this.forms = {
      before: { topic: null, language: null },
      offline: { topic: null, language: null, text: '', contact: '' },
      feedback: { rating: null, comment: '' },
      survey: {}, // question id → a number (scale, choice) or a text
    };
  }

  /** The texts are in: show the stored chat (and resume it) or ask the service. */
  start(lang) {
    this.lang = lang;
    if (this.chat) {
      if (this.chat.offerOffline) this.prefillOfflineForm();
      this.go(this.chat.phase);
      if (this.needsSocket()) this.connect();
      // The offline form lists the service's topics; the rest only needs max_length.
      this.fetchService().then(() => this.changed({ remount: Boolean(this.chat?.offerOffline) }));
    } else {
      this.showEntry();
    }
  }

  /**
   * What survives a reload: the widget's language always; the chat (token, lines, draft, outbox,
   * the open panel) only when the visitor chose to keep it on this device. Off by default: on a
   * shared computer nothing of the chat outlives the page (the tab's "reopen" brings back
   * sessionStorage, so off means not written there at all).
   */
  persist() {
    this.clearTimer('draft');
    const record = { lang: this.lang || this.storedLang };
    if (this.keepHere) {
      Object.assign(record, {
        keep: true,
        panelOpen: this.panelOpen,
        draft: this.draft,
        chat: this.chat && { ...this.chat, lastSeq: this.book.lastSeq, history: this.book.history,
          events: this.book.events },
        outbox: this.book.outbox,
      });
    }
    this.store.save(record);
  }

  /** "Keep this chat on this device" (the visitor's choice, any time): kept or dropped now. */
  setKeepHere(on) {
    this.keepHere = Boolean(on);
    this.persist();
    this.changed();
  }

  get maxLength() {
    const limit = this.service?.max_length;
    return Number.isInteger(limit) ? limit : DEFAULT_MAX_LENGTH;
  }

  changed({ remount = false } = {}) {
    this.onChange(this, { remount });
  }

  go(view) {
    this.view = view;
    this.changed();
  }

  /**
   * The widget's language. The chat's language on the forms follows it (when the service offers
   * it), so an English visitor is not queued for Finnish, unless the visitor chose one.
   */
  setLanguage(lang) {
    this.lang = lang;
    const offered = this.service?.languages || [];
    if (!this.chatLanguageChosen && offered.includes(lang)) this.setChatLanguage(lang);
    this.persist();
  }

  /** The visitor picked the chat's language themselves: the widget's language no longer moves it. */
  chooseChatLanguage(language) {
    this.chatLanguageChosen = true;
    this.setChatLanguage(language);
    this.changed(); // whether anyone on duty speaks it
  }

  /**
   * False when the service said nobody on duty speaks `language` (the chat would wait for
   * nobody); true otherwise, also when the service did not say.
   */
  languageOnDuty(language) {
    return this.service?.languages_on_duty?.[language] !== false;
  }

  /**
   * The coordinators' pages for a topic (/api/service `topics[].help`): in the widget's language,
   * else in the chat's; each { title, href } with href as the service gave it.
   */
  helpLinks(topicId, language) {
    const topic = (this.service?.topics || []).find((item) => item.id === topicId);
    const help = topic?.help || {};
    const links = help[this.lang] || help[language] || [];
    return links.filter((link) => typeof link?.title === 'string' && typeof link?.href === 'string');
  }

  setChatLanguage(language) {
    for (const form of [this.forms.before, this.forms.offline]) form.language = language;
  }

  setConnection(state) {
    this.clearTimer('restored');
    this.connection = state;
    this.changed();
    if (state === 'restored') {
      this.timer.restored = this.timers.setTimeout(() => this.setConnection('ok'),
        RESTORED_SHOWN_MS);
    }
  }

  /** A polite line under the header: an error frame, a chat that could not be resumed. */
  setNotice(notice) {
    this.notice = notice;
    this.changed();
  }

  // -- the service ----------------------------------------------------------------------------

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
      this.serviceAt = this.now();
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
    const topic = topics.includes(this.topic) ? this.topic : topics[0] || null;
    const language = languages.includes(this.lang) ? this.lang : languages[0] || null;
    for (const form of [this.forms.before, this.forms.offline]) {
      if (!topics.includes(form.topic)) form.topic = topic;
      if (!languages.includes(form.language)) form.language = language;
    }
  }

  // -- the panel --------------------------------------------------------------------------------

  openPanel() {
    this.panelOpen = true;
    this.unread = 0;
    this.persist();
    this.changed();
    const stale = this.now() - this.serviceAt > SERVICE_STALE_MS;
    const entry = ['before', 'closed', 'load_error'].includes(this.view);
    if (!this.chat && entry && stale) this.showEntry({ quiet: this.view !== 'load_error' });
  }

  closePanel() {
    this.panelOpen = false;
    this.persist();
  }

  // -- the connection -----------------------------------------------------------------------------

  /** A socket is wanted while a start is pending, a chat is live, or answers are on their way. */
  needsSocket() {
    if (this.startRequest) return true;
    if (!this.chat) return false;
    return this.chat.phase !== 'ended' || this.answersOnTheirWay();
  }

  answersOnTheirWay() {
    return Boolean(this.pendingFeedback || this.pendingSurvey);
  }

  /** The coordinators' questions (/api/service `survey`), asked beside the rating. */
  get surveyQuestions() {
    const questions = this.service?.survey;
    return Array.isArray(questions) ? questions : [];
  }

  connect() {
    this.link.connect();
  }

  disconnect() {
    this.link.disconnect();
  }

  onOpen() {
    const first = this.firstFrame();
    if (first) this.link.send(first);
    else this.disconnect(); // the chat was forgotten while the socket was opening
  }

  firstFrame() {
    if (this.chat) {
      const { id: chat, token } = this.chat;
      return { type: 'resume', chat, token, after: this.book.lastSeq };
    }
    return this.startRequest && { type: 'start', ...this.startRequest };
  }

  /**
   * Closed by the server, the network or the deaf check. 4401: the stored chat is not ours any
   * more (expired, wrong token): forget it. 1012 (server restarting), 1006 (network) and the
   * rest: reconnect with backoff and resume, as long as there is something to resume.
   */
  handleClose(code, owed) {
    // An `end` without its `ended` may never have arrived: send it again after the resume (a
    // resume that answers `ended` instead cancels it).
    if (owed.has('end')) this.pendingEnd = true;
    if (code === 4401 && this.chat?.phase === 'ended') {
      // Feedback for an ended chat could not be sent; keep its transcript for download.
      this.pendingFeedback = null;
      this.pendingSurvey = null;
      this.setNotice({ key: 'notice.resume_failed' });
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
      this.firstLine = null; // still in the draft, for the next try
      this.startError = { key: 'before.connect_error' };
      this.go('before');
      return;
    }
    if (this.needsSocket()) this.scheduleReconnect();
  }

  scheduleReconnect() {
    const state = this.link.scheduleReconnect();
    if (state) this.setConnection(state);
  }

  /** The page is visible again (a phone waking): is the socket still there? */
  probe() {
    this.link.probe();
  }

  /** The browser lost its network: drop the socket now instead of waiting for it to time out. */
  onOffline() {
    if (!this.needsSocket()) return;
    this.disconnect();
    this.setConnection('offline');
  }

  onOnline() {
    if (this.link.active) {
      this.probe(); // another network now: the old socket may be gone without a word
      return;
    }
    if (!this.needsSocket()) return;
    this.setConnection('reconnecting');
    this.link.reconnectNow();
  }

  /**
   * The server has answered start/resume with the chat's current state (after replaying what
   * we missed). Only now is the outbox re-sent: the replay first shows what did arrive, and
   * the server dedupes the rest by id.
   */
  markReady() {
    if (!this.link.markReady()) return;
    if (this.connection !== 'ok') this.setConnection('restored');
    this.flushOutbox();
    this.sendPending();
  }

  flushOutbox() {
    this.link.resend(this.book.outbox.map(messageFrame));
  }

  sendPending() {
    if (!this.link.ready) return;
    if (this.pendingEnd && this.link.send({ type: 'end' })) {
      this.pendingEnd = false;
      this.link.owe('end');
    }
    if (this.pendingFeedback && this.link.send({ type: 'feedback', ...this.pendingFeedback })) {
      this.link.owe('feedback');
    }
    if (this.pendingSurvey && this.link.send({ type: 'survey', answers: this.pendingSurvey })) {
      this.link.owe('survey');
    }
  }

  // -- frames from the server -----------------------------------------------------------------

  handleFrame(frame) {
    const handler = FRAME_HANDLERS[frame.type];
    if (handler) this[handler](frame);
    // Unknown types are ignored: the project may add frames (PROTOCOL.md) before we know them.
  }

  /**
   * A new chat (with its token): the question typed on the start screen goes into the outbox, so
   * it is sent as the first line once the chat is ready, re-sent and acked as any line is.
   */
  onQueued(frame) {
    if (!this.chat && frame.token && frame.chat && this.startRequest) {
      this.chat = { id: frame.chat, token: frame.token, ...this.startRequest, phase: 'waiting',
        advisor: null, wasAssigned: false, ended: null, feedbackSaved: false,
        surveySaved: false };
      this.book = new ChatBook();
      this.startRequest = null;
      this.startError = null;
      if (this.firstLine) {
        this.book.queue(this.newLine(this.firstLine));
        if (this.draft.trim() === this.firstLine) this.draft = '';
        this.firstLine = null;
      }
    }
    this.onPosition(frame);
  }

  /** Back in the queue from a chat with an advisor (a transfer to a queue, the advisor lost). */
  onPosition(frame) {
    if (!this.chat) return;
    if (this.chat.phase === 'chatting' && this.chat.advisor) {
      this.noteEvent('requeued', this.chat.advisor);
    }
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
    this.firstLine = null; // the draft goes into the offline form below
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
    // A resume answers with `assigned` again: only a new advisor is news (first or transfer).
    if (!before) this.noteEvent('joined', advisor);
    else if (before.name !== advisor.name || before.organisation !== advisor.organisation) {
      this.noteEvent('transferred', advisor);
    }
    this.persist();
    this.markReady();
    this.go('chatting');
  }

  /** An event in the log (after the lines shown), and news for a visitor whose panel is closed. */
  noteEvent(kind, { name = null, organisation = null } = {}) {
    const event = { kind, name, organisation, at: new Date(this.now()).toISOString() };
    this.book.note(event);
    this.onAnnounce({ event });
  }

  onMessage(frame) {
    if (!this.chat || !Number.isInteger(frame.seq) || typeof frame.text !== 'string') return;
    this.idleWarning = false; // a line starts the idle clock again (docs/protocol.md)
    if (!this.book.addMessage(frame)) return;
    this.persist();
    if (frame.from === 'advisor') {
      this.advisorTyping = false;
      if (!this.panelOpen) {
        this.unread += 1;
        this.onAnnounce({ unread: this.unread });
      }
    }
    this.changed();
  }

  onAck(frame) {
    this.link.acked(frame.id);
    if (this.book.acknowledge(frame.id, frame.seq)) {
      this.persist();
      this.changed();
    }
  }

  /** The silent chat ends soon unless someone writes or says they are still here. */
  onIdleWarning() {
    if (!this.chat || this.chat.phase === 'ended') return;
    this.idleWarning = true;
    this.changed();
  }

  onIdleCleared() {
    this.idleWarning = false;
    this.changed();
  }

  onTyping(frame) {
    if (frame.from !== 'advisor') return;
    this.advisorTyping = true;
    this.clearTimer('typing');
    this.timer.typing = this.timers.setTimeout(() => {
      this.advisorTyping = false;
      this.changed();
    }, TYPING_SHOWN_MS);
    this.changed();
  }

  /**
   * The chat is over. Lines still in the outbox were never stored and now cannot be; when the
   * service closed before anyone answered, they and everything the visitor wrote go into the
   * offline form instead (DESIGN.md: "offered the offline form with what they typed kept").
   */
  onEnded(frame) {
    if (!this.chat) return;
    this.link.settleAll('message:');
    this.link.settle('end');
    if (this.chat.phase !== 'ended') {
      const unsent = this.book.clearOutbox().map((item) => item.text);
      this.link.inFlight = [];
      this.pendingEnd = false;
      this.confirmingEnd = false;
      this.advisorTyping = false;
      this.idleWarning = false;
      this.chat.phase = 'ended';
      this.chat.ended = { by: frame.by || null, reason: frame.reason || null };
      this.chat.offerOffline = frame.reason === 'service_closed' && !this.chat.wasAssigned;
      if (this.chat.offerOffline) this.prefillOfflineForm(unsent);
      this.persist();
    }
    this.markReady();
    const feedbackPossible = this.chat.wasAssigned && !this.chat.feedbackSaved;
    const surveyPossible = this.chat.wasAssigned && !this.chat.surveySaved
      && this.surveyQuestions.length > 0;
    if (!feedbackPossible && !surveyPossible && !this.answersOnTheirWay()) this.disconnect();
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
    this.link.settle('feedback');
    this.persist();
    if (!this.pendingSurvey) this.disconnect();
    this.changed();
  }

  onSurveySaved() {
    if (!this.chat) return;
    this.chat.surveySaved = true;
    this.pendingSurvey = null;
    this.link.settle('survey');
    this.persist();
    if (!this.pendingFeedback) this.disconnect();
    this.changed();
  }

  onError(frame) {
    const words = { key: `error.${frame.code}`, text: frame.message || null };
    switch (frame.code) {
      case 'too_long': {
        // Nothing was stored. The refused line is the oldest one still waiting for its ack
        // (the server answers in order): put it back in the message box to be shortened.
        const item = this.book.takeBack(this.link.takeOldestInFlight());
        if (item) this.link.settle(`message:${item.id}`);
        if (item) this.draft = this.draft ? `${item.text}\n${this.draft}` : item.text;
        this.composerError = words;
        this.persist();
        this.changed();
        return;
      }
      case 'unauthorized':
        return; // close 4401 follows; handleClose forgets the chat
      case 'unavailable':
      case 'rate_limited':
        if (!this.chat) break;
        // Nothing was acked or saved: send again in a moment, with the same ids (the server
        // answered, so it is not deaf: the clocks start again with the re-send).
        if (this.link.owes('end')) this.pendingEnd = true; // `ended` cancels it
        for (const key of ['message:', 'end', 'feedback', 'survey']) this.link.settleAll(key);
        this.clearTimer('retry');
        this.timer.retry = this.timers.setTimeout(() => {
          if (!this.link.ready) return;
          this.flushOutbox();
          this.sendPending();
        }, RETRY_AFTER_ERROR_MS);
        this.setNotice(words);
        return;
      default:
        break;
    }
    if (this.startRequest && !this.chat) {
      // The start itself was refused (unknown topic, too many new chats, storage unable to keep
      // it now: nothing was queued): say why; the visitor may start again.
      this.startRequest = null;
      this.firstLine = null;
      this.startError = frame.code === 'unavailable' ? { key: 'before.unavailable' } : words;
      this.disconnect();
      this.changed();
      return;
    }
    if (this.link.owes('survey')) {
      this.pendingSurvey = null; // refused (a question no longer asked); the button comes back
      this.link.settle('survey');
    } else if (this.pendingFeedback) {
      this.pendingFeedback = null; // refused; the button comes back
      this.link.settle('feedback');
    }
    this.setNotice(words);
  }

  // -- the visitor's intents ------------------------------------------------------------------

  /** Start, with what the message box of the start screen holds (the draft) as the first line. */
  startChat(topic, language) {
    if (this.startRequest || this.chat) return;
    const over = this.overLimit(this.draft);
    if (over > 0) {
      this.startError = { key: 'composer.over', count: over };
      this.changed();
      return;
    }
    this.startRequest = { topic, language };
    this.firstLine = this.draft.trim() || null;
    this.startError = null;
    this.setNotice(null);
    this.connect();
  }

  /**
   * Nobody on duty speaks the chosen language: a message instead, with what was chosen and
   * typed on the start screen.
   */
  leaveMessage() {
    const form = this.forms.offline;
    Object.assign(form, { topic: this.forms.before.topic, language: this.forms.before.language });
    if (this.draft.trim() && !form.text) form.text = this.draft.trim();
    this.closedReason = 'language';
    this.go('closed');
  }

  /** Returns the words for an error under the message box, or null when the line is on its way. */
  sendMessage(rawText) {
    const text = rawText.trim();
    if (!text) return null;
    const over = this.overLimit(text);
    if (over > 0) return this.refuse({ key: 'composer.over', count: over });
    if (!this.chat || this.chat.phase === 'ended') return this.refuse({ key: 'error.chat_ended' });
    const item = this.newLine(text);
    this.book.queue(item);
    this.composerError = null;
    this.notice = null;
    this.persist();
    if (this.link.ready) this.link.transmit(messageFrame(item));
    this.changed();
    return null;
  }

  newLine(text) {
    return { id: this.newId(), text, at: new Date(this.now()).toISOString() };
  }

  /** The words under the message box for a line that was not sent; also returned. */
  refuse(words) {
    this.composerError = words;
    this.changed();
    return words;
  }

  /** How many characters the text (as it would be sent) has beyond max_length. */
  overLimit(text) {
    return countChars(text.trim()) - this.maxLength;
  }

  /**
   * Keep the draft (saved a moment later) and tell the advisor, at most every 3 s. A length
   * error under the box follows the text: the count while it is over, nothing once it fits.
   */
  setDraft(text) {
    this.draft = text;
    if (LENGTH_ERRORS.has(this.composerError?.key)) {
      const over = this.overLimit(text);
      const words = over > 0 ? { key: 'composer.over', count: over } : null;
      if (words?.count !== this.composerError.count || words?.key !== this.composerError.key) {
        this.composerError = words;
        this.changed();
      }
    }
    this.clearTimer('draft');
    this.timer.draft = this.timers.setTimeout(() => this.persist(), DRAFT_SAVE_DELAY_MS);
    const now = this.now();
    const someoneToTell = this.link.ready && this.chat?.phase === 'chatting';
    if (text.trim() && someoneToTell && now - this.lastTypingSent >= TYPING_EVERY_MS) {
      if (this.link.send({ type: 'typing' })) this.lastTypingSent = now;
    }
  }

  /** "I'm still here": the idle clock starts again once the server answers idle_cleared. */
  stillHere() {
    if (this.idleWarning) this.link.send({ type: 'still_here' });
  }

  /** "End chat" (or "Leave the queue") pressed: ask first; nothing is sent yet. */
  askToEnd() {
    if (!this.chat || this.chat.phase === 'ended') return;
    this.confirmingEnd = true;
    this.changed();
  }

  cancelEnd() {
    this.confirmingEnd = false;
    this.changed();
  }

  /** The visitor said yes: end the chat (or leave the queue). */
  endChat() {
    this.confirmingEnd = false;
    if (!this.chat || this.chat.phase === 'ended') return;
    this.pendingEnd = true;
    this.sendPending();
    this.changed();
  }

  sendFeedback(rating, comment) {
    this.pendingFeedback = { rating, comment };
    this.sendAnswers();
  }

  /**
   * The questionnaire's answers (forms.survey), the unanswered left out: sent like the rating,
   * again after a cut or an `unavailable` until survey_saved (a resend stores nothing).
   */
  sendSurvey() {
    this.pendingSurvey = this.surveyQuestions.map((question) => answerTo(question,
      this.forms.survey[question.id])).filter(Boolean);
    this.sendAnswers();
  }

  sendAnswers() {
    this.changed();
    if (this.link.ready) this.sendPending();
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
        this.draft = ''; // it went with the message
        this.persist();
        this.go('offline_sent');
      }
      return result;
    } catch (error) {
      console.warn('neuvo-chat: offline message not sent', error);
      return { ok: false, message: null };
    }
  }

  /**
   * Quick exit (docs/protocol.md): the server hears it while a chat is live (its advisor learns
   * the visitor left), then nothing of the chat is kept in this browser. The element then has
   * the host page replaced by a neutral one.
   */
  quickExit() {
    if (this.chat && this.chat.phase !== 'ended') this.link.send({ type: 'quick_exit' });
    this.forgetChat();
    this.panelOpen = false;
    this.keepHere = false;
    this.store.clear();
  }

  /**
   * "Forget this chat on this device" after the end (a shared computer): nothing of it is kept
   * in this browser any more; the start screen says so.
   */
  forgetHere() {
    this.forgetChat();
    this.keepHere = false;
    this.store.clear();
    this.showEntry().then(() => this.setNotice({ key: 'notice.forgotten' }));
  }

  startAgain() {
    this.forgetChat();
    this.showEntry();
  }

  forgetChat() {
    this.disconnect();
    for (const name of Object.keys(this.timer)) this.clearTimer(name);
    this.chat = null;
    this.book = new ChatBook();
    this.draft = '';
    this.pendingEnd = false;
    this.confirmingEnd = false;
    this.firstLine = null;
    this.pendingFeedback = null;
    this.pendingSurvey = null;
    this.composerError = null;
    this.advisorTyping = false;
    this.idleWarning = false;
    this.forms.feedback = { rating: null, comment: '' };
    this.forms.survey = {};
    this.notice = null;
    this.setConnection('ok');
    this.persist();
  }

  clearTimer(name) {
    this.timers.clearTimeout(this.timer[name]);
    this.timer[name] = null;
  }
}

/** One answer of the survey frame, or null for a question left unanswered. */
function answerTo(question, given) {
  if (question.kind === 'text') {
    const text = typeof given === 'string' ? given.trim() : '';
    return text ? { question: question.id, text } : null;
  }
  return Number.isInteger(given) ? { question: question.id, value: given } : null;
}

function messageFrame(item) {
  return { type: 'message', id: item.id, text: item.text };
}

function stripBook({ history, lastSeq, events, ...chat }) {
  return chat;
}
