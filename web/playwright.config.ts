import { defineConfig } from "@playwright/test";
import { existsSync } from "node:fs";

/**
 * Browser tests against the emulators (demo data imported, Hosting serving web/dist), run by
 * scripts/lib/browser-tests.sh inside `firebase emulators:exec`. Chromium: FLOWSHARE_CHROMIUM, or
 * Debian's chromium-headless-shell / chromium, or Playwright's own browser when installed.
 */
const debian = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].find((p) => existsSync(p));
const executablePath = process.env.FLOWSHARE_CHROMIUM || debian || undefined;
const baseURL = process.env.FLOWSHARE_WEB_URL;
if (!baseURL) throw new Error("FLOWSHARE_WEB_URL is not set: run the browser tests through npm test (scripts/test.sh) or scripts/lib/browser-tests.sh");

export default defineConfig({
  testDir: "tests",
  // One worker: the scenarios share one emulator and a 2-core machine; order is by project.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    headless: true,
    viewport: { width: 1360, height: 900 },
    actionTimeout: 20_000,
    trace: "off",
    launchOptions: {
      executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    // A non-default contract day, set and restored while no day is closed yet.
    { name: "contract-day", testMatch: /contract-day\.spec\.ts/ },
    // Operators, partner isolation, the form by keyboard: no report needed.
    { name: "operator", testMatch: /operator\.spec\.ts/, dependencies: ["contract-day"] },
    // The coordinator's flow reconciles the seeded period, which closes its days.
    { name: "coordinator", testMatch: /coordinator\.spec\.ts/, dependencies: ["operator"] },
    // What needs a report: the partner's statement, the auditor, the admin's settings (days are
    // closed) and keys, every screen's accessibility and screenshots.
    { name: "after-reconcile", testMatch: /(partner|auditor|screens|admin)\.spec\.ts/, dependencies: ["coordinator"] },
    // A late entry and a second version of the seeded period, which the scenarios above read as version 1.
    { name: "adjustments", testMatch: /adjustments\.spec\.ts/, dependencies: ["after-reconcile"] },
    // An admin moves a demo user to another partner: after everything that reads the demo users as seeded.
    { name: "roles", testMatch: /roles\.spec\.ts/, dependencies: ["adjustments"] },
    // Release approval on, then off again: every version reconciled meanwhile waits for a release.
    // Last, so that no scenario reconciles while it is on; its day (2026-11-25) is its own.
    { name: "release", testMatch: /release\.spec\.ts/, dependencies: ["roles"] },
    // A flood of flagged entries of partners of its own, decided at once: after every scenario that counts the queue.
    { name: "review-bulk", testMatch: /review-bulk\.spec\.ts/, dependencies: ["release"] },
  ],
});
