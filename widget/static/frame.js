/*
 * The conversation's document (frame.html, served by the chat origin and shown in an <iframe> by
 * launcher.js on the host page): reads what the launcher put in its address and boots the
 * <neuvo-chat> panel (element.js) here, where the host page's scripts cannot reach it.
 *
 * Query parameters: host (the embedding page's origin: the only one the bridge talks to), lang,
 * page_lang, topic, ack_timeout_ms, and the theme colours (theme.js). All optional but host.
 */

import { originOf } from './bridge.js';
import { boot } from './element.js';
import { themeFrom } from './theme.js';

const params = new URLSearchParams(window.location.search);
boot({
  origin: window.location.origin,
  host: originOf(params.get('host')),
  dataLang: params.get('lang'),
  pageLang: params.get('page_lang'),
  topic: params.get('topic') || undefined,
  ackTimeoutMs: params.get('ack_timeout_ms'),
  theme: themeFrom((field) => params.get(field.param)),
});
