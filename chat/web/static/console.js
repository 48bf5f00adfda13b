/* Neuvo duty console: one WebSocket (/ws/advisor) for the whole shift.
 *
 * The server page renders the frame of the console; this script keeps it live: status, queue,
 * the chat list (one tab per chat: a short name, topic, language, arrival, a status chip and an
 * unread count, the total also in the page title; console_chats.js decides them), each chat's
 * history, composer (a message, or in note mode an internal note), handbook, transfer and close.
 * Nothing the advisor types is lost on a dropped connection: unacknowledged lines wait in an
 * outbox and are re-sent with the same id after reconnecting (the server stores each id once).
 * All chat text is set with textContent, never as HTML. A module: the socket is the widget's
 * connection.js, served from /widget/ (the page's own origin).
 */

import { Connection, ackTimeoutFrom, newClientId } from "/widget/connection.js";
import { ChatList, ChatNames, titleWithUnread } from "/static/console_chats.js";

const setup = JSON.parse(document.getElementById("console-setup").textContent);
const texts = setup.texts;
const plurals = new Intl.PluralRules(setup.lang);
// A text with a count takes its language's form ("1 uusi", "2 uutta": key.one, key.other).
const t = (key, values = {}) => {
  const counted = typeof values.count === "number" ? texts[`${key}.${plurals.select(values.count)}`] : undefined;
  const text = counted || texts[key] || texts[`${key}.other`] || key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
};

const $ = (id) => document.getElementById(id);
// Times in the service's time zone, whatever the advisor's computer is set to.
const clock = (iso) => new Date(iso).toLocaleTimeString(setup.lang, {
  hour: "2-digit", minute: "2-digit", hour12: false, timeZone: setup.timezone,
});
// When a shift ends, as people say it: "16:00"; the midnight that ends the service's today is
// "24:00", not "00:00"; an end on another day names that day.
function shiftEnd(iso) {
  const end = new Date(iso);
  const midnight = ["00:00", "24:00"].includes(clock(iso));
  const lastMinute = midnight ? new Date(end.getTime() - 60000) : end;
  const time = midnight ? "24:00" : clock(iso);
  const day = lastMinute.toLocaleDateString("en-CA", { timeZone: setup.timezone }); // YYYY-MM-DD
  if (day === setup.today) return time;
  return `${lastMinute.toLocaleDateString(setup.lang, { weekday: "short", timeZone: setup.timezone })} ${time}`;
}
const el = (tag, props = {}, children = []) => {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
};

// ---- state ------------------------------------------------------------------------------
const chats = new Map(); // id -> {chat, pane, tab, name, lastSeq, ended}
const list = new ChatList(); // chips and unread counts
const outbox = new Map(); // client id -> frame (message or note) not yet acked
let activeId = null;
const baseTitle = document.title;
const names = new ChatNames((() => {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // storage refused: names last until a reload
  }
})());
// The advisor sees the chat: its tab is open and the page is not hidden behind another window.
const looking = (id) => id === activeId && !document.hidden;

// ---- connection -------------------------------------------------------------------------
// The widget's connection (backoff, the outbox re-sent with the same ids, and the check for a
// socket that looks open but hears nothing: a line's ack, the welcome, a ping after silence).
const scheme = location.protocol === "https:" ? "wss:" : "ws:";
const link = new Connection(`${scheme}//${location.host}/ws/advisor`, {
  onOpen: () => {}, // the server speaks first: welcome
  onFrame: (frame) => handle(frame),
  onClose: (code) => {
    $("status").disabled = true;
    if (code === 1008 || code === 4401) {
      // Not signed in any more (session ended or expired): back to the sign-in page.
      location.assign(`/sign-in?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    link.scheduleReconnect();
    setConnection(t("console.reconnecting"));
  },
}, {
  name: "neuvo-console",
  ackTimeoutMs: ackTimeoutFrom(document.querySelector('script[src$="/console.js"]')?.dataset.ackTimeoutMs),
});

const send = (frame) => link.send(frame);

function setConnection(text) { $("connection").textContent = text; }

window.addEventListener("online", () => {
  if (link.active) link.probe(); // another network now: the old socket may be gone without a word
  else link.reconnectNow();
});

// ---- frames from the server --------------------------------------------------------------
const handlers = {
  welcome(frame) {
    setConnection(t("console.connected", { name: frame.advisor.name, organisation: frame.advisor.organisation }));
    showStatus(frame.status, frame.on_shift, frame.shift_ends);
    const still = new Set(frame.chats.map((chat) => chat.id));
    for (const id of [...chats.keys()]) if (!still.has(id) && !chats.get(id).ended) removeChat(id);
    names.keepOnly(new Set([...still, ...chats.keys()]));
    for (const chat of frame.chats) addOrRefreshChat(chat, false);
    for (const item of outbox.values()) send(item); // same ids: stored once
  },
  status(frame) { showStatus(frame.status, frame.on_shift); },
  queue(frame) {
    queueSeen = { length: frame.length, oldest: frame.oldest_wait_s, at: Date.now() };
    showQueue();
  },
  assigned(frame) {
    const entry = addOrRefreshChat(frame.chat, true);
    announce(t("console.new_chat", {
      name: entry.name, topic: topicLabel(frame.chat.topic), language: languageLabel(frame.chat.language),
    }));
    cue();
  },
  message(frame) {
    const entry = chats.get(frame.chat);
    if (!entry) return;
    if (!appendLine(entry, frame)) return; // a replayed line, counted before
    list.line(frame.chat, frame.from, { looking: looking(frame.chat) });
    showTab(entry);
    if (frame.from === "visitor") {
      entry.pane.querySelector(".pane__typing").textContent = "";
      cue();
    }
  },
  ack(frame) {
    outbox.delete(frame.id);
    link.acked(frame.id);
    const pending = document.querySelector(`[data-client-id="${CSS.escape(frame.id)}"]`);
    if (pending) pending.remove(); // the stored line arrives as a message frame
  },
  typing(frame) {
    const entry = chats.get(frame.chat);
    if (!entry) return;
    const line = entry.pane.querySelector(".pane__typing");
    line.textContent = t("console.typing");
    clearTimeout(entry.typingTimer);
    entry.typingTimer = setTimeout(() => { line.textContent = ""; }, 4000);
  },
  outcome_saved(frame) {
    const entry = chats.get(frame.chat);
    if (!entry) return;
    for (const control of entry.pane.querySelectorAll(".close select, .close button")) control.disabled = true;
    announce(t("console.outcome_saved"));
  },
  ended(frame) {
    const entry = chats.get(frame.chat);
    if (!entry) return;
    list.ended(frame.chat, frame.by, frame.reason);
    endChat(entry, t(`console.ended.${frame.by}`), frame.by !== "advisor");
  },
  visitor_left(frame) {
    const entry = chats.get(frame.chat);
    if (!entry) return;
    list.visitorLeft(frame.chat);
    showTab(entry);
    systemLine(entry, t("console.left_quickly"));
  },
  idle_warning(frame) {
    const entry = chats.get(frame.chat);
    if (!entry) return;
    const box = entry.pane.querySelector(".idle");
    box.querySelector(".idle__text").textContent = t("console.idle_warning", { minutes: Math.ceil(frame.ends_in_s / 60) });
    box.hidden = false;
  },
  idle_cleared(frame) {
    const entry = chats.get(frame.chat);
    if (entry) entry.pane.querySelector(".idle").hidden = true;
  },
  transferred(frame) {
    const entry = chats.get(frame.chat);
    if (!entry) return;
    list.transferred(frame.chat);
    endChat(entry, t("console.transferred"));
  },
  error(frame) {
    // The server answered, so the socket hears us: a refused line stays in the outbox as before.
    link.settleAll("message:");
    const target = activeId && chats.get(activeId);
    // Our own words for the codes the console knows (a refused transfer), else the server's.
    const message = texts[`console.error.${frame.code}`] || frame.message || frame.code;
    if (target) target.pane.querySelector(".pane__error").textContent = message;
    else setConnection(message);
  },
};

function handle(frame) {
  const handler = handlers[frame.type];
  if (handler) handler(frame);
}

// ---- status, queue, cues -----------------------------------------------------------------
// The server says when the queue changes (announced politely); the oldest wait keeps growing
// in between, shown beside it but not announced every minute.
let queueSeen = null;
function showWait() {
  if (!queueSeen) return;
  const waited = queueSeen.oldest + (Date.now() - queueSeen.at) / 1000;
  $("queue-wait").textContent = queueSeen.length ? t("console.queue.wait", { minutes: Math.floor(waited / 60) }) : "";
}
function showQueue() {
  $("queue").textContent = queueSeen.length
    ? t("console.queue", { length: queueSeen.length })
    : t("console.queue.empty");
  showWait();
}
setInterval(showWait, 30000);

function showStatus(status, onShift, shiftEnds) {
  const fieldset = $("status");
  fieldset.disabled = false;
  for (const input of fieldset.querySelectorAll("input")) input.checked = input.value === status;
  if (shiftEnds !== undefined) {
    $("shift").textContent = onShift
      ? t("console.on_shift", { until: shiftEnds ? shiftEnd(shiftEnds) : "" })
      : t("console.off_shift");
  } else if (!onShift) {
    $("shift").textContent = t("console.off_shift");
  }
}

$("status").addEventListener("change", (event) => send({ type: "status", status: event.target.value }));

function announce(text) {
  const region = $("announcer");
  region.textContent = "";
  setTimeout(() => { region.textContent = text; }, 50);
}

function cue() {
  if (!$("cues").checked) return;
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    gain.gain.value = 0.05;
    tone.frequency.value = 660;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.15);
    tone.onended = () => audio.close();
  } catch {
    // No audio (autoplay policy or no device): the unread count in the title and the announcement remain.
  }
}

// The cue choice is the advisor's own, kept across shifts on this computer.
const CUES_KEY = "neuvo-console-cues";
$("cues").checked = localStorage.getItem(CUES_KEY) !== "off";
$("cues").addEventListener("change", (event) => {
  localStorage.setItem(CUES_KEY, event.target.checked ? "on" : "off");
});

document.addEventListener("visibilitychange", () => {
  if (!document.hidden) link.probe(); // a laptop waking: is the socket still there?
  if (!document.hidden && activeId) seen(chats.get(activeId));
});

// ---- chats and tabs ------------------------------------------------------------------------
const topicLabel = (id) => (setup.topics.find((topic) => topic.id === id) || { label: id }).label;
const languageLabel = (code) => setup.languages[code] || code;

function addOrRefreshChat(chat, isNew) {
  let entry = chats.get(chat.id);
  if (!entry || entry.ended) {
    if (entry) removeChat(chat.id);
    entry = createChat(chat);
    chats.set(chat.id, entry);
  }
  for (const message of chat.messages) appendLine(entry, message);
  list.add(chat, { isNew, looking: (activeId === null || activeId === chat.id) && !document.hidden });
  if (activeId === null) select(chat.id);
  showTab(entry);
  $("no-chats").hidden = chats.size > 0;
  return entry;
}

// The tab as the list shows it: "Visitor 3", its chip, its unread count, and below them topic,
// language and arrival time, so that two chats on one topic are told apart at a glance.
function createChat(chat) {
  const pane = $("pane-template").content.firstElementChild.cloneNode(true);
  pane.id = `pane-${chat.id}`;
  const tab = el("button", { type: "button", role: "tab", id: `tab-${chat.id}`, className: "tab" });
  tab.setAttribute("aria-controls", pane.id);
  tab.setAttribute("aria-selected", "false");
  tab.tabIndex = -1;
  const name = t("console.visitor_name", { number: names.numberOf(chat.id) });
  const arrived = chat.arrived ? clock(chat.arrived) : "";
  // Spaces between the parts, so a screen reader says "Visitor 3, New, 2 unread", not "3New2".
  tab.append(
    el("span", { className: "tab__head" }, [
      el("span", { className: "tab__name", textContent: name }), " ",
      el("span", { className: "tab__chip" }), " ",
      el("span", { className: "tab__unread" }),
    ]), " ",
    el("span", { className: "tab__meta", textContent: [topicLabel(chat.topic), languageLabel(chat.language), arrived]
      .filter(Boolean).join(" · ") }),
  );
  tab.addEventListener("click", () => select(chat.id));
  tab.addEventListener("keydown", onTabKey);
  pane.setAttribute("aria-labelledby", tab.id);
  pane.hidden = true;
  $("tabs").append(tab);
  $("panes").append(pane);
  const entry = { chat, pane, tab, name, arrived, lastSeq: 0, ended: false, typingTimer: null };
  fillPane(entry);
  return entry;
}

/** The tab's chip and unread count as the list has them now, and the page title's total. */
function showTab(entry) {
  const chip = list.chip(entry.chat.id);
  const chipNode = entry.tab.querySelector(".tab__chip");
  chipNode.className = `tab__chip tab__chip--${chip}`;
  chipNode.textContent = chip ? t(`console.chip.${chip}`) : "";
  const unread = list.unread(entry.chat.id);
  entry.tab.querySelector(".tab__unread").textContent = unread ? t("console.unread", { count: unread }) : "";
  document.title = titleWithUnread(baseTitle, list.totalUnread());
}

function seen(entry) {
  if (!entry) return;
  list.look(entry.chat.id);
  showTab(entry);
}

function onTabKey(event) {
  const tabs = [...$("tabs").querySelectorAll("[role=tab]")];
  const index = tabs.indexOf(event.currentTarget);
  const next = {
    ArrowDown: index + 1, ArrowRight: index + 1, ArrowUp: index - 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1,
  }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  const tab = tabs[(next + tabs.length) % tabs.length];
  select(tab.id.slice(4));
  tab.focus();
}

function select(id) {
  activeId = id;
  for (const [chatId, entry] of chats) {
    const on = chatId === id;
    entry.tab.setAttribute("aria-selected", String(on));
    entry.tab.tabIndex = on ? 0 : -1;
    entry.pane.hidden = !on;
    if (on && !document.hidden) seen(entry);
  }
}

function removeChat(id) {
  const entry = chats.get(id);
  if (!entry) return;
  list.remove(id);
  entry.tab.remove();
  entry.pane.remove();
  chats.delete(id);
  document.title = titleWithUnread(baseTitle, list.totalUnread());
  if (activeId === id) {
    activeId = null;
    const first = chats.keys().next();
    if (!first.done) select(first.value);
  }
  $("no-chats").hidden = chats.size > 0;
}

// A chat the visitor (or time) ended still wants its outcome from the advisor: the close form
// stays, now saving just the outcome.
function endChat(entry, reason, needsOutcome = false) {
  entry.ended = true;
  showTab(entry);
  entry.pane.querySelector(".pane__meta").textContent += ` — ${reason}`;
  for (const control of entry.pane.querySelectorAll("textarea, button, select, input")) {
    control.disabled = !(needsOutcome && control.closest(".close"));
  }
  if (needsOutcome) entry.pane.querySelector(".close__submit").textContent = t("console.save_outcome");
  const dismiss = el("button", { type: "button", className: "button button--secondary", textContent: t("console.dismiss") });
  dismiss.addEventListener("click", () => removeChat(entry.chat.id));
  entry.pane.querySelector(".pane__meta").after(dismiss);
  announce(`${entry.name}: ${reason}`);
}

/** A line of the service's own in the chat's log (not stored): what the advisor should know. */
function systemLine(entry, text) {
  const line = el("div", { className: "line line--system" }, [el("p", { className: "line__text", textContent: text })]);
  entry.pane.querySelector(".pane__log").append(line);
  line.scrollIntoView({ block: "nearest" });
}

/** Show a stored line once; false when it was shown before (a replay after reconnecting). */
function appendLine(entry, message) {
  if (message.seq <= entry.lastSeq) return false;
  entry.lastSeq = message.seq;
  const who = t(`console.from.${message.from}`);
  const time = clock(message.at);
  const line = el("div", { className: `line line--${message.from}` }, [
    el("span", { className: "line__who", textContent: `${who} ${time}` }),
    el("p", { className: "line__text", textContent: message.text }),
  ]);
  entry.pane.querySelector(".pane__log").append(line);
  line.scrollIntoView({ block: "nearest" });
  entry.pane.querySelector(".idle").hidden = true; // a line starts the idle clock again
  return true;
}

// ---- the pane's controls -----------------------------------------------------------------
function fillPane(entry) {
  const { pane, chat } = entry;
  const id = chat.id;
  const q = (selector) => pane.querySelector(selector);
  q(".pane__meta").textContent = t("console.chat_meta", {
    name: entry.name, topic: topicLabel(chat.topic), language: languageLabel(chat.language),
    arrived: entry.arrived, minutes: Math.round(chat.waited_s / 60),
  });
  // Two boxes: the message to the visitor, and the internal note apart from it (note mode), so
  // that writing a note never tells the visitor that someone is typing.
  const textarea = fillComposer(entry, q(".composer--message"), "message", {
    label: "console.composer", button: "console.send",
  });
  const noteArea = fillComposer(entry, q(".composer--note"), "note", {
    label: "console.note", button: "console.add_note", hint: "console.note.hint",
  });
  fillMode(entry, textarea, noteArea);
  let lastTyping = 0;
  textarea.addEventListener("input", () => {
    if (textarea.value.trim() && Date.now() - lastTyping > 3000) {
      lastTyping = Date.now();
      send({ type: "typing", chat: id });
    }
  });

  fillHandbook(entry, textarea);
  fillTransfer(entry);
  const outcome = q(".close__outcome");
  outcome.id = `outcome-${id}`;
  q(".close__label").htmlFor = outcome.id;
  q(".close__label").textContent = t("console.outcome");
  for (const option of setup.outcomes) outcome.append(el("option", { value: option.id, textContent: option.label }));
  q(".close__submit").textContent = t("console.close");
  q(".close").addEventListener("submit", (event) => {
    event.preventDefault();
    send({ type: "close", chat: id, outcome: outcome.value });
  });
  fillBlock(entry);
  q(".idle__answer").textContent = t("console.still_here");
  q(".idle__answer").addEventListener("click", () => send({ type: "still_here", chat: id }));
}

/** Ending an abusive chat as blocked, for a while: asked apart from the close, in a disclosure
 * that says what it does. */
function fillBlock(entry) {
  const { pane, chat } = entry;
  const q = (selector) => pane.querySelector(selector);
  q(".block summary").textContent = t("console.block");
  q(".block__hint").textContent = t("console.block.hint");
  const duration = q(".block__duration");
  duration.id = `block-${chat.id}`;
  q(".block__label").htmlFor = duration.id;
  q(".block__label").textContent = t("console.block.duration");
  for (const option of duration.options) option.textContent = t(`console.block.for.${option.value}`);
  q(".block__submit").textContent = t("console.block.submit");
  q(".block__form").addEventListener("submit", (event) => {
    event.preventDefault();
    send({ type: "block", chat: chat.id, duration: duration.value });
  });
}

/** Reply or note mode: one of the two boxes at a time, the note mode coloured apart and saying
 * so, so the advisor always sees whether the visitor will read what they type. */
function fillMode(entry, message, note) {
  const { pane, chat } = entry;
  const modes = pane.querySelector(".mode");
  modes.querySelector(".mode__legend").textContent = t("console.mode");
  for (const input of modes.querySelectorAll("input")) {
    input.name = `mode-${chat.id}`;
    input.closest("label").querySelector(".mode__text").textContent = t(`console.mode.${input.value}`);
  }
  modes.addEventListener("change", (event) => {
    const noteMode = event.target.value === "note";
    pane.classList.toggle("pane--note", noteMode);
    message.form.hidden = noteMode;
    note.form.hidden = !noteMode;
  });
}

/** One box that sends `type` (message or note) on its button or Enter; Shift+Enter: a new line. */
function fillComposer(entry, form, type, keys) {
  const id = entry.chat.id;
  const q = (selector) => form.querySelector(selector);
  const textarea = q("textarea");
  textarea.id = `${type}-${id}`;
  q(".composer__label").htmlFor = textarea.id;
  q(".composer__label").textContent = t(keys.label);
  q(".composer__send").textContent = t(keys.button);
  const hint = q(".composer__hint");
  if (hint) {
    hint.id = `${type}-hint-${id}`;
    hint.textContent = t(keys.hint);
    textarea.setAttribute("aria-describedby", hint.id);
  }
  const submit = () => {
    const text = textarea.value.trim();
    if (!text) return;
    const frame = { type, chat: id, id: newClientId(), text };
    outbox.set(frame.id, frame);
    showPending(entry, frame);
    link.transmit(frame);
    textarea.value = "";
    entry.pane.querySelector(".pane__error").textContent = "";
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  return textarea;
}

function showPending(entry, frame) {
  const line = el("div", { className: `line line--pending line--${frame.type === "note" ? "note" : "advisor"}` }, [
    el("span", { className: "line__who", textContent: t("console.sending") }),
    el("p", { className: "line__text", textContent: frame.text }),
  ]);
  line.dataset.clientId = frame.id;
  entry.pane.querySelector(".pane__log").append(line);
}

let handbookCache = null;
async function handbook() {
  if (!handbookCache) handbookCache = fetch("/api/console/handbook", { credentials: "same-origin" }).then((r) => r.json());
  return handbookCache;
}

function fillHandbook(entry, textarea) {
  const { pane, chat } = entry;
  const q = (selector) => pane.querySelector(selector);
  q(".handbook summary").textContent = t("console.handbook");
  const search = q(".handbook__search");
  search.id = `handbook-${chat.id}`;
  q(".handbook__label").htmlFor = search.id;
  q(".handbook__label").textContent = t("console.handbook.search");
  const list = q(".handbook__list");
  const render = async () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const answers = (await handbook()).filter((a) => a.language === chat.language
      && words.every((w) => `${a.title} ${a.text}`.toLowerCase().includes(w)));
    list.replaceChildren(...answers.map((answer) => {
      const button = el("button", { type: "button", className: "handbook__answer" }, [
        el("strong", { textContent: answer.title }), el("span", { textContent: answer.text }),
      ]);
      button.addEventListener("click", () => {
        textarea.value = textarea.value ? `${textarea.value}\n${answer.text}` : answer.text;
        textarea.focus();
      });
      return el("li", {}, [button]);
    }));
    if (!answers.length) list.replaceChildren(el("li", { textContent: t("console.handbook.none") }));
  };
  // The latest search: Enter waits for it, so a fast typist inserts what they searched for.
  let rendered = Promise.resolve();
  const refresh = () => { rendered = render(); };
  q(".handbook").addEventListener("toggle", refresh);
  search.addEventListener("input", refresh);
  search.addEventListener("keydown", async (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      await rendered;
      const first = list.querySelector("button");
      if (first) first.click(); // insert the best match with one keystroke
    }
  });
  // Alt+H from the composer opens the handbook search.
  textarea.addEventListener("keydown", (event) => {
    if (event.altKey && event.key.toLowerCase() === "h") {
      event.preventDefault();
      q(".handbook").open = true;
      search.focus();
    }
  });
}

/** "Bertil · Kaakko UAS · sv, fi · away": whom the chat would reach, and whether they can take it now. */
function colleagueLabel(person) {
  const status = !person.on_shift ? "off_shift" : person.available ? "available" : "away";
  return [person.name, person.organisation, (person.languages || []).join(", "), t(`console.colleague.${status}`)]
    .filter(Boolean).join(" · ");
}

function fillTransfer(entry) {
  const { pane, chat } = entry;
  const q = (selector) => pane.querySelector(selector);
  q(".transfer summary").textContent = t("console.transfer");
  const kind = q(".transfer__kind");
  const target = q(".transfer__target");
  const note = q(".transfer__note");
  for (const [node, label, name] of [[kind, ".transfer__kind-label", "kind"], [target, ".transfer__target-label", "target"],
    [note, ".transfer__note-label", "note"]]) {
    node.id = `transfer-${name}-${chat.id}`;
    q(label).htmlFor = node.id;
    q(label).textContent = t(`console.transfer.${name}`);
  }
  for (const value of ["advisor", "organisation", "topic"]) {
    kind.append(el("option", { value, textContent: t(`console.transfer.to.${value}`) }));
  }
  const fillTargets = async () => {
    let options = [];
    if (kind.value === "advisor") {
      const people = await (await fetch("/api/console/colleagues", { credentials: "same-origin" })).json();
      options = people.map((p) => ({ id: p.username, label: colleagueLabel(p) }));
    } else {
      options = kind.value === "organisation" ? setup.organisations : setup.topics;
    }
    target.replaceChildren(...options.map((o) => el("option", { value: o.id, textContent: o.label })));
  };
  kind.addEventListener("change", fillTargets);
  q(".transfer").addEventListener("toggle", fillTargets);
  q(".transfer__submit").textContent = t("console.transfer.submit");
  q(".transfer__form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!target.value) return;
    send({ type: "transfer", chat: chat.id, to: { [kind.value]: target.value }, note: note.value.trim() || null });
  });
}

link.connect();
