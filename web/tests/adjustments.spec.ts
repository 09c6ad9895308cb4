import { expect, test } from "@playwright/test";
import { expectAccessible, open, readAsServer, screenshot, signIn, testMeter, USERS, userPage, writeAsServer } from "./support";

const PERIOD_RECEIPT = "pet-20260901-20261030";

test.describe.configure({ mode: "serial" });

// The last project: it writes a second version of the seeded period, which the partner and
// auditor scenarios read as version 1.
test("a late entry on a closed day makes a new version; the coordinator approves and rejects its prior-period adjustments", async ({ page, browser }) => {
  // A coordinator's late Northwind entry on a closed day of the seeded period (the rules allow
  // it to coordinators with a correction note; written here as the server, as no screen files it).
  const lateId = `late-${Date.now().toString(36)}`;
  const now = new Date();
  await writeAsServer(`production_entries/${lateId}`, {
    partner_id: "northwind",
    measured_at: new Date("2026-10-15T06:00:00Z"),
    meter_id: testMeter("L"),
    gross_volume_bbl: 3012.4,
    bsw_percent: 0.33,
    temperature_degF: 100.2,
    api_gravity: 36.7,
    pressure_psig: 37,
    meter_factor: 1.0007,
    note: null,
    correction_note: "Ticket found in the gauger's book after the close.",
    corrected_by: "demo-coordinator",
    corrected_at: now,
    created_by: "demo-coordinator",
    created_at: now,
  });
  await expect
    .poll(async () => ((await readAsServer(`production_entries/${lateId}`))?.audit as { status?: string } | undefined)?.status, { timeout: 90_000 })
    .toBe("validated");
  await expect.poll(async () => (await readAsServer(`reconciliations/${PERIOD_RECEIPT}_v1`))?.stale, { timeout: 60_000 }).toBe(true);

  await signIn(page, USERS.coordinator);
  await open(page, `receipts/${PERIOD_RECEIPT}`);
  // v1's figures no longer hold: its statement says so, naming the entry that changed.
  await expect(page.getByTestId("statement")).toHaveAttribute("data-id", `${PERIOD_RECEIPT}_v1`);
  await expect(page.getByTestId("statement").getByTestId("stale")).toContainText(lateId);
  await screenshot(page, "coordinator-stale-statement", page.getByTestId("statement"));
  await expect(page.getByTestId("preflight")).toHaveAttribute("data-blockers", "0");
  await page.getByRole("button", { name: /^Reconcile again/ }).click();
  await expect(page.getByTestId("statement")).toHaveAttribute("data-id", `${PERIOD_RECEIPT}_v2`, { timeout: 240_000 });
  await expect(page.getByTestId("statement").getByTestId("stale")).toHaveCount(0);

  // Every partner's allocation moved: one pending adjustment each, Northwind's up, the others down.
  await page.getByRole("link", { name: "Review queue" }).click();
  const items = page.locator(`[data-testid="adjustment-item"][data-adjustment^="${PERIOD_RECEIPT}_v2_"]`);
  await expect(items).toHaveCount(5);
  await expect(page.getByTestId("pending-adjustments-count")).toHaveText("5");
  const northwind = items.filter({ hasText: "northwind" });
  await expect(northwind.getByTestId("delta")).toHaveText(/^\+\d{1,3}(,\d{3})*\.\d{2}$/);
  await expect(northwind.getByRole("link", { name: lateId })).toBeVisible();
  const basalt = items.filter({ hasText: "basalt" });
  await expect(basalt.getByTestId("delta")).toHaveText(/^−\d{1,3}(,\d{3})*\.\d{2}$/);
  await expect(basalt).toContainText("none recorded");
  await expectAccessible(page, "the review queue with pending adjustments");
  await screenshot(page, "coordinator-adjustments", page.locator("#adjustments"));

  // A decision needs a note; approve Northwind's, reject Basalt's: both leave the pending list.
  const northwindId = (await northwind.getAttribute("data-adjustment"))!;
  const basaltId = (await basalt.getAttribute("data-adjustment"))!;
  await expect(northwind.getByRole("button", { name: "Approve" })).toBeDisabled();
  await expect(northwind.getByRole("button", { name: "Reject" })).toBeDisabled();
  await northwind.getByRole("textbox", { name: /Decision note/ }).fill("Late ticket confirmed with the gauger's book.");
  await northwind.getByRole("button", { name: "Approve" }).click();
  await expect(page.locator(`[data-testid="adjustment-item"][data-adjustment="${northwindId}"]`)).toHaveCount(0);
  await basalt.getByRole("textbox", { name: /Decision note/ }).fill("Held back until the terminal confirms its figures.");
  await basalt.getByRole("button", { name: "Reject" }).click();
  await expect(page.locator(`[data-testid="adjustment-item"][data-adjustment="${basaltId}"]`)).toHaveCount(0);
  await expect(items).toHaveCount(3);
  await expect(page.getByTestId("pending-adjustments-count")).toHaveText("3");

  const decided = page.getByTestId("decided-adjustments");
  await expect(decided.locator(`tr[data-adjustment="${northwindId}"]`)).toContainText("Approved");
  await expect(decided.locator(`tr[data-adjustment="${northwindId}"]`)).toContainText("Late ticket confirmed with the gauger's book.");
  await expect(decided.locator(`tr[data-adjustment="${basaltId}"]`)).toContainText("Rejected");
  expect((await readAsServer(`prior_period_adjustments/${northwindId}`))?.status).toBe("approved");
  expect((await readAsServer(`prior_period_adjustments/${basaltId}`))?.status).toBe("rejected");

  // The next period's statement carries the approved one: the coordinator's one-day receipt of
  // 2026-11-04 (coordinator.spec.ts), reconciled again, adds it to Northwind's net position.
  await page.getByRole("link", { name: "Terminal receipts" }).click();
  const laterReceipt = (await page.locator('[data-receipt^="pet-20261104-"]').first().getAttribute("data-receipt"))!;
  await open(page, `receipts/${laterReceipt}`);
  await expect(page.getByTestId("preflight")).toHaveAttribute("data-blockers", "0");
  await page.getByRole("button", { name: /^Reconcile again/ }).click();
  const statement = page.getByTestId("statement");
  await expect(statement).toHaveAttribute("data-id", `${laterReceipt}_v2`, { timeout: 120_000 });
  const carried = statement.getByTestId("carried-adjustments");
  await expect(carried.locator("tbody tr")).toHaveCount(1);
  await expect(carried).toContainText(northwindId);
  const net = statement.getByTestId("net-positions").locator('tr[data-partner="northwind"] td');
  const figure = async (i: number) => Number((await net.nth(i).innerText()).replace(/[+,]/g, "").replace("−", "-"));
  const [allocated, adjustment, netBbl] = [await figure(0), await figure(1), await figure(2)];
  expect(adjustment).toBeGreaterThan(0);
  expect(Math.round((allocated + adjustment) * 100)).toBe(Math.round(netBbl * 100));
  await expectAccessible(page, "a statement carrying an adjustment");
  await screenshot(page, "statement-carried-adjustment", carried);

  // The partner sees its own adjustment on its statements screen, and no other partner's.
  const partner = await userPage(browser, USERS.partnerNorthwind);
  const own = partner.getByTestId("partner-adjustments");
  await expect(own.locator(`tr[data-adjustment="${northwindId}"]`)).toContainText("Approved");
  await expect(own.locator(`tr[data-adjustment="${northwindId}"]`)).toContainText(`${laterReceipt}_v2`);
  await expect(own.locator("tbody tr")).toHaveCount(1);
  await expectAccessible(partner, "the partner's statements with an adjustment");
  await screenshot(partner, "partner-adjustments", own);
  await partner.context().close();
});
