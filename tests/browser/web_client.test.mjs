// Kring's web client in a real browser against the real server: what a
// participant on a phone sees, in their language.
//   cd tests/browser && npm ci && KRING_BINARY=../../build/server/kring npm test
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startKring, launchBrowser, openPage, joinDemo, screenshot, accessibilityFindings, LAPTOP } from './harness.mjs';

let kring;
let browser;

before(async () => {
  kring = await startKring();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await kring?.stop();
});

test('a page in Arabic is Arabic and right to left, and so is the circle', async () => {
  const { context, page, problems } = await openPage(browser, kring.url, { locale: 'ar-SY' });
  await page.waitForFunction(() => document.documentElement.lang === 'ar');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.textContent('[data-text="joinButton"]'), 'انضمّ');
  assert.equal(await page.inputValue('#language'), 'ar');
  // A new pseudonym in Arabic script, since the hello named Arabic.
  await page.waitForSelector('#pseudonym-line:not([hidden])');
  assert.match(await page.textContent('#pseudonym'), /^[\u0600-\u06FF ]+[\u0660-\u0669]+$/);
  await joinDemo(page);
  assert.match(await page.textContent('#members-summary'), /^من هنا \(/);
  await screenshot(page, 'room-phone-ar');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Tigrinya is shown in its own script, the page left to right', async () => {
  const { context, page, problems } = await openPage(browser, kring.url, { locale: 'ti-ER' });
  await page.waitForFunction(() => document.documentElement.lang === 'ti');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  assert.equal(await page.textContent('[data-text="joinButton"]'), 'ተጸንበሩ');
  await joinDemo(page);
  await screenshot(page, 'room-phone-ti');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a browser in a language Kring does not speak gets English; Dari gets Farsi', async () => {
  for (const [locale, lang] of [['de-DE', 'en'], ['prs-AF', 'fa']]) {
    const { context, page } = await openPage(browser, kring.url, { locale });
    await page.waitForFunction((want) => document.documentElement.lang === want, lang);
    assert.equal(await page.inputValue('#language'), lang, locale);
    await context.close();
  }
});

test('the language picker changes the page at once and the choice outlives a reload', async () => {
  const { context, page, problems } = await openPage(browser, kring.url, { locale: 'en-GB' });
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.selectOption('#language', 'fr');
  await page.waitForFunction(() => document.documentElement.lang === 'fr');
  assert.equal(await page.textContent('[data-text="joinButton"]'), 'Rejoindre');
  await page.selectOption('#language', 'fa');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  await page.reload();
  await page.waitForFunction(() => document.documentElement.lang === 'fa');
  assert.equal(await page.inputValue('#language'), 'fa');
  // The only thing kept on the device besides its key: the language.
  const kept = await page.evaluate(() => Object.keys(window.localStorage).sort());
  assert.deepEqual(kept, ['kring.device', 'kring.lang']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('two participants in different languages talk in one circle', async () => {
  const amal = await openPage(browser, kring.url, { locale: 'ar' });
  const olena = await openPage(browser, kring.url, { locale: 'uk', viewport: LAPTOP });
  await joinDemo(amal.page, 'أمل');
  await joinDemo(olena.page, 'Олена');
  await olena.page.waitForFunction(() => document.querySelector('#members').textContent.includes('أمل'));
  await amal.page.fill('#draft', 'مرحبا Олена');
  await amal.page.press('#draft', 'Enter');
  await olena.page.waitForFunction(() => document.querySelector('#log').textContent.includes('مرحبا Олена'));
  await olena.page.fill('#draft', 'Привіт, أمل');
  await olena.page.press('#draft', 'Enter');
  await amal.page.waitForFunction(() => document.querySelector('#log').textContent.includes('Привіт, أمل'));
  // Each name and message is isolated, so that the two directions do not mix.
  const isolated = await amal.page.$$eval('#log [dir="auto"]', (nodes) => nodes.length);
  assert.ok(isolated >= 2, `${isolated} isolated texts`);
  assert.deepEqual([...amal.problems, ...olena.problems], []);
  await amal.context.close();
  await olena.context.close();
});

// The number in "Trying again in N seconds" on the page, or null.
function secondsShown(page) {
  return page.evaluate(() => {
    const status = document.querySelector('#status');
    const match = status.hidden ? null : /(\d+)/.exec(document.querySelector('#status-text').textContent);
    return match ? Number(match[1]) : null;
  });
}

test('a phone that goes offline says so at once, counts down, and what was typed meanwhile arrives once', async () => {
  const amal = await openPage(browser, kring.url, { locale: 'en' });
  const sara = await openPage(browser, kring.url, { locale: 'en' });
  await joinDemo(amal.page, 'Amal');
  await joinDemo(sara.page, 'Sara');
  await sara.page.waitForFunction(() => document.querySelector('#members').textContent.includes('Amal'));

  await amal.context.setOffline(true);
  await amal.page.waitForFunction(() => document.querySelector('#conn').dataset.state !== 'connected',
    null, { timeout: 2000 });
  assert.match(await amal.page.textContent('#status-text'), /^Connection lost\. Trying again in \d+ seconds?\.$/);
  assert.equal(await amal.page.getAttribute('#status', 'role'), 'status', 'said when the reader pauses');
  // Tries fail while offline and the wait grows; once it is 3 s or more,
  // the page counts it down a second at a time.
  await amal.page.waitForFunction(() => Number(/(\d+)/.exec(document.querySelector('#status-text').textContent)?.[1]) >= 3);
  const shown = await secondsShown(amal.page);
  await amal.page.waitForFunction((less) => Number(/(\d+)/.exec(document.querySelector('#status-text').textContent)?.[1]) === less,
    shown - 1, { timeout: 1500 });

  await amal.page.fill('#draft', 'typed while offline');
  await amal.page.press('#draft', 'Enter');
  await amal.context.setOffline(false);
  await amal.page.waitForFunction(() => document.querySelector('#conn').dataset.state === 'connected');
  await sara.page.waitForFunction(() => document.querySelector('#log').textContent.includes('typed while offline'));
  await amal.page.fill('#draft', 'and after');
  await amal.page.press('#draft', 'Enter');
  await sara.page.waitForFunction(() => document.querySelector('#log').textContent.includes('and after'));
  const copies = await sara.page.$$eval('#log li', (items) =>
    items.filter((item) => item.textContent.includes('typed while offline')).length);
  assert.equal(copies, 1);
  assert.deepEqual(sara.problems, []);
  await amal.context.close();
  await sara.context.close();
});

test('quick exit leaves the circle, empties the page and takes the tab\'s entry with it', async () => {
  // Names of their own: a closed tab's member stays a while, for a resume.
  for (const [how, leaver, stayer] of [['button', 'Hana', 'Leila'], ['Escape twice', 'Mina', 'Dana']]) {
    const { context, page } = await openPage(browser, kring.url, { locale: 'en' });
    const other = await openPage(browser, kring.url, { locale: 'en' });
    await joinDemo(other.page, stayer);
    // The tab was somewhere else before it opened Kring.
    await page.goto(`${kring.url}healthz`);
    await page.goto(kring.url);
    await joinDemo(page, leaver);
    await page.fill('#draft', 'something private');
    await page.press('#draft', 'Enter');
    await other.page.waitForFunction(() => document.querySelector('#log').textContent.includes('something private'));

    if (how === 'button') {
      await page.click('#quick-exit');
    } else {
      await page.press('#draft', 'Escape');
      await page.press('#draft', 'Escape');
    }
    await page.waitForURL('about:blank');
    assert.equal(await page.evaluate(() => document.body.textContent), '', how);
    // The other members see her leave.
    await other.page.waitForFunction((name) => !document.querySelector('#members').textContent.includes(name), leaver);
    // Back goes to where the tab was before, not to the circle.
    await page.goBack();
    assert.equal(page.url(), `${kring.url}healthz`, how);
    // Opening Kring again in that tab shows nothing of the conversation.
    await page.goto(kring.url);
    await page.waitForSelector('#join-view:not([hidden])');
    assert.ok(!(await page.textContent('body')).includes('something private'), how);
    // (The new page keeps its own new identity, nothing of the old circle.)
    const kept = await page.evaluate(() => Object.keys(window.sessionStorage).sort());
    assert.ok(!kept.includes('kring.log') && !kept.includes('kring.want'), `${how}: ${kept}`);
    await context.close();
    await other.context.close();
  }
});

test('one Escape alone, or two far apart, does not leave', async () => {
  const { context, page } = await openPage(browser, kring.url, { locale: 'en' });
  await joinDemo(page, 'Nour');
  await page.press('#draft', 'Escape');
  await page.waitForTimeout(1200);
  await page.press('#draft', 'Escape');
  await page.waitForTimeout(300);
  assert.notEqual(page.url(), 'about:blank');
  assert.ok(await page.isVisible('#chat-view'));
  await context.close();
});

test('at 320 px wide nothing runs off the screen, in any language', async () => {
  // Loaded from its text: the web client has no package.json to say its files are modules.
  const source = readFileSync(new URL('../../web-client/strings.js', import.meta.url), 'utf8');
  const { languages } = await import(`data:text/javascript,${encodeURIComponent(source)}`);
  const { context, page } = await openPage(browser, kring.url, { locale: 'en', viewport: { width: 320, height: 640 } });
  for (const { code } of languages) {
    await page.selectOption('#language', code);
    await page.waitForFunction((want) => document.documentElement.lang === want, code);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 320, `${code}: the page is ${wide} px wide`);
    assert.ok(await page.isVisible('#quick-exit'), code);
  }
  await context.close();
});

test('axe-core finds nothing wrong on the join screen and in the room, left to right and right to left', async () => {
  for (const [locale, name] of [['en', 'Rosa'], ['ar', 'سلمى']]) {
    const { context, page } = await openPage(browser, kring.url, { locale });
    await page.waitForSelector('#join-view:not([hidden])');
    assert.deepEqual(await accessibilityFindings(page), [], `${locale}: join screen`);
    await joinDemo(page, name);
    await page.fill('#draft', 'hello');
    await page.press('#draft', 'Enter');
    await page.waitForFunction(() => document.querySelector('#log').textContent.includes('hello'));
    assert.deepEqual(await accessibilityFindings(page), [], `${locale}: room`);
    await context.close();
  }
});

test('after joining, the message box has the focus; Leave asks first', async () => {
  const { context, page } = await openPage(browser, kring.url, { locale: 'en' });
  const other = await openPage(browser, kring.url, { locale: 'en' });
  assert.equal(await page.getAttribute('#code', 'type'), 'password');
  await joinDemo(other.page, 'Yara');
  await joinDemo(page, 'Zeynep');
  await page.waitForFunction(() => document.activeElement?.id === 'draft');
  // The skip link, first on the page, leads to the message box too.
  await page.focus('#leave');
  await page.evaluate(() => document.querySelector('.skip-link').focus());
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'draft');

  await page.click('#leave');
  assert.equal(await page.textContent('#room-head .question'), 'Leave this circle? You can join it again later.');
  await page.click('#room-head .menu button:has-text("Cancel")');
  assert.ok(await page.isVisible('#chat-view'));
  await page.click('#leave');
  await page.click('#room-head .menu button.primary');
  await page.waitForSelector('#join-view:not([hidden])');
  await other.page.waitForFunction(() => !document.querySelector('#members').textContent.includes('Zeynep'));
  await context.close();
  await other.context.close();
});

test('a chat taken over by another tab pauses here: the message box is closed until it is taken back', async () => {
  const { context, page } = await openPage(browser, kring.url, { locale: 'en' });
  await joinDemo(page, 'Ines');
  // A duplicated tab carries the first one's session: it resumes the same identity.
  const session = await page.evaluate(() => JSON.stringify(Object.entries(window.sessionStorage)));
  const copy = await context.newPage();
  await copy.addInitScript((entries) => {
    if (window.sessionStorage.length === 0) for (const [key, value] of JSON.parse(entries)) window.sessionStorage.setItem(key, value);
  }, session);
  await copy.goto(kring.url);
  await copy.waitForSelector('#chat-view:not([hidden])');
  await page.waitForFunction(() => document.querySelector('#conn').dataset.state === 'replaced');
  assert.equal(await page.isDisabled('#draft'), true);
  assert.equal(await page.textContent('#composer-note'), 'This chat was opened in another tab or window.');
  assert.equal(await copy.isDisabled('#draft'), false);
  // Taking it back here opens the message box again.
  await page.click('#status-action');
  await page.waitForFunction(() => !document.querySelector('#draft').disabled);
  assert.equal(await page.textContent('#room-title'), 'Demo circle');
  await context.close();
});

test('the help lines are one button away, before joining and in the circle, in the reader\'s language', async () => {
  const { context, page, problems } = await openPage(browser, kring.url, { locale: 'ar' });
  await page.waitForSelector('#pseudonym-line:not([hidden])'); // welcomed: the server's list is in
  await page.click('#help-button');
  assert.equal(await page.getAttribute('#help-button', 'aria-expanded'), 'true');
  assert.match(await page.textContent('#help-notice'), /^Kring ليس خدمة طوارئ/);
  // Kring's own Belgian list unless the deployment gives one: 112 first.
  assert.equal(await page.getAttribute('#help-lines li:first-child a.help-number', 'href'), 'tel:112');
  assert.equal(await page.textContent('#help-lines li:first-child p:last-of-type'), 'كل اللغات');
  assert.ok((await page.$$('#help-lines li')).length >= 2);
  assert.deepEqual(await accessibilityFindings(page), []);
  await page.click('#help-close');
  assert.equal(await page.isVisible('#help'), false);
  await joinDemo(page, 'رنا');
  await page.click('#help-button');
  assert.ok(await page.isVisible('#help-lines li'));
  assert.deepEqual(problems, []);
  await context.close();
});
