// Kring's web client in a real browser against the real server: what a
// participant on a phone sees, in their language.
//   cd tests/browser && npm ci && KRING_BINARY=../../build/server/kring npm test
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startKring, launchBrowser, openPage, joinDemo, screenshot, LAPTOP } from './harness.mjs';

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
