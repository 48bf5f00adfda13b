/*
 * One render function per view (controller.js draws the machine). Each takes the element (`ui`:
 * its session controller `ui.session`, its Translator `ui.i18n`) and returns
 * { node, focus?, update?, reveal? }: focus is where focus goes on entering the view, update()
 * patches the live parts (queue position, new lines, typing) in place, so typed text and focus
 * survive incoming frames. Chat text is only ever set as text, never parsed as HTML.
 */

import { composerForm, feedbackForm, languageOptions, offlineForm, selectField, topicOptions }
  from './forms.js';
import { followTheEnd, h, scrollBox, setText } from './dom.js';

function heading(text) {
  return h('h3', { class: 'view__title', tabIndex: -1 }, text);
}

function viewLoading(ui) {
  const text = h('p', { class: 'muted' }, ui.t('status.loading'));
  return { node: h('div', { class: 'view' }, text) };
}

/** A heading, a line of text and one button: the views that only say something. */
function sayingView(ui, titleKey, textKey, button) {
  const title = heading(ui.t(titleKey));
  return { node: h('div', { class: 'view' }, title, h('p', {}, ui.t(textKey)), button),
    focus: title };
}

function viewLoadError(ui) {
  const retry = h('button', { type: 'button', class: 'button',
    onclick: () => ui.session.showEntry() }, ui.t('action.retry'));
  return sayingView(ui, 'load_error.title', 'load_error.text', retry);
}

function viewClosed(ui) {
  const unstaffed = ui.session.closedReason === 'unstaffed';
  const title = heading(ui.t(unstaffed ? 'closed.title_unstaffed' : 'closed.title_closed'));
  const next = ui.session.service?.next_open;
  const when = unstaffed ? ui.t('closed.unstaffed_text')
    : next ? ui.i18n.opening(next) : ui.t('closed.no_next_open');
  const form = offlineForm(ui, 'offline.intro');
  return { node: h('div', { class: 'view' }, title, h('p', {}, when), form.node), focus: title };
}

function viewOfflineSent(ui) {
  const again = h('button', { type: 'button', class: 'button button--secondary',
    onclick: () => ui.session.startAgain() }, ui.t('offline.back'));
  return sayingView(ui, 'offline.sent_title', 'offline.sent_text', again);
}

function viewBefore(ui) {
  const session = ui.session;
  const choice = session.forms.before;
  const title = heading(ui.t('before.title'));
  const topic = selectField('before-topic', ui.t('field.topic'), topicOptions(ui), choice.topic,
    (value) => { choice.topic = value; });
  const language = selectField('before-language', ui.t('field.chat_language'),
    languageOptions(ui), choice.language, (value) => session.chooseChatLanguage(value));
  const problem = h('p', { class: 'field__error', role: 'alert', hidden: true });
  const start = h('button', { type: 'submit', class: 'button' });
  const form = h('form', { class: 'form', onsubmit: (event) => {
    event.preventDefault();
    session.startChat(choice.topic, choice.language);
  } }, topic.node, language.node, privacyNotice(ui), problem, start);
  const update = () => {
    setText(start, ui.t(session.startRequest ? 'before.starting' : 'before.start'));
    start.setAttribute('aria-disabled', String(Boolean(session.startRequest)));
    setText(problem, ui.i18n.say(session.startError));
    problem.hidden = !session.startError;
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
    onclick: () => ui.session.endChat() }, ui.t('waiting.cancel'));
  const update = () => {
    const { position: place, estimated_wait_s: seconds } = ui.session.queue;
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
  const session = ui.session;
  const title = heading('');
  const organisation = h('p', { class: 'muted' });
  const log = messageLog(ui);
  const typing = h('p', { class: 'typing', 'aria-live': 'polite' });
  const composer = composerForm(ui, 'chatting.hint');
  const end = h('button', { type: 'button', class: 'button button--secondary',
    onclick: () => session.endChat() }, ui.t('chatting.end'));
  const update = () => {
    const advisor = session.chat?.advisor || {};
    setText(title, ui.t('chatting.title', { name: advisor.name || ui.t('message.advisor') }));
    setText(organisation, advisor.organisation || '');
    organisation.hidden = !advisor.organisation;
    setText(typing, session.advisorTyping
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
  const session = ui.session;
  const chat = session.chat || {};
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
  if (session.book.history.length > 0) {
    actions.append(h('button', { type: 'button', class: 'button button--secondary',
      onclick: () => ui.downloadTranscript() }, ui.t('transcript.download')));
  }
  actions.append(h('button', { type: 'button', class: 'button button--secondary',
    onclick: () => session.startAgain() }, ui.t('ended.start_again')));
  parts.push(actions);
  if (session.book.history.length > 0) {
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

function queueSummary(ui) {
  const service = ui.session.service;
  const waiting = service?.queue_length || 0;
  if (waiting === 0) return ui.t('before.queue_empty');
  const wait = ui.i18n.wait(service.estimated_wait_s);
  const summary = ui.i18n.plural('before.queue', waiting);
  return wait ? `${summary} ${ui.t('waiting.estimate', { wait })}` : summary;
}

/** Anonymous, what is stored, for how long: said before the visitor starts anything. */
function privacyNotice(ui) {
  const days = ui.session.service?.retention_days;
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
    const { history, outbox } = ui.session.book;
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

/** One line: who, when, its state in words (not only in colour), and the text, as text. */
function fillMessage(ui, li, line, pending) {
  if (!li.firstChild) {
    li.append(
      h('p', { class: 'msg__meta' }, h('span', { class: 'msg__who' }), ' ',
        h('time', { class: 'msg__time' }), ' ', h('span', { class: 'msg__state' })),
      // The chat's language for the words; the labels above stay in the widget's language.
      h('p', { class: 'msg__text', lang: ui.session.chat?.language || null }));
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

export const VIEWS = {
  loading: viewLoading,
  load_error: viewLoadError,
  closed: viewClosed,
  offline_sent: viewOfflineSent,
  before: viewBefore,
  waiting: viewWaiting,
  chatting: viewChatting,
  ended: viewEnded,
};
