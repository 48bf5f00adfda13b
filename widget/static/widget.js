/*
 * Neuvo visitor widget: the loader. A participating organisation embeds it with one tag:
 *
 *     <script src="https://HOST/widget.js" defer></script>
 *
 * with optional data-lang="fi|sv|en", data-topic="<topic id>", the theme colours data-accent,
 * data-on-accent and data-accent-hover (#rrggbb; theme.js), data-exit-url (where the quick exit
 * goes: https, or a page of the host site; default https://duckduckgo.com/), and, for tests,
 * data-ack-timeout-ms (see ACK_TIMEOUT_MS in connection.js).
 *
 * A classic script, so the tag needs no type="module" and the site builds nothing. It reads
 * only its own tag and <html lang>, takes the chat server's origin from its own src (so the same
 * file works embedded on any origin), and imports launcher.js from there: the host page gets a
 * launcher button and an <iframe> of the chat origin, and the conversation lives in that frame,
 * out of the page's reach (docs/architecture.md). It defines no globals.
 */
(() => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: a classic script, not a module
  'use strict';

  const tag = document.currentScript;
  if (!tag?.src) {
    console.error('neuvo-chat: load widget.js with <script src="…/widget.js" defer>');
    return;
  }
  const origin = new URL(tag.src).origin; // .src is already absolute
  const config = {
    origin,
    dataLang: tag.dataset.lang,
    topic: tag.dataset.topic,
    ackTimeoutMs: tag.dataset.ackTimeoutMs,
    exitUrl: tag.dataset.exitUrl,
    pageLang: document.documentElement.lang,
    theme: { accent: tag.dataset.accent, onAccent: tag.dataset.onAccent, accentHover: tag.dataset.accentHover },
  };
  import(`${origin}/widget/launcher.js`)
    .then((widget) => widget.boot(config))
    .catch((error) => console.error('neuvo-chat: the widget did not load', error));
})();
