// Where the web client opens its WebSocket, run with node's own test runner:
//   node --test tests/web/
// connection.js is loaded as the browser loads it, as an ES module; the tab's
// storage it imports is left out (socketUrl does not use it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const source = (await readFile(new URL('../../web-client/connection.js', import.meta.url), 'utf8'))
  .replace("import { load, save } from './session.js';", 'const load = () => null; const save = () => {};');
const { socketUrl } = await import(`data:text/javascript,${encodeURIComponent(source)}`);

test('a chosen circle is reached at its own path, so that a proxy can route it', () => {
  assert.equal(socketUrl({ protocol: 'https:', host: 'kring.example.org' }, 'tea'), 'wss://kring.example.org/ws/c/tea');
  assert.equal(socketUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, 'women-2'), 'ws://127.0.0.1:8080/ws/c/women-2');
});

test('before a circle is chosen, the page opens /ws', () => {
  assert.equal(socketUrl({ protocol: 'https:', host: 'kring.example.org' }), 'wss://kring.example.org/ws');
  assert.equal(socketUrl({ protocol: 'http:', host: 'localhost' }, ''), 'ws://localhost/ws');
});
