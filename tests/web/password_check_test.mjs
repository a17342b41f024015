// The web console's check of a new password, run with node's own test runner:
//   node --test tests/web/
// The module is loaded as the browser loads it, as an ES module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const source = await readFile(new URL('../../web-client/password_check.js', import.meta.url), 'utf8');
const { passwordProblem, limitsOf, DEFAULT_LIMITS } =
  await import(`data:text/javascript,${encodeURIComponent(source)}`);

const check = (password, name = 'sara', limits = DEFAULT_LIMITS, repeat = password) =>
  passwordProblem({ password, repeat, name, limits });

test('the limits are 12 and 256 characters unless the server says otherwise', () => {
  assert.equal(check('x'.repeat(11)), 'too_short');
  assert.equal(check('x'.repeat(12)), null);
  assert.equal(check('x'.repeat(256)), null);
  assert.equal(check('x'.repeat(257)), 'too_long');
  assert.equal(check('x'.repeat(19), 'sara', { min: 20, max: 64 }), 'too_short');
  assert.equal(check('x'.repeat(65), 'sara', { min: 20, max: 64 }), 'too_long');
});

test('length is counted in characters, not in UTF-16 units or bytes', () => {
  assert.equal(check('é'.repeat(11)), 'too_short');
  assert.equal(check('🌱'.repeat(12)), null); // 24 UTF-16 units, 12 characters
  assert.equal(check('🌱'.repeat(11)), 'too_short');
});

test('the name is refused in any case, from three letters on', () => {
  assert.equal(check('tea with SaRa 2026'), 'contains_name');
  assert.equal(check('about a boat on the lake', 'bo'), null);
  assert.equal(check('about a boat on the lake', 'Boa'), 'contains_name');
});

test('the two copies must match, once the rules are kept', () => {
  assert.equal(check('a passphrase of mine', 'sara', DEFAULT_LIMITS, 'a passphrase of mien'), 'mismatch');
  assert.equal(check('short', 'sara', DEFAULT_LIMITS, 'other'), 'too_short');
});

test('limits come from a frame, or stay as they were', () => {
  assert.deepEqual(limitsOf({ min_length: 16, max_length: 64 }), { min: 16, max: 64 });
  assert.deepEqual(limitsOf({ type: 'error' }, { min: 20, max: 30 }), { min: 20, max: 30 });
  assert.deepEqual(limitsOf({ min_length: '16' }), DEFAULT_LIMITS);
});
