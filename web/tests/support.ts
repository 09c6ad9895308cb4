import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Locator, type Page } from "@playwright/test";

export const USERS = {
  admin: "admin@flowshare.example",
  coordinator: "coordinator@flowshare.example",
  auditor: "auditor@flowshare.example",
  operatorNorthwind: "operator.northwind@flowshare.example",
  operatorBasalt: "operator.basalt@flowshare.example",
  partnerNorthwind: "partner.northwind@flowshare.example",
  partnerBasalt: "partner.basalt@flowshare.example",
} as const;

/** Signs in from the emulator's demo-user picker, as a person would. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto("/");
  await page.locator(`button.pick[data-email="${email}"]`).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** Goes to an app route (#/path) without reloading the app: the signed-in session stays warm. */
export async function open(page: Page, path: string): Promise<void> {
  await page.evaluate((hash) => {
    location.hash = hash;
  }, `#/${path}`);
}

/** A separate browser context (its own session) signed in as `email`. */
export async function userPage(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** No serious or critical axe violations on what the page shows now. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const summary = bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")})`);
  expect(summary, `axe on ${what}`).toEqual([]);
}

/** The viewport as a person sees it, scrolled to the top or to `top` (e.g. the statement). */
export async function screenshot(page: Page, name: string, top?: Locator): Promise<void> {
  const dir = process.env.FLOWSHARE_SCREENSHOTS;
  if (!dir) return;
  if (top) await top.evaluate((el) => el.scrollIntoView({ block: "start" }));
  else await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${dir}/${name}.png` });
}

/** Fills the entry form (field names as in the form). */
export async function fillEntry(page: Page, values: Record<string, string>): Promise<void> {
  const form = page.getByTestId("entry-form");
  for (const [name, value] of Object.entries(values)) await form.locator(`[name="${name}"]`).fill(value);
}

/**
 * A meter id of this run: the auditor flags a second entry of the same partner, meter and day
 * (DUPLICATE_ENTRY), so scenarios that need a particular verdict use a meter of their own.
 */
export function testMeter(tag: string): string {
  return `NWE-LACT-01-${tag}-${Date.now().toString(36)}`;
}
