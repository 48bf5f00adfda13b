// The duty console's chat list without a page: chips, unread counts, the title, and the short
// names that survive a reload. node --test tests/console/

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ChatList, ChatNames, titleWithUnread } from '../../chat/web/static/console_chats.js';

const chat = (id, ...from) => ({ id, messages: from.map((who, i) => ({ seq: i + 1, from: who, text: 'x' })) });

test('a chat handed over while the advisor looks elsewhere is new, with one unread, until looked at', () => {
  const list = new ChatList();
  list.add(chat('a'), { isNew: true, looking: false });
  assert.equal(list.chip('a'), 'new');
  assert.equal(list.unread('a'), 1);
  list.look('a');
  assert.equal(list.chip('a'), 'yours');
  assert.equal(list.unread('a'), 0);
});

test('the first chat, opened at once in a visible page, is not new', () => {
  const list = new ChatList();
  list.add(chat('a', 'visitor'), { isNew: true, looking: true });
  assert.equal(list.chip('a'), 'waiting');
  assert.equal(list.totalUnread(), 0);
});

test('waiting for you while the visitor wrote last; yours once you answered; notes change nothing', () => {
  const list = new ChatList();
  list.add(chat('a'), { isNew: true, looking: true });
  list.line('a', 'visitor', { looking: true });
  assert.equal(list.chip('a'), 'waiting');
  list.line('a', 'note', { looking: true });
  assert.equal(list.chip('a'), 'waiting');
  list.line('a', 'advisor', { looking: true });
  assert.equal(list.chip('a'), 'yours');
});

test('visitor lines count as unread only while the advisor is not looking at the chat', () => {
  const list = new ChatList();
  list.add(chat('a'), { isNew: true, looking: true });
  list.add(chat('b'), { isNew: true, looking: false });
  list.line('b', 'visitor', { looking: false });
  list.line('b', 'visitor', { looking: false });
  list.line('a', 'visitor', { looking: true });
  list.line('b', 'advisor', { looking: false });
  assert.deepEqual([list.unread('a'), list.unread('b'), list.totalUnread()], [0, 3, 3]);
  assert.equal(list.chip('b'), 'new');
});

test('how a chat ended decides its chip: the visitor left, it ended, you closed it, or it moved on', () => {
  const list = new ChatList();
  for (const id of ['v', 'g', 'i', 'c', 't']) list.add(chat(id), { isNew: false, looking: false });
  list.ended('v', 'visitor', null);
  list.ended('g', 'system', 'abandoned');
  list.ended('i', 'system', 'idle');
  list.ended('c', 'advisor', null);
  list.transferred('t');
  assert.deepEqual(['v', 'g', 'i', 'c', 't'].map((id) => list.chip(id)), ['left', 'left', 'ended', 'closed', 'transferred']);
});

test('a visitor who left by the quick exit shows as left at once, and as back when they write again', () => {
  const list = new ChatList();
  list.add(chat('a', 'visitor'), { isNew: true, looking: true });
  list.visitorLeft('a');
  assert.equal(list.chip('a'), 'left');
  list.line('a', 'visitor', { looking: true });
  assert.equal(list.chip('a'), 'waiting');
  list.visitorLeft('a');
  list.ended('a', 'system', 'left_quickly');
  assert.equal(list.chip('a'), 'left');
});

test('a reconnect (welcome) keeps what the advisor had seen and takes the last speaker from the history', () => {
  const list = new ChatList();
  list.add(chat('a'), { isNew: true, looking: false });
  list.add(chat('a', 'visitor', 'advisor', 'note'), { isNew: false, looking: false });
  assert.equal(list.chip('a'), 'new');
  list.add(chat('b', 'advisor', 'visitor'), { isNew: false, looking: false });
  assert.equal(list.chip('b'), 'waiting');
  assert.equal(list.unread('b'), 0);
});

test('a chat that comes back after it ended here starts afresh', () => {
  const list = new ChatList();
  list.add(chat('a'), { isNew: true, looking: true });
  list.transferred('a');
  list.add(chat('a', 'visitor'), { isNew: true, looking: false });
  assert.equal(list.chip('a'), 'new');
  assert.equal(list.unread('a'), 1);
});

test('the title carries the unread count, and only when there is one', () => {
  assert.equal(titleWithUnread('Päivystys – Neuvo', 3), '(3) Päivystys – Neuvo');
  assert.equal(titleWithUnread('Päivystys – Neuvo', 0), 'Päivystys – Neuvo');
});

class MemoryStorage {
  constructor() { this.items = new Map(); }
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) { this.items.set(key, String(value)); }
}

test('chats are numbered in the order they came, and keep their numbers over a reload', () => {
  const storage = new MemoryStorage();
  const names = new ChatNames(storage);
  assert.deepEqual([names.numberOf('x'), names.numberOf('y'), names.numberOf('x')], [1, 2, 1]);
  const reloaded = new ChatNames(storage);
  assert.deepEqual([reloaded.numberOf('y'), reloaded.numberOf('z')], [2, 3]);
});

test('a number is never given again, even after its chat is forgotten', () => {
  const storage = new MemoryStorage();
  const names = new ChatNames(storage);
  names.numberOf('x');
  names.numberOf('y');
  names.keepOnly(new Set(['y']));
  const reloaded = new ChatNames(storage);
  assert.deepEqual([reloaded.numberOf('y'), reloaded.numberOf('x')], [2, 3]);
  assert.ok(!storage.getItem('neuvo-console-names').includes('text'));
});

test('unreadable or missing storage numbers afresh instead of failing', () => {
  const storage = new MemoryStorage();
  storage.setItem('neuvo-console-names', '{not json');
  assert.equal(new ChatNames(storage).numberOf('x'), 1);
  const refusing = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
  assert.equal(new ChatNames(refusing).numberOf('x'), 1);
  assert.equal(new ChatNames(undefined).numberOf('x'), 1);
});
