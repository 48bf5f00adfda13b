/*
 * The <neuvo-chat> custom element: the shell (launcher, panel, header, status lines) in an OPEN
 * shadow root (axe-core and assistive technology see into it), the panel's focus and keyboard
 * behaviour, and the one view the session controller is in. widget.js (the loader the host
 * page embeds) imports this module from the chat origin and calls boot().
 *
 * The element holds no session state: it forwards the visitor's intents to its
 * SessionController (controller.js) and renders what the controller says after each change.
 * Styles come from the server's widget.css and stay inside the shadow root.
 */

import { ServerApi } from './api.js';
import { buildTranscript } from './book.js';
import { ackTimeoutFrom } from './connection.js';
import { SessionController } from './controller.js';
import { h, icon, setText, tabbables } from './dom.js';
import { Catalogs, UI_LANGUAGES, pickLanguage, selfName } from './i18n.js';
import { SessionStore, sessionStorageOf } from './store.js';
import { VIEWS } from './views.js';

let CONFIG = null; // set once by boot(), before the element is defined

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
    this.raise();
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

  // -- the shell: launcher, panel, header, status lines -------------------------------------

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
    this.renderStatus();
  }

  /** The launcher's badge, the connection line and the notice: all set only when they differ. */
  renderStatus() {
    const { unread, connection, notice } = this.session;
    setText(this.launcherText, this.t('launcher.label'));
    setText(this.launcherBadge, unread ? this.i18n.plural('launcher.unread', unread) : '');
    this.launcherBadge.hidden = !unread;
    const key = { reconnecting: 'status.reconnecting', offline: 'status.offline',
      restored: 'status.restored' }[connection];
    setText(this.statusEl, key ? this.t(key) : '');
    setText(this.noticeEl, this.i18n.say(notice));
  }

  /** What the controller asks after each change: the status lines, then its view. */
  render(session, remount) {
    if (!this.i18n) return;
    this.renderStatus();
    if (remount) this.viewName = null;
    if (!session.view) return;
    if (session.view === this.viewName) this.current.update?.();
    else this.mount(session.view);
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

  announce({ joined, unread }) {
    const name = joined && (joined.name || this.t('message.advisor'));
    setText(this.announcer, joined ? this.t('chatting.joined', { name })
      : this.i18n.plural('launcher.unread', unread));
  }

  // -- panel: open, close, focus ------------------------------------------------------------

  openPanel({ focus = true } = {}) {
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.session.openPanel();
    this.current?.reveal?.();
    if (focus) (this.current?.focus || this.titleEl).focus();
  }

  closePanel() {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.session.closePanel();
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
    const text = buildTranscript(book.history, {
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
 * Define <neuvo-chat> and append one to <body>. `config` is what the loader read from its own
 * tag and the page: origin, dataLang, topic, ackTimeoutMs (the attribute's text), pageLang.
 */
export function boot(config) {
  // The tag is on the page twice: one widget is enough.
  if (customElements.get('neuvo-chat')) return;
  CONFIG = Object.freeze({ ...config, ackTimeoutMs: ackTimeoutFrom(config.ackTimeoutMs) });
  customElements.define('neuvo-chat', NeuvoChatElement);
  const mount = () => document.body.append(document.createElement('neuvo-chat'));
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}
