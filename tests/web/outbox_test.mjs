// outbox.js: a message typed is sent once, again after a reconnect unless
// the server's history shows it arrived, and kept, marked, when refused.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as outbox from '../../web-client/outbox.js';

let sent;
let online;
let drawn;
const mine = new Set(['me']);

beforeEach(() => {
  outbox.clear();
  sent = [];
  online = true;
  drawn = { shown: [], notSent: [], sending: 0 };
  outbox.initOutbox({
    send: (frame) => {
      if (online) sent.push(frame);
      return online;
    },
    isMine: (message) => mine.has(message.from?.id),
    drawn: {
      appendPending: (text) => {
        const element = { text };
        drawn.shown.push(element);
        return element;
      },
      removePending: (element) => {
        drawn.shown = drawn.shown.filter((e) => e !== element);
      },
      markNotSent: (element, actions) => drawn.notSent.push({ element, ...actions }),
      markSending: () => {
        drawn.sending += 1;
      },
    },
  });
});

const echo = (frame, seq) => ({ type: 'message', seq, from: { id: 'me' }, text: frame.text, ref: frame.ref });

test('a message is sent at once and leaves the outbox when the server echoes it', () => {
  outbox.queue('tea', 'hello', 4);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].type, 'say');
  assert.equal(sent[0].room, 'tea');
  assert.equal(drawn.shown.length, 1);
  outbox.echoed(sent[0].ref);
  assert.equal(drawn.shown.length, 0);
  assert.deepEqual(outbox.counts(), { waiting: 0, notSent: 0 });
});

test('typed offline, it is sent after the rejoin, once', () => {
  online = false;
  outbox.queue('tea', 'typed offline', 4);
  assert.equal(sent.length, 0);
  online = true;
  outbox.rejoined([]);
  assert.deepEqual(sent.map((f) => f.text), ['typed offline']);
});

test('sent before the drop and in the history after it, it is not sent twice', () => {
  outbox.queue('tea', 'just before', 4);
  const first = sent[0];
  online = true;
  outbox.rejoined([echo(first, 5)]);
  assert.equal(sent.length, 1);
  assert.equal(drawn.shown.length, 0);
});

test('sent before the drop but not in the history, it is sent again', () => {
  outbox.queue('tea', 'lost in the drop', 4);
  // Someone else's message with the same words does not count as ours.
  outbox.rejoined([{ type: 'message', seq: 5, from: { id: 'other' }, text: 'lost in the drop' }]);
  assert.deepEqual(sent.map((f) => f.text), ['lost in the drop', 'lost in the drop']);
  assert.equal(sent[0].ref, sent[1].ref, 'the same ref: the echo clears it whichever copy it answers');
});

test('refused, it goes back to an empty message box, or stays marked not sent', () => {
  outbox.queue('tea', 'too soon', 4);
  assert.equal(outbox.refused(sent[0].ref, () => true), true);
  assert.equal(drawn.shown.length, 0);

  outbox.queue('tea', 'too soon again', 4);
  const { ref } = sent[1];
  assert.equal(outbox.refused(ref, () => false), true);
  assert.equal(drawn.shown.length, 1);
  assert.deepEqual(outbox.counts(), { waiting: 1, notSent: 1 });
  // A rejoin does not send it by itself.
  outbox.rejoined([]);
  assert.equal(sent.length, 2);
  // Try again sends it; Remove gives it up.
  drawn.notSent[0].retry();
  assert.equal(sent.length, 3);
  assert.equal(drawn.sending, 1);
  assert.deepEqual(outbox.counts(), { waiting: 1, notSent: 0 });
  outbox.refused(ref, () => false);
  drawn.notSent[1].remove();
  assert.deepEqual(outbox.counts(), { waiting: 0, notSent: 0 });
  assert.equal(drawn.shown.length, 0);
});

test('an answer to a ref the outbox never sent is none of its business', () => {
  assert.equal(outbox.refused('m7', () => true), false);
  outbox.echoed('m7');
  assert.deepEqual(outbox.counts(), { waiting: 0, notSent: 0 });
});
