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

  // What moderators decided, as everyone sees it.
  waitingRoom: 'Waiting for the moderator to let you in…',
  cancel: 'Cancel',
  removedYou: 'A moderator asked you to leave this circle for now. You may join it again when you are ready.',
  removedReason: 'Their words: "{reason}"',
  bannedYou: 'A moderator has closed this circle to you. You can\'t rejoin it.',
  bannedYouServer: 'A moderator has closed the circles of this server to you. You can\'t rejoin them.',
  ended: 'The moderator has closed this circle for now. Thank you for being here.',
  mutedOther: '{name} was muted.',
  mutedYouUntil: 'You are muted until {time}. You can still read along.',
  mutedYouForNow: 'You are muted for now. You can still read along.',
  unmutedOther: '{name} can speak again.',
  unmutedYou: 'You can speak again.',
  someone: 'Someone',
  aFew: 'a few',
  pinnedLabel: 'Pinned',
  pinnedBy: 'by {name}',
  ruleLocked: 'Closed to newcomers',
  ruleWaiting: 'Newcomers wait to be let in',
  ruleSlow: 'Slow mode: one message every {n} s',
  ruleModerated: 'Only moderators can speak now',
  composerMuted: 'You are muted. You can still read along.',
  composerModerated: 'Only moderators can speak now. You can still read along.',
  loginExpired: 'Your moderator login has ended. Please log in again.',

  // The menu on a message or a member.
  moreFor: 'More for {name}',
  report: 'Report',
  reportQuestion: 'Tell the moderators about this message?',
  reportReason: 'Why? (optional)',
  reportSend: 'Send report',
  reportThanks: 'Thank you, the moderators will look at it.',

  // For moderators and admins.
  staffLoginTitle: 'For moderators',
  loginUser: 'Moderator name',
  loginPassword: 'Password',
  loginButton: 'Log in',
  loggedInAs: 'Logged in as {name} ({role})',
  logoutButton: 'Log out',
  changePasswordButton: 'Change password',
  choosePasswordTitle: 'Choose your own password',
  choosePasswordIntro: 'Welcome, {name}. The password you were given works only once. Choose your own to finish logging in: at least {min} characters, and not your name.',
  changePasswordTitle: 'Change your password',
  changePasswordIntro: 'At least {min} characters, and not your name. Your other logins will end.',
  passwordCurrent: 'Current password',
  passwordNew: 'New password',
  passwordRepeat: 'New password again',
  passwordSave: 'Save the password',
  passwordChanged: 'Your new password is saved. Your other logins have ended.',
  // Why a new password can't be used: the server's reasons, and `mismatch` from this page.
  passwordProblems: {
    too_short: 'The new password is too short: at least {min} characters, please.',
    too_long: 'The new password is too long: at most {max} characters.',
    contains_name: 'The new password must not contain your name.',
    unchanged: 'The new password must be different from the one you have now.',
    mismatch: 'The two new passwords are not the same.',
    wrong_current: 'The current password is not right.',
    offline: 'Not connected just now. Please try again in a moment.',
    other: 'This password can\'t be used. Please choose another one.',
  },
  modPanelTitle: 'Circle controls',
  lockButton: 'Close to newcomers',
  unlockButton: 'Open to newcomers',
  waitingOn: 'Turn the waiting room on',
  waitingOff: 'Turn the waiting room off',
  moderatedOn: 'Only moderators speak',
  moderatedOff: 'Let everyone speak',
  slowLabel: 'Slow mode',
  slowOff: 'off',
  slowEvery: 'one message every {n} s',
  pinTextLabel: 'A note to pin for everyone',
  pinButton: 'Pin',
  unpinButton: 'Unpin',
  endButton: 'End the circle',
  endQuestion: 'End the circle for everyone? All its messages will be gone.',
  endConfirm: 'End it now',
  knocking: '{name} is waiting to come in',
  admit: 'Let in',
  deny: 'Turn away',
  muteFor: 'Mute for {n} minutes',
  mute: 'Mute',
  unmute: 'Unmute',
  removeMember: 'Remove…',
  removeQuestion: 'Take {name} out of the circle? They may join again.',
  removeReason: 'A word for them (optional, they will see it)',
  removeConfirm: 'Remove',
  banMember: 'Ban from this circle…',
  banQuestion: 'Ban {name} from this circle? Their device can\'t join it again.',
  banReason: 'Note for the record (optional)',
  banConfirm: 'Ban',
  pinMessage: 'Pin',
  deleteMessage: 'Delete…',
  deleteQuestion: 'Delete this message for everyone?',
  deleteConfirm: 'Delete',
  reportReceived: 'Report: a message by {name}: "{text}"',
  reportReceivedReason: 'Why: "{reason}"',

  badSlug: 'A circle name uses only the letters a–z, the digits 0–9 and "-" (at most 32).',
  nameTooLong: 'The display name is too long (at most {max} characters).',
  textTooLong: 'The message is too long (at most {max} characters).',

  // Friendly texts for the protocol's error codes; `other` for any code not listed.
  errors: {
    room_full: 'This circle is full right now. Please try again later.',
    no_such_room: 'There is no circle with this name. Please check it.',
    bad_code: 'The access code is missing or not right.',
    bad_name: 'This display name cannot be used. Please choose another one.',
    name_taken: 'Someone in this circle already goes by this name. Please choose another one.',
    too_long: 'That is too long.',
    bad_text: 'The text is empty, or holds characters that can\'t be sent.',
    bad_field: 'Something you typed is not valid. Please check it.',
    not_in_room: 'You are no longer in this circle.',
    too_many_rooms: 'You are in too many circles at once.',
    unsupported_version: 'This page is out of date. Please reload it.',
    wrong_circle: 'This page was opened for another circle. Please open the link of this circle.',
    database_unavailable: 'The server cannot save this just now. Please try again in a moment.',
    internal: 'Something went wrong on the server. Please try again.',
    forbidden: 'You can\'t do that here.',
    muted: 'You are muted for now. You can still read along.',
    banned: 'You can\'t join this circle.',
    locked: 'This circle is closed to newcomers right now.',
    denied: 'The moderator could not let you in this time.',
    slow_mode: 'Slow mode is on. Please wait {seconds} seconds.',
    moderated: 'Only moderators can speak right now.',
    paused: 'The circle is taking a short pause. You can write again soon.',
    no_such_member: 'This person is not in the circle any more.',
    no_such_message: 'This message is not there any more.',
    no_such_report: 'This report was already dealt with.',
    auth_failed: 'The name or password is not right.',
    password_change_required: 'Please choose your own password first.',
    bad_password: 'This password can\'t be used. Please choose another one.',
    throttled: 'Too many tries. Please wait {seconds} seconds.',
    rate_limited: 'That was a lot at once. Please wait {seconds} seconds, then try again.',
    other: 'Something went wrong ({code}).',
  },

  // Why a display name was refused: the `reason` of a `bad_name` or `too_long`
  // error (protocol/README.md, "Display names"); a reason not listed falls
  // back on the error code's text.
  nameErrors: {
    empty: 'Please type a display name, or leave the field empty to get a random one.',
    too_long: 'The display name is too long (at most {max} characters).',
    invisible: 'The display name holds invisible or control characters. Please type it again without them.',
    too_many_marks: 'The display name piles too many accents or marks on one letter.',
    no_letter: 'A display name needs at least one letter or number.',
    mixed_scripts: 'The display name mixes alphabets in a way that could mislead others. Please write it in one alphabet.',
    reserved: 'This display name sounds like a role (such as moderator or admin). Please choose another one.',
    imitates_staff: 'This display name looks like the name of a moderator in this circle. Please choose another one.',
  },

  // How member roles are shown; a role not listed is shown as it is, `participant` not at all.
  roles: {
    participant: '',
    moderator: 'moderator',
    admin: 'admin',
  },
};

export function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

// values fills placeholders such as {seconds} from the error frame; reason,
// the frame's `reason`, says which rule a refused display name broke.
export function errorText(code, values = {}, reason = undefined) {
  const aboutName = code === 'bad_name' || code === 'too_long';
  if (aboutName && typeof reason === 'string' && Object.hasOwn(strings.nameErrors, reason)) {
    return format(strings.nameErrors[reason], values);
  }
  return Object.hasOwn(strings.errors, code)
    ? format(strings.errors[code], values)
    : format(strings.errors.other, { code });
}

export function roleText(role) {
  if (typeof role !== 'string') return '';
  return Object.hasOwn(strings.roles, role) ? strings.roles[role] : role;
}
