// The lobby's circles as the reader sees them (web-client/lobby.js), with
// node's own test runner: counts, languages and the next session in the
// interface's language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const root = new URL('../../web-client/', import.meta.url);
const asModule = (text) => import(`data:text/javascript,${encodeURIComponent(text)}`);
const catalogs = await asModule(readFileSync(new URL('strings.js', root), 'utf8'));
globalThis.kringStrings = catalogs;
const lobby = await asModule(readFileSync(new URL('lobby.js', root), 'utf8')
  .replace("import { strings, format, currentLanguage, languageList } from './strings.js';",
    'const { strings, format, currentLanguage, languageList } = globalThis.kringStrings;'));
const catalog = (code) => JSON.parse(readFileSync(new URL(`i18n/${code}.json`, root), 'utf8'));

const NOW = Date.UTC(2026, 11, 2, 12, 0);
const TEA = {
  slug: 'tea', title: 'Thee en praten', description: 'Voor vrouwen.', present: 3, code: false,
  languages: ['nl', 'ar'], organisation: { slug: 'caw', name: 'CAW Noord', city: 'Antwerpen' },
  next: { opens: NOW + 2 * 3600_000 - 600_000, start: NOW + 2 * 3600_000, end: NOW + 3 * 3600_000, zone: 'Europe/Brussels' },
  open_now: false,
};

test('a circle is said in English: who runs it, its languages, how many are there, when it meets', () => {
  catalogs.useCatalog(catalog('en'));
  const tea = lobby.describeCircle(TEA, NOW);
  assert.equal(tea.organisation, 'CAW Noord, Antwerpen');
  assert.equal(tea.languages, 'In Dutch and Arabic');
  assert.equal(tea.present, '3 people here now');
  assert.match(tea.when, /^Next: \w+day \d\d:\d\d( [AP]M)? \(in 2 hours\)$/);
  assert.equal(tea.calendar, 'api/circles/tea.ics');
  assert.equal(tea.needsCode, false);
  assert.equal(lobby.describeCircle({ ...TEA, present: 1 }, NOW).present, '1 person here now');
});

test('in Arabic, with its plural forms and language names', () => {
  catalogs.useCatalog(catalog('ar'));
  const present = (n) => lobby.describeCircle({ ...TEA, present: n }, NOW).present;
  assert.equal(present(0), 'لا أحد هنا الآن');
  assert.equal(present(1), 'شخص واحد هنا الآن');
  assert.equal(present(2), 'شخصان هنا الآن');
  assert.equal(new Set([0, 1, 2, 3, 11, 100].map(present)).size, 6);
  assert.match(lobby.describeCircle(TEA, NOW).languages, /الهولندية/);
  catalogs.useCatalog(catalog('en'));
});

test('a circle open now, one without a schedule, one with a code, and one the directory says little of', () => {
  catalogs.useCatalog(catalog('en'));
  assert.equal(lobby.describeCircle({ ...TEA, open_now: true }, NOW).when, 'Open now');
  const unscheduled = lobby.describeCircle({ ...TEA, next: null, open_now: false }, NOW);
  assert.equal(unscheduled.when, '');
  assert.equal(unscheduled.calendar, null);
  assert.equal(lobby.describeCircle({ ...TEA, code: true }, NOW).needsCode, true);
  const bare = lobby.describeCircle({ slug: 'x' }, NOW);
  assert.deepEqual([bare.title, bare.organisation, bare.languages, bare.present, bare.when], ['x', '', '', '', '']);
});

test('how far off a session is, in words', () => {
  assert.equal(lobby.relativeText(30 * 60_000, 'en'), 'in 30 minutes');
  assert.equal(lobby.relativeText(5 * 3600_000, 'en'), 'in 5 hours');
  assert.equal(lobby.relativeText(24 * 3600_000, 'en'), 'tomorrow');
  assert.equal(lobby.relativeText(3 * 24 * 3600_000, 'en'), 'in 3 days');
  assert.equal(lobby.relativeText(2 * 3600_000, 'fr'), 'dans 2 heures');
});

test('the directory is read from api/circles, and a failure is an error', async () => {
  const circles = await lobby.fetchCircles(async (url) => ({ ok: url === 'api/circles', json: async () => ({ circles: [TEA] }) }));
  assert.deepEqual(circles, [TEA]);
  assert.deepEqual(await lobby.fetchCircles(async () => ({ ok: true, json: async () => ({}) })), []);
  await assert.rejects(lobby.fetchCircles(async () => ({ ok: false, status: 404 })), /404/);
});
