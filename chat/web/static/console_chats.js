/* The duty console's chat list, without the DOM: what each chat's tab says (a short name, topic,
 * language, arrival), its status chip and its unread count, derived from the frames the advisor
 * socket gets (welcome, assigned, message, ended, transferred) and from what the advisor has
 * looked at. console.js draws it; tests/console/*.test.js check it under node --test.
 *
 * Chips: "new" until the advisor first looks at the chat; then "waiting" (the visitor wrote last:
 * waiting for you) or "yours" (you wrote last, or nobody has yet); "left" as soon as the visitor
 * left by the quick exit (`visitor_left`; a line from them again undoes it), and once it ends,
 * "left" (the visitor ended it, or their grace ran out), "ended" (idle, the service closed),
 * "closed" (you closed it) or "transferred".
 * Unread: a new chat counts one until looked at, and each visitor line that came while the
 * advisor was not looking at its tab counts one more.
 */

const SPEAKERS = new Set(["visitor", "advisor"]);
// Reasons the system gives for ending a chat whose visitor went away (their grace ran out).
const VISITOR_GONE = new Set(["abandoned", "left_quickly"]);

function lastSpeaker(messages) {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    if (SPEAKERS.has(messages[i].from)) return messages[i].from;
  }
  return null;
}

export class ChatList {
  constructor() {
    this.chats = new Map(); // id -> {seen, lastFrom, end, unread}
  }

  /** A chat from `welcome` or `assigned`; `looking`: its tab is open in a visible page. */
  add(chat, { isNew, looking }) {
    const known = this.chats.get(chat.id);
    const state = known && !known.end ? known : { seen: !isNew, lastFrom: null, end: null, gone: false, unread: 0 };
    state.lastFrom = lastSpeaker(chat.messages) ?? state.lastFrom;
    if (isNew && !looking && state.unread === 0) state.unread = 1;
    if (looking) this.look(chat.id, state);
    this.chats.set(chat.id, state);
  }

  /** The advisor looks at the chat (its tab opened while the page is visible). */
  look(id, state = this.chats.get(id)) {
    if (!state) return;
    state.seen = true;
    state.unread = 0;
  }

  /** A line of the chat arrived; a visitor's line while the advisor looks elsewhere is unread. */
  line(id, from, { looking }) {
    const state = this.chats.get(id);
    if (!state || !SPEAKERS.has(from)) return;
    state.lastFrom = from;
    if (from === "visitor") state.gone = false; // back after all (resumed)
    if (from === "visitor" && !looking) state.unread += 1;
  }

  /** The visitor left by the quick exit; the chat ends by itself after their grace. */
  visitorLeft(id) {
    const state = this.chats.get(id);
    if (state) state.gone = true;
  }

  ended(id, by, reason) {
    const state = this.chats.get(id);
    if (!state) return;
    if (by === "advisor") state.end = "closed";
    else if (by === "visitor" || VISITOR_GONE.has(reason)) state.end = "left";
    else state.end = "ended";
  }

  transferred(id) {
    const state = this.chats.get(id);
    if (state) state.end = "transferred";
  }

  remove(id) {
    this.chats.delete(id);
  }

  chip(id) {
    const state = this.chats.get(id);
    if (!state) return null;
    if (state.end) return state.end;
    if (state.gone) return "left";
    if (!state.seen) return "new";
    return state.lastFrom === "visitor" ? "waiting" : "yours";
  }

  unread(id) {
    return this.chats.get(id)?.unread ?? 0;
  }

  totalUnread() {
    let total = 0;
    for (const state of this.chats.values()) total += state.unread;
    return total;
  }
}

/** "(3) Duty console – Neuvo": the unread count in front of the page's own title. */
export function titleWithUnread(base, count) {
  return count > 0 ? `(${count}) ${base}` : base;
}

/**
 * Short names for chats ("Visitor 3"), numbered in the order they reached this console and kept
 * over a reload (in sessionStorage: ids and numbers only, never text), so a name the advisor has
 * used in a note still means the same chat.
 */
export class ChatNames {
  constructor(storage, key = "neuvo-console-names") {
    this.storage = storage;
    this.key = key;
    let saved = null;
    try {
      saved = JSON.parse(storage?.getItem(key) ?? "null");
    } catch {
      saved = null; // unreadable: number afresh
    }
    this.numbers = new Map(Object.entries(saved?.numbers ?? {}));
    this.next = Number.isInteger(saved?.next) ? saved.next : 1;
  }

  numberOf(id) {
    if (!this.numbers.has(id)) {
      this.numbers.set(id, this.next);
      this.next += 1;
      this.save();
    }
    return this.numbers.get(id);
  }

  /** Forget the chats no longer held (after a welcome); their numbers are not given again. */
  keepOnly(ids) {
    for (const id of [...this.numbers.keys()]) if (!ids.has(id)) this.numbers.delete(id);
    this.save();
  }

  save() {
    try {
      this.storage?.setItem(this.key, JSON.stringify({ next: this.next, numbers: Object.fromEntries(this.numbers) }));
    } catch {
      // Storage full or refused: the names last until the page is reloaded.
    }
  }
}
