// Unit tests of the widget's DOM-free helpers: node --test tests/widget/
// (run by tests/widget/test_widget_js.py).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { ChatBook, buildTranscript, countChars } from '../../widget/static/book.js';
import { DEFAULT_EXIT_URL, exitUrlOf } from '../../widget/static/bridge.js';
import {
  ACK_TIMEOUT_MS, AnswerWatch, BACKOFF_CAP_MS, BACKOFF_START_MS, ackTimeoutFrom, backoffDelay,
  newClientId,
} from '../../widget/static/connection.js';
import { Translator, pickLanguage } from '../../widget/static/i18n.js';
import { SessionStore } from '../../widget/static/store.js';

const catalog = (lang) => JSON.parse(readFileSync(
  new URL(`../../widget/static/i18n/${lang}.json`, import.meta.url), 'utf-8'));

test('the script tag language wins, then the page language, then Finnish', () => {
  assert.equal(pickLanguage('sv', 'en'), 'sv');
  assert.equal(pickLanguage(undefined, 'en-GB'), 'en');
  assert.equal(pickLanguage('', 'sv_FI'), 'sv');
  assert.equal(pickLanguage('de', 'ru'), 'fi');
  assert.equal(pickLanguage(), 'fi');
});

test('backoff has full jitter below a doubling ceiling capped at 15 s', () => {
  assert.equal(backoffDelay(0, () => 0), 0);
  assert.ok(backoffDelay(0, () => 0.9999) < BACKOFF_START_MS);
  assert.ok(backoffDelay(3, () => 0.9999) < BACKOFF_START_MS * 8);
  assert.ok(backoffDelay(3, () => 0.9999) >= BACKOFF_START_MS * 4);
  assert.ok(backoffDelay(40, () => 0.9999) < BACKOFF_CAP_MS);
  assert.ok(backoffDelay(40, () => 0.9999) > BACKOFF_CAP_MS - 10);
});

test('characters are counted as the server counts them: one per code point', () => {
  assert.equal(countChars('Hei'), 3);
  assert.equal(countChars('🙂🙂'), 2);
  assert.equal(countChars('å\nä'), 3);
});

test('a client id is a version 4 UUID even without randomUUID (http:// pages)', () => {
  const fake = { getRandomValues: (bytes) => bytes.fill(0xab) };
  const id = newClientId(fake);
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(newClientId({ randomUUID: () => 'native' }), 'native');
});

test('lines are shown once each, in seq order, whatever order they arrive in', () => {
  const book = new ChatBook();
  assert.equal(book.addMessage({ seq: 4, from: 'advisor', text: 'b', at: 't4' }), true);
  assert.equal(book.addMessage({ seq: 2, from: 'visitor', text: 'a', at: 't2' }), true);
  assert.equal(book.addMessage({ seq: 4, from: 'advisor', text: 'b', at: 't4' }), false);
  assert.deepEqual(book.history.map((line) => line.seq), [2, 4]);
  assert.equal(book.lastSeq, 4);
});

test('an ack shows the line at once; the message frame later replaces the local copy', () => {
  const book = new ChatBook();
  book.queue({ id: 'x', text: 'Hei', at: 'local' });
  assert.equal(book.acknowledge('x', 3), true);
  assert.deepEqual(book.outbox, []);
  assert.equal(book.history[0].clientId, 'x');
  assert.equal(book.lastSeq, 0, 'an ack alone must not skip the replay of seq 3');
  assert.equal(book.addMessage({ seq: 3, from: 'visitor', text: 'Hei', at: 'server' }), true);
  assert.equal(book.history.length, 1);
  assert.equal(book.history[0].at, 'server');
  assert.equal(book.history[0].clientId, 'x', 'the log keeps the element it showed while sending');
  assert.equal(book.lastSeq, 3);
});

test('a second ack for the same id (re-send, second tab) changes nothing', () => {
  const book = new ChatBook();
  book.queue({ id: 'x', text: 'Hei', at: 'local' });
  book.acknowledge('x', 3);
  assert.equal(book.acknowledge('x', 3), false);
  assert.equal(book.history.length, 1);
});

test('an ack whose message was replayed first adds no second copy', () => {
  const book = new ChatBook();
  book.queue({ id: 'x', text: 'Hei', at: 'local' });
  book.addMessage({ seq: 3, from: 'visitor', text: 'Hei', at: 'server' });
  book.acknowledge('x', 3);
  assert.equal(book.history.length, 1);
  assert.equal(book.history[0].at, 'server');
});

test('the outbox survives a round trip through storage, in order, with its ids', () => {
  const book = new ChatBook();
  book.queue({ id: 'a', text: 'one', at: 't' });
  book.queue({ id: 'b', text: 'two', at: 't' });
  const again = new ChatBook(JSON.parse(JSON.stringify({ history: book.history,
    outbox: book.outbox, lastSeq: book.lastSeq })));
  assert.deepEqual(again.outbox.map((item) => item.id), ['a', 'b']);
  assert.deepEqual(again.takeBack('a'), { id: 'a', text: 'one', at: 't' });
  assert.deepEqual(again.clearOutbox().map((item) => item.id), ['b']);
});

test('a socket is deaf when the oldest thing it owes an answer to is older than the timeout', () => {
  const watch = new AnswerWatch();
  assert.equal(watch.deadline(1000), null, 'nothing owed: no deadline, however long the silence');
  watch.owe('ready', 100);
  watch.owe('message:a', 400);
  assert.equal(watch.deadline(1000), 1100);
  watch.settle('ready');
  assert.equal(watch.deadline(1000), 1400);
  watch.owe('message:a', 900); // sent again (after `unavailable`): its clock starts again
  watch.owe('message:b', 500);
  assert.equal(watch.deadline(1000), 1500);
  watch.owe('end', 600);
  watch.settleAll('message:');
  assert.equal(watch.size, 1);
  assert.equal(watch.deadline(1000), 1600);
  watch.clear();
  assert.equal(watch.deadline(1000), null);
});

test('data-ack-timeout-ms takes whole milliseconds in range, anything else is 15 s', () => {
  assert.equal(ACK_TIMEOUT_MS, 15000);
  assert.equal(ackTimeoutFrom('1500'), 1500);
  for (const bad of [undefined, '', '0', '-5', '99', '1.5', 'soon', '600001', ' ']) {
    assert.equal(ackTimeoutFrom(bad), ACK_TIMEOUT_MS, String(bad));
  }
});

test('the transcript has a heading, then one stamped line per message, text kept as is', () => {
  const text = buildTranscript([
    { seq: 1, from: 'visitor', text: 'Hei\ntoinen rivi', at: 'a' },
    { seq: 2, from: 'advisor', text: '<b>ei html:ää</b>', at: 'b' },
  ], { heading: ['Otsikko'], when: (at) => at.toUpperCase(), who: (from) => from });
  assert.equal(text, 'Otsikko\n\n[A] visitor: Hei\n    toinen rivi\n[B] advisor: <b>ei html:ää</b>\n');
});

function memoryStorage() {
  const items = new Map();
  return {
    items,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
  };
}

test('the stored record is namespaced by server origin and versioned', () => {
  const storage = memoryStorage();
  const store = new SessionStore(storage, 'https://chat.example');
  store.save({ lang: 'sv', chat: { id: 'c', token: 't', lastSeq: 2 } });
  assert.deepEqual([...storage.items.keys()], ['neuvo-chat:v1:https://chat.example']);
  assert.equal(store.load().chat.lastSeq, 2);
  assert.deepEqual(new SessionStore(storage, 'https://other.example').load(), {});
  storage.setItem('neuvo-chat:v1:https://chat.example', '{"version": 99}');
  assert.deepEqual(store.load(), {});
});

test('storage that throws or is missing keeps nothing and breaks nothing', () => {
  const broken = {
    getItem: () => { throw new Error('denied'); },
    setItem: () => { throw new Error('quota'); },
  };
  const quiet = console.warn;
  console.warn = () => {};
  try {
    assert.deepEqual(new SessionStore(broken, 'o').load(), {});
    new SessionStore(broken, 'o').save({ lang: 'fi' });
    assert.deepEqual(new SessionStore(null, 'o').load(), {});
  } finally {
    console.warn = quiet;
  }
});

test('texts fill their placeholders and pick plural forms by language', () => {
  const fi = new Translator('fi', catalog('fi'));
  const en = new Translator('en', catalog('en'));
  assert.equal(fi.t('waiting.position', { position: 2 }), 'Paikkasi jonossa: 2.');
  assert.equal(en.plural('composer.over', 1), '1 character too many');
  assert.equal(en.plural('composer.over', 5), '5 characters too many');
  assert.equal(fi.plural('launcher.unread', 3), '3 uutta viestiä');
});

test('a missing text shows its key rather than nothing', () => {
  const quiet = console.warn;
  console.warn = () => {};
  try {
    assert.equal(new Translator('fi', {}).t('no.such'), 'no.such');
  } finally {
    console.warn = quiet;
  }
});

test('waits are said in words, in minutes, and unknown waits are not said', () => {
  const en = new Translator('en', catalog('en'));
  assert.equal(en.wait(null), null);
  assert.equal(en.wait(20), 'less than a minute');
  assert.equal(en.wait(150), 'about 3 minutes');
});

test('the next opening says today, tomorrow or the weekday and date, in the service time zone', () => {
  const en = new Translator('en', catalog('en'));
  const fi = new Translator('fi', catalog('fi'));
  const zone = 'Europe/Helsinki';
  const now = new Date('2026-11-24T05:00:00Z'); // Tuesday 24 November, 7.00 in Helsinki
  assert.match(en.opening('2026-11-24T09:00:00+02:00', zone, now),
    /^The chat opens today at 0?9:00 \(Helsinki time\)\.$/);
  assert.match(en.opening('2026-11-25T09:00:00+02:00', zone, now),
    /^The chat opens tomorrow at 0?9:00 \(Helsinki time\)\.$/);
  assert.match(en.opening('2026-11-30T09:00:00+02:00', zone, now),
    /^The chat opens next on Monday 30 November at 0?9:00 \(Helsinki time\)\.$/);
  assert.equal(fi.opening('2026-11-25T09:00:00+02:00', zone, now),
    'Chat aukeaa huomenna klo 9.00 (Suomen aikaa).');
  // 23.30 in Helsinki is still "today" there, though it is already the 25th in Tokyo.
  const late = new Date('2026-11-24T21:30:00Z');
  assert.match(en.opening('2026-11-25T09:00:00+02:00', zone, late),
    /^The chat opens tomorrow at 0?9:00 \(Helsinki time\)\.$/);
  assert.equal(en.opening('2026-11-25T09:00:00+02:00', 'Asia/Tokyo', late),
    'The chat opens today at 16:00 (Japan Standard Time).');
  assert.equal(en.opening('not a time', zone, now), en.t('closed.no_next_open'));
});

test('opening hours, dates of the week and time zone names read as each language writes them', () => {
  const en = new Translator('en', catalog('en'));
  const fi = new Translator('fi', catalog('fi'));
  const sv = new Translator('sv', catalog('sv'));
  const start = '2026-11-24T09:00:00+02:00';
  const end = '2026-11-24T16:00:00+02:00';
  assert.equal(fi.hours(start, end, 'Europe/Helsinki'), '9.00–16.00');
  assert.equal(en.hours(start, end, 'Europe/Helsinki'), '9:00–16:00', 'as the sentences write 9:00');
  assert.equal(en.hours('not a time', end, 'Europe/Helsinki'), '');
  assert.equal(fi.day('2026-11-24'), 'tiistai 24.11.');
  assert.equal(sv.day('2026-11-28'), 'lördag 28.11');
  assert.deepEqual(['fi', 'sv', 'en'].map((lang) => new Translator(lang, catalog(lang))
    .zoneName('Europe/Helsinki')), ['Suomen aikaa', 'finsk tid', 'Helsinki time']);
  assert.equal(en.zoneName('Europe/Stockholm'), 'Central European Time'); // Intl's own name
  assert.equal(en.zoneName('Not/A_zone'), 'Not/A_zone');
  assert.equal(en.format(start, { hour: 'numeric' }, 'Not/A_zone') !== '', true);
});

test('events read with the advisor named in the widget, and without a name for the launcher', () => {
  const en = new Translator('en', catalog('en'));
  const anna = { name: 'Anna', organisation: 'Kotka College' };
  assert.equal(en.event({ kind: 'joined', ...anna }), 'Anna (Kotka College) joined the chat.');
  assert.equal(en.event({ kind: 'transferred', name: 'Bertil', organisation: null }),
    'You were transferred to Bertil.');
  assert.equal(en.event({ kind: 'requeued', ...anna }),
    'Anna left the chat. You are back in the queue.');
  assert.equal(en.eventUnnamed({ kind: 'requeued', ...anna }),
    'The advisor left the chat. You are back in the queue.');
  assert.equal(en.event({ kind: 'unheard_of' }), '');
});

test('the quick exit goes to an https address or a page of the host site, else the default', () => {
  const page = 'http://localhost:8000';
  assert.equal(exitUrlOf('https://www.google.com/', page), 'https://www.google.com/');
  assert.equal(exitUrlOf('/weather', page), 'http://localhost:8000/weather');
  assert.equal(exitUrlOf('http://elsewhere.example/', page), DEFAULT_EXIT_URL);
  assert.equal(exitUrlOf('javascript:alert(1)', page), DEFAULT_EXIT_URL);
  assert.equal(exitUrlOf(undefined, page), DEFAULT_EXIT_URL, 'no attribute');
});
