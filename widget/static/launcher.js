/*
 * The widget's part in the host page: <neuvo-chat>, an open shadow root holding the launcher
 * button, a polite status line and the <iframe> in which the conversation lives. widget.js (the
 * loader the host page embeds) imports this module from the chat origin and calls boot().
 *
 * Everything of the conversation (its text, its token, sessionStorage, the socket and the HTTP
 * calls) is in the frame, a document of the chat origin (frame.html, frame.js), which the host
 * page's scripts cannot read. The two talk only through bridge.js: the frame tells the launcher
 * its words, whether the panel is open and how many lines are unread; the launcher tells the
 * frame to open. The launcher's words come from the frame, so nothing here loads a catalog.
 */

import { Bridge, exitUrlOf } from './bridge.js';
import { h, icon, setText } from './dom.js';
import { THEME_FIELDS, applyTheme, themeFrom } from './theme.js';

let CONFIG = null; // set once by boot(), before the element is defined
const QUICK_EXIT_ESCAPES_MS = 1000; // as in element.js: the second Escape may land on this page

/** The frame's address: what the loader read from the tag and the page, as query parameters. */
export function frameUrl(config, hostOrigin) {
  const params = new URLSearchParams({ host: hostOrigin });
  const given = { lang: config.dataLang, page_lang: config.pageLang, topic: config.topic,
    ack_timeout_ms: config.ackTimeoutMs };
  for (const field of THEME_FIELDS) given[field.param] = config.theme?.[field.data];
  for (const [name, value] of Object.entries(given)) if (value) params.set(name, value);
  return `${config.origin}/widget/frame.html?${params}`;
}

class NeuvoLauncherElement extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.booted = false;
    this.open = false;
    this.ready = false;
    this.escapedAt = 0; // when the frame's panel was last closed by Escape
  }

  connectedCallback() {
    if (this.booted) return;
    this.booted = true;
    this.build();
  }

  build() {
    const link = h('link', { rel: 'stylesheet', href: `${CONFIG.origin}/widget/launcher.css` });
    this.text = h('span', { class: 'launcher__text' });
    this.badge = h('span', { class: 'launcher__badge', hidden: true });
    this.launcher = h('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false',
      'aria-controls': 'neuvo-frame', onclick: () => this.openFrame() },
    icon('chat'), this.text, this.badge);
    // For news while the frame is closed (its own live regions are hidden then).
    this.announcer = h('p', { class: 'vh', role: 'status' });
    this.frame = h('iframe', { id: 'neuvo-frame', class: 'frame frame--closed', title: 'Neuvo',
      src: frameUrl(CONFIG, window.location.origin) });
    this.root = h('div', { class: 'root' }, this.launcher, this.frame, this.announcer);
    this.root.style.display = 'none'; // until the stylesheet and the frame's words are in
    applyTheme(this.root, themeFrom((field) => CONFIG.theme?.[field.data]));
    this.shadowRoot.append(link, this.root);
    this.bridge = new Bridge(() => this.frame.contentWindow, CONFIG.origin);
    this.bridge.listen(window, {
      state: (data) => this.onState(data),
      announce: (data) => setText(this.announcer, String(data.text || '')),
      close: (data) => this.closeFrame(data),
      // The site's own page first, then the coordinators' (the frame has it from /api/service).
      exit: (data) => window.location.replace(
        exitUrlOf(CONFIG.exitUrl || String(data.url || ''), window.location.origin)),
    });
    // The first Escape closed the panel and focus came back here: a second one soon after is
    // still the quick exit, which the frame carries out (it holds the chat).
    window.addEventListener('keydown', (event) => {
      const soon = Date.now() - this.escapedAt <= QUICK_EXIT_ESCAPES_MS;
      this.escapedAt = 0; // only the very next key counts
      if (event.key !== 'Escape' || !soon) return;
      event.preventDefault();
      this.bridge.send('quick_exit');
    });
    link.addEventListener('load', () => {
      this.styled = true;
      this.show();
    });
    link.addEventListener('error', () => console.error('neuvo-chat: launcher.css did not load'));
  }

  /** Shown once both the stylesheet and the frame's first words are in: no unstyled flash. */
  show() {
    if (!this.styled || !this.ready || !this.root.style.display) return;
    this.root.style.removeProperty('display');
    this.raise();
  }

  /**
   * Into the top layer, where `position: fixed` means the viewport whatever the page does: a
   * transform, filter or `contain` on <body> would otherwise make <body> the containing block,
   * and the launcher would sit at the end of the page instead of the corner of the screen. The
   * root is an empty box there (launcher.css); the launcher and the frame are fixed inside it.
   */
  raise() {
    if (typeof this.root.showPopover !== 'function') return; // older browsers: plain fixed
    this.root.popover = 'manual'; // manual: no light dismiss, Escape stays the frame's
    this.root.showPopover();
  }

  /** The frame's words and state: { open, lang, label, title, unread, unreadText }. */
  onState({ open, lang, label, title, unread, unreadText }) {
    this.root.lang = String(lang || '');
    setText(this.text, String(label || ''));
    setText(this.badge, unread ? String(unreadText || '') : '');
    this.badge.hidden = !unread;
    if (title && this.frame.title !== title) this.frame.title = String(title);
    this.ready = true;
    this.setOpen(Boolean(open));
    this.show();
  }

  setOpen(open) {
    this.open = open;
    this.frame.classList.toggle('frame--closed', !open);
    this.launcher.hidden = open;
    this.launcher.setAttribute('aria-expanded', String(open));
  }

  /** The launcher's click: show the frame, hand it the focus, and ask it to open its panel. */
  openFrame() {
    this.escapedAt = 0;
    this.setOpen(true);
    setText(this.announcer, '');
    this.frame.focus();
    this.bridge.send('open');
  }

  /** The visitor closed the panel in the frame (its × or Escape): focus comes back here. */
  closeFrame({ byEscape }) {
    this.escapedAt = byEscape ? Date.now() : 0;
    this.setOpen(false);
    this.launcher.focus();
  }
}

/**
 * Define <neuvo-chat> and append one to <body>. `config` is what the loader read from its own
 * tag and the page: origin, dataLang, topic, ackTimeoutMs (the attribute's text), pageLang, theme,
 * exitUrl (data-exit-url, checked by exitUrlOf).
 */
export function boot(config) {
  // The tag is on the page twice: one widget is enough.
  if (customElements.get('neuvo-chat')) return;
  CONFIG = Object.freeze({ ...config });
  customElements.define('neuvo-chat', NeuvoLauncherElement);
  const mount = () => document.body.append(document.createElement('neuvo-chat'));
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}
