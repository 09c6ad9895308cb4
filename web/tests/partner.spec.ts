import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { commitAsServer, expectAccessible, open, readAsServer, screenshot, setBackgroundTriggers, signIn, USERS } from "./support";

const REPORT = "pet-20260901-20261030_v1";

test("a partner sees only its own allocation in the statement, its trend, and can verify it", async ({ page }) => {
  await signIn(page, USERS.partnerNorthwind);
  await expect(page.getByRole("heading", { name: "Our allocation statements", level: 1 })).toBeVisible();
  // The header names the partner (partners/{id}), not its id.
  await expect(page.locator("header .who")).toContainText("Helen Marsh · JV partner · Northwind Energy");
  await expect(page.locator("header .who")).not.toContainText("northwind");
  await expect(page.getByTestId("trend-chart")).toBeVisible();
  // The intro and the chart's title name the partner too.
  await expect(page.locator("p.intro")).toContainText("What Northwind Energy was allocated, per period and version.");
  await expect(page.locator("#trend-title")).toHaveText("Northwind Energy allocated bbl/day per period");
  await expect(page.locator(`[data-report="${REPORT}"]`)).toBeVisible();
  // The latest statement's share to 5 decimals, as the statement shows it.
  await expect(page.getByTestId("latest-share")).toHaveText(/^\d{1,3}\.\d{5} %$/);
  // The latest statement is the corrected ticket's (coordinator.spec.ts), whose restatement of
  // Northwind's allocation the coordinators rejected: its figure does not stand there without saying so.
  const latest = page.getByRole("region", { name: "Latest statement" });
  const latestId = (await latest.locator("a[data-statement]").getAttribute("data-statement"))!;
  const rowLine = page.getByTestId("statements").locator(`tr[data-report="${latestId}"]`).getByTestId("restated");
  await expect(rowLine).toContainText("the coordinators rejected the difference: the figures before it stand");
  await expect(latest.getByTestId("restated")).toHaveText((await rowLine.textContent())!);
  // A rejected difference was never carried: muted, not in a credit's or a debit's colours.
  await expect(latest.getByTestId("restated").getByTestId("delta-not-carried")).toBeVisible();
  await expectAccessible(page, "the partner's statements");
  await screenshot(page, "partner-statements");

  // Statements are named in words: the period's contract days, the receipt and the version, the
  // report id small beside the link (and never its text).
  const named = page.getByTestId("statements").locator(`tr[data-report="${REPORT}"] a[data-statement="${REPORT}"]`);
  await expect(named).toHaveText("2026-09-01 – 2026-10-30 (60 days) · receipt pet-20260901-20261030 · version 1");
  await expect(page.getByTestId("statements").locator(`tr[data-report="${REPORT}"] code.doc-id`)).toHaveText(REPORT);
  await expect(page.getByRole("link", { name: REPORT })).toHaveCount(0);
  await named.click();
  const statement = page.getByTestId("statement");
  await expect(statement).toBeVisible();
  const partners = await statement.locator(".statement-table tbody tr[data-partner]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-partner")));
  expect(partners).toEqual(["northwind"]);
  for (const other of ["Basalt Ridge", "Meridian", "Kestrel", "Sable Creek"]) await expect(statement.locator(".statement-table")).not.toContainText(other);
  await expect(statement.getByTestId("allocated")).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2}$/);
  // A loss reads as a plain figure; the period says when its contract days start and end.
  await expect(statement.getByTestId("row-shrinkage")).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2}$/);
  await expect(statement.getByTestId("summary-shrinkage")).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2} bbl$/);
  await expect(statement.getByTestId("contract-clock")).toHaveText(
    "Each contract day starts at 00:00 at UTC+00:00, as recorded on this version: the period runs from 00:00 on 2026-09-01 to 00:00 on 2026-10-31 (UTC+00:00).",
  );
  await statement.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByTestId("verify-result")).toHaveAttribute("data-ok", "true", { timeout: 120_000 });
  await expect(page.getByTestId("verify-result").getByRole("status")).toContainText(/^Verified: all \d+ checks pass\. The statement's seal and its record in the audit log/);
  // What the checks did not cover is listed, so the sentence does not claim it.
  await expect(page.getByTestId("verify-result").getByRole("status")).toContainText("were recomputed and match, but for what this check cannot confirm, listed below.");
  // What was not checked, in words; the field names only inside the Checks details, for auditors.
  const notChecked = page.getByTestId("not-checked");
  await expect(notChecked).toContainText("What this check cannot confirm:");
  await expect(notChecked).toContainText("Whether entries behind this version changed during or after its close. That is not sealed with the statement, so no check can prove it.");
  await expect(notChecked).toContainText("such a statement is marked Stale.");
  await expect(notChecked).toContainText("Partner names and active flags as they were when this version was made.");
  await expect(notChecked).not.toContainText(/stale_since|context_digest|_/);
  await expect(page.getByTestId("not-checked-fields")).toBeHidden();
  const download = page.waitForEvent("download");
  await page.getByTestId("export").getByRole("button", { name: "CSV" }).click();
  const csv = readFileSync(await (await download).path(), "utf8");
  expect(csv).toContain("Northwind");
  for (const other of ["Basalt Ridge", "Meridian", "Kestrel", "Sable Creek"]) expect(csv).not.toContain(other);
  await expectAccessible(page, "the partner's statement");
  await screenshot(page, "partner-statement");
  await page.getByTestId("verify-result").getByText("Checks", { exact: true }).click();
  await expect(page.getByTestId("not-checked-fields")).toContainText("context_digest: it runs over the partners collection");

  // Its own entries, read-only; no operator form, no review queue.
  await page.getByRole("link", { name: "Our entries" }).click();
  const rows = page.locator("[data-testid=entry-list] tr[data-partner]");
  await expect(rows.first()).toBeVisible();
  expect(await rows.evaluateAll((trs) => [...new Set(trs.map((tr) => tr.getAttribute("data-partner")))])).toEqual(["northwind"]);
  await expect(page.getByTestId("entry-form")).toHaveCount(0);
  await expect(page.getByRole("main")).toContainText("Production entries of Northwind Energy and the auditor's verdicts");
  // Fewer entries than one read holds: the list is not said to be cut.
  await expect(page.getByTestId("entries-cut")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Correct" })).toHaveCount(0);
});

test("another partner's statement shows that partner's row only", async ({ page }) => {
  await signIn(page, USERS.partnerBasalt);
  await open(page, `statements/${REPORT}`);
  const rows = page.getByTestId("statement").locator(".statement-table tbody tr[data-partner]");
  await expect(rows.first()).toBeVisible();
  expect(await rows.evaluateAll((trs) => trs.map((r) => r.getAttribute("data-partner")))).toEqual(["basalt"]);
});

let seeded: string[] = [];
let triggersOff = false;
test.afterEach(async () => {
  // The triggers come back on first: a failed removal must not leave every later test without them.
  if (triggersOff) await setBackgroundTriggers(true);
  triggersOff = false;
  if (seeded.length > 0) await commitAsServer(seeded.map((path) => ({ path })));
  seeded = [];
});

// A hundred released versions of 2001 behind the demo's: the list shows its newest 100 and says
// so; the oldest come with "Show older statements". The Restated line of a version is read for the
// versions listed, thirty to a query: one on the first page, one only past it (the paging of the
// partner's adjustments themselves is adjustments.spec.ts's). The triggers stay off while they
// exist: no communicator tells anyone of these versions. They are removed after the test.
test("a partner's statements are listed 100 at a time, each version listed with its Restated line", async ({ page }) => {
  const stamp = Date.now().toString(36);
  const template = await readAsServer(`reconciliations/${REPORT}`);
  expect(template?.released).toBe(true);
  // A version of its own, as the list reads one: what the template's later life added (replaced,
  // stale) and what ties it to the template's days and manifest are left out.
  const report = Object.fromEntries(
    Object.entries(template!).filter(([field]) => !/^(supersed|stale|changes_|closed_days|manifest|exclusions)/.test(field)),
  );
  const receipt = (i: number) => `zz-stmt-${stamp}-${String(i).padStart(3, "0")}`;
  const day = (i: number) => new Date(Date.UTC(2001, 0, 1 + i));
  const reports = Array.from({ length: 100 }, (_, i) => ({
    path: `reconciliations/${receipt(i)}_v1`,
    data: { ...report, terminal_receipt_id: receipt(i), version: 1, status: "completed", period_start: day(i), period_end: day(i + 1) },
  }));
  const restating = [0, 80].map((i) => ({
    path: `prior_period_adjustments/${receipt(i)}_v1_northwind`,
    data: {
      from_reconciliation_id: `${receipt(i)}_v1`,
      previous_reconciliation_id: `${receipt(i)}_v0`,
      terminal_receipt_id: receipt(i),
      period_start: day(i),
      period_end: day(i + 1),
      partner_id: "northwind",
      delta_bbl: -3.5,
      status: "rejected",
      decided_by: "demo-coordinator",
      decided_at: new Date(),
      note: "Seeded for the paging test.",
      carried_in: null,
      created_at: new Date(),
      released: true,
    },
  }));
  triggersOff = true;
  await setBackgroundTriggers(false);
  seeded = [...reports, ...restating].map((d) => d.path);
  await commitAsServer([...reports, ...restating]);

  await signIn(page, USERS.partnerNorthwind);
  const list = page.getByTestId("statements");
  const rows = list.locator("tbody tr[data-report]");
  await expect(rows).toHaveCount(100);
  const cut = page.getByTestId("statements-cut");
  await expect(cut).toContainText("Showing the newest 100 statements; older ones, if any, are not shown.");
  // The demo's versions, of later periods, come first; the oldest seeded one is past the page.
  await expect(list.locator(`tr[data-report="${REPORT}"]`)).toHaveCount(1);
  const oldest = list.locator(`tr[data-report="${receipt(0)}_v1"]`);
  await expect(oldest).toHaveCount(0);
  const rejected = /^Restated: −3\.50 bbl against the figures before it; the coordinators rejected the difference: the figures before it stand\.$/;
  await expect(list.locator(`tr[data-report="${receipt(80)}_v1"]`).getByTestId("restated")).toHaveText(rejected);
  await expect(page.getByTestId("restatements-error")).toHaveCount(0);

  await cut.getByRole("button", { name: "Show older statements" }).click();
  await expect(oldest).toHaveCount(1);
  await expect(oldest.getByTestId("restated")).toHaveText(rejected);
  await expect(page.getByTestId("restatements-error")).toHaveCount(0);
  await expect(list.locator(`tr[data-report="${receipt(80)}_v1"]`).getByTestId("restated")).toHaveText(rejected);
  // Fewer than the second page's 200 in all: nothing is said to be left out.
  await expect(cut).toHaveCount(0);
  await screenshot(page, "partner-statements-older", oldest);
});
