// Every text the interface shows, in one place, so that it can be translated.
// Placeholders in braces ({n}) are filled in by format().

export const strings = {
  appName: 'Kring',

  connection: {
    connecting: 'Connecting…',
    connected: 'Connected',
    reconnecting: 'Reconnecting…',
    replaced: 'Paused',
    stopped: 'Disconnected',
  },

  youAre: 'You are',
  youAreHere: 'Your name here:',
  roomLabel: 'Circle',
  nameLabel: 'Display name (optional)',
  codeLabel: 'Access code (if the circle has one)',
  joinButton: 'Join',
  leaveButton: 'Leave',
  sendButton: 'Send',
  draftLabel: 'Your message',

  whoIsHere: 'Who is here ({n})',
  youTag: '(you)',
  counter: '{n} / {max}',
  sending: 'Sending…',

  joining: 'Joining the circle…',
  connectionLost: 'Connection lost. Trying again in {s} s.',
  retryNow: 'Try now',
  replaced: 'This chat was opened in another tab or window.',
  useHere: 'Use it here',
  gap: 'Some messages were missed while you were away.',
  restarted: 'The server was restarted. The messages above are from before.',

  badSlug: 'A circle name uses only the letters a–z, the digits 0–9 and "-" (at most 32).',
  nameTooLong: 'The display name is too long (at most {max} characters).',
  textTooLong: 'The message is too long (at most {max} characters).',

  // Friendly texts for the protocol's error codes; `other` for any code not listed.
  errors: {
    room_full: 'This circle is full right now. Please try again later.',
    no_such_room: 'There is no circle with this name. Please check it.',
    bad_code: 'The access code is missing or not right.',
    bad_name: 'This display name cannot be used. Please choose another one.',
    too_long: 'That is too long.',
    bad_text: 'The message is empty.',
    bad_field: 'Something you typed is not valid. Please check it.',
    not_in_room: 'You are no longer in this circle.',
    too_many_rooms: 'You are in too many circles at once.',
    unsupported_version: 'This page is out of date. Please reload it.',
    internal: 'Something went wrong on the server. Please try again.',
    other: 'Something went wrong ({code}).',
  },

  // How member roles are shown; a role not listed is shown as it is, `participant` not at all.
  roles: {
    participant: '',
    moderator: 'moderator',
  },
};

export function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

export function errorText(code) {
  return Object.hasOwn(strings.errors, code) ? strings.errors[code] : format(strings.errors.other, { code });
}

export function roleText(role) {
  if (typeof role !== 'string') return '';
  return Object.hasOwn(strings.roles, role) ? strings.roles[role] : role;
}
