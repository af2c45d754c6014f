import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { ADMIN_PASSWORD, TestServer } from './test-server';

/** Debian's Chromium; never a test tool's own browser download. */
export const CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A page on the console that records every error the browser reports: console.error lines and
 * uncaught exceptions. Tests end with `expect(tab.errors).toEqual([])`.
 */
export interface ConsolePage {
  page: Page;
  errors: string[];
  /**
   * The browser logs every failed request as an error. A test that provokes one on purpose (a
   * wrong password, a refused save) names its status first; any other failure still counts.
   */
  expectFailedRequests(status: number): void;
}

export async function openConsolePage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  const expected = new Set<number>();
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const failed = /^Failed to load resource: the server responded with a status of (\d+)/.exec(message.text());
    if (failed && expected.has(Number(failed[1]))) return;
    errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.stack ?? error.message}`));
  return { page, errors, expectFailedRequests: (status) => expected.add(status) };
}

/** Logs in through the console's login page, starting at `path` (the page it comes back to); as admin unless told who. */
export async function logInThroughConsole(page: Page, server: TestServer, path = '/', who = { username: 'admin', password: ADMIN_PASSWORD }): Promise<void> {
  await page.goto(server.url + path);
  await page.getByLabel('User').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Waits until an input shows `value` (forms fill in after their data arrives); fails with what it showed. */
export async function waitForValue(field: Locator, value: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let shown = await field.inputValue();
  while (shown !== value) {
    if (Date.now() > deadline) throw new Error(`${field} shows ${JSON.stringify(shown)}, not ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    shown = await field.inputValue();
  }
}

/** What `useConsoleInBrowser` gives a describe block; read it inside the tests. */
export interface ConsoleInBrowser {
  server: TestServer;
  browser: Browser;
  /** A fresh page for each test, closed after it. */
  tab: ConsolePage;
}

/**
 * Starts a server (with `env`) and Chromium once for the describe block it is called in, and
 * opens a fresh recording page for each test; a test after which that page recorded an error
 * fails.
 */
export function useConsoleInBrowser(env: Record<string, string> = {}): ConsoleInBrowser {
  const context = {} as ConsoleInBrowser;
  beforeAll(async () => {
    [context.server, context.browser] = await Promise.all([TestServer.start(env), launchBrowser()]);
  });
  beforeEach(async () => {
    context.tab = await openConsolePage(context.browser);
  });
  afterEach(async () => {
    const errors = context.tab?.errors;
    await context.tab?.page.context().close();
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await context.browser?.close();
    await context.server?.close();
  });
  return context;
}

/** The `hl-code-editor` of `kind` on the page, once Monaco has rendered its text. */
export async function codeEditor(page: Page, kind: 'match' | 'condition' | 'function' | 'json'): Promise<Locator> {
  const host = page.locator(`hl-code-editor[kind=${kind}]`);
  await host.locator('.monaco-editor .view-lines').waitFor();
  return host;
}

/** Types `text` over a code editor's whole text, as a user does, and closes any suggestion list. */
export async function typeInEditor(host: Locator, text: string): Promise<void> {
  const keyboard = host.page().keyboard;
  await host.locator('.view-lines').click();
  await keyboard.press('Control+A');
  await keyboard.type(text);
  await keyboard.press('Escape');
}

/** The text a code editor shows (Monaco draws spaces as no-break spaces and only the lines in view). */
export async function editorText(host: Locator): Promise<string> {
  return (await host.locator('.view-lines .view-line').allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
}

/** Waits until a code editor shows `text`; fails with what it showed. */
export async function waitForEditorText(host: Locator, text: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let shown = await editorText(host);
  while (shown !== text) {
    if (Date.now() > deadline) throw new Error(`the editor shows ${JSON.stringify(shown)}, not ${JSON.stringify(text)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    shown = await editorText(host);
  }
}

/**
 * Waits for a code editor's type check to have finished (at least `checks` times) and for its
 * count of error markers to be `errors`.
 */
export async function waitForErrors(host: Locator, errors: number, checks = 1): Promise<void> {
  await host.and(host.page().locator(`[data-errors="${errors}"]`)).waitFor();
  await host.page().waitForFunction(
    ([element, at]) => Number(element?.getAttribute('data-checks')) >= at,
    [await host.elementHandle(), checks] as const,
  );
}

/**
 * Points the mouse at a code editor's error markers in turn until Monaco's hover shows `text`
 * (markers of several checks may share a line, and are redrawn as each check finishes); answers
 * the hover.
 */
export async function hoverErrorMarker(host: Locator, text: string, timeoutMs = 15_000): Promise<Locator> {
  const page = host.page();
  const hover = page.locator('.monaco-hover', { hasText: text });
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const markers = await host.locator('.squiggly-error').all();
    const marker = markers[attempt % Math.max(markers.length, 1)];
    if (!marker) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    try {
      await marker.scrollIntoViewIfNeeded({ timeout: 1000 });
      const box = await marker.boundingBox({ timeout: 1000 });
      if (box) {
        await page.mouse.move(0, 0);
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await hover.waitFor({ timeout: 1500 });
        return hover;
      }
    } catch {
      // Redrawn or not this marker's hover: try the next one.
    }
  }
  throw new Error(`no error marker of the editor shows ${JSON.stringify(text)} when pointed at`);
}
