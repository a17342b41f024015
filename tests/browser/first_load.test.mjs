// What a participant's phone fetches on its first visit, against the web
// client as an install leaves it (bundled by esbuild and gzipped, by
// deploy/bundle_web_client.cmake and compress_web_client.cmake): at most
// 50 KB on the wire, and none of the moderators' code until a moderator
// logs in. A second visit fetches only what may have changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startKring, launchBrowser, openPage, joinDemo, logIn, WEB_ROOT, CHROMIUM } from './harness.mjs';

const BUDGET_BYTES = 50 * 1024;
// Debian's fonts-sil-abyssinica, which cmake --install copies beside the page.
const ETHIOPIC_FONT = '/usr/share/fonts-sil-abyssinica/woff2/AbyssinicaSIL-Regular.woff2';
const MODERATOR = ['hanna', 'warm-Soup-on-the-stove'];

let installed;
let kring;
let browser;

before(async () => {
  installed = mkdtempSync(join(tmpdir(), 'kring-web-'));
  cpSync(WEB_ROOT, installed, { recursive: true });
  if (existsSync(ETHIOPIC_FONT)) {
    mkdirSync(join(installed, 'fonts'));
    cpSync(ETHIOPIC_FONT, join(installed, 'fonts', 'AbyssinicaSIL-Regular.woff2'));
  }
  for (const script of ['bundle_web_client.cmake', 'compress_web_client.cmake']) {
    const done = spawnSync('cmake', [`-DKRING_WEB_DIR=${installed}`, '-P', join(WEB_ROOT, '..', 'deploy', script)],
      { encoding: 'utf8' });
    assert.equal(done.status, 0, `${script}: ${done.stdout}${done.stderr}`);
  }
  kring = await startKring({
    setup: [{ args: ['moderator', 'add', MODERATOR[0], '--admin', '--password-stdin', '--permanent'], input: `${MODERATOR[1]}\n` }],
    webRoot: installed,
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await kring?.stop();
  rmSync(installed, { recursive: true, force: true });
});

// Every response the page receives: its path, and its bytes on the wire
// (headers and the body as sent, compressed or not).
function recordResponses(page) {
  const seen = [];
  page.on('requestfinished', async (request) => {
    const sizes = await request.sizes();
    const response = await request.response();
    seen.push({
      path: new URL(request.url()).pathname,
      bytes: sizes.responseHeadersSize + sizes.responseBodySize,
      encoding: (await response?.headerValue('content-encoding')) ?? '',
    });
  });
  return seen;
}

test('a participant\'s first visit, up to joining a circle, is at most 50 KB on the wire, gzipped', async () => {
  const { context, page, problems } = await openPage(browser, 'about:blank');
  const seen = recordResponses(page);
  await page.goto(kring.url);
  await page.waitForSelector('#circles li');
  await joinDemo(page, 'Amal');
  await page.waitForLoadState('networkidle');
  const total = seen.reduce((sum, response) => sum + response.bytes, 0);
  const listing = seen.map((r) => `${r.path} ${r.bytes} ${r.encoding}`).join('\n');
  console.log(`first load: ${seen.length} responses, ${total} bytes\n${listing}`);
  assert.ok(total <= BUDGET_BYTES, `${total} bytes over ${seen.length} responses:\n${listing}`);
  // The page's text files come compressed; the directory's answer is small and dynamic.
  for (const response of seen.filter((r) => /\.(js|css|html|json)$|\/$/.test(r.path))) {
    assert.equal(response.encoding, 'gzip', response.path);
  }
  assert.equal(seen.some((r) => /\/moderator[-.]/.test(r.path)), false, 'the moderators\' code was fetched');

  // The bundles, named by their content, are kept: a second visit asks only
  // for the page, its catalog and the directory again.
  seen.length = 0;
  await page.reload();
  await page.waitForSelector('#chat-view:not([hidden])');
  await page.waitForLoadState('networkidle');
  const again = seen.filter((r) => r.bytes > 0).map((r) => r.path);
  assert.equal(again.some((path) => /-[A-Z0-9]{8}\.(js|css)$/.test(path)), false, again.join(' '));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a moderator\'s code comes once she logs in, and again at once when her tab reloads', async () => {
  const { context, page, problems } = await openPage(browser, kring.url);
  const seen = recordResponses(page);
  await page.waitForSelector('#circles li');
  const moderatorCode = () => seen.some((r) => /\/moderator-[A-Z0-9]{8}\.js$/.test(r.path));
  assert.equal(moderatorCode(), false);
  await logIn(page, MODERATOR);
  await joinDemo(page);
  await page.waitForSelector('#mod-panel:not([hidden])');
  assert.ok(moderatorCode());

  // A reload resumes her login: the panel and the actions on a member are back.
  await page.reload();
  await page.waitForSelector('#chat-view:not([hidden])');
  await page.waitForSelector('#mod-panel:not([hidden])');
  assert.equal(await page.isVisible('#staff-login'), false);
  assert.deepEqual(problems, []);
  await context.close();
});

// A phone without an Ethiopic font of its own: Chromium sees only DejaVu
// (its own fontconfig file), so the page must fetch Kring's.
test('the Ethiopic font is fetched for Tigrinya text only, from the server, on a phone without one', { skip: !existsSync(ETHIOPIC_FONT) && 'no fonts-sil-abyssinica' }, async () => {
  const fonts = mkdtempSync(join(tmpdir(), 'kring-fonts-'));
  const config = join(fonts, 'fonts.conf');
  writeFileSync(config, `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>
  <dir>/usr/share/fonts/truetype/dejavu</dir>\n  <cachedir>${fonts}/cache</cachedir>\n</fontconfig>\n`);
  const bare = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'],
    env: { ...process.env, FONTCONFIG_FILE: config } });
  try {
    const fetchedFont = async (locale) => {
      const { context, page, problems } = await openPage(bare, 'about:blank', { locale });
      const seen = recordResponses(page);
      await page.goto(kring.url);
      await page.waitForSelector('#circles li');
      await page.evaluate(() => document.fonts.ready);
      await page.waitForLoadState('networkidle');
      const font = seen.find((r) => r.path.endsWith('/fonts/AbyssinicaSIL-Regular.woff2'));
      const shown = await page.evaluate(() => document.fonts.check('17px "Kring Ethiopic"', 'ሰላም'));
      assert.deepEqual(problems, []);
      await context.close();
      return { font, shown };
    };
    const english = await fetchedFont('en');
    assert.equal(english.font, undefined, 'an English page fetched the Ethiopic font');
    const tigrinya = await fetchedFont('ti');
    assert.ok(tigrinya.font, 'a Tigrinya page did not fetch the Ethiopic font');
    assert.ok(tigrinya.font.bytes > 10_000, `${tigrinya.font.bytes} bytes`);
    assert.equal(tigrinya.shown, true);
  } finally {
    await bare.close();
    rmSync(fonts, { recursive: true, force: true });
  }
});
