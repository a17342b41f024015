// The moderators' side of the web client, against the real server: what a
// participant reports reaches a moderator, even one who comes in later.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startKring, launchBrowser, openPage, joinDemo, logIn, screenshot, LAPTOP } from './harness.mjs';

const MODERATOR = ['sofie', 'tea-4u-Linden-kettle'];

let kring;
let browser;

before(async () => {
  kring = await startKring({
    setup: [
      // An admin keeps every circle, the demo one too (made when the server starts).
      { args: ['moderator', 'add', MODERATOR[0], '--admin', '--password-stdin', '--permanent'], input: `${MODERATOR[1]}\n` },
    ],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await kring?.stop();
});

// `page` says `text` in the circle, and `other` sees it.
async function sayTo(page, other, text) {
  await page.fill('#draft', text);
  await page.press('#draft', 'Enter');
  await other.locator('#log li', { hasText: text }).waitFor();
}

// `page` reports the message that holds `text`, with `reason` if given.
async function reportMessage(page, text, reason = '') {
  await page.locator('#log li', { hasText: text }).locator('button.more').click();
  await page.click('#log .menu button:has-text("Report")');
  if (reason !== '') await page.fill('#log .menu input', reason);
  await page.click('#log .menu button.primary');
}

test('a report made while no moderator is there reaches the one who comes in, who resolves it', async () => {
  const amal = await openPage(browser, kring.url);
  const rosa = await openPage(browser, kring.url);
  await joinDemo(amal.page, 'Amal');
  await joinDemo(rosa.page, 'Rosa');
  await sayTo(amal.page, rosa.page, 'a hurtful thing');
  await reportMessage(rosa.page, 'a hurtful thing', 'it hurt');
  await rosa.page.waitForFunction(() => /moderators will look at it/.test(document.querySelector('#status-text').textContent));

  // The moderator comes in later, on a laptop; her page's chimes are counted.
  const sofie = await openPage(browser, kring.url, { viewport: LAPTOP, countChimes: true });
  await logIn(sofie.page, MODERATOR);
  await joinDemo(sofie.page);
  const report = sofie.page.locator('#report-list li');
  await report.waitFor();
  assert.equal(await report.locator('p').textContent(), 'Report: a message by Amal: "a hurtful thing" Why: "it hurt"');
  await sofie.page.waitForFunction(() => document.title.startsWith('(1) '));
  await screenshot(sofie.page, 'console-laptop-en');

  // A new report arrives at once while she is there.
  await sayTo(amal.page, rosa.page, 'another one');
  await reportMessage(rosa.page, 'another one');
  await sofie.page.waitForFunction(() => document.querySelectorAll('#report-list li').length === 2);
  assert.ok((await sofie.page.title()).startsWith('(2) '));
  // The new one chimed; the one she found waiting did not.
  assert.equal(await sofie.page.evaluate(() => window.chimes), 2, 'two notes of one chime');

  // Resolved, it is gone, for good: a reload does not bring it back.
  await sofie.page.click('#report-list li:has-text("a hurtful thing") button');
  await sofie.page.waitForFunction(() => document.querySelectorAll('#report-list li').length === 1);
  await sofie.page.reload();
  await sofie.page.waitForSelector('#chat-view:not([hidden])');
  await sofie.page.waitForFunction(() => document.querySelectorAll('#report-list li').length === 1);
  assert.match(await sofie.page.textContent('#report-list li'), /another one/);
  // Participants never see the list.
  assert.equal(await rosa.page.isVisible('#reports'), false);
  assert.deepEqual([...amal.problems, ...rosa.problems, ...sofie.problems], []);
  for (const one of [amal, rosa, sofie]) await one.context.close();
});

test('the login form takes nothing before the page can send it, and a login typed offline goes once the connection is back', async () => {
  const context = await browser.newContext({ locale: 'en', viewport: LAPTOP });
  context.setDefaultTimeout(10_000);
  // The page's code waits for its language before it takes a form: hold that back.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await context.route('**/i18n/*.json', async (route) => {
    await held;
    await route.continue();
  });
  const page = await context.newPage();
  await page.goto(kring.url, { waitUntil: 'domcontentloaded' });
  // Until then the browser would send a form itself, the password in the address.
  for (const field of ['#login-user', '#login-password', '#room', '#code']) {
    assert.equal(await page.isEnabled(field), false, `${field} is closed while the page loads`);
  }
  release();
  await page.waitForFunction(() => ['login-user', 'login-password', 'room', 'code']
    .every((id) => !document.getElementById(id).disabled));

  // The connection drops; the login she types meanwhile waits for it.
  await page.waitForSelector('#conn[data-state="connected"]');
  await context.setOffline(true);
  await page.waitForFunction(() => document.querySelector('#conn').dataset.state !== 'connected');
  const address = page.url();
  await page.click('#staff-login summary');
  await page.fill('#login-user', MODERATOR[0]);
  await page.fill('#login-password', MODERATOR[1]);
  await page.press('#login-password', 'Enter');
  assert.equal(await page.isVisible('#staff-line'), false);
  await context.setOffline(false);
  await page.waitForSelector('#staff-line:not([hidden])');
  assert.equal(page.url(), address);
  await context.close();
});

test('a moderator deletes a message for everyone, mutes one member (seen by her alone) and removes another', async () => {
  const sofie = await openPage(browser, kring.url, { viewport: LAPTOP });
  const hana = await openPage(browser, kring.url);
  const dina = await openPage(browser, kring.url);
  await logIn(sofie.page, MODERATOR);
  await joinDemo(sofie.page);
  await joinDemo(hana.page, 'Hana');
  await joinDemo(dina.page, 'Dina');

  // Delete: gone from both participants' pages.
  await hana.page.fill('#draft', 'please take this away');
  await hana.page.press('#draft', 'Enter');
  for (const one of [sofie, dina]) await one.page.locator('#log li', { hasText: 'please take this away' }).waitFor();
  const said = sofie.page.locator('#log li', { hasText: 'please take this away' });
  await said.locator('button.more').click();
  await sofie.page.click('#log .menu button:has-text("Delete")');
  // What cannot be undone asks in red.
  await sofie.page.click('#log .menu button.danger');
  for (const one of [hana, dina]) {
    await one.page.waitForFunction(() => !document.querySelector('#log').textContent.includes('please take this away'));
  }

  // Mute: Hana is told and her message box closes; Dina is told nothing.
  await sofie.page.click('#members-summary');
  const member = (name) => sofie.page.locator('#members li', { hasText: name });
  await member('Hana').locator('button.more').click();
  await sofie.page.click('#members .menu button:has-text("Mute for 10 minutes")');
  await hana.page.waitForFunction(() => document.querySelector('#draft').disabled);
  assert.match(await hana.page.textContent('#log'), /You are muted until/);
  await dina.page.fill('#draft', 'still here');
  await dina.page.press('#draft', 'Enter');
  await hana.page.locator('#log li', { hasText: 'still here' }).waitFor();
  assert.doesNotMatch(await dina.page.textContent('#log'), /muted/);

  // Remove, with a word for her: Dina is out, told kindly, and the others see her go.
  await member('Dina').locator('button.more').click();
  await sofie.page.click('#members .menu button:has-text("Remove")');
  await sofie.page.fill('#members .menu input', 'take a break');
  await sofie.page.click('#members .menu button.danger');
  await dina.page.waitForSelector('#join-view:not([hidden])');
  assert.match(await dina.page.textContent('#status-text'), /asked you to leave.*"take a break"/);
  await hana.page.waitForFunction(() => !document.querySelector('#members').textContent.includes('Dina'));
  for (const one of [sofie, hana, dina]) await one.context.close();
});

test('on a laptop the log stays in view beside the people and the controls, in either direction', async () => {
  for (const [locale, dir] of [['en', 'ltr'], ['ar', 'rtl']]) {
    const sofie = await openPage(browser, kring.url, { locale, viewport: LAPTOP });
    await logIn(sofie.page, MODERATOR);
    await joinDemo(sofie.page);
    // Everything a moderator opens at once.
    await sofie.page.click('#members-summary');
    await sofie.page.click('#mod-panel summary');
    const box = async (selector) => sofie.page.locator(selector).boundingBox();
    const log = await box('#scroller');
    const side = await box('.side');
    const composer = await box('#composer');
    assert.ok(log.height >= 400, `${locale}: the log is ${log.height} px high`);
    assert.ok(composer.y + composer.height <= LAPTOP.height, `${locale}: the message box is on screen`);
    assert.ok(dir === 'ltr' ? side.x > log.x : side.x < log.x, `${locale}: the side is at the end`);
    if (locale === 'en') await screenshot(sofie.page, 'console-laptop-open-en');
    // Ending the circle asks in red, not in the usual green.
    await sofie.page.click('#mod-end');
    assert.equal(await sofie.page.locator('#mod-panel .menu button.danger').count(), 1);
    assert.equal(await sofie.page.locator('#mod-panel .menu button.primary').count(), 0);
    await sofie.context.close();
  }
});

test('with the waiting room on, a newcomer knocks, the moderator hears it and lets her in', async () => {
  const sofie = await openPage(browser, kring.url, { viewport: LAPTOP, countChimes: true });
  const lina = await openPage(browser, kring.url);
  await logIn(sofie.page, MODERATOR);
  await joinDemo(sofie.page);
  await sofie.page.click('#mod-panel summary');
  await sofie.page.click('#mod-waiting');
  await sofie.page.waitForFunction(() => document.querySelector('#mod-waiting').textContent === 'Turn the waiting room off');

  await lina.page.fill('#name', 'Lina');
  await lina.page.click('#circles button[aria-label$=": Demo circle"]');
  await lina.page.waitForFunction(() => /Waiting for the moderator/.test(document.querySelector('#status-text').textContent));
  const knock = sofie.page.locator('#knocks li', { hasText: 'Lina is waiting to come in' });
  await knock.waitFor();
  assert.equal(await sofie.page.evaluate(() => window.chimes), 2, 'one chime');
  // The title counts the knock with the reports still open from before.
  const reportsOpen = await sofie.page.locator('#report-list li').count();
  assert.ok((await sofie.page.title()).startsWith(`(${reportsOpen + 1}) `));
  // A reload of her tab brings the knock back: the server tells a moderator who resumes.
  await sofie.page.reload();
  await knock.waitFor();
  await sofie.page.click('#mod-panel summary');
  await knock.locator('button.primary').click();
  await lina.page.waitForSelector('#chat-view:not([hidden])');
  // Everyone there sees a gentle line that she came in.
  await sofie.page.locator('#log li.notice', { hasText: 'Lina came in' }).waitFor();
  await sofie.page.waitForFunction((left) => (left === 0 ? !document.title.startsWith('(')
    : document.title.startsWith(`(${left}) `)), reportsOpen);
  // Back to an open door for the tests after this one.
  await sofie.page.click('#mod-waiting');
  await sofie.page.waitForFunction(() => document.querySelector('#mod-waiting').textContent === 'Turn the waiting room on');
  await sofie.context.close();
  await lina.context.close();
});
