/*
 * One render function per view (controller.js draws the machine). Each takes the element (`ui`:
 * its session controller `ui.session`, its Translator `ui.i18n`) and returns
 * { node, focus?, update?, reveal? }: focus is where focus goes on entering the view, update()
 * patches the live parts (queue position, new lines, typing) in place, so typed text and focus
 * survive incoming frames. Waiting and chatting are one view, the conversation: the log (a live
 * region) stays the same element from the queue to the advisor and back, so each line and each
 * event in it is announced once, as it comes. Chat text is only ever set as text, never parsed
 * as HTML.
 */

import { composerForm, feedbackForm, keepField, languageOptions, offlineForm, questionField,
  selectField, surveyForm, topicOptions } from './forms.js';
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

/**
 * Not taking chats (closed, or nobody signed in): when it opens next and the week's hours, in
 * the service's time zone; or nobody on duty speaks the chosen language. Then the offline form.
 */
function viewClosed(ui) {
  const session = ui.session;
  if (session.closedReason === 'language') return viewNoLanguage(ui);
  const unstaffed = session.closedReason === 'unstaffed';
  const title = heading(ui.t(unstaffed ? 'closed.title_unstaffed' : 'closed.title_closed'));
  const { next_open: next, timezone: zone } = session.service || {};
  const when = unstaffed ? ui.t('closed.unstaffed_text')
    : next ? ui.i18n.opening(next, zone) : ui.t('closed.no_next_open');
  const form = offlineForm(ui, 'offline.intro');
  const { topic, language } = session.forms.offline;
  return { node: h('div', { class: 'view' }, title, h('p', {}, when), weekTable(ui),
    helpList(ui, topic, language), form.node), focus: title };
}

function viewNoLanguage(ui) {
  const session = ui.session;
  const title = heading(ui.t('closed.title_language'));
  const language = ui.i18n.languageName(session.forms.offline.language);
  const back = h('button', { type: 'button', class: 'button button--secondary',
    onclick: () => session.showEntry() }, ui.t('offline.back'));
  const node = h('div', { class: 'view' }, title,
    h('p', {}, ui.t('closed.language_text', { language })),
    helpList(ui, session.forms.offline.topic, session.forms.offline.language),
    offlineForm(ui, 'offline.intro_language').node, h('div', { class: 'actions' }, back));
  return { node, focus: title };
}

/**
 * "Pages that may help" for a topic: links the coordinators keep (/help/<id> on the chat's
 * origin, which counts the visit and redirects), each opening in a new tab. Nothing without any.
 */
function helpList(ui, topic, language) {
  const links = ui.session.helpLinks(topic, language);
  if (links.length === 0) return null;
  const origin = ui.api.origin;
  const items = links.map(({ title, href }) => h('li', {},
    h('a', { href: new URL(href, origin).href, target: '_blank', rel: 'noopener' }, title,
      h('span', { class: 'vh' }, ` (${ui.t('link.new_tab')})`))));
  return h('nav', { class: 'help', 'aria-label': ui.t('help.title') },
    h('h4', { class: 'subheading' }, ui.t('help.title')), h('ul', { class: 'help__list' }, items));
}

/** Today and the six dates after it with their opening hours (/api/service `week`). */
function weekTable(ui) {
  const { week, timezone: zone } = ui.session.service || {};
  if (!Array.isArray(week) || week.length === 0 || !zone) return null;
  const rows = week.map((day, index) => {
    const name = ui.i18n.day(day.date);
    const hours = (day.hours || []).map(({ start, end }) => ui.i18n.hours(start, end, zone))
      .filter(Boolean);
    return h('tr', { class: index === 0 ? 'hours__today' : null },
      h('th', { scope: 'row' }, index === 0 ? ui.t('hours.today', { day: name }) : name),
      h('td', {}, hours.length > 0 ? hours.join(', ') : ui.t('hours.closed')));
  });
  return h('table', { class: 'hours' },
    h('caption', {}, ui.t('hours.caption', { zone: ui.i18n.zoneName(zone) })),
    h('tbody', {}, rows));
}

function viewOfflineSent(ui) {
  const again = h('button', { type: 'button', class: 'button button--secondary',
    onclick: () => ui.session.startAgain() }, ui.t('offline.back'));
  return sayingView(ui, 'offline.sent_title', 'offline.sent_text', again);
}

/**
 * Topic and language side by side, the question (sent as the first line), privacy in one line
 * that opens, and Start: all in sight without scrolling on a laptop and on a phone. When nobody
 * on duty speaks the chosen language, a hint says so and offers a message instead.
 */
function viewBefore(ui) {
  const session = ui.session;
  const choice = session.forms.before;
  const title = heading(ui.t('before.title'));
  const topic = selectField('before-topic', ui.t('field.topic'), topicOptions(ui), choice.topic,
    (value) => { choice.topic = value; });
  const language = selectField('before-language', ui.t('field.chat_language'),
    languageOptions(ui), choice.language, (value) => session.chooseChatLanguage(value));
  const note = h('p', { id: 'before-language-note', role: 'status' });
  language.control.setAttribute('aria-describedby',
    `${language.control.getAttribute('aria-describedby')} ${note.id}`);
  const leave = h('button', { type: 'button', class: 'link-button',
    onclick: () => session.leaveMessage() }, ui.t('before.leave_message'));
  const hint = h('div', { class: 'language-note' }, note, leave);
  const question = questionField(ui);
  const keep = keepField(ui, 'before-keep', 'privacy-keep');
  const problem = h('p', { class: 'field__error', role: 'alert', hidden: true });
  const start = h('button', { type: 'submit', class: 'button' });
  const form = h('form', { class: 'form form--start', onsubmit: (event) => {
    event.preventDefault();
    session.startChat(choice.topic, choice.language);
  } }, h('div', { class: 'form__row' }, topic.node, language.node), hint, question.node,
  privacyNotice(ui), problem, h('div', { class: 'form__actions' }, keep.node, start));
  const update = () => {
    setText(start, ui.t(session.startRequest ? 'before.starting' : 'before.start'));
    start.setAttribute('aria-disabled', String(Boolean(session.startRequest)));
    setText(problem, ui.i18n.say(session.startError));
    problem.hidden = !session.startError;
    const unserved = !session.languageOnDuty(choice.language);
    setText(note, unserved ? ui.t('before.language_hint',
      { language: ui.i18n.languageName(choice.language) }) : '');
    leave.hidden = !unserved;
    hint.classList.toggle('language-note--shown', unserved);
    question.update();
    keep.update();
  };
  update();
  const node = h('div', { class: 'view' }, title,
    h('p', {}, `${ui.t('before.intro')} `, h('span', { class: 'muted' }, queueSummary(ui))), form);
  return { node, focus: title, update };
}

/**
 * Waiting and chatting: the heading says which, the log keeps both and the events between them.
 * Assigned while the visitor's focus is on the heading (just after Start): focus moves on to
 * the message box; anywhere else (typing, reading the log) it stays.
 */
function viewConversation(ui) {
  const session = ui.session;
  const chatting = () => session.view === 'chatting';
  const title = heading('');
  const organisation = h('p', { class: 'muted' });
  const position = h('p', { class: 'queue', role: 'status' });
  const log = messageLog(ui);
  const typing = h('p', { class: 'typing', 'aria-live': 'polite' });
  const composer = composerForm(ui, () => (chatting() ? 'chatting.hint' : 'waiting.hint'));
  const idle = idleWarning(ui, () => composer.textarea);
  const ending = endControls(ui);
  const help = h('div', { class: 'help-box' }); // filled once /api/service has answered
  let shown = null; // the view this was last drawn as
  const update = () => {
    const advisor = session.chat?.advisor || {};
    const name = advisor.name || ui.t('message.advisor');
    const inChat = chatting();
    setText(title, inChat ? ui.t('chatting.title', { name }) : ui.t('waiting.title'));
    setText(organisation, inChat ? advisor.organisation || '' : '');
    organisation.hidden = !inChat || !advisor.organisation;
    setText(position, inChat ? '' : queueText(ui));
    help.hidden = inChat; // while waiting: something to read meanwhile
    const links = !help.firstChild && helpList(ui, session.chat?.topic, session.chat?.language);
    if (links) help.append(links);
    typing.hidden = !inChat;
    setText(typing, inChat && session.advisorTyping ? ui.t('chatting.typing', { name }) : '');
    log.update();
    idle.update();
    composer.update();
    // Asked whether to end, the question stands where the message box was (room on a phone).
    composer.node.hidden = session.confirmingEnd;
    ending.update();
    if (inChat && shown === 'waiting' && ui.shadowRoot.activeElement === title) {
      composer.textarea.focus();
    }
    shown = session.view;
  };
  update();
  const node = h('div', { class: 'view view--conversation' }, title, organisation, position,
    log.node, typing, idle.node, composer.node, ending.node, help);
  return { node, get focus() { return chatting() ? composer.textarea : title; }, update,
    reveal: log.reveal };
}

/**
 * "The chat will end soon" (idle_warning) with one button that answers still_here. The alert
 * stays in the document, empty, so its words are announced as they come; a warning dropped
 * while its button had focus hands the focus to the message box.
 */
function idleWarning(ui, messageBox) {
  const session = ui.session;
  const text = h('p', { class: 'idle__text', role: 'alert' });
  const button = h('button', { type: 'button', class: 'button', hidden: true,
    onclick: () => session.stillHere() });
  const node = h('div', { class: 'idle' }, text, button);
  const update = () => {
    const shown = session.idleWarning;
    const hadFocus = ui.shadowRoot.activeElement === button;
    setText(text, shown ? ui.t('idle.warning') : '');
    setText(button, ui.t('idle.still_here'));
    button.hidden = !shown;
    node.classList.toggle('idle--shown', shown);
    if (!shown && hadFocus) messageBox().focus();
  };
  return { node, update };
}

function queueText(ui) {
  const { position: place, estimated_wait_s: seconds } = ui.session.queue;
  const wait = ui.i18n.wait(seconds);
  const parts = [];
  if (typeof place === 'number') parts.push(ui.t('waiting.position', { position: place }));
  if (wait) parts.push(ui.t('waiting.estimate', { wait }));
  return parts.join(' ');
}

/**
 * "End chat" (or "Leave the queue"), asked again in place: the question takes the focus (a
 * second Enter does not end anything), Yes ends, No or Escape goes back to the button.
 */
function endControls(ui) {
  const session = ui.session;
  const end = h('button', { type: 'button', class: 'button button--secondary',
    onclick: () => session.askToEnd() });
  const question = h('p', { id: 'end-question', class: 'confirm__question', tabIndex: -1 });
  const yes = h('button', { type: 'button', class: 'button', onclick: () => session.endChat() });
  const no = h('button', { type: 'button', class: 'button button--secondary',
    onclick: () => session.cancelEnd() });
  const box = h('div', { class: 'confirm', role: 'group', 'aria-labelledby': question.id,
    hidden: true, onkeydown: (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault(); // not the panel's Escape: this one only takes the question back
      session.cancelEnd();
    } }, question, h('div', { class: 'actions' }, yes, no));
  const node = h('div', { class: 'ending' }, h('div', { class: 'actions' }, end), box);
  let asking = false;
  const update = () => {
    const words = session.view === 'chatting'
      ? ['chatting.end', 'end.question_chat', 'end.yes_chat', 'end.no_chat']
      : ['waiting.cancel', 'end.question_queue', 'end.yes_queue', 'end.no_queue'];
    [end, question, yes, no].forEach((element, index) => {
      setText(element, ui.t(words[index]));
    });
    if (session.confirmingEnd === asking) return;
    const hadFocus = node.contains(ui.shadowRoot.activeElement);
    asking = session.confirmingEnd;
    box.hidden = !asking;
    end.parentElement.hidden = asking;
    if (asking) question.focus();
    else if (hadFocus) end.focus();
  };
  return { node, update };
}

function viewEnded(ui) {
  const session = ui.session;
  const chat = session.chat || {};
  const title = heading(ui.t('ended.title'));
  const parts = [h('p', {}, endedText(ui, chat))];
  const forms = [];
  if (chat.offerOffline) {
    parts.push(offlineForm(ui, 'ended.offline_intro').node);
  } else if (chat.wasAssigned) {
    forms.push(feedbackForm(ui));
    if (session.surveyQuestions.length > 0) forms.push(surveyForm(ui));
    parts.push(...forms.map((form) => form.node));
  }
  const actions = h('div', { class: 'actions' });
  if (session.book.history.length > 0) {
    actions.append(h('button', { type: 'button', class: 'button button--secondary',
      onclick: () => ui.downloadTranscript() }, ui.t('transcript.download')));
  }
  actions.append(h('button', { type: 'button', class: 'button button--secondary',
    onclick: () => session.startAgain() }, ui.t('ended.start_again')));
  actions.append(h('button', { type: 'button', class: 'button button--secondary',
    onclick: () => session.forgetHere() }, ui.t('ended.forget')));
  parts.push(actions, helpList(ui, chat.topic, chat.language));
  if (session.book.history.length > 0) {
    const log = messageLog(ui);
    log.update();
    parts.push(h('h4', { class: 'subheading' }, ui.t('ended.history')), log.node);
  }
  return { node: h('div', { class: 'view' }, title, ...parts), focus: title,
    update: () => { for (const form of forms) form.update(); } };
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

/**
 * Anonymous, what is stored, for how long: said before the visitor starts anything, in one line
 * that opens (a native disclosure: keyboard and screen readers know it) to the rest and to the
 * privacy notice and accessibility statement.
 */
function privacyNotice(ui) {
  const days = ui.session.service?.retention_days;
  const retention = Number.isInteger(days)
    ? ui.i18n.plural('privacy.retention_days', days) : ui.t('privacy.retention');
  return h('details', { class: 'privacy' },
    h('summary', {}, ui.t('privacy.summary')),
    h('ul', {},
      h('li', {}, ui.t('privacy.anonymous')),
      h('li', { id: 'privacy-keep' }, ui.t('privacy.keep')),
      h('li', {}, ui.t('privacy.stored')),
      h('li', {}, retention),
      h('li', {}, ui.t('privacy.statistics'))),
    h('p', { class: 'statements' }, statementLink(ui, '/privacy', 'privacy.notice'), ' · ',
      statementLink(ui, '/accessibility', 'privacy.accessibility')));
}

/** The service's privacy notice or accessibility statement, in the widget's language, new tab. */
function statementLink(ui, path, key) {
  const url = new URL(path, ui.api.origin);
  url.searchParams.set('lang', ui.i18n.lang);
  return h('a', { href: url.href, target: '_blank', rel: 'noopener' }, ui.t(key),
    h('span', { class: 'vh' }, ` (${ui.t('link.new_tab')})`));
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
    const { book } = ui.session;
    const wanted = [
      ...book.timeline().map(({ line, event, index }) => (event
        ? { key: `event:${index}`, line: event, event: true }
        : { key: `seq:${line.seq}`, line, pending: false })),
      ...book.outbox.map((item) => ({ key: `id:${item.id}`, line: item, pending: true })),
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
    wanted.forEach(({ key, line, pending, event }, index) => {
      let item = items.get(key);
      if (!item) {
        item = { li: h('li'), line: null, pending: null };
        items.set(key, item);
        added = true;
      }
      if (item.line !== line || item.pending !== pending) {
        if (event) fillEvent(ui, item.li, line);
        else fillMessage(ui, item.li, line, pending);
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

/** What happened (an advisor joined...), in the log between the lines: a time and words. */
function fillEvent(ui, li, event) {
  li.className = 'msg msg--event';
  const time = h('time', { class: 'msg__time', dateTime: event.at || '' },
    event.at ? ui.i18n.time(event.at) : '');
  li.replaceChildren(h('p', { class: 'msg__event' }, time, ' ', ui.i18n.event(event)));
}

export const VIEWS = {
  loading: viewLoading,
  load_error: viewLoadError,
  closed: viewClosed,
  offline_sent: viewOfflineSent,
  before: viewBefore,
  waiting: viewConversation,
  chatting: viewConversation,
  ended: viewEnded,
};
