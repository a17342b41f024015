// rules.js: what the moderators decided, as a member's page keeps it — the
// pinned note, the room's state and who is muted — and when it closes the
// message box, drawn through a view that records what it was told.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useCatalog, strings, format } from '../../web-client/strings.js';
import * as rules from '../../web-client/rules.js';

useCatalog(JSON.parse(readFileSync(new URL('../../web-client/i18n/en.json', import.meta.url), 'utf8')));

let drawn;
let role;
let circle;
beforeEach(() => {
  drawn = { blocked: '', rules: [], pinned: null, notices: [] };
  role = 'participant';
  circle = { blocked: '', floor: false };
  rules.initRules({
    myId: () => 'me',
    myRole: () => role,
    nameOf: (id) => ({ b2: 'Rosa' })[id] ?? 'someone',
    changed: () => {},
    circle: () => circle,
    drawn: {
      setComposerBlocked: (note) => { drawn.blocked = note; },
      setRoomRules: (texts) => { drawn.rules = texts; },
      setPinned: (pinned) => { drawn.pinned = pinned; },
      appendNotice: (text) => drawn.notices.push(text),
    },
  });
  rules.leaveRoom();
  rules.enterRoom({ slug: 'tea', locked: false, waiting: false, slow: 0, mode: 'open' });
});

test('a mute closes the message box for its member only, and says so to her alone', () => {
  rules.ruleHandlers.muted({ type: 'muted', room: 'tea', member: 'b2' });
  assert.equal(drawn.blocked, '');
  assert.deepEqual(drawn.notices, [format(strings.mutedOther, { name: 'Rosa' })]);
  assert.match(drawn.notices[0], /Rosa/);
  rules.ruleHandlers.muted({ type: 'muted', room: 'tea', member: 'me' });
  assert.equal(drawn.blocked, strings.composerMuted);
  assert.equal(drawn.notices.at(-1), strings.mutedYouForNow);
  assert.equal(rules.isMuted('me'), true);
  rules.ruleHandlers.unmuted({ type: 'unmuted', room: 'tea', member: 'me' });
  assert.equal(drawn.blocked, '');
  assert.equal(rules.isMuted('me'), false);
});

test('a mute with an end is over at its end, without a word from the server', () => {
  rules.ruleHandlers.muted({ type: 'muted', room: 'tea', member: 'me', until: Date.now() - 1 });
  assert.equal(rules.isMuted('me'), false);
  rules.ruleHandlers.muted({ type: 'muted', room: 'tea', member: 'me', until: Date.now() + 60_000 });
  assert.equal(rules.isMuted('me'), true);
  rules.leaveRoom();
});

test('moderated mode closes a participant\'s box unless she holds the floor; staff always speak', () => {
  rules.ruleHandlers.room_state({ type: 'room_state', room: 'tea', locked: true, waiting: false, slow: 30, mode: 'moderated' });
  assert.equal(drawn.blocked, strings.composerModerated);
  assert.notEqual(drawn.blocked, '');
  assert.equal(drawn.rules.length, 3, drawn.rules.join(' | '));
  circle = { blocked: '', floor: true };
  rules.refresh();
  assert.equal(drawn.blocked, '');
  circle = { blocked: '', floor: false };
  for (role of ['moderator', 'admin', 'facilitator']) {
    rules.refresh();
    assert.equal(drawn.blocked, '', role);
  }
});

test('the circle\'s own reason (a round, a pause) closes the box before the room\'s', () => {
  circle = { blocked: 'Amal holds the talking piece.', floor: false };
  rules.refresh();
  assert.equal(drawn.blocked, 'Amal holds the talking piece.');
});

test('a pinned note shows until it is unpinned or its message is deleted', () => {
  rules.ruleHandlers.pinned({ type: 'pinned', room: 'tea', message: 'm1', text: 'Be gentle', by: 'Noor' });
  assert.deepEqual(drawn.pinned, { text: 'Be gentle', by: 'Noor' });
  rules.messageDeleted('m2');
  assert.notEqual(drawn.pinned, null);
  rules.messageDeleted('m1');
  assert.equal(drawn.pinned, null);
  rules.ruleHandlers.pinned({ type: 'pinned', room: 'tea', text: 'Tea at eight' });
  rules.ruleHandlers.pinned({ type: 'pinned', room: 'tea' });
  assert.equal(drawn.pinned, null);
});

test('frames about another circle change nothing', () => {
  rules.ruleHandlers.muted({ type: 'muted', room: 'other', member: 'me' });
  rules.ruleHandlers.room_state({ type: 'room_state', room: 'other', mode: 'moderated' });
  assert.equal(drawn.blocked, '');
  assert.equal(rules.isMuted('me'), false);
});
