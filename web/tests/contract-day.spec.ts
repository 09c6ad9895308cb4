import { expect, test } from "@playwright/test";
import { deleteAsServer, expectAccessible, fillEntry, readAsServer, screenshot, signIn, testMeter, USERS, userPage, writeAsServer } from "./support";

// The first project: the contract day can change only while no day is closed. Every later
// scenario reads the demo data's defaults (00:00 UTC, no settings document), which this one restores.
test("with a contract day of 06:00 at UTC+01:00, entries and receipts are dated by it", async ({ page, browser }) => {
  await signIn(page, USERS.admin);
  await page.getByRole("link", { name: "JV settings" }).click();
  await expect(page.getByTestId("contract-day")).toContainText("00:00 at UTC+00:00");
  const form = page.getByTestId("settings-form");
  await form.locator('[name="contract_day_start_hour"]').fill("6");
  await form.locator('[name="utc_offset_minutes"]').fill("60");
  // No day is closed yet: the contract day's fields are editable, and the change is named by their labels.
  await expect(page.getByTestId("contract-day-fixed")).toHaveCount(0);
  await expect(form.getByTestId("changing")).toHaveText("Changing: contract day starts at hour, UTC offset");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved: contract day starts at hour, UTC offset.");
  await expect(page.getByTestId("contract-day")).toContainText("06:00 at UTC+01:00 (05:00 UTC)");

  try {
    // The operator files contract day 10 Nov: the daily ticket is stamped six hours into that
    // day, 11:00 UTC (at 00:00 UTC days it would be 06:00 UTC).
    const operator = await userPage(browser, USERS.operatorNorthwind);
    await expect(operator.getByTestId("day-hint")).toContainText("The contract day starts 06:00 at UTC+01:00 (05:00 UTC)");
    const entryForm = operator.getByTestId("entry-form");
    await entryForm.locator('[name="day"]').fill("2026-11-10");
    await entryForm.locator('[name="meter_id"]').fill(testMeter("D"));
    await fillEntry(operator, { gross_volume_bbl: "3012.40", bsw_percent: "0.33", temperature_degF: "100.2", api_gravity: "36.7", pressure_psig: "37", meter_factor: "1.0007" });
    await operator.getByRole("button", { name: "Save entry" }).click();
    const verdict = operator.getByTestId("verdict");
    await expect(verdict).toHaveAttribute("data-status", /validated|flagged|rejected/, { timeout: 90_000 });
    const filedId = (await verdict.getAttribute("data-entry"))!;
    expect((await readAsServer(`production_entries/${filedId}`))?.measured_at).toEqual(new Date("2026-11-10T11:00:00Z"));

    // A gateway's ticket at 04:30 UTC on 11 Nov is still contract day 10 Nov (it ends 05:00 UTC).
    const lateNightId = `cd-${Date.now().toString(36)}`;
    const now = new Date();
    await writeAsServer(`production_entries/${lateNightId}`, {
      partner_id: "northwind",
      measured_at: new Date("2026-11-11T04:30:00Z"),
      meter_id: testMeter("N"),
      gross_volume_bbl: 3009.8,
      bsw_percent: 0.31,
      temperature_degF: 99.8,
      api_gravity: 36.6,
      pressure_psig: 36,
      meter_factor: 1.0007,
      note: null,
      created_by: "demo-operator-northwind",
      created_at: now,
    });
    await expect
      .poll(async () => ((await readAsServer(`production_entries/${lateNightId}`))?.audit as { status?: string } | undefined)?.status, { timeout: 90_000 })
      .toBeTruthy();
    const day10 = operator.locator('[data-testid="entry-list"] [data-day="2026-11-10"]');
    await expect(day10.locator(`tr[data-entry="${lateNightId}"]`)).toBeVisible({ timeout: 30_000 });
    await expect(day10.locator(`tr[data-entry="${filedId}"]`)).toBeVisible();
    await expect(operator.locator('[data-day="2026-11-11"]')).toHaveCount(0);
    await expectAccessible(operator, "the entries under a 06:00 +01:00 contract day");
    await screenshot(operator, "contract-day-entries", day10);
    await operator.context().close();

    // The coordinator's receipt for contract day 10 Nov runs 05:00 UTC to 05:00 UTC, and its
    // pre-flight counts both entries.
    const coordinator = await userPage(browser, USERS.coordinator);
    await coordinator.getByRole("link", { name: "Terminal receipts" }).click();
    const receiptForm = coordinator.getByRole("form", { name: "New terminal receipt" });
    await expect(coordinator.getByTestId("receipt-days-hint")).toContainText("a contract day starts 06:00 at UTC+01:00 (05:00 UTC)");
    await expect(coordinator.getByTestId("contract-clock")).toHaveText(
      "Periods are named by the contract days they cover. Each contract day starts at 06:00 at UTC+01:00 (05:00 UTC), per the JV settings.",
    );
    const receiptId = `pet-cd-${Date.now().toString(36)}`;
    const values = { id: receiptId, start: "2026-11-10", last: "2026-11-10", gross_volume_bbl: "6010.00", bsw_percent: "0.40", temperature_degF: "88.0", api_gravity: "35.1" };
    for (const [name, value] of Object.entries(values)) await receiptForm.locator(`[name="${name}"]`).fill(value);
    await receiptForm.getByRole("button", { name: "Save receipt" }).click();
    await expect(receiptForm.getByRole("status")).toContainText(`Terminal receipt ${receiptId} saved.`);
    try {
      const stored = await readAsServer(`terminal_receipts/${receiptId}`);
      expect([stored?.period_start, stored?.period_end]).toEqual([new Date("2026-11-10T05:00:00Z"), new Date("2026-11-11T05:00:00Z")]);
      await coordinator.getByRole("link", { name: receiptId, exact: true }).click();
      await expect(coordinator.getByText("Period", { exact: true }).locator("xpath=..")).toContainText("2026-11-10");
      // Contract day 2026-11-10 is 06:00 at UTC+01:00 on 10 Nov to 06:00 on 11 Nov, and the receipt says so.
      await expect(coordinator.getByTestId("contract-clock")).toHaveText(
        "Each contract day starts at 06:00 at UTC+01:00 (05:00 UTC), per the JV settings: the period runs from 06:00 on 2026-11-10 to 06:00 on 2026-11-11 (UTC+01:00).",
      );
      await expect(coordinator.getByTestId("preflight")).toContainText("2 entries in the period; all audited");
      await screenshot(coordinator, "contract-day-receipt");
      // Taken as reconciled (no day is closed here: the scenario restores the defaults), the receipt
      // offers a corrected ticket starting from its own contract day under the same clock.
      await writeAsServer(`terminal_receipts/${receiptId}`, { latest_reconciliation_id: `${receiptId}_v1` }, { merge: true });
      const correct = coordinator.getByTestId("correct-ticket");
      await correct.getByText("Correct this ticket").click();
      const correction = correct.getByRole("form", { name: `Corrected ticket for receipt ${receiptId}` });
      await expect(correction.locator('[name="start"]')).toHaveValue("2026-11-10");
      await expect(correction.locator('[name="last"]')).toHaveValue("2026-11-10");
      await expect(correction.locator('[name="gross_volume_bbl"]')).toHaveValue("6010");
    } finally {
      await deleteAsServer(`terminal_receipts/${receiptId}`);
    }
    await coordinator.context().close();
    for (const id of [filedId, lateNightId]) await deleteAsServer(`production_entries/${id}`);

    // With a JV start date, the operator's form names it and offers no day before it (the rules refuse one).
    await form.locator('[name="jv_start_date"]').fill("2026-09-01");
    await form.getByRole("button", { name: "Save settings" }).click();
    await expect(form.getByRole("status")).toHaveText("Saved: JV start date.");
    const starter = await userPage(browser, USERS.operatorNorthwind);
    const day = starter.getByTestId("entry-form").locator('[name="day"]');
    await expect(day).toHaveAttribute("min", "2026-09-01");
    await expect(starter.getByTestId("day-hint")).toContainText("The JV started on 2026-09-01.");
    await day.fill("2026-08-31");
    await expect(starter.getByTestId("day-hint")).toContainText("The JV starts on 2026-09-01: no entry before that day.");
    await expect(starter.getByRole("button", { name: "Save entry" })).toBeDisabled();
    await screenshot(starter, "operator-before-jv-start");
    await starter.context().close();
  } finally {
    await deleteAsServer("settings/jv");
  }
  await expect(page.getByTestId("contract-day")).toContainText("00:00 at UTC+00:00");
  await expect(page.getByText("Never changed: every value is a default.")).toBeVisible();
});
