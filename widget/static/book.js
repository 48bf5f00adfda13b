/*
 * The visitor's side of one chat as data: the lines shown and the outbox, the transcript built
 * from them, and characters counted as the server counts them. No DOM.
 */

/** Characters as the server counts them (code points, not UTF-16 units: an emoji is one). */
export function countChars(text) {
  return [...text].length;
}

/**
 * The lines shown (each seq once, in seq order), the outbox of lines sent but not yet
 * acknowledged, and the events the widget saw happen (an advisor joined, a transfer, back in the
 * queue), each placed after the lines shown when it happened. lastSeq is the highest seq of a
 * server `message` frame; an `ack` alone does not move it, so a resume still replays the server's
 * own copy.
 */
export class ChatBook {
  constructor({ history = [], outbox = [], lastSeq = 0, events = [] } = {}) {
    this.history = [...history].sort((a, b) => a.seq - b.seq);
    this.outbox = [...outbox];
    this.lastSeq = lastSeq;
    this.events = [...events];
  }

  /** Note an event ({ kind, name, organisation, at }) after every line shown so far. */
  note(event) {
    this.events.push({ ...event, after: this.history.at(-1)?.seq ?? 0 });
  }

  /**
   * The lines and the events in the order they happened: { line } or { event, index } each (index:
   * the event's place among the events, a stable key, as events are only ever added).
   */
  timeline() {
    const out = [];
    let next = 0;
    const eventsUpTo = (seq) => {
      while (next < this.events.length && this.events[next].after < seq) {
        out.push({ event: this.events[next], index: next });
        next += 1;
      }
    };
    for (const line of this.history) {
      eventsUpTo(line.seq);
      out.push({ line });
    }
    eventsUpTo(Number.POSITIVE_INFINITY);
    return out;
  }

  /** Take a server `message` frame. Returns whether anything on screen changes. */
  addMessage({ seq, from, text, at }) {
    this.lastSeq = Math.max(this.lastSeq, seq);
    const existing = this.history.find((line) => line.seq === seq);
    if (existing && existing.from === from && existing.text === text && existing.at === at) {
      return false;
    }
    this.put({ ...existing, seq, from, text, at });
    return true;
  }

  /**
   * The server stored outbox line `id` as `seq`. It is shown as sent at once; its `message`
   * frame, when it comes, replaces this local copy. Returns false for an id already acked
   * (a re-send after reconnect, or the same chat open in a second tab).
   */
  acknowledge(id, seq) {
    const item = this.takeBack(id);
    if (!item) return false;
    if (!this.history.some((line) => line.seq === seq)) {
      this.put({ seq, from: 'visitor', text: item.text, at: item.at, clientId: id });
    }
    return true;
  }

  queue(item) {
    this.outbox.push(item);
  }

  /** Remove outbox line `id` and return it (acked, or refused by the server). */
  takeBack(id) {
    const index = this.outbox.findIndex((item) => item.id === id);
    return index < 0 ? null : this.outbox.splice(index, 1)[0];
  }

  clearOutbox() {
    const items = this.outbox;
    this.outbox = [];
    return items;
  }

  visitorTexts() {
    return this.history.filter((line) => line.from === 'visitor').map((line) => line.text);
  }

  put(line) {
    const index = this.history.findIndex((other) => other.seq >= line.seq);
    if (index < 0) this.history.push(line);
    else this.history.splice(index, this.history[index].seq === line.seq ? 1 : 0, line);
  }
}

/**
 * The .txt transcript a visitor downloads, built from the lines on screen (the events among them
 * as lines `from` "system", in words already): nothing is asked of the server, and internal notes
 * (never sent to a visitor) cannot appear in it.
 */
export function buildTranscript(lines, { heading, when, who }) {
  const out = [...heading, ''];
  for (const line of lines) {
    const [first, ...rest] = line.text.split('\n');
    out.push(`[${when(line.at)}] ${who(line.from)}: ${first}`);
    for (const more of rest) out.push(`    ${more}`);
  }
  return `${out.join('\n')}\n`;
}
