// circle.js: the circle's shared moments as the page keeps them, from the
// server's frames (protocol/README.md), without a page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  newCircle, enter, leave, apply, turn, reactionRequest, reacted, countsOf, isPaused, nextPhase, agreementOf, runsCircles,
} from '../../web-client/circle.js';

const ME = 'a1';
const joined = (extra = {}) => ({
  type: 'joined',
  room: { slug: 'tea' },
  members: [
    { id: ME, name: 'Amal', role: 'participant' },
    { id: 'b2', name: 'Rosa', role: 'participant', hand: true, listening: true },
    { id: 'c3', name: 'Noor', role: 'moderator', away: true },
  ],
  history: [{ type: 'message', seq: 1, id: 'm1', text: 'hello', reactions: { hug: 2, heart: 1, nonsense: 4 } }],
  seq: 1,
  ...extra,
});

test('joined gives hands, listening, away and reactions as the server has them', () => {
  const circle = newCircle();
  enter(circle, joined());
  assert.equal(circle.slug, 'tea');
  assert.deepEqual([...circle.hands], ['b2']);
  assert.deepEqual([...circle.listening], ['b2']);
  assert.deepEqual([...circle.away], ['c3']);
  // Only the six reactions Kring knows are counted.
  assert.deepEqual(countsOf(circle, 'm1'), { hug: 2, heart: 1 });
  assert.equal(circle.round, null);
  assert.equal(circle.phase, '');
  assert.equal(turn(circle, ME), 'none');
});

test('a frame about another circle, or before any join, changes nothing', () => {
  const circle = newCircle();
  assert.equal(apply(circle, { type: 'hand', room: 'tea', member: 'b2', up: true }), '');
  enter(circle, joined());
  assert.equal(apply(circle, { type: 'hand', room: 'other', member: ME, up: true }), '');
  assert.equal(circle.hands.has(ME), false);
});

test('hands go up and down in the order raised, and a member who leaves takes hers down', () => {
  const circle = newCircle();
  enter(circle, joined({ members: [] }));
  assert.equal(apply(circle, { type: 'hand', room: 'tea', member: 'b2', up: true }), 'members');
  apply(circle, { type: 'hand', room: 'tea', member: ME, up: true });
  assert.deepEqual(circle.queue, ['b2', ME]);
  apply(circle, { type: 'hand', room: 'tea', member: 'b2', up: false, by: 'c3' });
  assert.deepEqual(circle.queue, [ME]);
  // The moderators' own list, when the server sends it, is the truth.
  apply(circle, { type: 'hands', room: 'tea', queue: ['x9', ME] });
  assert.deepEqual(circle.queue, ['x9', ME]);
  apply(circle, { type: 'member_left', room: 'tea', id: ME });
  assert.equal(circle.hands.has(ME), false);
  assert.deepEqual(circle.queue, ['x9']);
});

test('away and back, and listening on and off', () => {
  const circle = newCircle();
  enter(circle, joined());
  apply(circle, { type: 'member_back', room: 'tea', id: 'c3' });
  apply(circle, { type: 'member_away', room: 'tea', id: 'b2' });
  assert.deepEqual([...circle.away], ['b2']);
  apply(circle, { type: 'listening', room: 'tea', member: 'b2', on: false });
  apply(circle, { type: 'listening', room: 'tea', member: ME, on: true });
  assert.deepEqual([...circle.listening], [ME]);
});

test('the talking piece: whose turn it is, as it moves and when the round ends', () => {
  const circle = newCircle();
  enter(circle, joined({ round: { order: ['b2', ME], holder: 'b2', prompt: 'How do you arrive?', passed: [], skipped: [], turn_seconds: 120 } }));
  assert.equal(turn(circle, ME), 'waiting');
  assert.equal(circle.round.prompt, 'How do you arrive?');
  assert.equal(circle.round.turnSeconds, 120);
  assert.equal(apply(circle, { type: 'round', room: 'tea', order: ['b2', ME], holder: ME, passed: ['b2'], skipped: [] }), 'round');
  assert.equal(turn(circle, ME), 'mine');
  assert.deepEqual(circle.round.passed, ['b2']);
  assert.equal(circle.round.prompt, '');
  apply(circle, { type: 'round_ended', room: 'tea', complete: true });
  assert.equal(turn(circle, ME), 'none');
  // A round without a holder is no round.
  apply(circle, { type: 'round', room: 'tea', order: [ME] });
  assert.equal(circle.round, null);
});

test('reactions: a tap gives, a second tap takes back, and a deleted message loses its counts', () => {
  const circle = newCircle();
  enter(circle, joined());
  assert.deepEqual(reactionRequest(circle, 'm1', 'hug'), { type: 'react', room: 'tea', message: 'm1', reaction: 'hug', on: true });
  reacted(circle, 'm1', 'hug', true);
  apply(circle, { type: 'reactions', room: 'tea', message: 'm1', counts: { hug: 3 } });
  assert.deepEqual(countsOf(circle, 'm1'), { hug: 3 });
  assert.equal(reactionRequest(circle, 'm1', 'hug').on, false);
  reacted(circle, 'm1', 'hug', false);
  assert.equal(reactionRequest(circle, 'm1', 'hug').on, true);
  apply(circle, { type: 'reactions', room: 'tea', message: 'm1', counts: {} });
  assert.deepEqual(countsOf(circle, 'm1'), {});
  apply(circle, { type: 'deleted', room: 'tea', message: 'm1' });
  assert.equal(circle.reactions.has('m1'), false);
});

test('a resume of the same circle keeps what this page gave; another circle starts anew', () => {
  const circle = newCircle();
  enter(circle, joined());
  reacted(circle, 'm1', 'heart', true);
  enter(circle, joined());
  assert.equal(reactionRequest(circle, 'm1', 'heart').on, false);
  enter(circle, joined({ room: { slug: 'other' }, history: [] }));
  assert.equal(circle.reactions.size, 0);
  leave(circle);
  assert.equal(circle.slug, '');
});

test('a pause lasts until its end, and unpaused ends it sooner', () => {
  const circle = newCircle();
  const now = 1_800_000_000_000;
  enter(circle, joined({ pause: { until: now + 60_000, text: 'Breathe' } }));
  assert.equal(isPaused(circle, now), true);
  assert.equal(circle.pause.text, 'Breathe');
  assert.equal(isPaused(circle, now + 60_000), false);
  apply(circle, { type: 'paused', room: 'tea', until: now + 5_000 });
  assert.equal(isPaused(circle, now), true);
  apply(circle, { type: 'unpaused', room: 'tea' });
  assert.equal(isPaused(circle, now), false);
});

test('phases move forward only, and a circle without them starts at check-in', () => {
  const circle = newCircle();
  enter(circle, joined());
  assert.equal(nextPhase(circle), 'check_in');
  enter(circle, joined({ phase: 'lobby' }));
  assert.equal(nextPhase(circle), 'check_in');
  apply(circle, { type: 'phase', room: 'tea', phase: 'sharing', by: 'Noor' });
  assert.equal(nextPhase(circle), 'check_out');
  assert.equal(apply(circle, { type: 'phase', room: 'tea', phase: 'party' }), '');
  apply(circle, { type: 'phase', room: 'tea', phase: 'closed' });
  assert.equal(nextPhase(circle), '');
});

test('the floor goes to one member, whose hand comes down, and goes with her', () => {
  const circle = newCircle();
  enter(circle, joined());
  apply(circle, { type: 'floor', room: 'tea', member: 'b2', by: 'c3' });
  assert.equal(circle.floor, 'b2');
  assert.equal(circle.hands.has('b2'), false);
  apply(circle, { type: 'member_left', room: 'tea', id: 'b2' });
  assert.equal(circle.floor, '');
});

test('an agreement is its non-empty items, with its language, review and notice', () => {
  assert.equal(agreementOf(null), null);
  assert.equal(agreementOf({ items: [] }), null);
  assert.equal(agreementOf({ items: ['  '] }), null);
  assert.deepEqual(agreementOf({ lang: 'fa', review: 'draft', items: ['one', 7, 'two'], notice: 'not an emergency service' }),
    { lang: 'fa', review: 'draft', items: ['one', 'two'], notice: 'not an emergency service' });
  const circle = newCircle();
  enter(circle, joined({ agreement: { lang: 'en', review: 'draft', items: ['Listen'] } }));
  assert.deepEqual(circle.agreement.items, ['Listen']);
});

test('moderators, admins and facilitators run circles; participants do not', () => {
  assert.deepEqual(['moderator', 'admin', 'facilitator', 'participant', ''].map(runsCircles), [true, true, true, false, false]);
});
