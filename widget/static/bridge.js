/*
 * The one channel between the host page's launcher (launcher.js) and the conversation's frame
 * (frame.js): window.postMessage, to one named origin, from one known window. What goes over it
 * is the launcher's business only (open, close, the launcher's words, an unread count, a polite
 * announcement without names); nothing of the conversation: no text, no token, no advisor.
 */

const MARK = 'neuvo-chat';

export class Bridge {
  /**
   * `peer()` gives the other side's window (the parent, or the iframe's contentWindow) and
   * `origin` is the only origin whose messages are heard and the only one ours are sent to.
   */
  constructor(peer, origin) {
    this.peer = peer;
    this.origin = origin;
  }

  send(type, data = {}) {
    const target = this.peer();
    if (target && this.origin) target.postMessage({ ...data, [MARK]: 1, type }, this.origin);
  }

  /** Call handlers[type](data) for each message from the peer's window and origin. */
  listen(win, handlers) {
    win.addEventListener('message', (event) => {
      const data = event.data;
      if (event.origin !== this.origin || event.source !== this.peer()) return;
      if (data?.[MARK] !== 1 || !Object.hasOwn(handlers, data.type)) return;
      handlers[data.type](data);
    });
  }
}

/** `text` as an origin ("https://college.example"), or null when it is anything else. */
export function originOf(text) {
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) && url.origin === text ? text : null;
  } catch {
    return null;
  }
}

/** Where the quick exit goes when neither the script tag nor the coordinators name a page. */
export const DEFAULT_EXIT_URL = 'https://duckduckgo.com/';

/**
 * The quick exit's target from data-exit-url or the coordinators' setting: an https address,
 * or one on the host page's own origin (a page of the site itself); anything else
 * (javascript:, http elsewhere) is ignored for the default.
 */
export function exitUrlOf(text, pageOrigin) {
  if (!text) return DEFAULT_EXIT_URL;
  try {
    const url = new URL(text, pageOrigin);
    return url.protocol === 'https:' || url.origin === pageOrigin ? url.href : DEFAULT_EXIT_URL;
  } catch {
    return DEFAULT_EXIT_URL;
  }
}
