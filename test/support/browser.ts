import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * The Chromium that browser tests drive: CHROMIUM_PATH, else the first of the usual install paths
 * that exists. Where there is none, the tests are skipped with a word on how to install one, unless
 * REQUIRE_BROWSER=1 (set by .ci/run) makes that a failure.
 */

const INSTALL_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

const HOW_TO_INSTALL =
  'install Chromium (apt-get install chromium, brew install --cask chromium, or ' +
  'npx playwright-core install chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable';

/** The path of the Chromium to drive, or undefined when this machine has none. */
export function findChromium(): string | undefined {
  const given = process.env.CHROMIUM_PATH?.trim();
  if (given) {
    if (!existsSync(given)) throw new Error(`CHROMIUM_PATH names no file: ${given}`);
    return given;
  }
  return [...INSTALL_PATHS, downloadedChromium()].find(
    (candidate) => candidate !== undefined && existsSync(candidate),
  );
}

/** Where `npx playwright-core install chromium` puts the build this playwright-core drives. */
function downloadedChromium(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    // No build for this platform.
    return undefined;
  }
}

const CHROMIUM = findChromium();

/**
 * `describe` when a Chromium was found, else `describe.skip` with a warning (or a failure under
 * REQUIRE_BROWSER=1). Decided when the test file loads.
 */
export function describeInBrowser(name: string, tests: () => void): void {
  if (CHROMIUM !== undefined) return describe(name, tests);
  const message = `No Chromium found: ${HOW_TO_INSTALL}`;
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`${message} (REQUIRE_BROWSER=1)`);
  console.warn(`Skipping "${name}". ${message}.`);
  describe.skip(name, tests);
}

/** Starts the Chromium found, headless; it runs as root in containers, hence no sandbox. */
export function launchChromium(): Promise<Browser> {
  if (CHROMIUM === undefined) throw new Error(`No Chromium found: ${HOW_TO_INSTALL}`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}
