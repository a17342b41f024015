// For moderators: the circle's open reports, in a list that outlives a
// reload (the server keeps them until resolved), each with its Resolve
// button. A report made while no moderator was there is fetched when one
// comes in (`reports`); a new one arrives as `report`.
import { strings, format } from './strings.js';

const SHOWN = 140; // characters of a reported message shown
const LIST_REF = 'reports';

const els = {
  box: document.getElementById('reports'),
  list: document.getElementById('report-list'),
};

const open = new Map(); // id (a number) -> report
let ctx = null;
let nextRef = 1;
const resolving = new Map(); // ref -> report id

// context: send(frame) -> bool, slug(), changed(count) when the number of open reports changes.
export function initReports(context) {
  ctx = context;
}

// A moderator came into the circle: ask for what is open there.
export function load() {
  ctx.send({ type: 'reports', room: ctx.slug(), ref: LIST_REF });
}

export function clear() {
  open.clear();
  show();
}

export function onReports(frame) {
  if (!Array.isArray(frame.reports)) return;
  open.clear();
  for (const report of frame.reports) {
    if (report?.room === ctx.slug() && Number.isSafeInteger(report.id)) open.set(report.id, report);
  }
  show();
}

// A new report, as it is made: true if it is one for this circle.
export function onReport(frame) {
  const report = frame.report ?? {};
  if (report.room !== ctx.slug() || !Number.isSafeInteger(report.id)) return false;
  open.set(report.id, report);
  show();
  return true;
}

// An `ok` or error for a resolve: true if it was one.
export function onAnswer(ref, failed = false, code = '') {
  const id = resolving.get(ref);
  if (id === undefined) return false;
  resolving.delete(ref);
  // Resolved here, or already by another moderator: either way it is closed.
  if (!failed || code === 'no_such_report') {
    open.delete(id);
    show();
  }
  return !failed || code === 'no_such_report';
}

function resolve(id) {
  const ref = `r${nextRef}`;
  nextRef += 1;
  if (ctx.send({ type: 'resolve', report: id, ref })) resolving.set(ref, id);
}

function show() {
  const items = [...open.values()].sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0)).map(reportItem);
  els.list.replaceChildren(...items);
  els.box.hidden = items.length === 0;
  ctx.changed(items.length);
}

function reportItem(report) {
  const item = document.createElement('li');
  let text = String(report.text ?? '');
  if (text.length > SHOWN) text = `${text.slice(0, SHOWN)}…`;
  const values = { name: String(report.author_name ?? ''), text, reason: report.reason };
  const said = typeof report.reason === 'string' && report.reason !== '';
  const line = document.createElement('p');
  line.dir = 'auto';
  line.textContent = format(said ? strings.reportReceivedWithReason : strings.reportReceived, values);
  const done = document.createElement('button');
  done.type = 'button';
  done.textContent = strings.resolveReport;
  done.addEventListener('click', () => resolve(report.id));
  item.append(line, done);
  return item;
}
