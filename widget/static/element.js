/*
 * The <neuvo-chat> panel of the conversation's document (frame.html, on the chat origin, in the
 * host page's <iframe>): the shell (panel, header, status lines) in an open shadow root, the
 * panel's focus and keyboard behaviour, and the one view the session controller is in.
 * frame.js imports this module and calls boot().
 *
 * The element holds no session state: it forwards the visitor's intents to its
 * SessionController (controller.js) and renders what the controller says after each change.
 * The launcher on the host page (launcher.js) hears from it only through the bridge: the
 * launcher's words, open or closed, the unread count, "closed, focus back to the launcher".
 */

import { ServerApi } from './api.js';
import { buildTranscript } from './book.js';
import { Bridge, exitUrlOf } from './bridge.js';
import { ackTimeoutFrom } from './connection.js';
import { SessionController } from './controller.js';
import { h, icon, setText, tabbables } from './dom.js';
import { Catalogs, UI_LANGUAGES, pickLanguage, selfName } from './i18n.js';
import { SessionStore, sessionStorageOf } from './store.js';
import { applyTheme } from './theme.js';
import { VIEWS } from './views.js';

let CONFIG = null; // set once by boot(), before the element is defined
const QUICK_EXIT_ESCAPES_MS = 1000; // Escape twice within this long is the quick exit

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

  async boot() {
    applyTheme(this, CONFIG.theme);
    // The launcher's window: the parent, when this document is framed by one of the widget origins.
    this.host = new Bridge(() => (window.parent === window ? null : window.parent), CONFIG.host);
    this.api = new ServerApi(CONFIG.origin);
    this.catalogs = new Catalogs((lang) => this.api.catalog(lang));
    this.viewName = null;
    this.current = null;
    this.session = new SessionController({
      api: this.api,
      store: new SessionStore(sessionStorageOf(window), CONFIG.origin),
      topic: CONFIG.topic,
      ackTimeoutMs: CONFIG.ackTimeoutMs,
      onChange: (session, { remount }) => this.render(session, remount),
      onAnnounce: (news) => this.announce(news),
    });
    const lang = pickLanguage(this.session.storedLang, CONFIG.dataLang, CONFIG.pageLang);
    const [styled, translator] = await Promise.all([this.buildShell(),
      this.catalogs.translator(lang)]);
    // Nothing at all is better than an unstyled or textless widget inside the host's page.
    if (!styled || !translator) {
      console.error('neuvo-chat: stylesheet or texts did not load; the widget stays hidden');
      return;
    }
    this.i18n = translator;
    this.applyShellTexts();
    this.root.style.removeProperty('display');
    this.host.listen(window, { open: () => this.openPanel(), quick_exit: () => this.quickExit() });
    // Capture: an Escape that a view takes for itself (the end question) still counts here.
    document.addEventListener('keydown', (event) => this.countEscape(event), true);
    document.addEventListener('keydown', (event) => this.onKeydown(event));
    window.addEventListener('online', () => this.session.onOnline());
    window.addEventListener('offline', () => this.session.onOffline());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.session.probe(); // a phone waking
    });
    this.session.start(translator.lang);
    if (this.session.panelOpen) this.openPanel({ focus: false });
  }

  t(key, vars) {
    return this.i18n.t(key, vars);
  }

  // -- the shell: panel, header, status lines -----------------------------------------------

  buildShell() {
    const link = h('link', { rel: 'stylesheet', href: this.api.stylesheetUrl });
    this.titleEl = h('h2', { id: 'neuvo-title', class: 'panel__title', tabIndex: -1 });
    this.closeText = h('span', { class: 'vh' });
    const close = h('button', { type: 'button', class: 'icon-button',
      onclick: () => this.closePanel() }, icon('close'), this.closeText);
    this.exitButton = h('button', { type: 'button', class: 'quick-exit',
      onclick: () => this.quickExit() });
    this.languageButtons = UI_LANGUAGES.map((code) => h('button', { type: 'button',
      class: 'languages__button', lang: code, onclick: () => this.setLanguage(code) },
    selfName(code)));
    this.languageGroup = h('div', { class: 'languages', role: 'group' }, this.languageButtons);
    this.statusEl = h('p', { class: 'connection', role: 'status' });
    this.noticeEl = h('p', { class: 'notice', role: 'status' });
    this.body = h('div', { class: 'panel__body' });
    this.panel = h('section', { id: 'neuvo-panel', class: 'panel', role: 'dialog',
      'aria-modal': 'false', 'aria-labelledby': 'neuvo-title', hidden: true,
      onkeydown: (event) => event.key === 'Tab' && this.keepTabInPanel(event) },
    h('header', { class: 'panel__header' }, this.titleEl, this.exitButton, close),
    this.languageGroup, this.statusEl, this.noticeEl, this.body);
    this.root = h('div', { class: 'root' }, this.panel);
    this.root.style.display = 'none'; // until widget.css is in: no unstyled flash
    this.shadowRoot.append(link, this.root);
    return new Promise((resolve) => {
      link.addEventListener('load', () => resolve(true));
      link.addEventListener('error', () => resolve(false));
    });
  }

  applyShellTexts() {
    this.root.lang = this.i18n.lang;
    document.documentElement.lang = this.i18n.lang;
    document.title = this.t('app.title');
    setText(this.titleEl, this.t('app.title'));
    setText(this.closeText, this.t('panel.close'));
    setText(this.exitButton, this.t('quick_exit.button'));
    this.exitButton.title = this.t('quick_exit.hint');
    this.languageGroup.setAttribute('aria-label', this.t('language_switch.label'));
    for (const button of this.languageButtons) {
      button.setAttribute('aria-pressed', String(button.lang === this.i18n.lang));
    }
    this.renderStatus();
  }

  /** The connection line and the notice (set only when they differ), and the launcher's state. */
  renderStatus() {
    const { connection, notice } = this.session;
    this.tellLauncher();
    const key = { reconnecting: 'status.reconnecting', offline: 'status.offline',
      restored: 'status.restored' }[connection];
    setText(this.statusEl, key ? this.t(key) : '');
    setText(this.noticeEl, this.i18n.say(notice));
  }

  /**
   * What the controller asks after each change: the status lines, then its view. Views that
   * share a render function (waiting and chatting) are updated in place, not mounted again.
   */
  render(session, remount) {
    if (!this.i18n) return;
    this.renderStatus();
    if (remount) this.viewName = null;
    if (!session.view) return;
    if (this.viewName && VIEWS[session.view] === VIEWS[this.viewName]) {
      this.viewName = session.view;
      this.current.update?.();
    } else {
      this.mount(session.view);
    }
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

  async setLanguage(lang) {
    if (lang === this.i18n.lang) return;
    const translator = await this.catalogs.translator(lang);
    if (!translator || translator.lang !== lang) return;
    this.i18n = translator;
    this.session.setLanguage(lang);
    this.applyShellTexts();
    this.render(this.session, true);
  }

  /**
   * The launcher's words, open or closed, the unread count: sent when any of it changed. Nothing
   * of the conversation goes to the host page, only what its launcher button shows.
   */
  tellLauncher() {
    const { unread } = this.session;
    const state = { open: !this.panel.hidden, lang: this.i18n.lang, label: this.t('launcher.label'),
      title: this.t('app.title'), unread,
      unreadText: unread ? this.i18n.plural('launcher.unread', unread) : '' };
    const said = JSON.stringify(state);
    if (said === this.toldLauncher) return;
    this.toldLauncher = said;
    this.host.send('state', state);
  }

  /**
   * News for a visitor whose panel is closed, said by the launcher (without names: they are the
   * conversation's). With the panel open, the log says it: an event is a line in its live region.
   */
  announce({ event, unread }) {
    if (!this.panel.hidden) return;
    this.host.send('announce', { text: event ? this.i18n.eventUnnamed(event)
      : this.i18n.plural('launcher.unread', unread) });
  }

  // -- panel: open, close, focus ------------------------------------------------------------

  openPanel({ focus = true } = {}) {
    this.lastEscape = 0; // close, open and close again is not the quick exit
    this.panel.hidden = false;
    this.session.openPanel();
    this.tellLauncher();
    this.current?.reveal?.();
    if (focus) (this.current?.focus || this.titleEl).focus();
  }

  /** Closed by the visitor (× or Escape): the launcher hides the frame and takes the focus. */
  closePanel({ byEscape = false } = {}) {
    this.panel.hidden = true;
    this.session.closePanel();
    this.tellLauncher();
    this.host.send('close', { byEscape });
  }

  /** Escape anywhere in the frame closes the panel (focus may be on the frame's <body>). */
  onKeydown(event) {
    if (event.key !== 'Escape' || this.panel.hidden || event.defaultPrevented) return;
    event.preventDefault();
    this.closePanel({ byEscape: true });
  }

  /** Escape twice in a row within a second is the quick exit (the first may close the panel). */
  countEscape(event) {
    if (event.key !== 'Escape') {
      this.lastEscape = 0; // twice in a row: another key between is not the quick exit
      return;
    }
    const now = Date.now();
    if (now - (this.lastEscape || 0) <= QUICK_EXIT_ESCAPES_MS) {
      event.preventDefault();
      this.quickExit();
    }
    this.lastEscape = now;
  }

  /**
   * Leave at once: the chat is told and forgotten here, and the launcher replaces the host page
   * with a neutral one: the site's data-exit-url, else the coordinators' page (/api/service
   * `exit_url`), else the default. Framed by nobody, this document replaces itself.
   */
  quickExit() {
    const url = this.session.service?.exit_url || null;
    this.session.quickExit();
    this.panel.hidden = true;
    if (window.parent === window) window.location.replace(exitUrlOf(url, window.location.origin));
    else this.host.send('exit', { url });
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

  downloadTranscript() {
    const i18n = this.i18n;
    const { chat, service, book } = this.session;
    const topic = (service?.topics || []).find((item) => item.id === chat?.topic);
    const heading = [
      this.t('transcript.title'),
      this.t('transcript.saved', { date: i18n.dateTime(new Date().toISOString()) }),
    ];
    if (topic) {
      heading.push(this.t('transcript.topic', { topic: topic.label?.[i18n.lang] || topic.id }));
    }
    const lines = book.timeline().map(({ line, event }) => line
      || { at: event.at, from: 'system', text: i18n.event(event) });
    const text = buildTranscript(lines, {
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
}

/**
 * Define <neuvo-chat> and append one to <body>. `config` is what frame.js read from the frame's
 * address: origin (the chat's), host (the launcher's origin), dataLang, pageLang, topic,
 * ackTimeoutMs (the parameter's text), theme (themeFrom()).
 */
export function boot(config) {
  if (customElements.get('neuvo-chat')) return;
  CONFIG = Object.freeze({ ...config, ackTimeoutMs: ackTimeoutFrom(config.ackTimeoutMs) });
  customElements.define('neuvo-chat', NeuvoChatElement);
  const mount = () => document.body.append(document.createElement('neuvo-chat'));
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}
