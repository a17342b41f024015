// What the server will say of a new password, said before it is sent: the
// rules of protocol/README.md ("Passwords"): a length in characters (code
// points) between the server's limits, and not the moderator's name (from 3
// letters on, in any case). The server checks again; this only spares a
// round trip. It imports nothing and touches no page, so node can test it.

export const DEFAULT_LIMITS = Object.freeze({ min: 12, max: 256 });
const SHORTEST_NAME_LOOKED_FOR = 3;

// null when the password may be sent; otherwise the reason, as the server
// names it ('too_short', 'too_long', 'contains_name'), or 'mismatch' when
// the two copies typed differ.
export function passwordProblem({ password, repeat, name, limits = DEFAULT_LIMITS }) {
  const length = [...password].length;
  if (length < limits.min) return 'too_short';
  if (length > limits.max) return 'too_long';
  if (name.length >= SHORTEST_NAME_LOOKED_FOR && asciiLower(password).includes(asciiLower(name))) {
    return 'contains_name';
  }
  if (password !== repeat) return 'mismatch';
  return null;
}

// The limits a server frame (`choose_password`, or a `bad_password` error) announces.
export function limitsOf(frame, fallback = DEFAULT_LIMITS) {
  const min = Number.isInteger(frame.min_length) ? frame.min_length : fallback.min;
  const max = Number.isInteger(frame.max_length) ? frame.max_length : fallback.max;
  return { min, max };
}

// Staff names are ASCII: folding A-Z is enough, and leaves other letters alone.
function asciiLower(text) {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
