// The lobby on the join screen: what Kring is, and the circles the
// directory lists, each with its Join button (lobby.js says them).
import { strings } from './strings.js';
import { describeCircle } from './lobby.js';

const els = {
  list: document.getElementById('circles'),
  empty: document.getElementById('circles-empty'),
};

// choose(circle) is called with {slug, needsCode} when its Join is pressed.
export function showCircles(circles, choose) {
  const items = circles.map((circle) => circleItem(describeCircle(circle), choose));
  els.list.replaceChildren(...items);
  els.empty.hidden = items.length > 0;
}

function circleItem(circle, choose) {
  const item = document.createElement('li');
  item.className = 'circle';
  const title = document.createElement('h3');
  title.dir = 'auto';
  title.textContent = circle.title;
  item.append(title);
  for (const [text, kind] of [[circle.organisation, 'org'], [circle.description, 'about'], [circle.when, 'when'],
    [circle.languages, 'langs'], [circle.present, 'present'], [circle.needsCode ? strings.lobby.needsCode : '', 'code']]) {
    if (text === '') continue;
    const line = document.createElement('p');
    line.className = kind;
    line.dir = 'auto';
    line.textContent = text;
    item.append(line);
  }
  const actions = document.createElement('div');
  actions.className = 'circle-actions';
  const join = document.createElement('button');
  join.type = 'button';
  join.className = 'primary';
  join.textContent = strings.lobby.join;
  join.setAttribute('aria-label', `${strings.lobby.join}: ${circle.title}`);
  join.addEventListener('click', () => choose({ slug: circle.slug, needsCode: circle.needsCode }));
  actions.append(join);
  if (circle.calendar) {
    const calendar = document.createElement('a');
    calendar.href = circle.calendar;
    calendar.textContent = strings.lobby.calendar;
    actions.append(calendar);
  }
  item.append(actions);
  return item;
}
