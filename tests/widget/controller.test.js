// The session controller without a DOM: server frames in through a fake socket, the visitor's
// intents as calls, the view state read back. node --test tests/widget/

import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { SessionController } from '../../widget/static/controller.js';
import { FakeSocket, ManualTimers, SERVICE, fakeApi, memoryStore, quietly, settle }
  from './fakes.js';

const ACK_MS = 1000;

beforeEach(() => FakeSocket.reset());

/**
 * A controller on fakes; `news` its announcements. The visitor chose to keep the chat on this
 * device (most tests read what is kept for a reload); `record: {}` is the default choice, off.
 */
function session({ record = { keep: true }, service = SERVICE, online = true } = {}) {
  const timers = new ManualTimers();
  const store = memoryStore(record);
  const api = fakeApi(service);
  const news = [];
  let ids = 0;
  const controller = new SessionController({
    api, store, topic: 'work', ackTimeoutMs: ACK_MS,
    onAnnounce: (item) => news.push(item),
    WebSocket: FakeSocket, timers, now: timers.now, isOnline: () => online,
    random: () => 0, newId: () => `id-${++ids}`,
  });
  return { controller, timers, store, api, news };
}

/** On the start screen (the service answered), with `draft` typed in its question box. */
async function startScreen({ draft = '', ...options } = {}) {
  const fixture = session(options);
  fixture.controller.start('en');
  await settle();
  fixture.controller.setDraft(draft);
  return fixture;
}

/** Started, queued and assigned to Anna: the socket is ready. */
async function chatting(options = {}) {
  const fixture = session(options);
  const { controller } = fixture;
  controller.start('en');
  await settle();
  controller.startChat('work', 'en');
  const socket = FakeSocket.last;
  socket.accept();
  socket.receive({ type: 'queued', chat: 'c1', token: 't1', position: 1, estimated_wait_s: 60 });
  socket.receive({ type: 'assigned', advisor: { name: 'Anna', organisation: 'Kotka College' } });
  return { ...fixture, socket };
}

const STORED_CHAT = {
  keep: true, lang: 'en', panelOpen: true, draft: '',
  chat: {
    id: 'c1', token: 't1', lastSeq: 4, topic: 'work', language: 'en', phase: 'chatting',
    advisor: { name: 'Anna', organisation: 'Kotka College' }, wasAssigned: true, ended: null,
    feedbackSaved: false, offerOffline: false,
    history: [{ seq: 4, from: 'advisor', text: 'Hei', at: '2026-11-24T08:00:00Z' }],
  },
  outbox: [{ id: 'kept', text: 'not acked yet', at: '2026-11-24T08:01:00Z' }],
};

test('a start is queued, assigned, and a line is shown as sent on its ack', async () => {
  const { controller, news, store } = session();
  controller.start('en');
  assert.equal(controller.view, 'loading');
  await settle();
  assert.equal(controller.view, 'before');
  assert.deepEqual(controller.forms.before, { topic: 'work', language: 'en' });

  controller.startChat('work', 'en');
  const socket = FakeSocket.last;
  assert.equal(socket.url, 'ws://chat.test/ws/visitor');
  socket.accept();
  assert.deepEqual(socket.sent, [{ type: 'start', topic: 'work', language: 'en' }]);

  socket.receive({ type: 'queued', chat: 'c1', token: 't1', position: 2, estimated_wait_s: 120 });
  assert.equal(controller.view, 'waiting');
  assert.deepEqual(controller.queue, { position: 2, estimated_wait_s: 120 });
  assert.equal(store.record.chat.id, 'c1');
  assert.equal(store.record.chat.token, 't1');

  socket.receive({ type: 'assigned', advisor: { name: 'Anna', organisation: 'Kotka College' } });
  assert.equal(controller.view, 'chatting');
  assert.deepEqual(news, [{ event: { kind: 'joined', name: 'Anna', organisation: 'Kotka College',
    at: '2026-11-24T08:00:00.000Z' } }]);

  assert.equal(controller.sendMessage('  Hei  '), null);
  assert.deepEqual(socket.sent.at(-1), { type: 'message', id: 'id-1', text: 'Hei' });
  assert.deepEqual(store.record.outbox.map((item) => item.id), ['id-1']);

  socket.receive({ type: 'ack', id: 'id-1', seq: 1 });
  assert.deepEqual(controller.book.outbox, []);
  assert.deepEqual(controller.book.history.map((line) => [line.seq, line.text]), [[1, 'Hei']]);
  assert.equal(controller.book.lastSeq, 0, 'an ack alone does not skip the replay of seq 1');

  socket.receive({ type: 'message', seq: 1, from: 'visitor', text: 'Hei', at: 't1' });
  socket.receive({ type: 'message', seq: 2, from: 'advisor', text: 'Moi', at: 't2' });
  assert.equal(controller.book.lastSeq, 2);
  assert.equal(store.record.chat.lastSeq, 2);
  assert.deepEqual(news.at(-1), { unread: 1 }, 'the panel is closed: the line is counted');
});

test('a line too long or a chat already over is refused with words, and nothing is sent', async () => {
  const { controller, socket } = await chatting();
  const sent = socket.sent.length;
  assert.deepEqual(controller.sendMessage('x'.repeat(2003)), { key: 'composer.over', count: 3 });
  assert.equal(controller.sendMessage('   '), null);
  assert.equal(socket.sent.length, sent);
});

test('a reload resumes after the last seq seen and re-sends the outbox once the server answered',
  () => {
    const { controller } = session({ record: STORED_CHAT });
    controller.start('en');
    assert.equal(controller.view, 'chatting', 'straight to the stored phase');
    const socket = FakeSocket.last;
    socket.accept();
    assert.deepEqual(socket.sent, [{ type: 'resume', chat: 'c1', token: 't1', after: 4 }]);

    socket.receive({ type: 'message', seq: 5, from: 'advisor', text: 'missed', at: 't5' });
    assert.equal(socket.sent.length, 1, 'nothing re-sent before the chat state arrives');
    socket.receive({ type: 'assigned', advisor: { name: 'Anna', organisation: 'Kotka College' } });
    assert.deepEqual(socket.sent.at(-1), { type: 'message', id: 'kept', text: 'not acked yet' });
  });

test('a resume answered with the same advisor announces nobody new', () => {
  const { controller, news } = session({ record: STORED_CHAT });
  controller.start('en');
  FakeSocket.last.accept();
  FakeSocket.last.receive({ type: 'assigned',
    advisor: { name: 'Anna', organisation: 'Kotka College' } });
  assert.deepEqual(news, []);
});

test('an ack that never comes closes the deaf socket, resumes and re-sends the same id', async () => {
  const { controller, timers, socket } = await chatting();
  controller.sendMessage('into the void');
  const warnings = quietly(() => timers.advance(ACK_MS));
  assert.match(warnings.join('\n'), /no answer in 1000 ms/);
  assert.equal(socket.closedWith, 1000, 'closed by the widget itself');
  assert.equal(controller.connection, 'reconnecting');

  timers.advance(0); // backoff with random() = 0
  const again = FakeSocket.last;
  assert.notEqual(again, socket);
  again.accept();
  assert.deepEqual(again.sent, [{ type: 'resume', chat: 'c1', token: 't1', after: 0 }]);
  again.receive({ type: 'assigned', advisor: { name: 'Anna', organisation: 'Kotka College' } });
  assert.deepEqual(again.sent.at(-1), { type: 'message', id: 'id-1', text: 'into the void' });
  assert.equal(controller.connection, 'restored');
  again.receive({ type: 'ack', id: 'id-1', seq: 1 });
  assert.equal(controller.book.history.length, 1, 'shown once');
  timers.advance(2 * ACK_MS); // silence: a ping, answered
  again.receive({ type: 'pong' });
  timers.advance(2000);
  assert.equal(controller.connection, 'ok', '"restored" is shown for four seconds');
});

test('a socket silent for twice the ack timeout is pinged; a pong keeps it', async () => {
  const { controller, timers, socket } = await chatting();
  timers.advance(2 * ACK_MS);
  assert.deepEqual(socket.sent.at(-1), { type: 'ping' });
  socket.receive({ type: 'pong' });
  timers.advance(ACK_MS);
  assert.equal(socket.closedWith, null);
  assert.equal(FakeSocket.made.length, 1);
  assert.equal(controller.connection, 'ok');
});

test('an older server answers the ping with unknown_type: that counts as the answer', async () => {
  const { controller, timers, socket } = await chatting();
  timers.advance(2 * ACK_MS);
  socket.receive({ type: 'error', code: 'unknown_type', message: 'no ping here' });
  assert.equal(controller.notice, null, 'not shown to the visitor');
  timers.advance(ACK_MS);
  assert.equal(socket.closedWith, null);
});

test('an unanswered ping closes the socket and reconnects', async () => {
  const { controller, timers, socket } = await chatting();
  timers.advance(2 * ACK_MS);
  quietly(() => timers.advance(ACK_MS));
  assert.equal(socket.closedWith, 1000);
  assert.equal(controller.connection, 'reconnecting');
});

test('a dropped socket while the browser is offline waits for the online event', async () => {
  const { controller, socket } = await chatting();
  controller.link.isOnline = () => false;
  socket.drop(1006);
  assert.equal(controller.connection, 'offline');
  assert.equal(FakeSocket.made.length, 1);
  controller.onOnline();
  assert.equal(FakeSocket.made.length, 2);
  assert.equal(controller.connection, 'reconnecting');
});

test('the chat language follows the widget language until the visitor picks one', async () => {
  const { controller } = session();
  controller.start('fi');
  await settle();
  assert.equal(controller.forms.before.language, 'fi');
  controller.setLanguage('en');
  assert.equal(controller.forms.before.language, 'en', 'an English visitor is not left in Finnish');
  assert.equal(controller.forms.offline.language, 'en');
  controller.chooseChatLanguage('sv');
  controller.setLanguage('fi');
  assert.equal(controller.forms.before.language, 'sv', 'the visitor chose: kept');
  assert.equal(controller.forms.offline.language, 'sv', 'one choice for both forms');
});

test('the chat language follows only to a language the service offers', async () => {
  const { controller } = session({ service: { ...SERVICE, languages: ['fi', 'sv'] } });
  controller.start('sv');
  await settle();
  controller.setLanguage('en');
  assert.equal(controller.forms.before.language, 'sv');
  controller.setLanguage('fi');
  assert.equal(controller.forms.before.language, 'fi');
});

test('a start with no answer is given up and said, not retried alone', async () => {
  const { controller } = session();
  controller.start('en');
  await settle();
  controller.startChat('work', 'en');
  FakeSocket.last.drop(1006);
  assert.equal(controller.view, 'before');
  assert.deepEqual(controller.startError, { key: 'before.connect_error' });
  assert.equal(controller.startRequest, null);
  assert.equal(FakeSocket.made.length, 1);
});

test('a start refused by the server shows its reason on the form', async () => {
  const { controller } = session();
  controller.start('en');
  await settle();
  controller.startChat('nope', 'en');
  FakeSocket.last.accept();
  FakeSocket.last.receive({ type: 'error', code: 'unknown_topic', message: 'no such topic' });
  assert.deepEqual(controller.startError, { key: 'error.unknown_topic', text: 'no such topic' });
  assert.equal(FakeSocket.last.closedWith, 1000);
});

test('a start that storage could not keep says so, and the visitor may start again', async () => {
  const { controller } = session();
  controller.start('en');
  await settle();
  controller.startChat('work', 'en');
  FakeSocket.last.accept();
  FakeSocket.last.receive({ type: 'error', code: 'unavailable', message: 'nothing was saved' });
  assert.deepEqual(controller.startError, { key: 'before.unavailable' });
  assert.equal(controller.startRequest, null);
  controller.startChat('work', 'en');
  assert.equal(FakeSocket.made.length, 2);
  assert.equal(controller.startError, null);
});

test('a closed frame instead of queued offers the offline form with the choice kept', async () => {
  const { controller } = await startScreen({ draft: 'my question' });
  controller.startChat('study', 'sv');
  const socket = FakeSocket.last;
  socket.accept();
  socket.receive({ type: 'closed', reason: 'unstaffed', next_open: '2026-11-25T07:00:00Z' });
  assert.equal(controller.view, 'closed');
  assert.equal(controller.closedReason, 'unstaffed');
  assert.equal(controller.service.next_open, '2026-11-25T07:00:00Z');
  assert.equal(socket.closedWith, 1000);
  const { topic, language, text } = controller.forms.offline;
  assert.deepEqual({ topic, language, text }, { topic: 'study', language: 'sv', text: 'my question' });
});

test('a service open but unstaffed, or closed, is shown as such before any socket', async () => {
  const unstaffed = session({ service: { ...SERVICE, accepting: false, open: true } });
  unstaffed.controller.start('fi');
  await settle();
  assert.equal(unstaffed.controller.view, 'closed');
  assert.equal(unstaffed.controller.closedReason, 'unstaffed');

  const closed = session({ service: { ...SERVICE, accepting: false, open: false } });
  closed.controller.start('fi');
  await settle();
  assert.equal(closed.controller.closedReason, 'closed');
  assert.equal(FakeSocket.made.length, 0);
});

test('an offline message sent goes to the offline_sent view', async () => {
  const { controller, api } = session({ service: { ...SERVICE, accepting: false, open: false } });
  controller.start('en');
  await settle();
  const result = await controller.sendOfflineMessage({ topic: 'work', language: 'en',
    text: 'Hello', contact: ' me@example.fi ' });
  assert.equal(result.ok, true);
  assert.deepEqual(api.offline, [{ topic: 'work', language: 'en', text: 'Hello',
    contact: 'me@example.fi' }]);
  assert.equal(controller.view, 'offline_sent');
});

test('an ended chat keeps its socket for feedback, then lets it go', async () => {
  const { controller, socket, store } = await chatting();
  controller.endChat();
  assert.deepEqual(socket.sent.at(-1), { type: 'end' });
  socket.receive({ type: 'ended', by: 'visitor', reason: null });
  assert.equal(controller.view, 'ended');
  assert.deepEqual(controller.chat.ended, { by: 'visitor', reason: null });
  assert.equal(socket.closedWith, null, 'open: feedback may follow');

  controller.sendFeedback(5, 'Kiitos');
  assert.deepEqual(socket.sent.at(-1), { type: 'feedback', rating: 5, comment: 'Kiitos' });
  assert.equal(controller.pendingFeedback.rating, 5);
  socket.receive({ type: 'feedback_saved' });
  assert.equal(controller.chat.feedbackSaved, true);
  assert.equal(controller.pendingFeedback, null);
  assert.equal(socket.closedWith, 1000);
  assert.equal(store.record.chat.feedbackSaved, true);
});

test('feedback after a reload opens a socket, resumes, then sends it', () => {
  const ended = structuredClone(STORED_CHAT);
  ended.chat.phase = 'ended';
  ended.chat.ended = { by: 'advisor', reason: null };
  ended.outbox = [];
  const { controller } = session({ record: ended });
  controller.start('en');
  assert.equal(controller.view, 'ended');
  assert.equal(FakeSocket.made.length, 0, 'an ended chat needs no socket until feedback');
  controller.sendFeedback(4, null);
  const socket = FakeSocket.last;
  socket.accept();
  assert.equal(socket.sent[0].type, 'resume');
  socket.receive({ type: 'ended', by: 'advisor', reason: null });
  assert.deepEqual(socket.sent.at(-1), { type: 'feedback', rating: 4, comment: null });
});

test('a chat closed by the service before anyone answered offers the offline form', async () => {
  const { controller } = session();
  controller.start('en');
  await settle();
  controller.startChat('work', 'en');
  const socket = FakeSocket.last;
  socket.accept();
  socket.receive({ type: 'queued', chat: 'c1', token: 't1', position: 1 });
  controller.sendMessage('first');
  socket.receive({ type: 'ack', id: 'id-1', seq: 1 });
  controller.sendMessage('never stored');
  socket.receive({ type: 'ended', by: 'system', reason: 'service_closed' });
  assert.equal(controller.chat.offerOffline, true);
  assert.equal(controller.forms.offline.text, 'first\n\nnever stored');
  assert.deepEqual(controller.book.outbox, []);
  assert.equal(socket.closedWith, 1000, 'no feedback without an advisor');
});

test('a stored chat that is not ours any more (4401) is forgotten and said', async () => {
  const { controller, store } = session({ record: STORED_CHAT });
  controller.start('en');
  FakeSocket.last.accept();
  FakeSocket.last.receive({ type: 'error', code: 'unauthorized' });
  FakeSocket.last.drop(4401);
  assert.equal(controller.chat, null);
  await settle();
  await settle();
  assert.equal(controller.view, 'before');
  assert.deepEqual(controller.notice, { key: 'notice.resume_failed' });
  assert.equal(store.record.chat, null);
});

test('too_long puts the refused line back in the message box', async () => {
  const { controller, socket } = await chatting();
  controller.setDraft('draft');
  controller.sendMessage('long one');
  socket.receive({ type: 'error', code: 'too_long', message: 'too long' });
  assert.deepEqual(controller.book.outbox, []);
  assert.equal(controller.draft, 'long one\ndraft');
  assert.deepEqual(controller.composerError, { key: 'error.too_long', text: 'too long' });
});

test('a too-long error follows the text: counted down while over, gone once within max_length',
  async () => {
    const { controller, socket } = await chatting();
    const long = 'x'.repeat(2003);
    controller.setDraft(long);
    controller.sendMessage(long);
    assert.deepEqual(controller.composerError, { key: 'composer.over', count: 3 });
    controller.setDraft('x'.repeat(2001));
    assert.deepEqual(controller.composerError, { key: 'composer.over', count: 1 });
    controller.setDraft('x'.repeat(2000));
    assert.equal(controller.composerError, null, 'within the limit: no error before sending');
    assert.equal(socket.sent.filter((frame) => frame.type === 'message').length, 0);
  });

test('a too_long from the server clears once the line put back is short enough', async () => {
  const { controller, socket } = await chatting({ service: { ...SERVICE, max_length: 10 } });
  controller.sendMessage('long one');
  socket.receive({ type: 'error', code: 'too_long', message: 'too long' });
  controller.setDraft('long one!!!');
  assert.deepEqual(controller.composerError, { key: 'composer.over', count: 1 });
  controller.setDraft('long one');
  assert.equal(controller.composerError, null);
});

test('unavailable re-sends the outbox two seconds later with the same ids', async () => {
  const { controller, timers, socket } = await chatting();
  controller.sendMessage('try again');
  socket.receive({ type: 'error', code: 'unavailable', message: 'busy' });
  assert.deepEqual(controller.notice, { key: 'error.unavailable', text: 'busy' });
  timers.advance(2000);
  const resent = socket.sent.filter((frame) => frame.type === 'message');
  assert.deepEqual(resent.map((frame) => frame.id), ['id-1', 'id-1']);
});

test('typing is sent to the advisor at most every three seconds', async () => {
  const { controller, timers, socket } = await chatting();
  controller.setDraft('a');
  controller.setDraft('ab');
  timers.advance(2 * ACK_MS);
  socket.receive({ type: 'pong' });
  timers.advance(1000);
  controller.setDraft('abc');
  assert.equal(socket.types().filter((type) => type === 'typing').length, 2);
});

test('an advisor typing shows for six seconds', async () => {
  const { controller, timers, socket } = await chatting();
  socket.receive({ type: 'typing', from: 'advisor' });
  assert.equal(controller.advisorTyping, true);
  timers.advance(6000);
  assert.equal(controller.advisorTyping, false);
});

test('opening the panel clears the unread count and is kept', async () => {
  const { controller, socket, store } = await chatting();
  socket.receive({ type: 'message', seq: 1, from: 'advisor', text: 'one', at: 't' });
  assert.equal(controller.unread, 1);
  controller.openPanel();
  assert.equal(controller.unread, 0);
  assert.equal(store.record.panelOpen, true);
  socket.receive({ type: 'message', seq: 2, from: 'advisor', text: 'two', at: 't' });
  assert.equal(controller.unread, 0, 'seen in the open panel');
});

// -- the question typed on the start screen ----------------------------------------------------

test('the question typed on the start screen is the first line, sent and acked right after queued',
  async () => {
    const { controller, store } = await startScreen({ draft: '  How do I apply?  ' });
    controller.startChat('work', 'en');
    const socket = FakeSocket.last;
    socket.accept();
    assert.deepEqual(socket.sent, [{ type: 'start', topic: 'work', language: 'en' }],
      'nothing before the chat exists');
    socket.receive({ type: 'queued', chat: 'c1', token: 't1', position: 1 });
    assert.deepEqual(socket.sent.at(-1), { type: 'message', id: 'id-1', text: 'How do I apply?' });
    assert.equal(controller.draft, '', 'out of the message box: it is a line now');
    assert.deepEqual(store.record.outbox.map((item) => item.text), ['How do I apply?'],
      'kept until acked, like any line');
    socket.receive({ type: 'ack', id: 'id-1', seq: 1 });
    assert.deepEqual(controller.book.history.map((line) => [line.seq, line.text]),
      [[1, 'How do I apply?']]);
  });

test('a start screen question lost with its socket before queued stays in the message box', async () => {
  const { controller } = await startScreen({ draft: 'still here' });
  controller.startChat('work', 'en');
  FakeSocket.last.drop(1006);
  assert.equal(controller.draft, 'still here');
  assert.equal(controller.firstLine, null);
  controller.startChat('work', 'en');
  FakeSocket.last.accept();
  FakeSocket.last.receive({ type: 'queued', chat: 'c1', token: 't1', position: 1 });
  assert.deepEqual(FakeSocket.last.sent.at(-1), { type: 'message', id: 'id-1', text: 'still here' });
});

test('a start screen question over max_length does not start the chat', async () => {
  const { controller } = await startScreen({ draft: 'too long',
    service: { ...SERVICE, max_length: 5 } });
  controller.startChat('work', 'en');
  assert.deepEqual(controller.startError, { key: 'composer.over', count: 3 });
  assert.equal(FakeSocket.made.length, 0);
});

// -- what happened, in the log ------------------------------------------------------------------

test('joined, a transfer and back in the queue are events in the log, between the lines', async () => {
  const { controller, socket, store, news } = await chatting();
  socket.receive({ type: 'message', seq: 1, from: 'advisor', text: 'Hei', at: 't1' });
  socket.receive({ type: 'assigned', advisor: { name: 'Bertil', organisation: 'Kaakko UAS' } });
  socket.receive({ type: 'message', seq: 2, from: 'advisor', text: 'Bertil here', at: 't2' });
  socket.receive({ type: 'queued', chat: 'c1', position: 1, estimated_wait_s: 30 });
  assert.equal(controller.view, 'waiting');
  socket.receive({ type: 'position', position: 1, estimated_wait_s: 10 });
  socket.receive({ type: 'assigned', advisor: { name: 'Chloe', organisation: 'TE Office' } });

  const timeline = controller.book.timeline().map(({ line, event }) => (line ? line.text
    : `${event.kind}:${event.name}`));
  assert.deepEqual(timeline, ['joined:Anna', 'Hei', 'transferred:Bertil', 'Bertil here',
    'requeued:Bertil', 'joined:Chloe']);
  assert.deepEqual(news.filter((item) => item.event).map((item) => item.event.kind),
    ['joined', 'transferred', 'requeued', 'joined']);
  assert.equal(store.record.chat.events.length, 4, 'kept over a reload');
});

test('a reload keeps the events, and a resume with the same advisor adds none', () => {
  const stored = structuredClone(STORED_CHAT);
  stored.chat.events = [{ kind: 'joined', name: 'Anna', organisation: 'Kotka College', at: 't0',
    after: 0 }];
  const { controller, news } = session({ record: stored });
  controller.start('en');
  FakeSocket.last.accept();
  FakeSocket.last.receive({ type: 'assigned', advisor: { name: 'Anna', organisation: 'Kotka College' } });
  assert.deepEqual(news, []);
  assert.deepEqual(controller.book.timeline().map(({ line, event }) => line?.seq ?? event.kind),
    ['joined', 4]);
});

test('a resume that finds the chat back in the queue says the advisor left', () => {
  const { controller, news } = session({ record: STORED_CHAT });
  controller.start('en');
  FakeSocket.last.accept();
  FakeSocket.last.receive({ type: 'position', position: 2, estimated_wait_s: 60 });
  assert.equal(controller.view, 'waiting');
  assert.deepEqual(news.map((item) => [item.event.kind, item.event.name]), [['requeued', 'Anna']]);
});

// -- ending, asked twice -----------------------------------------------------------------------

test('ending is asked first: nothing is sent until the visitor says yes, and no takes it back',
  async () => {
    const { controller, socket } = await chatting();
    controller.askToEnd();
    assert.equal(controller.confirmingEnd, true);
    assert.equal(socket.types().includes('end'), false);
    controller.cancelEnd();
    assert.equal(controller.confirmingEnd, false);
    assert.equal(socket.types().includes('end'), false);

    controller.askToEnd();
    controller.endChat();
    assert.equal(controller.confirmingEnd, false);
    assert.deepEqual(socket.sent.at(-1), { type: 'end' });
  });

test('a chat the advisor ends while the visitor is asked to confirm just ends', async () => {
  const { controller, socket } = await chatting();
  controller.askToEnd();
  socket.receive({ type: 'ended', by: 'advisor', reason: null });
  assert.equal(controller.view, 'ended');
  assert.equal(controller.confirmingEnd, false);
  controller.askToEnd();
  assert.equal(controller.confirmingEnd, false, 'nothing left to end');
});

// -- nobody on duty speaks the language ----------------------------------------------------------

test('a language nobody on duty speaks is known, and a message can be left instead', async () => {
  const service = { ...SERVICE, languages_on_duty: { fi: true, sv: false, en: true } };
  const { controller } = await startScreen({ service });
  controller.chooseChatLanguage('sv');
  assert.equal(controller.languageOnDuty('sv'), false);
  assert.equal(controller.languageOnDuty('fi'), true);
  controller.forms.before.topic = 'study';
  controller.setDraft('Hej, en fråga');
  controller.leaveMessage();
  assert.equal(controller.view, 'closed');
  assert.equal(controller.closedReason, 'language');
  const { topic, language, text } = controller.forms.offline;
  assert.deepEqual({ topic, language, text }, { topic: 'study', language: 'sv', text: 'Hej, en fråga' });
  assert.equal(FakeSocket.made.length, 0);
});

test('a service that does not say who speaks what counts every language as spoken', async () => {
  const { controller } = await startScreen();
  assert.equal(controller.languageOnDuty('sv'), true);
});

// -- keep this chat on this device ----------------------------------------------------------------

test('by default nothing of the chat is written to the browser, and a reload starts afresh',
  async () => {
    const { controller, socket, store } = await chatting({ record: {} });
    socket.receive({ type: 'message', seq: 1, from: 'advisor', text: 'Hei', at: '2026-11-24T08:00:00Z' });
    controller.setDraft('half a sentence');
    controller.sendMessage('not acked yet');
    assert.equal(controller.keepHere, false);
    assert.deepEqual(store.record, { version: 1, lang: 'en' }, 'the language only');
    const reloaded = session({ record: store.record });
    reloaded.controller.start('en');
    await settle();
    assert.equal(reloaded.controller.chat, null);
    assert.equal(reloaded.controller.view, 'before');
  });

test('kept on this device, the chat survives a reload; unticked, it is dropped at once', async () => {
  const { controller, socket, store } = await chatting({ record: {} });
  controller.setKeepHere(true);
  socket.receive({ type: 'message', seq: 1, from: 'advisor', text: 'Hei', at: '2026-11-24T08:00:00Z' });
  assert.equal(store.record.keep, true);
  assert.equal(store.record.chat.id, 'c1');
  assert.deepEqual(store.record.chat.history.map((line) => line.text), ['Hei']);
  const reloaded = session({ record: store.record });
  reloaded.controller.start('en');
  assert.equal(reloaded.controller.view, 'chatting', 'resumed');
  assert.equal(reloaded.controller.keepHere, true, 'and still kept');

  controller.setKeepHere(false);
  assert.deepEqual(store.record, { version: 1, lang: 'en' });
});

test('forgetting an ended chat also forgets the choice to keep chats here', async () => {
  const { controller, socket, store } = await chatting();
  socket.receive({ type: 'ended', by: 'advisor', reason: null });
  controller.forgetHere();
  await settle();
  assert.equal(controller.keepHere, false);
  controller.startChat('work', 'en');
  FakeSocket.last.accept();
  FakeSocket.last.receive({ type: 'queued', chat: 'c2', token: 't2', position: 1, estimated_wait_s: 60 });
  assert.equal(store.record.chat, undefined, 'the next chat is not kept unless asked again');
});

// -- quick exit ----------------------------------------------------------------------------------

test('quick exit tells the server and keeps nothing of the chat in the browser', async () => {
  const { controller, socket, store } = await chatting();
  socket.receive({ type: 'message', seq: 1, from: 'advisor', text: 'Hei', at: '2026-11-24T08:00:00Z' });
  controller.setDraft('half a sentence');
  controller.quickExit();
  assert.equal(socket.types().at(-1), 'quick_exit');
  assert.equal(store.record, null, 'the stored record is removed');
  assert.equal(controller.chat, null);
  assert.equal(controller.draft, '');
  assert.equal(socket.readyState, 3, "the socket is closed");
});

test('quick exit after the end sends nothing: there is no chat to leave', async () => {
  const { controller, socket, store } = await chatting();
  socket.receive({ type: 'ended', by: 'advisor', reason: null });
  const sent = socket.sent.length;
  controller.quickExit();
  assert.equal(socket.sent.length, sent);
  assert.equal(store.record, null);
});

// -- idle warning --------------------------------------------------------------------------------

test('an idle warning is shown until still_here is answered, and any line drops it', async () => {
  const { controller, socket } = await chatting();
  controller.stillHere();
  assert.ok(!socket.types().includes('still_here'), 'nothing to answer before a warning');
  socket.receive({ type: 'idle_warning', ends_in_s: 120 });
  assert.equal(controller.idleWarning, true);
  controller.stillHere();
  assert.equal(socket.types().at(-1), 'still_here');
  socket.receive({ type: 'idle_cleared' });
  assert.equal(controller.idleWarning, false);
  socket.receive({ type: 'idle_warning', ends_in_s: 120 });
  socket.receive({ type: 'message', seq: 1, from: 'advisor', text: 'Hei', at: '2026-11-24T08:00:00Z' });
  assert.equal(controller.idleWarning, false, 'a line starts the idle clock again');
  socket.receive({ type: 'idle_warning', ends_in_s: 120 });
  socket.receive({ type: 'ended', by: 'system', reason: 'idle' });
  assert.equal(controller.idleWarning, false);
});

// -- pages that may help -------------------------------------------------------------------------

test("a topic's help links are the widget's language's, else the chat's", async () => {
  const help = { fi: [{ title: 'Opas', href: '/help/1' }], sv: [{ title: 'Guide', href: '/help/2' }] };
  const service = { ...SERVICE, topics: [{ ...SERVICE.topics[0], help }, SERVICE.topics[1]] };
  const { controller } = await startScreen({ service });
  assert.deepEqual(controller.helpLinks('work', 'sv'), help.sv, 'no English links: the chat language');
  controller.setLanguage('fi');
  assert.deepEqual(controller.helpLinks('work', 'sv'), help.fi);
  assert.deepEqual(controller.helpLinks('study', 'fi'), []);
  assert.deepEqual(controller.helpLinks('nope', 'fi'), []);
});

// -- the questionnaire ---------------------------------------------------------------------------

const SURVEY = [
  { id: 1, kind: 'scale', text: { en: 'How useful was it?' }, options: [] },
  { id: 2, kind: 'choice', text: { en: 'What next?' }, options: [{ en: 'Apply' }, { en: 'Wait' }] },
  { id: 3, kind: 'text', text: { en: 'Anything else?' }, options: [] },
];

test('the questionnaire sends what was answered, again after an unavailable, until saved', async () => {
  const { controller, socket, timers } = await chatting({ service: { ...SERVICE, survey: SURVEY } });
  socket.receive({ type: 'ended', by: 'advisor', reason: null });
  assert.equal(socket.readyState, 1, 'kept open: the questions may be answered');
  Object.assign(controller.forms.survey, { 1: 4, 3: '  ' }); // question 2 left, 3 blank
  controller.sendSurvey();
  const expected = { type: 'survey', answers: [{ question: 1, value: 4 }] };
  assert.deepEqual(socket.sent.at(-1), expected);
  quietly(() => socket.receive({ type: 'error', code: 'unavailable', message: 'later' }));
  timers.advance(2000);
  assert.deepEqual(socket.sent.at(-1), expected, 'sent again with the same answers');
  socket.receive({ type: 'survey_saved' });
  assert.equal(controller.chat.surveySaved, true);
  assert.equal(controller.pendingSurvey, null);
  assert.equal(socket.readyState, 3, 'nothing left to send');
});

test('forgetting an ended chat keeps nothing of it and says so on the start screen', async () => {
  const { controller, socket, store } = await chatting();
  socket.receive({ type: 'message', seq: 1, from: 'advisor', text: 'Hei', at: '2026-11-24T08:00:00Z' });
  socket.receive({ type: 'ended', by: 'advisor', reason: null });
  controller.forgetHere();
  assert.equal(store.record, null);
  assert.equal(controller.chat, null);
  await settle();
  assert.equal(controller.view, 'before');
  assert.deepEqual(controller.notice, { key: 'notice.forgotten' });
});
