// The real kring binary on a free port, and Debian's Chromium driven by
// Playwright (playwright-core: no browser of its own is downloaded).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, '..', '..');

export const BINARY = process.env.KRING_BINARY ?? join(source, 'build', 'server', 'kring');
export const WEB_ROOT = process.env.KRING_WEB_ROOT ?? join(source, 'web-client');
export const CHROMIUM = process.env.KRING_CHROMIUM ?? '/usr/bin/chromium';
// Kept after the run (and ignored by git), for a person to look at.
export const SCREENSHOTS = process.env.KRING_SCREENSHOTS ?? join(here, 'screenshots');

export const PHONE = { width: 360, height: 740 };
export const LAPTOP = { width: 1280, height: 800 };

// Starts `kring serve --demo`; resolves to {url, stop()} once it listens.
// setup: admin commands run first (each an argument list for `kring`, its
// --db added, with `input` for its standard input); webRoot: the web client
// to serve, the source tree's by default.
export async function startKring({ setup = [], extra = [], webRoot = WEB_ROOT } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kring-browser-'));
  for (const { args, input = '' } of setup) {
    const done = spawnSync(BINARY, [...args, '--db', join(dir, 'kring.sqlite')], { input });
    if (done.status !== 0) throw new Error(`kring ${args.join(' ')}: ${done.stderr}`);
  }
  const portFile = join(dir, 'port');
  const log = [];
  const proc = spawn(BINARY, ['serve', '--listen', '127.0.0.1:0', '--port-file', portFile,
    '--db', join(dir, 'kring.sqlite'), '--demo', '--web-root', webRoot, ...extra],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (chunk) => log.push(chunk));
  proc.stderr.on('data', (chunk) => log.push(chunk));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`kring exited: ${Buffer.concat(log)}`);
    const text = existsSync(portFile) ? readFileSync(portFile, 'utf8') : '';
    if (text.endsWith('\n')) {
      return {
        url: `http://127.0.0.1:${text.trim()}/`,
        log: () => Buffer.concat(log).toString(),
        stop: async () => {
          proc.kill('SIGTERM');
          await new Promise((resolve) => (proc.exitCode !== null ? resolve() : proc.once('exit', resolve)));
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    if (Date.now() > deadline) throw new Error('kring did not listen within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

// A page as a person with `locale` as their browser's language would open it.
export async function openPage(browser, url, { locale = 'en', viewport = PHONE, timezoneId, countChimes = false } = {}) {
  const context = await browser.newContext({ locale, viewport, timezoneId });
  // Headless Chromium plays nothing; count the notes the page starts instead.
  if (countChimes) {
    await context.addInitScript(() => {
      window.chimes = 0;
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function counted(...args) {
        window.chimes += 1;
        return start.apply(this, args);
      };
    });
  }
  // Nothing here takes more than a moment: a wait that does has failed.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(url);
  return { context, page, problems };
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

// Waits for `predicate(arg)` to hold in the page. When it does not, the
// error says what the page's status line and connection showed, and the
// server's last log lines (which hold no message text).
export async function waitShowing(page, server, predicate, arg) {
  try {
    await page.waitForFunction(predicate, arg);
  } catch (error) {
    const status = await page.textContent('#status-text').catch(() => '?');
    const conn = await page.getAttribute('#conn', 'data-state').catch(() => '?');
    const lines = server.log().trimEnd().split('\n').slice(-25).join('\n');
    throw new Error(`the page shows "${status}", its connection ${conn}; the server's last lines:\n${lines}`,
      { cause: error });
  }
}

// Joins the demo circle from the lobby, under `name` if given.
export async function joinDemo(page, name = '') {
  if (name !== '') await page.fill('#name', name);
  await page.click('#circles button[aria-label$=": Demo circle"]');
  try {
    await page.waitForSelector('#chat-view:not([hidden])');
  } catch (error) {
    throw new Error(`could not join as "${name}": ${await page.textContent('#status-text')}`, { cause: error });
  }
}

// Logs a moderator in from the join screen's form: credentials are [user, password].
export async function logIn(page, [user, password]) {
  await page.click('#staff-login summary');
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  await page.press('#login-password', 'Enter');
  await page.waitForSelector('#staff-line:not([hidden])');
}

// axe-core's findings on the page as it is now ([] when there are none):
// each a rule, its impact and the elements it found.
const AXE = readFileSync(join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
export async function accessibilityFindings(page) {
  // Evaluated, not added as a <script>: the page's CSP allows no inline script.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}
