// chat_log.js: what the page shows of a circle's messages — each once, in
// the order of the circle's numbers, a note when some were missed or the
// server started over — and that no message text goes to the tab's storage.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useCatalog, strings } from '../../web-client/strings.js';

// The tab's storage, as sessionStorage is on the page.
const stored = new Map();
globalThis.window = {
  sessionStorage: {
    getItem: (key) => (stored.has(key) ? stored.get(key) : null),
    setItem: (key, value) => stored.set(key, String(value)),
    removeItem: (key) => stored.delete(key),
  },
};
const { drawLogWith, addMessages, noteWhatWasMissed, deleteMessage, saveLog, reloadedLog } =
  await import('../../web-client/chat_log.js');
useCatalog(JSON.parse(readFileSync(new URL('../../web-client/i18n/en.json', import.meta.url), 'utf8')));

let drawn;
beforeEach(() => {
  drawn = { messages: [], notices: [], removed: [] };
  drawLogWith({
    appendMessages: (messages) => drawn.messages.push(...messages.map((m) => m.text)),
    appendNotice: (text) => drawn.notices.push(text),
    removeMessage: (id) => drawn.removed.push(id),
  });
});

const message = (seq, text = `m${seq}`) => ({ seq, id: `id${seq}`, from: { id: 'a', name: 'Amal' }, text, ts: 1 });
const newLog = () => ({ slug: 'tea', title: 'Tea', lastSeq: 0, messages: [] });

test('each message is shown once, however often a resume repeats it', () => {
  const log = newLog();
  addMessages(log, [message(1), message(2)], 200, {});
  addMessages(log, [message(2), message(3), message(1)], 200, {});
  assert.deepEqual(drawn.messages, ['m1', 'm2', 'm3']);
  assert.equal(log.lastSeq, 3);
  // Something without a number is no message of the circle.
  addMessages(log, [{ id: 'x', text: 'no seq' }], 200, {});
  assert.equal(log.messages.length, 3);
});

test('the log keeps the newest messages up to the limit', () => {
  const log = newLog();
  addMessages(log, [1, 2, 3, 4, 5].map((n) => message(n)), 3, {});
  assert.deepEqual(log.messages.map((m) => m.seq), [3, 4, 5]);
});

test('a resume that missed messages says so, and so does a server that started over', () => {
  const log = { ...newLog(), lastSeq: 10 };
  noteWhatWasMissed(log, false, [message(11)], 11);
  assert.deepEqual(drawn.notices, []);
  noteWhatWasMissed(log, false, [message(14)], 14);
  assert.deepEqual(drawn.notices, [strings.gap]);
  noteWhatWasMissed(log, true, [message(11)], 11);
  assert.equal(drawn.notices.length, 2);
  noteWhatWasMissed(log, false, [], 3);
  assert.equal(drawn.notices.at(-1), strings.restarted);
  assert.equal(log.lastSeq, 0);
});

test('a deleted message leaves the log and the page', () => {
  const log = newLog();
  addMessages(log, [message(1), message(2)], 200, {});
  deleteMessage(log, 'id1');
  assert.deepEqual(log.messages.map((m) => m.id), ['id2']);
  assert.deepEqual(drawn.removed, ['id1']);
});

test('the tab keeps the circle\'s name and one\'s own, never what was said', () => {
  const log = newLog();
  log.myName = 'Amal';
  addMessages(log, [message(1, 'something painful')], 200, {});
  saveLog(log);
  const kept = [...stored.values()].join(' ');
  assert.match(kept, /Tea/);
  assert.doesNotMatch(kept, /something painful/);
  const back = reloadedLog(JSON.parse(stored.get('kring.log')));
  assert.deepEqual(back, { slug: 'tea', title: 'Tea', myName: 'Amal', lastSeq: 0, messages: [], reloaded: true });
});
