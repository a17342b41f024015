// The circle's shared moments in the web client, against the real server:
// the talking piece going round, raised hands, reactions, a pause, phases,
// and a circle's agreement read and accepted before joining.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startKring, launchBrowser, openPage, joinDemo, logIn, screenshot, accessibilityFindings, LAPTOP } from './harness.mjs';

const MODERATOR = ['noor', 'mint-tea-Olive-branch'];

let kring;
let browser;

before(async () => {
  kring = await startKring({
    setup: [
      { args: ['moderator', 'add', MODERATOR[0], '--admin', '--password-stdin', '--permanent'], input: `${MODERATOR[1]}\n` },
      { args: ['room', 'add', 'tea', '--title', 'Tea circle', '--require-agreement'] },
      // A peer-led circle and the trusted participant who facilitates it.
      { args: ['room', 'add', 'peers', '--title', 'Peer circle', '--peer-led'] },
      { args: ['moderator', 'add', 'lea', '--password-stdin', '--permanent'], input: 'peer-Support-on-Sundays\n' },
      { args: ['moderator', 'assign', 'lea', 'peers', '--as', 'facilitator'] },
    ],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await kring?.stop();
});

// The moderator on a laptop and two participants on phones, all in the demo circle.
async function threeInTheCircle() {
  const noor = await openPage(browser, kring.url, { viewport: LAPTOP });
  await logIn(noor.page, MODERATOR);
  await joinDemo(noor.page);
  const amal = await openPage(browser, kring.url);
  await joinDemo(amal.page, 'Amal');
  const rosa = await openPage(browser, kring.url);
  await joinDemo(rosa.page, 'Rosa');
  for (const { page } of [noor, amal, rosa]) await page.click('#chat-view details.members summary');
  await noor.page.locator('#members li', { hasText: 'Rosa' }).waitFor();
  await noor.page.click('#mod-panel summary');
  return { noor, amal, rosa };
}

// The moderator ends the circle, so that the next test starts with an empty one.
async function endCircle({ page }) {
  if (await page.getAttribute('#mod-panel', 'open') === null) await page.click('#mod-panel summary');
  await page.click('#mod-end');
  await page.click('#mod-only .menu button.danger');
  await page.waitForSelector('#join-view:not([hidden])');
}

async function closeAll(...pages) {
  for (const { context, problems } of pages) {
    assert.deepEqual(problems, []);
    await context.close();
  }
}

async function say(page, text) {
  await page.fill('#draft', text);
  await page.press('#draft', 'Enter');
  await page.locator('#log li.message', { hasText: text }).waitFor();
}

test('the talking piece goes round: only its holder writes, and Done and Pass hand it on', async () => {
  const { noor, amal, rosa } = await threeInTheCircle();
  await noor.page.fill('#round-prompt-text', 'One word for how you arrive');
  await noor.page.click('#round-form button[type=submit]');

  // Amal came first: the piece is hers; Rosa waits and can't write.
  await amal.page.waitForSelector('#round:not([hidden]).mine');
  assert.equal(await amal.page.textContent('#round-prompt'), 'One word for how you arrive');
  assert.equal(await amal.page.isEnabled('#draft'), true);
  await rosa.page.waitForSelector('#round:not([hidden])');
  assert.equal(await rosa.page.textContent('#round-holder'), 'Amal holds the talking piece.');
  assert.equal(await rosa.page.isDisabled('#draft'), true);
  assert.match(await rosa.page.textContent('#composer-note'), /Amal holds the talking piece/);
  assert.equal(await rosa.page.isHidden('#round-done'), true);
  // The moderator may always speak, and sees who holds it among the members.
  assert.equal(await noor.page.isEnabled('#draft'), true);
  await noor.page.locator('#members li', { hasText: 'Amal' }).locator('.mark.piece').waitFor();
  await screenshot(rosa.page, 'round-phone-waiting');

  await say(amal.page, 'Tired');
  await amal.page.click('#round-done');
  await rosa.page.waitForSelector('#round.mine');
  assert.equal(await rosa.page.isEnabled('#draft'), true);
  await amal.page.waitForFunction(() => document.querySelector('#draft').disabled);
  await screenshot(noor.page, 'round-console-laptop');

  // Rosa passes without a word: the piece has gone round, and everyone writes again.
  await rosa.page.click('#round-pass');
  for (const { page } of [amal, rosa, noor]) {
    await page.locator('#log li.notice', { hasText: 'The talking piece has gone all the way round.' }).waitFor();
    await page.waitForSelector('#round[hidden]', { state: 'attached' });
  }
  assert.equal(await amal.page.isEnabled('#draft'), true);
  assert.equal(await rosa.page.isEnabled('#draft'), true);
  await endCircle(noor);
  await closeAll(noor, amal, rosa);
});

test('a raised hand shows to everyone, in order for the moderator, who lowers it', async () => {
  const { noor, amal, rosa } = await threeInTheCircle();
  await rosa.page.click('#hand-button');
  await rosa.page.waitForSelector('#hand-button[aria-pressed="true"]');
  assert.match(await rosa.page.textContent('#hand-button'), /Lower my hand/);
  await amal.page.click('#hand-button');
  // Everyone sees the hands; the moderator sees who asked first.
  await amal.page.locator('#members li', { hasText: 'Rosa' }).locator('.mark.hand').waitFor();
  const rosaHand = noor.page.locator('#members li', { hasText: 'Rosa' }).locator('.mark.hand');
  await noor.page.waitForFunction(() => [...document.querySelectorAll('#members .mark.hand')].length === 2);
  assert.equal(await rosaHand.textContent(), '✋ 1');
  assert.equal(await noor.page.locator('#members li', { hasText: 'Amal' }).locator('.mark.hand').textContent(), '✋ 2');

  // The moderator lowers Rosa's hand; Amal's moves up to first.
  await noor.page.locator('#members li', { hasText: 'Rosa' }).locator('button.more').click();
  await noor.page.click('#members .menu button:has-text("Lower the hand")');
  await rosa.page.waitForSelector('#hand-button[aria-pressed="false"]');
  await noor.page.waitForFunction(() => [...document.querySelectorAll('#members .mark.hand')].map((m) => m.textContent).join() === '✋ 1');
  // Amal lowers her own.
  await amal.page.click('#hand-button');
  await amal.page.waitForSelector('#hand-button[aria-pressed="false"]');
  await noor.page.waitForFunction(() => document.querySelectorAll('#members .mark.hand').length === 0);

  // "Just listening" shows too, and is only one's own.
  await amal.page.click('#listening-button');
  await rosa.page.locator('#members li', { hasText: 'Amal' }).locator('.mark.listening').waitFor();
  await endCircle(noor);
  await closeAll(noor, amal, rosa);
});

test('reactions are counted for everyone and taken back by a second tap', async () => {
  const { noor, amal, rosa } = await threeInTheCircle();
  await say(amal.page, 'It was a hard week');
  const onRosa = rosa.page.locator('#log li.message', { hasText: 'It was a hard week' });
  await onRosa.locator('button[data-reaction="pick"]').click();
  await onRosa.locator('.picker button[data-reaction="hug"]').click();
  const onAmal = amal.page.locator('#log li.message', { hasText: 'It was a hard week' });
  await onAmal.locator('.reactions button[data-reaction="hug"]', { hasText: '🤗 1' }).waitFor();
  await onRosa.locator('.reactions button[data-reaction="hug"][aria-pressed="true"]').waitFor();
  // Noor gives one too; then Rosa takes hers back.
  const onNoor = noor.page.locator('#log li.message', { hasText: 'It was a hard week' });
  await onNoor.locator('button[data-reaction="pick"]').click();
  await onNoor.locator('.picker button[data-reaction="hug"]').click();
  await onAmal.locator('.reactions button[data-reaction="hug"]', { hasText: '🤗 2' }).waitFor();
  await onRosa.locator('.reactions button[data-reaction="hug"]').click();
  await onAmal.locator('.reactions button[data-reaction="hug"]', { hasText: '🤗 1' }).waitFor();
  await onRosa.locator('.reactions button[data-reaction="hug"][aria-pressed="false"]').waitFor();
  await endCircle(noor);
  await closeAll(noor, amal, rosa);
});

test('a pause stills every participant for a moment, and the circle moves through its phases', async () => {
  const { noor, amal, rosa } = await threeInTheCircle();
  await noor.page.click('#mod-pause');
  await amal.page.waitForSelector('#pause-line:not([hidden])');
  await amal.page.waitForFunction(() => document.querySelector('#draft').disabled);
  assert.match(await amal.page.textContent('#composer-note'), /short pause/);
  assert.equal(await noor.page.isEnabled('#draft'), true);
  assert.equal(await noor.page.textContent('#mod-pause'), 'End the pause');
  await noor.page.click('#mod-pause');
  await amal.page.locator('#log li.notice', { hasText: 'The pause is over.' }).waitFor();
  await amal.page.waitForFunction(() => !document.querySelector('#draft').disabled);

  // A circle without a schedule starts its phases at check-in.
  assert.equal(await noor.page.textContent('#phase-next'), 'Move on to: Check-in');
  await noor.page.click('#phase-next');
  await rosa.page.waitForSelector('#phase-line:not([hidden])');
  assert.equal(await rosa.page.textContent('#phase-line'), 'Now: Check-in');
  await noor.page.waitForFunction(() => document.querySelector('#phase-next').textContent === 'Move on to: Sharing');
  assert.deepEqual(await accessibilityFindings(noor.page), []);
  await endCircle(noor);
  await closeAll(noor, amal, rosa);
});

test('a call for help with no moderator there waits for one, who checks in privately; no one else sees it', async () => {
  const amal = await openPage(browser, kring.url);
  await joinDemo(amal.page, 'Amal');
  const rosa = await openPage(browser, kring.url);
  await joinDemo(rosa.page, 'Rosa');
  await amal.page.click('#help-button');
  await amal.page.click('#help-ask');
  await amal.page.locator('#help-answer', { hasText: 'No moderator is here right now.' }).waitFor();
  await amal.page.click('#help-close');

  // The moderator who comes in finds the alert, with a chime and a count in the title.
  const noor = await openPage(browser, kring.url, { viewport: LAPTOP, countChimes: true });
  await logIn(noor.page, MODERATOR);
  await joinDemo(noor.page);
  const alert = noor.page.locator('#alert-list li', { hasText: 'Amal asked for help' });
  await alert.waitFor();
  assert.equal(await alert.locator('.waited').isVisible(), true);
  assert.ok(await noor.page.evaluate(() => window.chimes) >= 1);
  assert.match(await noor.page.title(), /^\(1\) /);
  await screenshot(noor.page, 'alert-console-laptop');
  // A reload of her tab keeps the alert, which the server sends only once.
  await noor.page.reload();
  await alert.waitFor();

  await alert.locator('button.primary').click();
  await noor.page.fill('#alert-list .menu input', 'I am here. Are you safe right now?');
  await noor.page.click('#alert-list .menu button.primary');
  const toAmal = amal.page.locator('#log li.whisper', { hasText: 'I am here. Are you safe right now?' });
  await toAmal.waitFor();
  assert.equal(await toAmal.locator('.private-tag').textContent(), 'Private');
  assert.match(await toAmal.locator('.name').textContent(), /from noor/);
  await toAmal.locator('button.answer').click();
  await amal.page.fill('#log .menu input', 'Not really, can we talk?');
  await amal.page.click('#log .menu button.primary');
  await noor.page.locator('#log li.whisper', { hasText: 'Not really, can we talk?' }).waitFor();
  await amal.page.locator('#log li.whisper.own', { hasText: 'Not really, can we talk?' }).waitFor();

  // Rosa, in the same circle, saw none of it; a message said after it reaches her.
  await say(noor.page, 'Welcome, everyone');
  await rosa.page.locator('#log li', { hasText: 'Welcome, everyone' }).waitFor();
  assert.equal(await rosa.page.locator('#log li', { hasText: /safe right now|can we talk/ }).count(), 0);
  assert.equal(await rosa.page.locator('#log li.whisper').count(), 0);

  await alert.locator('button:has-text("Done")').click();
  await noor.page.waitForSelector('#alerts[hidden]', { state: 'attached' });
  assert.doesNotMatch(await noor.page.title(), /^\(/);
  await endCircle(noor);
  await closeAll(noor, amal, rosa);
});

test('what the server refused stays, marked not sent, to try again or remove; what it took is marked sent', async () => {
  const { noor, amal, rosa } = await threeInTheCircle();
  await noor.page.selectOption('#mod-slow', '30');
  await amal.page.locator('#room-rules li', { hasText: '30' }).waitFor();

  // Two messages typed offline leave together when the phone is back: slow
  // mode takes the first and refuses the second, while the box holds a third.
  await amal.context.setOffline(true);
  await amal.page.waitForFunction(() => document.querySelector('#conn').dataset.state !== 'connected');
  for (const text of ['the first one', 'the second one']) {
    await amal.page.fill('#draft', text);
    await amal.page.press('#draft', 'Enter');
  }
  await amal.page.fill('#draft', 'still writing');
  await amal.context.setOffline(false);
  const first = amal.page.locator('#log li.message.own', { hasText: 'the first one' });
  await first.waitFor();
  assert.equal(await first.locator('.sent').getAttribute('aria-label'), 'Sent');
  const refused = amal.page.locator('#outbox li.not-sent', { hasText: 'the second one' });
  await refused.waitFor();
  assert.equal(await refused.locator('.not-sent-tag').textContent(), 'Not sent');
  assert.equal(await amal.page.inputValue('#draft'), 'still writing');

  // Tried again too soon, it is refused again and stays; removed, it is gone.
  await refused.locator('button', { hasText: 'Try again' }).click();
  await amal.page.locator('#status-text', { hasText: /Slow mode/ }).waitFor();
  await refused.locator('.not-sent-tag').waitFor();
  await refused.locator('button', { hasText: 'Remove' }).click();
  await amal.page.waitForFunction(() => document.querySelectorAll('#outbox li').length === 0);
  assert.equal(await noor.page.locator('#log li', { hasText: 'the second one' }).count(), 0);
  await noor.page.selectOption('#mod-slow', '0');
  await endCircle(noor);
  await closeAll(noor, amal, rosa);
});

test('a circle that asks for its agreement shows it in the reader\'s language before letting them in', async () => {
  const farah = await openPage(browser, `${kring.url}?room=tea`, { locale: 'ar' });
  await farah.page.click('#circles button[aria-label$=": Tea circle"]');
  await farah.page.waitForSelector('#agreement-view:not([hidden])');
  assert.equal(await farah.page.getAttribute('html', 'dir'), 'rtl');
  // The server's agreement in Arabic: numbered items, and the notice.
  assert.equal(await farah.page.getAttribute('#agreement-list', 'lang'), 'ar');
  const items = await farah.page.locator('#agreement-list li').allTextContents();
  assert.ok(items.length >= 3, `${items.length} items`);
  assert.match(items[0], /[\u0600-\u06FF]/);
  assert.equal(await farah.page.isVisible('#agreement-draft'), true);
  assert.equal(await farah.page.textContent('#agreement-circle'), 'Tea circle');
  // She reads from the top; scrolled down to Agree, Quick exit is still in view.
  assert.equal(await farah.page.evaluate(() => document.activeElement.id), 'agreement-heading');
  await farah.page.locator('#agree').scrollIntoViewIfNeeded();
  const exit = await farah.page.locator('#quick-exit').boundingBox();
  assert.ok(exit.y >= 0 && exit.y + exit.height <= 740, `quick exit at ${exit.y}`);
  assert.deepEqual(await accessibilityFindings(farah.page), []);
  await screenshot(farah.page, 'agreement-phone-ar');

  // Back leaves her in the lobby; joining again and agreeing lets her in.
  await farah.page.click('#agreement-back');
  await farah.page.waitForSelector('#join-view:not([hidden])');
  await farah.page.click('#circles button[aria-label$=": Tea circle"]');
  await farah.page.click('#agree');
  await farah.page.waitForSelector('#chat-view:not([hidden])');
  // In the circle, the agreement stays one tap away.
  await farah.page.click('#agreement-box summary');
  assert.deepEqual(await farah.page.locator('#agreement-items li').allTextContents(), items);
  // Changing the page's language brings the agreement in that language too.
  await farah.page.selectOption('#language', 'fr');
  await farah.page.waitForSelector('#agreement-items[lang="fr"]');
  const french = await farah.page.locator('#agreement-items li').allTextContents();
  assert.equal(french.length, items.length);
  assert.notDeepEqual(french, items);
  await closeAll(farah);
});

test('a peer-led circle\'s facilitator runs its round and pause, with none of the moderation', async () => {
  const lea = await openPage(browser, kring.url, { viewport: LAPTOP });
  await logIn(lea.page, ['lea', 'peer-Support-on-Sundays']);
  await lea.page.click('#circles button[aria-label$=": Peer circle"]');
  await lea.page.waitForSelector('#chat-view:not([hidden])');
  const sam = await openPage(browser, kring.url);
  await sam.page.fill('#name', 'Sam');
  await sam.page.click('#circles button[aria-label$=": Peer circle"]');
  await sam.page.waitForSelector('#chat-view:not([hidden])');

  await lea.page.click('#mod-panel summary');
  assert.equal(await lea.page.isVisible('#round-form'), true);
  assert.equal(await lea.page.isVisible('#mod-pause'), true);
  assert.equal(await lea.page.isHidden('#mod-only'), true);
  await lea.page.click('#round-form button[type=submit]');
  await sam.page.waitForSelector('#round.mine');
  await sam.page.click('#round-pass');
  await lea.page.locator('#log li.notice', { hasText: 'The talking piece has gone all the way round.' }).waitFor();
  // On Sam she can lower a hand, but not mute, remove or ban.
  await sam.page.click('#hand-button');
  await lea.page.click('#chat-view details.members summary');
  await lea.page.locator('#members li', { hasText: 'Sam' }).locator('.mark.hand').waitFor();
  await lea.page.locator('#members li', { hasText: 'Sam' }).locator('button.more').click();
  const offered = await lea.page.locator('#members .menu button').allTextContents();
  assert.deepEqual(offered, ['Lower the hand']);
  await lea.page.click('#members .menu button');
  await sam.page.waitForSelector('#hand-button[aria-pressed="false"]');
  await closeAll(lea, sam);
});
