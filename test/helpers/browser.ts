// Debian's Chromium driven by playwright-core, headless, as root, with the background networking
// off (this machine's network is closed, and Chromium would otherwise keep trying Google's hosts).
// `CREDENCE_CHROMIUM` points at another binary. Screenshots go to test-artifacts/console/.
import fs from 'node:fs'
import path from 'node:path'

import { chromium, type Browser, type Page } from 'playwright-core'

export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', 'test-artifacts', 'console')

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CREDENCE_CHROMIUM ?? '/usr/bin/chromium'
  if (!fs.existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: run scripts/ensure-chromium.sh (installs Debian's chromium) or set CREDENCE_CHROMIUM`)
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
}

/** Empties the screenshot folder, so what it holds after a run is that run's. */
export function clearScreenshots(): void {
  fs.rmSync(SCREENSHOT_DIR, { recursive: true, force: true })
}

/** Saves a full-page screenshot as test-artifacts/console/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true })
}
