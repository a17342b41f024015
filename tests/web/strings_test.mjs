// The web client's texts for refused display names, checked with node's own
// test runner (strings.js touches no DOM). Run: node --test tests/web/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

// Loaded from its text as a module, since the web client has no package.json
// to say its .js files are modules (and Debian's node 18 would not guess).
const source = readFileSync(new URL('../../web-client/strings.js', import.meta.url), 'utf8');
const { strings, errorText, useCatalog } = await import('data:text/javascript,' + encodeURIComponent(source));
useCatalog(JSON.parse(readFileSync(new URL('../../web-client/i18n/en.json', import.meta.url), 'utf8')));
const spec = readFileSync(new URL('../../protocol/README.md', import.meta.url), 'utf8');

// The reasons of the table in "Display names": its rows start with | `reason` |.
function documentedReasons() {
  const section = spec.slice(spec.indexOf('### Display names'), spec.indexOf('### Reports'));
  return [...section.matchAll(/^\| `([a-z_]+)` \| `(bad_name|too_long)` \|/gm)].map((m) => m[1]);
}

test('the spec lists the reasons a name is refused for', () => {
  assert.deepEqual(documentedReasons(), [
    'empty', 'too_long', 'invisible', 'too_many_marks', 'no_letter', 'mixed_scripts', 'reserved', 'imitates_staff',
  ]);
});

test('every reason in the spec has its own English text', () => {
  for (const reason of documentedReasons()) {
    assert.ok(Object.hasOwn(strings.nameErrors, reason), reason);
    assert.notEqual(errorText('bad_name', { max: 32 }, reason), strings.errors.bad_name, reason);
  }
});

test('a refused name is explained by its reason', () => {
  assert.equal(errorText('bad_name', {}, 'reserved'), strings.nameErrors.reserved);
  assert.equal(errorText('bad_name', {}, 'imitates_staff'), strings.nameErrors.imitates_staff);
  assert.equal(errorText('too_long', { max: 32 }, 'too_long'),
    'The display name is too long (at most 32 characters).');
});

test('an unknown reason, or none, falls back on the code', () => {
  assert.equal(errorText('bad_name', {}, 'some_new_rule'), strings.errors.bad_name);
  assert.equal(errorText('bad_name'), strings.errors.bad_name);
  assert.equal(errorText('too_long', {}, undefined), strings.errors.too_long);
  assert.equal(errorText('bad_name', {}, 'toString'), strings.errors.bad_name);
});

test('a reason does not change the text of other errors', () => {
  assert.equal(errorText('room_full', {}, 'reserved'), strings.errors.room_full);
});
