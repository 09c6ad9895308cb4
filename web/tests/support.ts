import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";

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
  // Attached, not visible: on a phone it is in the closed menu.
  await expect(page.locator("header.topbar button").getByText("Sign out", { exact: true })).toBeAttached();
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

type RestValue = Record<string, unknown>;

function restValue(value: unknown): RestValue {
  if (value === null) return { nullValue: null };
  if (value instanceof Date) return { timestampValue: value.toISOString() };
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { booleanValue: value };
  if (typeof value === "number") return Number.isInteger(value) ? { integerValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(restValue) } };
  if (typeof value === "object") return { mapValue: { fields: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restValue(v)])) } };
  throw new Error(`no Firestore REST value for ${String(value)}`);
}

function plainValue(value: RestValue): unknown {
  if ("stringValue" in value) return value.stringValue;
  if ("integerValue" in value) return Number(value.integerValue);
  if ("doubleValue" in value) return value.doubleValue;
  if ("booleanValue" in value) return value.booleanValue;
  if ("timestampValue" in value) return new Date(String(value.timestampValue));
  if ("nullValue" in value) return null;
  if ("arrayValue" in value) return ((value.arrayValue as { values?: RestValue[] }).values ?? []).map(plainValue);
  if ("mapValue" in value) return plainFields((value.mapValue as { fields?: Record<string, RestValue> }).fields ?? {});
  return undefined;
}

const plainFields = (fields: Record<string, RestValue>) => Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, plainValue(v)]));

/**
 * The Firestore emulator's REST API as its owner (the rules do not apply), for what a scenario
 * needs set up that no screen does, e.g. a coordinator's late entry on a closed day.
 * `firebase emulators:exec` exports FIRESTORE_EMULATOR_HOST and GCLOUD_PROJECT.
 */
function documentUrl(path: string): string {
  const host = process.env.FIRESTORE_EMULATOR_HOST;
  if (!host) throw new Error("FIRESTORE_EMULATOR_HOST is not set: run the browser tests inside the emulators");
  const project = process.env.GCLOUD_PROJECT ?? "demo-flowshare";
  return `http://${host}/v1/projects/${project}/databases/(default)/documents/${path}`;
}

/** Writes `data` as the whole document, or with `merge` only its fields (the others stay). */
export async function writeAsServer(path: string, data: Record<string, unknown>, options: { merge?: boolean } = {}): Promise<void> {
  const fields = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, restValue(v)]));
  const mask = options.merge ? `?${Object.keys(data).map((k) => `updateMask.fieldPaths=${encodeURIComponent(k)}`).join("&")}` : "";
  const res = await fetch(documentUrl(path) + mask, { method: "PATCH", headers: { Authorization: "Bearer owner", "Content-Type": "application/json" }, body: JSON.stringify({ fields }) });
  if (!res.ok) throw new Error(`writing ${path}: ${res.status} ${await res.text()}`);
}

export async function deleteAsServer(path: string): Promise<void> {
  const res = await fetch(documentUrl(path), { method: "DELETE", headers: { Authorization: "Bearer owner" } });
  if (!res.ok) throw new Error(`deleting ${path}: ${res.status} ${await res.text()}`);
}

/** How many documents of a top-level collection have `field` equal to `value`, read as the server. */
export async function countAsServer(collection: string, field: string, value: string): Promise<number> {
  const url = documentUrl("").replace(/\/documents\/$/, "/documents:runQuery");
  const structuredQuery = { from: [{ collectionId: collection }], where: { fieldFilter: { field: { fieldPath: field }, op: "EQUAL", value: { stringValue: value } } } };
  const res = await fetch(url, { method: "POST", headers: { Authorization: "Bearer owner", "Content-Type": "application/json" }, body: JSON.stringify({ structuredQuery }) });
  if (!res.ok) throw new Error(`querying ${collection}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as Array<{ document?: unknown }>).filter((r) => r.document).length;
}

/** The emulator's REST root for calls on many documents at once (`:commit`, `:batchGet`). */
function documentsCall(method: "commit" | "batchGet"): { url: string; name: (path: string) => string } {
  const url = documentUrl("").replace(/\/documents\/$/, `/documents:${method}`);
  const root = new URL(documentUrl("")).pathname.replace(/^\/v1\//, "");
  return { url, name: (path) => decodeURIComponent(root) + path };
}

/**
 * Writes every document given in one commit (`data` undefined: deletes it), as the server: a
 * scenario that sets up a hundred documents does not spend its time on a hundred requests.
 */
export async function commitAsServer(docs: Array<{ path: string; data?: Record<string, unknown> }>): Promise<void> {
  const { url, name } = documentsCall("commit");
  const writes = docs.map(({ path, data }) =>
    data === undefined ? { delete: name(path) } : { update: { name: name(path), fields: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, restValue(v)])) } },
  );
  const res = await fetch(url, { method: "POST", headers: { Authorization: "Bearer owner", "Content-Type": "application/json" }, body: JSON.stringify({ writes }) });
  if (!res.ok) throw new Error(`committing ${docs.length} writes: ${res.status} ${await res.text()}`);
}

/** Many documents read in one request, as the server, in the order given (undefined: missing). */
export async function readManyAsServer(paths: string[]): Promise<Array<Record<string, unknown> | undefined>> {
  const { url, name } = documentsCall("batchGet");
  const res = await fetch(url, { method: "POST", headers: { Authorization: "Bearer owner", "Content-Type": "application/json" }, body: JSON.stringify({ documents: paths.map(name) }) });
  if (!res.ok) throw new Error(`reading ${paths.length} documents: ${res.status} ${await res.text()}`);
  const found = new Map<string, Record<string, unknown>>();
  for (const r of (await res.json()) as Array<{ found?: { name: string; fields?: Record<string, RestValue> } }>) {
    if (r.found) found.set(r.found.name, plainFields(r.found.fields ?? {}));
  }
  return paths.map((p) => found.get(name(p)));
}

export async function readAsServer(path: string): Promise<Record<string, unknown> | undefined> {
  const res = await fetch(documentUrl(path), { headers: { Authorization: "Bearer owner" } });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`reading ${path}: ${res.status} ${await res.text()}`);
  return plainFields(((await res.json()) as { fields?: Record<string, RestValue> }).fields ?? {});
}

/**
 * The Functions emulator's background triggers on or off (the hub's switch; HTTP functions keep
 * working), for documents seeded as the server that no function should act on: a hundred seeded
 * reconciliations would otherwise each tell every user of a new statement.
 */
export async function setBackgroundTriggers(on: boolean): Promise<void> {
  const hub = process.env.FIREBASE_EMULATOR_HUB;
  if (!hub) throw new Error("FIREBASE_EMULATOR_HUB is not set: run the browser tests inside the emulators");
  const path = on ? "enableBackgroundTriggers" : "disableBackgroundTriggers";
  const res = await fetch(`http://${hub}/functions/${path}`, { method: "PUT" });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}

/** The phone width the narrow-screen checks use (an iPhone 12-15's CSS width). */
export const PHONE = { width: 390, height: 844 };

/**
 * A list shown as a block per row where its box is narrower than 640 px (styles.css): the region
 * holds its rows with no sideways scroll, every named field of its first row is on the screen once
 * the row is brought up, and a screen reader still finds the column named by the first field.
 */
export async function expectRowsAsBlocks(page: Page, region: string, row: string, fields: string[]): Promise<void> {
  const box = page.getByRole("region", { name: region, exact: true });
  const { scroll, client, wide } = await box.evaluate((el) => {
    // What sticks out past the box's right edge: the failure names it.
    const right = el.getBoundingClientRect().left + el.clientWidth;
    const wide = [...el.querySelectorAll("*")]
      .filter((child) => child.getBoundingClientRect().right > right + 0.5)
      .slice(0, 6)
      .map((child) => `${child.tagName.toLowerCase()}.${[...child.classList].join(".")} "${(child.textContent ?? "").slice(0, 30)}" (${child.getBoundingClientRect().right.toFixed(1)} px)`);
    return { scroll: el.scrollWidth, client: el.clientWidth, wide };
  });
  expect(scroll, `${region}: held without scrolling sideways; past its edge: ${wide.join(", ")}`).toBeLessThanOrEqual(client);
  const first = box.locator(row).first();
  // A block, not a narrow enough table: the row is laid out as a grid.
  expect(await first.evaluate((el) => getComputedStyle(el).display), `${region}: a row shown as a block`).toBe("grid");
  await first.scrollIntoViewIfNeeded();
  for (const field of fields) await expect(first.locator(`td[data-label="${field}"]`)).toBeInViewport({ ratio: 1 });
  await expect(box.getByRole("columnheader", { name: fields[0], exact: true })).toHaveCount(1);
}

/** The page itself never scrolls sideways: a wide table scrolls inside its own box (TableScroll). */
export async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const widths = await page.evaluate(() => {
    // What sticks out, outside the boxes that scroll on their own: the failure names it.
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((el) => !el.parentElement?.closest(".table-scroll, .trend") || ["absolute", "fixed"].includes(getComputedStyle(el).position))
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} (${Math.round(el.getBoundingClientRect().right)} px)`);
    return { page: document.documentElement.scrollWidth, window: window.innerWidth, wide };
  });
  expect(widths.page, `${what}: the page is ${widths.page} px wide in a ${widths.window} px window: ${widths.wide.join(", ")}`).toBeLessThanOrEqual(widths.window);
}

/**
 * Waits until just past 00:00 UTC when fewer than `marginMs` remain before it: for a test that
 * works out "today" in the browser and in itself at different moments. The test's time is
 * lengthened by the wait.
 */
export async function clearOfUtcMidnight(marginMs: number): Promise<void> {
  const untilMidnight = 86_400_000 - (Date.now() % 86_400_000);
  if (untilMidnight >= marginMs) return;
  test.setTimeout(test.info().timeout + untilMidnight + 1_000);
  await new Promise((resolve) => setTimeout(resolve, untilMidnight + 1_000));
}
