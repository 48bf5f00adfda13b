/*
 * Neuvo visitor widget: the loader. A participating organisation embeds it with one tag:
 *
 *     <script src="https://HOST/widget.js" defer></script>
 *
 * with optional data-lang="fi|sv|en" and data-topic="<topic id>" (and, for tests,
 * data-ack-timeout-ms: see ACK_TIMEOUT_MS in connection.js).
 *
 * A classic script, so the tag needs no type="module" and the site builds nothing. It reads
 * only its own tag and <html lang>, takes the chat server's origin from its own src (so the same
 * file works embedded on any origin), and imports the widget's modules from there (element.js
 * and what it imports; docs/architecture.md says why a loader rather than a bundle). It defines
 * no globals.
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
    pageLang: document.documentElement.lang,
  };
  import(`${origin}/widget/element.js`)
    .then((widget) => widget.boot(config))
    .catch((error) => console.error('neuvo-chat: the widget did not load', error));
})();
