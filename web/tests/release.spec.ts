import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, open, readAsServer, screenshot, signIn, testMeter, USERS, userPage, writeAsServer } from "./support";

// A day no other scenario uses: its two entries are written here, its receipt entered here.
const DAY = "2026-11-25";
const RECEIPT = `pet-20261125-${Date.now().toString(36)}`;
const APPROVAL = "Partners see a new version only after another coordinator or an admin releases it";
const COORDINATOR_2 = "coordinator2@flowshare.example";

test.describe.configure({ mode: "serial" });

/** An entry of DAY written as the server (as a gateway would), and its verdict awaited. */
async function serverEntry(partner: string, meter: string, figures: Record<string, number>): Promise<string> {
  const id = `rel-${partner}-${Date.now().toString(36)}`;
  await writeAsServer(`production_entries/${id}`, {
    partner_id: partner,
    measured_at: new Date(`${DAY}T06:00:00Z`),
    meter_id: meter,
    ...figures,
    note: null,
    created_by: `demo-operator-${partner}`,
    created_at: new Date(),
  });
  await expect.poll(async () => ((await readAsServer(`production_entries/${id}`))?.audit as { status?: string } | undefined)?.status, { timeout: 90_000 }).toBe("validated");
  return id;
}

async function setReleaseApproval(page: Page, on: boolean): Promise<void> {
  await open(page, "settings");
  const form = page.getByTestId("settings-form");
  const box = form.getByRole("checkbox", { name: APPROVAL });
  await box.setChecked(on);
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved: release approval.");
  await expect(page.getByTestId("setting-release_approval_required")).toContainText(on ? "Required" : "Not required");
}

// Every later reconciliation would wait for a release: whatever happens above, approval is off again.
test.afterAll(async () => {
  const settings = await readAsServer("settings/jv");
  if (settings?.release_approval_required === true) await writeAsServer("settings/jv", { ...settings, release_approval_required: false });
});

let basaltEntry = "";

test("with release approval on, a new version waits for another coordinator's release before the partner sees it", async ({ page, browser }) => {
  await signIn(page, USERS.admin);
  await page.getByRole("link", { name: "JV settings" }).click();
  await expect(page.getByTestId("setting-release_approval_required")).toContainText("Not required");
  await setReleaseApproval(page, true);
  await expect(page.getByRole("checkbox", { name: APPROVAL })).toBeChecked();
  await expectAccessible(page, "the JV settings with release approval");
  await screenshot(page, "admin-release-approval", page.getByTestId("settings-form"));

  // The day's tickets: Northwind's and Basalt's, typical figures (validated).
  await serverEntry("northwind", testMeter("R"), { gross_volume_bbl: 3012.4, bsw_percent: 0.33, temperature_degF: 100.2, api_gravity: 36.7, pressure_psig: 37, meter_factor: 1.0007 });
  basaltEntry = await serverEntry("basalt", `BRP-LACT-01A-R-${Date.now().toString(36)}`, {
    gross_volume_bbl: 1903.4,
    bsw_percent: 0.44,
    temperature_degF: 96.2,
    api_gravity: 33.5,
    pressure_psig: 22,
    meter_factor: 0.9991,
  });

  // Priya Raman enters the terminal's ticket and reconciles it: the version waits for a release.
  const coordinator = await userPage(browser, USERS.coordinator);
  await coordinator.getByRole("link", { name: "Terminal receipts" }).click();
  const form = coordinator.getByRole("form", { name: "New terminal receipt" });
  const values = { id: RECEIPT, start: DAY, last: DAY, gross_volume_bbl: "4900.00", bsw_percent: "0.40", temperature_degF: "88.0", api_gravity: "35.1" };
  for (const [name, value] of Object.entries(values)) await form.locator(`[name="${name}"]`).fill(value);
  await form.getByRole("button", { name: "Save receipt" }).click();
  await expect(form.getByRole("status")).toContainText(`Terminal receipt ${RECEIPT} saved.`);
  await coordinator.getByRole("link", { name: RECEIPT, exact: true }).click();
  await expect(coordinator.getByTestId("preflight")).toHaveAttribute("data-blockers", "0");
  await coordinator.getByRole("button", { name: "Reconcile", exact: true }).click();
  const statement = coordinator.getByTestId("statement");
  await expect(statement).toHaveAttribute("data-id", `${RECEIPT}_v1`, { timeout: 120_000 });
  await expect(coordinator.getByText("It awaits its release: the partners do not see it yet.")).toBeVisible();
  const release = statement.getByTestId("release");
  await expect(release).toHaveAttribute("data-released", "false");
  await expect(release).toContainText("Awaiting approval: partners do not see this version yet.");
  // Four eyes: the coordinator who made it is told why there is no Release form.
  await expect(release.getByTestId("release-own")).toContainText("You made this version, so you cannot release it");
  await expect(release.getByTestId("release-form")).toHaveCount(0);
  await expect(coordinator.getByRole("navigation", { name: "Versions" })).toContainText("Awaiting approval");
  await expectAccessible(coordinator, "a statement awaiting approval, seen by its maker");
  await screenshot(coordinator, "release-awaiting-maker", statement);
  // The JV's statements list marks it too.
  await coordinator.getByRole("link", { name: "Statements", exact: true }).click();
  await expect(coordinator.locator(`[data-report="${RECEIPT}_v1"]`)).toContainText("Awaiting approval");
  await screenshot(coordinator, "release-statements-list");

  // Northwind's partner neither lists it nor may open it.
  const partner = await userPage(browser, USERS.partnerNorthwind);
  await expect(partner.getByRole("heading", { name: "Our allocation statements", level: 1 })).toBeVisible();
  await expect(partner.getByText("Loading…")).toHaveCount(0);
  await expect(partner.locator(`[data-report="${RECEIPT}_v1"]`)).toHaveCount(0);
  await open(partner, `statements/${RECEIPT}_v1`);
  await expect(partner.getByTestId("not-released")).toContainText("awaits its release to the partners");
  await expect(partner.getByTestId("statement")).toHaveCount(0);
  await screenshot(partner, "release-partner-before");
  // Marks this page load: a reload would forget it.
  await partner.evaluate(() => ((window as unknown as { openBeforeRelease: boolean }).openBeforeRelease = true));

  // Tomas Eriksen, the other coordinator, checks it and releases it with a note.
  const second = await userPage(browser, COORDINATOR_2);
  await open(second, `statements/${RECEIPT}_v1`);
  const releaseForm = second.getByRole("form", { name: `Release version 1 of receipt ${RECEIPT} to the partners` });
  const button = releaseForm.getByRole("button", { name: "Release to the partners" });
  await expect(button).toBeDisabled();
  const note = "Terminal ticket checked against both LACT tickets of the day; shrinkage within the band.";
  await releaseForm.getByRole("textbox", { name: /What was checked before the release/ }).fill(note);
  await expectAccessible(second, "the release form");
  await screenshot(second, "release-form", second.getByTestId("statement"));
  await button.click();
  const released = second.getByTestId("statement").getByTestId("release");
  await expect(released).toHaveAttribute("data-released", "true");
  await expect(released).toContainText(/Approved and released by Tomas Eriksen on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: “/);
  await expect(released).toContainText(`: “${note}”`);
  await expect(second.getByRole("form", { name: `Release version 1 of receipt ${RECEIPT} to the partners` })).toHaveCount(0);
  await screenshot(second, "release-approved", second.getByTestId("statement"));
  // The partner's page, open since before the release and refused then, shows the released figures without a reload.
  const live = partner.getByTestId("statement");
  await expect(live.getByTestId("release")).toContainText("Approved and released by Tomas Eriksen", { timeout: 15_000 });
  await expect(partner.getByTestId("not-released")).toHaveCount(0);
  await expect(live.locator(".statement-table tbody tr[data-partner]")).toHaveCount(1);
  await expect(live.locator('.statement-table tbody tr[data-partner="northwind"]')).toContainText(/\d{1,3}(,\d{3})*\.\d{2}/);
  expect(await partner.evaluate(() => (window as unknown as { openBeforeRelease?: boolean }).openBeforeRelease), "the same page load").toBe(true);
  await screenshot(partner, "release-partner-live", live);
  expect(await readAsServer(`reconciliations/${RECEIPT}_v1`)).toMatchObject({ released: true, released_by: "demo-coordinator-2", release_note: note, release_required: true });
  // The maker's open page follows live.
  await open(coordinator, `statements/${RECEIPT}_v1`);
  await expect(coordinator.getByTestId("release")).toContainText("Approved and released by Tomas Eriksen");
  // Its maker is told in the inbox who released it, when, and the note.
  await open(coordinator, "inbox");
  const told = coordinator.getByTestId("notification").filter({ hasText: `Version 1 of receipt ${RECEIPT}: released to the partners` });
  await expect(told).toContainText(`Their note: "${note}"`, { timeout: 90_000 });
  await expect(told).toContainText(/Tomas Eriksen released version 1 of receipt .* to the partners at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
  await expect(told.locator(".badge")).toHaveText("Released to partners");
  await screenshot(coordinator, "coordinator-release-notice", told);
  await second.context().close();
  await coordinator.context().close();

  // Now the partner lists it and reads its own row, with the release.
  await open(partner, "statements");
  await expect(partner.locator(`[data-report="${RECEIPT}_v1"]`)).toBeVisible();
  await open(partner, `statements/${RECEIPT}_v1`);
  const own = partner.getByTestId("statement");
  await expect(own.getByTestId("release")).toContainText(`Approved and released by Tomas Eriksen`);
  await expect(own.getByTestId("release")).toContainText(note);
  expect(await own.locator(".statement-table tbody tr[data-partner]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-partner")))).toEqual(["northwind"]);
  await expectAccessible(partner, "the partner's released statement");
  await screenshot(partner, "release-partner-after", own);

  // Had the call that made it died before its post-close check, every reader is told so.
  await writeAsServer(`reconciliations/${RECEIPT}_v1`, { close_check_pending: true }, { merge: true });
  await expect(own.getByTestId("close-unchecked")).toContainText("Close not confirmed yet.");
  await screenshot(partner, "release-close-unchecked", own);
  await writeAsServer(`reconciliations/${RECEIPT}_v1`, { close_check_pending: false }, { merge: true });
  await expect(own.getByTestId("close-unchecked")).toHaveCount(0);
  await partner.context().close();
});

test("a restatement's adjustments wait for its release before they are decided", async ({ page, browser }) => {
  expect(basaltEntry, "the first scenario's Basalt entry").not.toBe("");
  // The coordinator corrects Basalt's ticket on the now closed day: v1 turns stale.
  await signIn(page, USERS.coordinator);
  await open(page, `entry/${basaltEntry}`);
  await page.getByRole("button", { name: "Correct", exact: true }).click();
  const correction = page.getByTestId("entry-form");
  // A meter factor, not a volume: the auditor's statistics leave it alone (validated again).
  await correction.locator('[name="meter_factor"]').fill("1.0012");
  await correction.getByRole("textbox", { name: /Why this correction/ }).fill("Meter factor of the 01B run keyed for the 01A run: the ticket reads 1.0012.");
  await correction.getByRole("button", { name: "Save correction" }).click();
  await expect(page.getByTestId("entry-form")).toHaveCount(0);
  const reaudited = async () => {
    const e = await readAsServer(`production_entries/${basaltEntry}`);
    const audit = e?.audit as { status?: string; checked_at?: Date } | undefined;
    return e?.meter_factor === 1.0012 && audit?.checked_at && audit.checked_at >= (e.corrected_at as Date) ? audit.status : undefined;
  };
  await expect.poll(reaudited, { timeout: 90_000 }).toBe("validated");
  await expect.poll(async () => (await readAsServer(`reconciliations/${RECEIPT}_v1`))?.stale, { timeout: 90_000 }).toBe(true);

  // Reconciled again: v2 waits for its release, and so do the adjustments it raised.
  await open(page, `receipts/${RECEIPT}`);
  await expect(page.getByTestId("preflight")).toHaveAttribute("data-blockers", "0");
  await page.getByRole("button", { name: /^Reconcile again/ }).click();
  const statement = page.getByTestId("statement");
  await expect(statement).toHaveAttribute("data-id", `${RECEIPT}_v2`, { timeout: 120_000 });
  await expect(statement.getByTestId("release")).toContainText("Awaiting approval");
  await page.getByRole("link", { name: "Review queue" }).click();
  const set = page.locator(`[data-testid="adjustment-set"][data-from="${RECEIPT}_v2"]`);
  await expect(set.getByTestId("adjustment-item")).toHaveCount(2);
  await expect(set.getByTestId("adjustment-unreleased")).toContainText(new RegExp(`Release \\d{4}-\\d{2}-\\d{2} · receipt ${RECEIPT} · version 2 ${RECEIPT}_v2 first\\.`));
  await expect(set.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expectAccessible(page, "adjustments awaiting their version's release");
  await screenshot(page, "release-adjustments-waiting", set);

  // The partner does not see the adjustment yet.
  const partner = await userPage(browser, USERS.partnerNorthwind);
  await expect(partner.getByTestId("partner-adjustments").or(partner.getByText("None: no reconciled period of ours was revised."))).toBeVisible();
  await expect(partner.locator(`[data-adjustment^="${RECEIPT}_v2_"]`)).toHaveCount(0);
  // Its released v1 still stands for it: the version replacing it awaits its release.
  await open(partner, `statements/${RECEIPT}_v1`);
  await expect(partner.getByTestId("successor-waits")).toContainText("awaits its release to the partners");
  await expect(partner.getByTestId("statement")).toBeVisible();
  await expect(partner.getByTestId("statement")).not.toContainText("superseded by");
  await screenshot(partner, "release-partner-successor-waits");
  // Its list says the same: v1 is not marked superseded while v2 awaits its release.
  await open(partner, "statements");
  const partnerV1 = partner.getByTestId("statements").locator(`tr[data-report="${RECEIPT}_v1"]`);
  await expect(partnerV1).toBeVisible();
  await expect(partnerV1.locator('[data-status="superseded"]')).toHaveCount(0);
  await screenshot(partner, "release-partner-list-successor-waits", partner.getByTestId("statements"));

  // An admin releases v2; the set can then be decided (rejected here: no later period is to carry it).
  const admin = await userPage(browser, USERS.admin);
  await open(admin, `statements/${RECEIPT}_v2`);
  const form = admin.getByRole("form", { name: `Release version 2 of receipt ${RECEIPT} to the partners` });
  await form.getByRole("textbox", { name: /What was checked before the release/ }).fill("Corrected Basalt ticket checked against the LACT ticket.");
  await form.getByRole("button", { name: "Release to the partners" }).click();
  await expect(admin.getByTestId("statement").getByTestId("release")).toContainText("Approved and released by Dana Whitfield");
  await expect(admin.getByText("with the 2 prior-period adjustments it raised")).toBeVisible();
  await expect(set.getByTestId("adjustment-unreleased")).toHaveCount(0);
  await set.getByRole("textbox", { name: /Decision note/ }).fill("Settled outside FlowShare with Basalt's corrected ticket.");
  await set.getByRole("button", { name: "Reject" }).click();
  await expect(set).toHaveCount(0);
  await expect(partner.locator(`[data-adjustment^="${RECEIPT}_v2_"]`)).toHaveCount(1);
  // Once v2 is released, the partner's list marks v1 superseded.
  await expect(partnerV1.locator('[data-status="superseded"]')).toHaveCount(1);
  // Released, v2 shows the partner its own change from v1, and no other partner's.
  await open(partner, `statements/${RECEIPT}_v2`);
  const changes = partner.getByTestId("statement").getByTestId("changes");
  await expect(changes.locator("tbody tr")).toHaveCount(1);
  await expect(changes.locator("tbody th")).toHaveText("Northwind Energy");
  await screenshot(partner, "release-partner-own-change", partner.getByTestId("statement"));

  // Release approval off again, through the screen (afterAll makes sure of it otherwise).
  await setReleaseApproval(admin, false);
  await screenshot(admin, "admin-release-approval-off", admin.getByTestId("settings-form"));
  await admin.context().close();
  await partner.context().close();
});
