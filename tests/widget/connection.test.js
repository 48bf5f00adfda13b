// The connection the widget and the duty console share, against a fake socket and a manual
// clock: backoff, the outbox re-sent with the same ids, and the deaf-socket check.
// node --test tests/widget/

import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { Connection } from '../../widget/static/connection.js';
import { FakeSocket, ManualTimers, quietly } from './fakes.js';

beforeEach(() => FakeSocket.reset());

/** A connection whose owner records what it hears and says `hello` first. */
function connection({ online = true, random = () => 0.5 } = {}) {
  const timers = new ManualTimers();
  const heard = { frames: [], closes: [] };
  const link = new Connection('ws://chat.test/ws/advisor', {
    onOpen: () => link.send({ type: 'hello' }),
    onFrame: (frame) => heard.frames.push(frame),
    onClose: (code, owed) => heard.closes.push({ code, owed: [...owed].sort() }),
  }, { ackTimeoutMs: 1000, WebSocket: FakeSocket, timers, now: timers.now,
    isOnline: () => online, random, name: 'test' });
  return { link, timers, heard };
}

test('frames are parsed and handed over; what is not JSON or has no type is ignored', () => {
  const { link, heard } = connection();
  link.connect();
  FakeSocket.last.accept();
  assert.deepEqual(FakeSocket.last.sent, [{ type: 'hello' }]);
  const warnings = quietly(() => {
    FakeSocket.last.receive('not json');
    FakeSocket.last.receive({ no: 'type' });
    FakeSocket.last.receive({ type: 'welcome' });
  });
  assert.deepEqual(heard.frames, [{ type: 'welcome' }]);
  assert.match(warnings[0], /^test: ignored a frame that is not JSON/);
});

test('a handshake and first answer that never come count as deaf', () => {
  const { link, timers, heard } = connection();
  link.connect();
  FakeSocket.last.accept();
  quietly(() => timers.advance(1000));
  assert.deepEqual(heard.closes, [{ code: 1006, owed: ['ready'] }]);
  assert.equal(link.active, false);
});

test('lines go out again on the next socket with the same ids; acked ones stop being owed', () => {
  const { link, timers, heard } = connection();
  link.connect();
  FakeSocket.last.accept();
  link.markReady();
  const outbox = [{ type: 'message', id: 'a', text: 'one' }, { type: 'note', id: 'b', text: 'two' }];
  link.resend(outbox);
  FakeSocket.last.receive({ type: 'ack', id: 'a' });
  link.acked('a');
  assert.deepEqual(link.inFlight, ['b']);
  quietly(() => timers.advance(1000));
  assert.deepEqual(heard.closes, [{ code: 1006, owed: ['message:b'] }]);

  assert.equal(link.scheduleReconnect(), 'reconnecting');
  assert.equal(link.scheduleReconnect(), null, 'one reconnect at a time');
  timers.advance(250); // backoff: random 0.5 of the 500 ms ceiling
  const again = FakeSocket.last;
  assert.equal(FakeSocket.made.length, 2);
  again.accept();
  assert.equal(link.markReady(), true);
  assert.equal(link.markReady(), false, 'ready once per socket');
  link.resend(outbox.slice(1));
  assert.deepEqual(again.sent, [{ type: 'hello' }, { type: 'note', id: 'b', text: 'two' }]);
});

test('backoff doubles its ceiling per attempt and starts again once a socket is ready', () => {
  const { link, timers } = connection({ random: () => 0.9999 });
  for (const ceiling of [500, 1000, 2000]) {
    link.scheduleReconnect();
    const before = FakeSocket.made.length;
    timers.advance(ceiling - 2);
    assert.equal(FakeSocket.made.length, before, `not before ${ceiling} ms`);
    timers.advance(2);
    assert.equal(FakeSocket.made.length, before + 1);
    FakeSocket.last.drop(1006);
  }
  assert.equal(link.attempt, 3);
  link.connect();
  FakeSocket.last.accept();
  link.markReady();
  assert.equal(link.attempt, 0);
});

test('offline: no reconnect is scheduled until reconnectNow()', () => {
  const { link, timers } = connection({ online: false });
  assert.equal(link.scheduleReconnect(), 'offline');
  timers.advance(60000);
  assert.equal(FakeSocket.made.length, 0);
  link.reconnectNow();
  assert.equal(FakeSocket.made.length, 1);
});

test('silence is probed with one ping at a time; pong and any frame answer it', () => {
  const { link, timers, heard } = connection();
  link.connect();
  FakeSocket.last.accept();
  link.markReady();
  timers.advance(2000);
  assert.deepEqual(FakeSocket.last.types(), ['hello', 'ping']);
  link.probe();
  assert.deepEqual(FakeSocket.last.types(), ['hello', 'ping'], 'a ping is owed already');
  FakeSocket.last.receive({ type: 'pong' });
  assert.deepEqual(heard.frames, [], 'pong is the connection\'s own business');
  timers.advance(1999);
  FakeSocket.last.receive({ type: 'queue', length: 0 });
  timers.advance(1999);
  assert.deepEqual(FakeSocket.last.types(), ['hello', 'ping'], 'the frame restarted the silence');
  assert.deepEqual(heard.closes, []);
});

test('disconnect() closes on purpose: no onClose, no reconnect, nothing more handed over', () => {
  const { link, timers, heard } = connection();
  link.connect();
  const socket = FakeSocket.last;
  socket.accept();
  link.disconnect();
  assert.equal(socket.closedWith, 1000);
  socket.receive({ type: 'late' });
  socket.drop(1000);
  timers.advance(60000);
  assert.deepEqual(heard, { frames: [], closes: [] });
  assert.equal(FakeSocket.made.length, 1);
  assert.equal(link.send({ type: 'x' }), false);
});

test('a socket the page may not open (CSP) is a drop like any other', () => {
  const timers = new ManualTimers();
  const closes = [];
  const link = new Connection('ws://refused', {
    onOpen: () => {}, onFrame: () => {}, onClose: (code) => closes.push(code),
  }, { WebSocket: class { constructor() { throw new Error('refused by CSP'); } }, timers,
    now: timers.now });
  quietly(() => link.connect());
  timers.advance(0);
  assert.deepEqual(closes, [1006]);
});
