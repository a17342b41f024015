// The circle's shared moments as this page knows them: whose hand is up, who
// is just listening or away, the talking piece, the phase, a pause, the
// agreement and the reactions on messages. It touches no page (circle_view.js
// draws it), so node tests it.

export const REACTIONS = ['heart', 'hug', 'hear_you', 'me_too', 'strength', 'thank_you'];
export const PHASES = ['lobby', 'check_in', 'sharing', 'check_out', 'closed'];
const RUNNERS = new Set(['moderator', 'admin', 'facilitator']);

export function newCircle() {
  return {
    slug: '',
    hands: new Set(),      // ids of members whose hand is up
    queue: [],             // for those running the circle: hands in the order raised
    listening: new Set(),  // ids of members just listening
    away: new Set(),       // ids of members whose connection dropped
    round: null,           // {order, holder, prompt, passed, skipped, turnSeconds}
    phase: '',             // one of PHASES, or '' for a circle without phases
    pause: null,           // {until, text}
    floor: '',             // who holds the floor in a moderated circle
    agreement: null,       // {lang, review, items, notice}
    reactions: new Map(),  // message id -> {counts: {reaction: n}, mine: Set}
  };
}

// Whether someone with this role runs a circle: moderators, admins and a
// peer-led circle's facilitator (the server checks each request anyway).
export function runsCircles(role) {
  return RUNNERS.has(role);
}

// joined: the server's `joined` frame. A resume of the same circle keeps
// the reactions this page gave.
export function enter(circle, joined) {
  const slug = joined.room?.slug ?? '';
  if (slug !== circle.slug) circle.reactions = new Map();
  circle.slug = slug;
  circle.hands = new Set();
  circle.listening = new Set();
  circle.away = new Set();
  for (const member of asArray(joined.members)) {
    if (member.hand === true) circle.hands.add(member.id);
    if (member.listening === true) circle.listening.add(member.id);
    if (member.away === true) circle.away.add(member.id);
  }
  circle.queue = [...circle.hands];
  circle.round = roundOf(joined.round);
  circle.phase = PHASES.includes(joined.phase) ? joined.phase : '';
  circle.pause = pauseOf(joined.pause);
  circle.floor = '';
  circle.agreement = agreementOf(joined.agreement) ?? circle.agreement;
  for (const message of asArray(joined.history)) {
    if (message.reactions) setCounts(circle, String(message.id), message.reactions);
  }
}

export function leave(circle) {
  Object.assign(circle, newCircle());
}

// Applies one server frame about the circle on screen; returns what it
// changed ('members', 'round', 'phase', 'pause', 'reactions', 'floor',
// 'agreement'), or '' when it was not about it.
export function apply(circle, frame) {
  if (frame.room !== circle.slug || circle.slug === '') return '';
  const member = typeof frame.member === 'string' ? frame.member : '';
  switch (frame.type) {
    case 'hand':
      if (member === '') return '';
      toggle(circle.hands, member, frame.up === true);
      if (frame.up !== true) circle.queue = circle.queue.filter((id) => id !== member);
      else if (!circle.queue.includes(member)) circle.queue.push(member);
      return 'members';
    case 'hands':
      circle.queue = asArray(frame.queue).filter((id) => typeof id === 'string');
      return 'members';
    case 'listening':
      if (member === '') return '';
      toggle(circle.listening, member, frame.on === true);
      return 'members';
    case 'member_away':
      circle.away.add(String(frame.id));
      return 'members';
    case 'member_back':
      circle.away.delete(String(frame.id));
      return 'members';
    case 'member_left':
      forget(circle, String(frame.id));
      return 'members';
    case 'round':
      circle.round = roundOf(frame);
      return 'round';
    case 'round_ended':
      circle.round = null;
      return 'round';
    case 'phase':
      if (!PHASES.includes(frame.phase)) return '';
      circle.phase = frame.phase;
      return 'phase';
    case 'paused':
      circle.pause = pauseOf(frame);
      return 'pause';
    case 'unpaused':
      circle.pause = null;
      return 'pause';
    case 'floor':
      circle.floor = member;
      if (member !== '') circle.hands.delete(member);
      return 'floor';
    case 'reactions':
      setCounts(circle, String(frame.message ?? ''), frame.counts);
      return 'reactions';
    case 'agreement': {
      const agreement = agreementOf(frame);
      if (!agreement) return '';
      circle.agreement = agreement;
      return 'agreement';
    }
    case 'deleted':
      circle.reactions.delete(String(frame.message ?? ''));
      return 'reactions';
    default:
      return '';
  }
}

// What the talking piece means for `myId` now: 'none' (no round), 'mine'
// (it is my turn), 'waiting' (someone else holds it).
export function turn(circle, myId) {
  if (!circle.round) return 'none';
  return circle.round.holder === myId ? 'mine' : 'waiting';
}

// The message a reaction tap sends: it takes back what this page gave.
export function reactionRequest(circle, messageId, reaction) {
  const given = circle.reactions.get(messageId)?.mine.has(reaction) === true;
  return { type: 'react', room: circle.slug, message: messageId, reaction, on: !given };
}

// The server answered a reaction of ours: remember whether it is given.
export function reacted(circle, messageId, reaction, on) {
  const entry = reactionEntry(circle, messageId);
  toggle(entry.mine, reaction, on);
}

export function countsOf(circle, messageId) {
  return circle.reactions.get(messageId)?.counts ?? {};
}

export function isPaused(circle, now = Date.now()) {
  return circle.pause !== null && circle.pause.until > now;
}

// The phase that comes after the current one ('' when there is none to
// move to); a circle without phases starts at check-in.
export function nextPhase(circle) {
  const at = PHASES.indexOf(circle.phase);
  if (at === PHASES.length - 1) return '';
  return PHASES[Math.max(at + 1, 1)];
}

// The agreement a refusal (`agreement_required`) or a `joined` carries.
export function agreementOf(value) {
  if (!value || !Array.isArray(value.items)) return null;
  const items = value.items.filter((item) => typeof item === 'string' && item.trim() !== '');
  if (items.length === 0) return null;
  return {
    lang: typeof value.lang === 'string' ? value.lang : '',
    review: typeof value.review === 'string' ? value.review : '',
    items,
    notice: typeof value.notice === 'string' ? value.notice : '',
  };
}

function roundOf(value) {
  if (!value || !Array.isArray(value.order) || typeof value.holder !== 'string') return null;
  const ids = (list) => asArray(list).filter((id) => typeof id === 'string');
  return {
    order: ids(value.order),
    holder: value.holder,
    prompt: typeof value.prompt === 'string' ? value.prompt : '',
    passed: ids(value.passed),
    skipped: ids(value.skipped),
    turnSeconds: Number.isInteger(value.turn_seconds) ? value.turn_seconds : 0,
  };
}

function pauseOf(value) {
  if (!value || !Number.isFinite(value.until)) return null;
  return { until: value.until, text: typeof value.text === 'string' ? value.text : '' };
}

function setCounts(circle, messageId, counts) {
  if (messageId === '') return;
  const clean = {};
  for (const reaction of REACTIONS) {
    const n = counts?.[reaction];
    if (Number.isInteger(n) && n > 0) clean[reaction] = n;
  }
  reactionEntry(circle, messageId).counts = clean;
}

function reactionEntry(circle, messageId) {
  let entry = circle.reactions.get(messageId);
  if (!entry) {
    entry = { counts: {}, mine: new Set() };
    circle.reactions.set(messageId, entry);
  }
  return entry;
}

function forget(circle, id) {
  circle.hands.delete(id);
  circle.listening.delete(id);
  circle.away.delete(id);
  circle.queue = circle.queue.filter((member) => member !== id);
  if (circle.floor === id) circle.floor = '';
}

function toggle(set, value, on) {
  if (on) set.add(value);
  else set.delete(value);
}

function asArray(value) {
  return Array.isArray(value) ? value : [];
}
