// The lobby: what Kring is, and the circles the directory lists, found and
// joined by someone who has never seen Kring, on a phone, in their language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startKring, launchBrowser, openPage, screenshot, waitShowing } from './harness.mjs';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
// Three days from now, so that the session is never open during the test.
const day = DAYS[(new Date().getUTCDay() + 3) % 7];

let kring;
let browser;

before(async () => {
  kring = await startKring({
    setup: [
      { args: ['org', 'add', 'caw', '--name', 'CAW Noord', '--city', 'Antwerpen'] },
      { args: ['room', 'add', 'tea', '--title', 'Thee en praten', '--org', 'caw', '--languages', 'nl,ar',
        '--description', 'Voor vrouwen, op dinsdagavond.'] },
      { args: ['room', 'schedule', 'tea', '--zone', 'Europe/Brussels', '--weekly', `${day} 19:00-20:30`] },
      { args: ['room', 'add', 'quiet', '--title', 'Stille kring', '--code-stdin'], input: 'linden-42\n' },
      { args: ['room', 'add', 'hidden', '--title', 'Unlisted', '--unlisted'] },
    ],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await kring?.stop();
});

async function directory() {
  const response = await fetch(`${kring.url}api/circles`);
  return (await response.json()).circles;
}

function card(page, title) {
  return page.locator('#circles li', { has: page.locator('h3', { hasText: title }) });
}

test('the lobby says what Kring is and lists the circles, with their next session in the reader\'s own time', async () => {
  const { context, page, problems } = await openPage(browser, kring.url, { locale: 'en', timezoneId: 'Asia/Kabul' });
  await page.waitForSelector('#circles li');
  assert.match(await page.textContent('.lobby-intro'), /^Kring is a small circle of people/);
  const titles = await page.$$eval('#circles h3', (nodes) => nodes.map((node) => node.textContent).sort());
  assert.deepEqual(titles, ['Demo circle', 'Stille kring', 'Thee en praten'], 'the unlisted one is not there');

  const tea = card(page, 'Thee en praten');
  assert.equal(await tea.locator('.org').textContent(), 'CAW Noord, Antwerpen');
  assert.equal(await tea.locator('.about').textContent(), 'Voor vrouwen, op dinsdagavond.');
  assert.equal(await tea.locator('.langs').textContent(), 'In Dutch and Arabic');
  assert.equal(await tea.locator('.present').textContent(), '0 people here now');
  const start = (await directory()).find((circle) => circle.slug === 'tea').next.start;
  const kabul = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Kabul', weekday: 'long', hour: '2-digit', minute: '2-digit' })
    .format(new Date(start));
  assert.match(await tea.locator('.when').textContent(), new RegExp(`^Next: ${kabul} \\(in \\d+ days\\)$`));
  assert.equal(await tea.locator('a').getAttribute('href'), 'api/circles/tea.ics');
  assert.equal(await card(page, 'Demo circle').locator('.when').textContent(), 'Open now');
  assert.equal(await card(page, 'Stille kring').locator('.code').textContent(), 'Needs an access code');
  // Only a circle that asks for a code has its field opened.
  assert.equal(await page.isVisible('#code'), false);
  await screenshot(page, 'lobby-phone-en');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a circle is joined from its card; one with an access code asks for it first, one that is closed says when it opens', async () => {
  const { context, page } = await openPage(browser, kring.url, { locale: 'en' });
  await page.waitForSelector('#circles li');
  await page.fill('#name', 'Noor');
  await card(page, 'Stille kring').locator('button').click();
  await page.waitForFunction(() => document.activeElement?.id === 'code');
  assert.equal(await page.inputValue('#room'), 'quiet');
  assert.match(await page.textContent('#status-text'), /needs an access code/);
  await page.fill('#code', 'linden-42');
  await page.press('#code', 'Enter');
  await page.waitForSelector('#chat-view:not([hidden])');
  assert.equal(await page.textContent('#room-title'), 'Stille kring');
  assert.equal(await page.textContent('#my-name'), 'Noor');
  await page.click('#leave');
  await page.click('#room-head .menu button.primary');
  await page.waitForSelector('#join-view:not([hidden])');

  // A scheduled circle outside its hours says when it opens, in the reader's time.
  await card(page, 'Thee en praten').locator('button').click();
  await waitShowing(page, kring, () => /closed now/.test(document.querySelector('#status-text').textContent));
  assert.match(await page.textContent('#status-text'), /^This circle is closed now\. It opens again: .+\.$/);
  assert.ok(await page.isVisible('#join-view'));
  await card(page, 'Demo circle').locator('button').click();
  await page.waitForSelector('#chat-view:not([hidden])');
  assert.equal(await page.textContent('#room-title'), 'Demo circle');
  await context.close();
});

test('the lobby in Arabic, right to left, with Arabic counts; a link to an unlisted circle opens its form', async () => {
  const { context, page } = await openPage(browser, kring.url, { locale: 'ar' });
  await page.waitForSelector('#circles li');
  const tea = card(page, 'Thee en praten');
  assert.equal(await tea.locator('.present').textContent(), 'لا أحد هنا الآن');
  assert.equal(await tea.locator('button').textContent(), 'انضمّ');
  assert.match(await tea.locator('.langs').textContent(), /الهولندية/);
  await screenshot(page, 'lobby-phone-ar');
  await page.goto(`${kring.url}?room=hidden`);
  await page.waitForFunction(() => document.getElementById('other-circle').open);
  assert.equal(await page.inputValue('#room'), 'hidden');
  await page.click('#join-form button[type="submit"]');
  await page.waitForSelector('#chat-view:not([hidden])');
  assert.equal(await page.textContent('#room-title'), 'Unlisted');
  await context.close();
});
