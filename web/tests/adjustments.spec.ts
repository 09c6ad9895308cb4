import { expect, test, type Locator } from "@playwright/test";
import { commitAsServer, expectAccessible, expectNoSidewaysScroll, expectRowsAsBlocks, fillEntry, open, PHONE, readAsServer, screenshot, signIn, testMeter, USERS, userPage, writeAsServer } from "./support";

const PERIOD_RECEIPT = "pet-20260901-20261030";

test.describe.configure({ mode: "serial" });

/**
 * A partner's net position on a statement: "Allocated this period", one line per adjustment carried
 * (from `from`), "Net including adjustments"; the net is the sum of the lines to the cent.
 */
async function expectNetLedger(ledger: Locator, adjustmentIds: string[], from: string) {
  await expect(ledger.locator('tr[data-line="allocated"] td').first()).toHaveText("Allocated this period");
  const lines = ledger.locator('tr[data-line="adjustment"]');
  await expect(lines).toHaveCount(adjustmentIds.length);
  // The statement it came from named by its period, receipt and version, its id small beside it.
  const [, receipt, version] = /^(.+)_v(\d+)$/.exec(from)!;
  const fromInWords = new RegExp(`^Prior-period adjustment from \\d{4}-\\d{2}-\\d{2} – \\d{4}-\\d{2}-\\d{2} \\(\\d+ days\\) · receipt ${receipt} · version ${version} ${from}$`);
  for (const id of adjustmentIds) await expect(ledger.locator(`tr[data-line="adjustment"][data-adjustment="${id}"] td`).first()).toHaveText(fromInWords);
  await expect(ledger.locator('tr[data-line="net"] td').first()).toHaveText("Net including adjustments");
  const text = async (row: Locator) => (await row.locator("td.num").innerText()).trim();
  const allocated = await text(ledger.locator('tr[data-line="allocated"]'));
  const adjustments = await Promise.all(adjustmentIds.map((id) => text(ledger.locator(`tr[data-adjustment="${id}"]`))));
  const net = await text(ledger.locator('tr[data-line="net"]'));
  for (const figure of [allocated, net]) expect(figure).toMatch(/^−?\d{1,3}(,\d{3})*\.\d{2}$/);
  for (const figure of adjustments) expect(figure).toMatch(/^[+−]\d{1,3}(,\d{3})*\.\d{2}$/);
  const cb = (t: string) => Math.round(Number(t.replace(/[+,]/g, "").replace("−", "-")) * 100);
  expect(cb(allocated) + adjustments.reduce((sum, t) => sum + cb(t), 0)).toBe(cb(net));
  return { texts: [allocated, ...adjustments, net], adjustments: adjustments.map((t) => cb(t) / 100) };
}

// The last project: it writes a second version of the seeded period, which the partner and
// auditor scenarios read as version 1.
test("a late entry on a closed day makes a new version; the coordinator approves its prior-period adjustments as one set", async ({ page, browser }) => {
  // The coordinator enters a late Northwind ticket on a closed day of the seeded period from the
  // receipt's screen, with the note the rules require, then corrects a typo in it from the entry's page.
  await signIn(page, USERS.coordinator);
  await open(page, `receipts/${PERIOD_RECEIPT}`);
  await page.getByRole("button", { name: "Add a late entry" }).click();
  const form = page.getByTestId("entry-form");
  await form.locator('[name="partner_id"]').selectOption("northwind");
  await form.locator('[name="day"]').fill("2026-10-15");
  await expect(form.getByTestId("day-hint")).toContainText(`Closed: allocated by version 1 of receipt ${PERIOD_RECEIPT}`);
  const lateMeter = testMeter("L");
  await form.locator('[name="meter_id"]').fill(lateMeter);
  await fillEntry(page, { gross_volume_bbl: "3021.4", bsw_percent: "0.33", temperature_degF: "100.2", api_gravity: "36.7", pressure_psig: "37", meter_factor: "1.0007" });
  const lateNote = "Ticket found in the gauger's book after the close.";
  await form.getByRole("textbox", { name: /Why this late entry/ }).fill(lateNote);
  await expectAccessible(page, "the late entry form on a closed day");
  await screenshot(page, "coordinator-late-entry-form", form);
  await form.getByRole("button", { name: "Save late entry" }).click();
  const saved = page.getByTestId("late-entry-saved");
  await expect(saved.getByTestId("verdict")).toHaveAttribute("data-status", "validated", { timeout: 90_000 });
  const lateId = (await saved.getByTestId("verdict").getAttribute("data-entry"))!;
  expect(lateId).toMatch(/^[A-Za-z0-9]{20}$/);
  await expect(saved.getByTestId("correction")).toContainText(lateNote);
  await expect(saved.getByTestId("correction")).toHaveAttribute("data-corrected-by", "demo-coordinator");
  const stored = (await readAsServer(`production_entries/${lateId}`))!;
  expect(stored).toMatchObject({ partner_id: "northwind", correction_note: lateNote, corrected_by: "demo-coordinator", created_by: "demo-coordinator", gross_volume_bbl: 3021.4 });
  expect((stored.corrected_at as Date).getTime()).toBe((stored.created_at as Date).getTime());
  // Northwind's field operators are told of the entry a coordinator entered for their partner: who, why, and its verdict.
  const operator = await userPage(browser, USERS.operatorNorthwind);
  await open(operator, "inbox");
  const told = operator.getByTestId("notification").filter({ hasText: lateMeter }).filter({ hasText: "entered late by Priya Raman" });
  await expect(told).toContainText(`Why: "${lateNote}"`, { timeout: 90_000 });
  await expect(told).toContainText("Only a coordinator or an admin can change it");
  await expect(told.locator(".badge")).toHaveText("Late entry");
  await screenshot(operator, "operator-late-entry-notice", told);
  await operator.context().close();

  // The figure was mistyped: Correct on the entry's page, prefilled, with a new note.
  // The link names the entry as users know it, its document id small beside it.
  await expect(saved.locator("p.small-text .doc-id")).toHaveText(lateId);
  await saved.getByRole("link", { name: `${lateMeter} on 2026-10-15`, exact: true }).click();
  await page.getByRole("button", { name: "Correct", exact: true }).click();
  // The form is headed by the entry's name, not its document id.
  await expect(page.getByRole("heading", { name: `Correct ${lateMeter} on 2026-10-15`, exact: true })).toBeVisible();
  const correction = page.getByTestId("entry-form");
  await expect(correction.locator('[name="gross_volume_bbl"]')).toHaveValue("3021.4");
  await expect(correction.locator('[name="day"]')).toHaveValue("2026-10-15");
  await correction.locator('[name="gross_volume_bbl"]').fill("3012.4");
  // The rules want a new note: the previous one again is refused before writing, in words.
  await correction.getByRole("textbox", { name: /Why this correction/ }).fill(lateNote);
  await correction.getByRole("button", { name: "Save correction" }).click();
  await expect(correction.getByRole("alert")).toContainText("repeats the previous correction's note");
  const fixNote = "Gross volume mistyped: the gauger's book reads 3,012.4 bbl.";
  await correction.getByRole("textbox", { name: /Why this correction/ }).fill(fixNote);
  await screenshot(page, "coordinator-correction-form", correction);
  await correction.getByRole("button", { name: "Save correction" }).click();
  await expect(page.getByTestId("entry-form")).toHaveCount(0);
  const verdict = page.getByTestId("verdict");
  await expect(verdict.getByTestId("correction")).toContainText(fixNote);
  await expect(verdict.getByTestId("correction")).toContainText("Corrected by Priya Raman");
  await expect(verdict.locator('tr[data-field="gross_volume_bbl"]')).toContainText("3,012.40");
  // The auditor checks the corrected figures again (an audit newer than the correction).
  const reaudited = async () => {
    const e = await readAsServer(`production_entries/${lateId}`);
    const audit = e?.audit as { status?: string; checked_at?: Date } | undefined;
    return e?.gross_volume_bbl === 3012.4 && audit?.checked_at && audit.checked_at >= (e.corrected_at as Date) ? audit.status : undefined;
  };
  await expect.poll(reaudited, { timeout: 90_000 }).toBe("validated");
  await expect(verdict).toHaveAttribute("data-status", "validated");
  // Until then it said the verdict shown was the old figures' (data/reaudit.ts); now it does not.
  await expect(verdict.getByTestId("reauditing")).toHaveCount(0);
  await expectAccessible(page, "a corrected entry");
  await screenshot(page, "coordinator-corrected-entry");
  await expect.poll(async () => (await readAsServer(`reconciliations/${PERIOD_RECEIPT}_v1`))?.stale, { timeout: 60_000 }).toBe(true);

  // The coordinators are told which entry changed, by partner, meter and contract day, and what to do.
  await open(page, "inbox");
  const staleNotice = page.getByTestId("notification").filter({ hasText: `Version 1 of receipt ${PERIOD_RECEIPT} is out of date` });
  await expect(staleNotice).toHaveCount(1, { timeout: 60_000 });
  await expect(staleNotice.locator(".badge")).toHaveAttribute("data-status", "stale");
  const staleBody = staleNotice.locator("p.body");
  await expect(staleBody).toContainText("Production entries of its closed period changed during or after its close:");
  await expect(staleBody).toContainText(`- Northwind Energy · ${lateMeter}, contract day 2026-10-15 (entry ${lateId})`);
  await expect(staleBody).toContainText(`Reconcile receipt ${PERIOD_RECEIPT} again to make version 2;`);
  await expect(staleNotice.getByRole("link", { name: `Open statement: version 1 of receipt ${PERIOD_RECEIPT}` })).toBeVisible();
  await screenshot(page, "coordinator-inbox-stale", staleNotice);

  await open(page, `receipts/${PERIOD_RECEIPT}`);
  // v1's figures no longer hold: its statement says so, naming the entry that changed.
  await expect(page.getByTestId("statement")).toHaveAttribute("data-id", `${PERIOD_RECEIPT}_v1`);
  await expect(page.getByTestId("statement").getByTestId("stale")).toContainText(lateId);
  // Counted truthfully: the changes marked (the late entry, its audit, its correction…) to the one entry listed.
  await expect(page.getByTestId("statement").getByTestId("stale")).toContainText(/Stale: \d+ changes? to 1 entry of this period during or after its close/);
  // With who changed it, when and why: the entry's last correction, not the late entry's first note.
  const staleEntry = page.getByTestId("statement").getByTestId("stale").locator(`[data-testid="entry-behind"][data-entry="${lateId}"]`);
  await expect(staleEntry.getByTestId("correction")).toContainText(`Corrected by Priya Raman`);
  await expect(staleEntry.getByTestId("correction")).toContainText(fixNote);
  await expect(staleEntry).not.toContainText(lateNote);
  await expectAccessible(page, "a stale statement naming the entries changed");
  await screenshot(page, "coordinator-stale-statement", page.getByTestId("statement"));
  // A download's sha256 belongs to v1: v2 replacing it on the page must not show it as its own.
  await page.getByTestId("statement").getByTestId("export").getByRole("button", { name: "CSV" }).click();
  await expect(page.getByTestId("statement").getByTestId("export-done")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("preflight")).toHaveAttribute("data-blockers", "0");
  await page.getByRole("button", { name: /^Reconcile again/ }).click();
  await expect(page.getByTestId("statement")).toHaveAttribute("data-id", `${PERIOD_RECEIPT}_v2`, { timeout: 240_000 });
  await expect(page.getByTestId("statement").getByTestId("stale")).toHaveCount(0);
  // The late entry moved barrels between partners, not the terminal's figure: the changes sum to 0.00.
  await expect(page.getByTestId("statement").getByTestId("changes-total").locator("td.num")).toHaveText("0.00");
  // What became of the restatement it raised: undecided yet.
  await expect(page.getByTestId("statement").getByTestId("restatement")).toContainText(
    "Each change of allocation is raised as a prior-period adjustment, waiting for the coordinators' decision",
  );
  // v2 says why it exists: the entry behind it, who last changed it, when and why, frozen on the report.
  const why = page.getByTestId("statement").getByTestId("corrections");
  await expect(why).toContainText(`1 entry of the period changed after version 1 of receipt ${PERIOD_RECEIPT} read the period`);
  // A ticket v1 never had, corrected since it was entered: not a correction of a ticket v1 read.
  const whyRow = why.locator(`tr[data-entry="${lateId}"]`);
  await expect(whyRow).toHaveAttribute("data-kind", "entered since, then corrected");
  await expect(whyRow.locator("td").nth(1)).toHaveText("entered since, then corrected");
  await expect(whyRow).toContainText("Priya Raman");
  await expect(whyRow).toContainText(fixNote);
  await expectAccessible(page, "a new version's statement with why it was made");
  await screenshot(page, "coordinator-why-this-version", why);
  // On a phone each entry behind the version is a block: who changed it, how and why on the screen.
  const desktop = page.viewportSize()!;
  await page.setViewportSize(PHONE);
  await expectRowsAsBlocks(page, "Entries changed behind this version", "tbody tr", ["Partner", "Change", "By", "Why"]);
  await screenshot(page, "phone-coordinator-why-this-version", why);
  await page.setViewportSize(desktop);
  // Excluded entries' reasons in words: the auditor's by title, a reviewer by name, never a code or a uid.
  const reasons = page.getByTestId("statement").getByTestId("excluded-reason");
  await expect(reasons.first()).toBeVisible();
  const reasonTexts = await reasons.allInnerTexts();
  expect(reasonTexts.filter((t) => /[A-Z]+_[A-Z_]+|demo-coordinator/.test(t))).toEqual([]);
  expect(reasonTexts.some((t) => /^Rejected on review by (Priya Raman|Tomas Eriksen)$/.test(t))).toBe(true);
  expect(reasonTexts.some((t) => /^Rejected by the auditor: [A-Z][a-z]/.test(t))).toBe(true);
  await expect(page.getByTestId("statement").getByTestId("export-done")).toHaveCount(0);
  // v1, superseded, is no longer "stale until reconciled again": it names the version that holds its changes.
  await open(page, `statements/${PERIOD_RECEIPT}_v1`);
  const replacedBox = page.getByTestId("statement").getByTestId("stale");
  const superseded = replacedBox.getByTestId("stale-superseded");
  await expect(superseded).toContainText(new RegExp(`^Superseded: .*receipt ${PERIOD_RECEIPT} · version 2`));
  await expect(superseded).toContainText(/replaced it and holds the \d+ changes? to 1 entry of this period made during or after its close/);
  await expect(replacedBox).not.toContainText("These figures stand until");
  await screenshot(page, "coordinator-superseded-stale", replacedBox);

  // Every partner's allocation moved: one pending adjustment each, Northwind's up, the others down.
  await page.getByRole("link", { name: "Review queue" }).click();
  const items = page.locator(`[data-testid="adjustment-item"][data-adjustment^="${PERIOD_RECEIPT}_v2_"]`);
  await expect(items).toHaveCount(5);
  await expect(page.getByTestId("pending-adjustments-count")).toHaveText("5");
  const northwind = items.filter({ hasText: "Northwind Energy" });
  await expect(northwind.getByTestId("delta")).toHaveText(/^\+\d{1,3}(,\d{3})*\.\d{2}$/);
  await expect(northwind.getByRole("link", { name: `${lateMeter} on 2026-10-15`, exact: true })).toBeVisible();
  // The coordinator deciding sees why the entry behind Northwind's change changed, and who changed it.
  await expect(northwind.getByTestId("correction")).toContainText("Corrected by Priya Raman");
  await expect(northwind.getByTestId("correction")).toContainText(fixNote);
  const basalt = items.filter({ hasText: "Basalt Ridge Petroleum" });
  await expect(basalt.getByTestId("delta")).toHaveText(/^−\d{1,3}(,\d{3})*\.\d{2}$/);
  // Basalt's loss has no entry of its own behind it: said as what it is, not as "none recorded".
  await expect(basalt.getByTestId("pro-rata")).toHaveText("None of its own: its share moved with the other partners' changes (pro rata)");
  await expectAccessible(page, "the review queue with pending adjustments");
  await screenshot(page, "coordinator-adjustments", page.locator("#adjustments"));
  // On a phone each partner's change is a block, the entries behind it under it.
  await page.setViewportSize(PHONE);
  await expectNoSidewaysScroll(page, "the review queue's pending adjustments at 390 px");
  await expectRowsAsBlocks(page, "Changes by partner", "tbody tr", ["Change (bbl)", "Entries behind it"]);
  await screenshot(page, "phone-coordinator-adjustments", page.locator("#adjustments"));
  await page.setViewportSize(desktop);

  // One decision for the restatement's five: their changes offset (the receipt's figure did not
  // change), so approving Northwind's gain alone would allocate barrels that never arrived.
  const northwindId = (await northwind.getAttribute("data-adjustment"))!;
  const basaltId = (await basalt.getAttribute("data-adjustment"))!;
  const northwindDelta = (await northwind.getByTestId("delta").textContent())!;
  const set = page.locator(`[data-testid="adjustment-set"][data-from="${PERIOD_RECEIPT}_v2"]`);
  await expect(set.getByTestId("set-total")).toHaveText("0.00");
  await expect(set.getByRole("button", { name: "Approve" })).toBeDisabled();
  await expect(set.getByRole("button", { name: "Reject" })).toBeDisabled();
  await set.getByRole("textbox", { name: /Decision note/ }).fill("Late ticket confirmed with the gauger's book.");
  await set.getByRole("button", { name: "Approve" }).click();
  await expect(items).toHaveCount(0);
  await expect(page.getByTestId("pending-adjustments-count")).toHaveText("0");
  // The set left the screen with the focus: the status line says what was decided and holds the focus.
  await expect(page.getByTestId("adjustments-decided")).toHaveText("5 adjustments approved.");
  await expect(page.getByTestId("adjustments-decided")).toBeFocused();
  await screenshot(page, "coordinator-adjustment-decided", page.locator("#adjustments"));

  // The set decided together is shown once: its decision, note and decider, then each partner's change.
  const decided = page.getByTestId("decided-adjustments");
  const decidedSet = decided.locator(`[data-testid="decided-set"][data-from="${PERIOD_RECEIPT}_v2"]`);
  await expect(decidedSet).toHaveCount(1);
  await expect(decidedSet.locator(".badge")).toHaveText("Approved");
  await expect(decidedSet).toContainText("by Priya Raman");
  await expect(decidedSet.getByText("Late ticket confirmed with the gauger's book.")).toHaveCount(1);
  await expect(decidedSet.getByTestId("carried-in")).toHaveText("not yet: the next period reconciled carries it");
  await expect(decidedSet.locator("tbody tr")).toHaveCount(5);
  const northwindDecided = decidedSet.locator(`tr[data-adjustment="${northwindId}"]`);
  await expect(northwindDecided.getByRole("rowheader")).toHaveText("Northwind Energy");
  await expect(northwindDecided.getByTestId("delta")).toHaveText(northwindDelta);
  await expect(decidedSet.locator(`tr[data-adjustment="${basaltId}"]`)).toHaveCount(1);
  await expect(decidedSet.locator("tfoot").getByTestId("delta")).toHaveText("0.00");
  await expect(decidedSet.locator("tfoot th")).toHaveText("Sum of this decision");
  // A rejected decision's changes were never carried: muted, not a credit's or a debit's colours.
  const rejectedSet = decided.locator('[data-testid="decided-set"]', { has: page.locator('.badge[data-status="rejected"]') }).first();
  await expect(rejectedSet.getByTestId("delta-not-carried").first()).toBeVisible();
  await expect(rejectedSet.getByTestId("delta")).toHaveCount(0);
  await expect(rejectedSet.getByTestId("carried-in")).toHaveText("not carried: rejected");
  await page.setViewportSize(PHONE);
  await expectNoSidewaysScroll(page, "the review queue's decided adjustments at 390 px");
  await screenshot(page, "phone-coordinator-decided-adjustments", decided);
  await page.setViewportSize(desktop);
  expect((await readAsServer(`prior_period_adjustments/${northwindId}`))?.status).toBe("approved");
  expect((await readAsServer(`prior_period_adjustments/${basaltId}`))?.status).toBe("approved");

  // The next open period's first statement carries the approved one: the one-day receipt of
  // 2026-11-05 (coordinator.spec.ts), entered and cleared of its blocker there, not yet reconciled.
  // A period reconciled already (the receipt of 2026-11-04) is closed: its re-runs would not carry it.
  await page.getByRole("link", { name: "Terminal receipts" }).click();
  const laterReceipt = (await page.locator('[data-receipt^="pet-20261105-"]').first().getAttribute("data-receipt"))!;
  await expect(page.locator(`[data-receipt="${laterReceipt}"]`)).toContainText("Not reconciled");
  await open(page, `receipts/${laterReceipt}`);
  const statement = page.getByTestId("statement");
  await expect(page.getByTestId("preflight")).toHaveAttribute("data-blockers", "0");
  await page.getByRole("button", { name: "Reconcile", exact: true }).click();
  await expect(statement).toHaveAttribute("data-id", `${laterReceipt}_v1`, { timeout: 120_000 });
  // The restated version's statement now says the restatement was approved, by whom and why, and which statement carries it.
  await open(page, `statements/${PERIOD_RECEIPT}_v2`);
  const restated = page.getByTestId("statement").getByTestId("restatement");
  await expect(restated).toContainText("the coordinators approved the restatement by Priya Raman on ");
  await expect(restated).toContainText(" UTC. Note: “Late ticket confirmed with the gauger's book.” Carried by ");
  await expect(restated.getByRole("link")).toHaveAttribute("href", new RegExp(`statements/${laterReceipt}_v1$`));
  await screenshot(page, "statement-restatement-approved", page.getByTestId("statement").getByTestId("restatement"));
  await open(page, `statements/${laterReceipt}_v1`);
  const carried = statement.getByTestId("carried-adjustments");
  await expect(carried.locator("tbody tr")).toHaveCount(5);
  await expect(carried).toContainText(northwindId);
  // Each carried row says where it comes from and who approved it, and why (its document's record).
  const carriedNorthwind = carried.locator(`tr[data-adjustment="${northwindId}"]`);
  await expect(carriedNorthwind.getByTestId("origin-period")).toContainText(`receipt ${PERIOD_RECEIPT}`);
  await expect(carriedNorthwind.getByTestId("origin-approval")).toContainText("by Priya Raman");
  await expect(carriedNorthwind.getByTestId("origin-approval")).toContainText("Late ticket confirmed with the gauger's book.");
  await expect(carried.getByTestId("origin-approval")).toHaveCount(5);
  // Carried whole, the set adds no barrel: its changes sum to 0.00.
  const carriedCb = (await carried.locator("tbody td.num").allInnerTexts()).map((t) => Math.round(Number(t.replace(/[+,]/g, "").replace("−", "-")) * 100));
  expect(carriedCb.reduce((sum, cb) => sum + cb, 0)).toBe(0);
  // The table says so itself, in its totals row.
  await expect(carried.getByTestId("carried-total").locator("td.num")).toHaveText("0.00");
  // Each partner's net position as lines that add up: this period's allocation, each adjustment, the net.
  const northwindLedger = statement.getByTestId("net-positions").locator('tbody[data-partner="northwind"]');
  const ledgerFigures = await expectNetLedger(northwindLedger, [northwindId], `${PERIOD_RECEIPT}_v2`);
  expect(ledgerFigures.adjustments[0]).toBeGreaterThan(0);
  // A negative net is signed with U+2212 like every signed figure of the statement, never a hyphen.
  await expect(statement.getByTestId("net-positions").locator('tbody[data-partner="basalt"] tr[data-line="net"] td.num')).toHaveText(/^−\d{1,3}(,\d{3})*\.\d{2}$/);
  // The net positions' totals are the sums of the partners' lines, to 0.01 bbl.
  const cbOf = (t: string) => Math.round(Number(t.replace(/[+,]/g, "").replace("−", "-")) * 100);
  const nets = (await statement.getByTestId("net-positions").locator('tbody tr[data-line="net"] td.num').allInnerTexts()).map(cbOf);
  const netTotal = statement.getByTestId("net-total");
  expect(cbOf(await netTotal.locator('tr[data-line="net"] td.num').innerText())).toBe(nets.reduce((sum, cb) => sum + cb, 0));
  await expect(netTotal.locator('tr[data-line="adjustments"] td.num')).toHaveText("0.00");
  await expectAccessible(page, "a statement carrying an adjustment");
  await screenshot(page, "statement-carried-adjustment", carried);
  await screenshot(page, "statement-net-positions", statement.getByTestId("net-positions"));
  // This period's terminal received more than the field measured: its shrinkage reads as a gain.
  await expect(statement.locator('tr[data-partner="northwind"] [data-testid="row-shrinkage"]')).toHaveText(/^−\d{1,3}(,\d{3})*\.\d{2} \(gain\)$/);
  await expect(statement.getByTestId("total-shrinkage")).toHaveText(/^−\d{1,3}(,\d{3})*\.\d{2} \(gain\)$/);
  await expect(statement.getByTestId("summary-shrinkage")).toHaveText(/^−\d{1,3}(,\d{3})*\.\d{2} bbl \(gain\)$/);
  await expect(statement.getByTestId("summary-shrinkage-percent")).toHaveText(/^−\d+\.\d{5} % \(gain\)$/);
  await expect(statement.getByTestId("contract-clock")).toHaveText(
    "Each contract day starts at 00:00 at UTC+00:00, as recorded on this version: the period runs from 00:00 on 2026-11-05 to 00:00 on 2026-11-06 (UTC+00:00).",
  );
  await screenshot(page, "statement-gain", statement);

  // The partner sees its own adjustment on its statements screen, and no other partner's.
  const partner = await userPage(browser, USERS.partnerNorthwind);
  const partnerDesktop = partner.viewportSize()!;
  const own = partner.getByTestId("partner-adjustments");
  await expect(own.locator(`tr[data-adjustment="${northwindId}"]`)).toContainText("Approved");
  await expect(own.locator(`tr[data-adjustment="${northwindId}"]`)).toContainText(`${laterReceipt}_v1`);
  // Why it was approved, as the coordinator wrote it.
  await expect(own.locator(`tr[data-adjustment="${northwindId}"]`)).toContainText("Late ticket confirmed with the gauger's book.");
  // Its other one: the corrected terminal ticket's (coordinator.spec.ts), rejected there. No other partner's.
  await expect(own.locator("tbody tr")).toHaveCount(2);
  await expect(own.locator("tbody tr").filter({ hasText: "Rejected" })).toHaveCount(1);
  // A rejected difference is never carried: its figure is not coloured as a credit or a debit.
  await expect(own.locator("tbody tr").filter({ hasText: "Rejected" }).getByTestId("delta-not-carried")).toHaveCount(1);
  await expect(own.locator(`tr[data-adjustment="${northwindId}"]`).getByTestId("delta")).toHaveClass("delta-pos");
  await expect(own.locator("tbody tr").filter({ hasText: "basalt" })).toHaveCount(0);
  await expectAccessible(partner, "the partner's statements with an adjustment");
  await screenshot(partner, "partner-adjustments", own);
  await partner.setViewportSize(PHONE);
  await expectRowsAsBlocks(partner, "Our adjustments table", "tbody tr", ["Change (bbl)", "Status", "Carried in"]);
  await screenshot(partner, "phone-partner-adjustments", own);
  await partner.setViewportSize(partnerDesktop);
  // Its latest statement's figures: the shrinkage as a gain, the adjustment carried, and the net including it.
  await expect(partner.getByTestId("latest-shrinkage")).toHaveText(/^−\d{1,3}(,\d{3})*\.\d{2} bbl \(gain\)$/);
  await expect(partner.getByTestId("latest-adjustments-label")).toHaveText("Adjustments carried (1)");
  await expect(partner.getByTestId("latest-adjustments")).toHaveText(`${ledgerFigures.texts[1]} bbl`);
  await expect(partner.getByTestId("latest-net")).toHaveText(`${ledgerFigures.texts[2]} bbl`);
  // The restated version's row says where its difference went: adding that row to the net above would count it twice.
  await expect(partner.locator(`tr[data-report="${PERIOD_RECEIPT}_v2"]`).getByTestId("restated")).toHaveText(
    new RegExp(`^Restated: ${ledgerFigures.texts[1].replace("+", "\\+")} bbl against the figures before it; the difference is settled in .*${laterReceipt}_v1, as a prior-period adjustment\\.$`),
  );
  await expect(partner.locator(`tr[data-report="${PERIOD_RECEIPT}_v1"]`).getByTestId("restated")).toHaveCount(0);
  await screenshot(partner, "partner-latest-net");
  // The statement itself shows the partner its own net position only, line by line.
  await open(partner, `statements/${laterReceipt}_v1`);
  const partnerLedgers = partner.getByTestId("statement").getByTestId("net-positions").locator("tbody");
  await expect(partnerLedgers).toHaveCount(1);
  await expect(partnerLedgers).toHaveAttribute("data-partner", "northwind");
  expect((await expectNetLedger(partnerLedgers, [northwindId], `${PERIOD_RECEIPT}_v2`)).texts).toEqual(ledgerFigures.texts);
  await expectAccessible(partner, "the partner's statement with its net position");
  await screenshot(partner, "partner-net-position", partner.getByTestId("statement").getByTestId("net-positions"));
  // On a phone the carried adjustment is a block, and the statement's row too: the change, where it
  // comes from and the allocation on the screen, nothing to scroll sideways to.
  await partner.setViewportSize(PHONE);
  await expectNoSidewaysScroll(partner, "the partner's statement with a carried adjustment at 390 px");
  await expectRowsAsBlocks(partner, "Carried adjustments table", "tbody tr", ["Change (bbl)", "From statement", "Period of origin", "Approved"]);
  await screenshot(partner, "phone-partner-carried-adjustment", partner.getByTestId("statement").getByTestId("carried-adjustments"));
  await expectRowsAsBlocks(partner, "Allocation by partner", "tbody tr", ["Share (%)", "Allocated (bbl)"]);
  // The net position's lines each with its figure beside it, the net on the screen.
  const ledgerBox = partner.getByRole("region", { name: "Net positions table" });
  expect(await ledgerBox.evaluate((el) => el.scrollWidth - el.clientWidth), "the net positions held without scrolling sideways").toBeLessThanOrEqual(0);
  const netFigure = ledgerBox.locator('tr[data-line="net"] td.num');
  await netFigure.scrollIntoViewIfNeeded();
  await expect(netFigure).toBeInViewport({ ratio: 1 });
  await screenshot(partner, "phone-partner-net-position", ledgerBox);
  await expectAccessible(partner, "the partner's statement at 390 px");
  await partner.setViewportSize(partnerDesktop);
  // The restated version's statement tells the partner what became of its own adjustment.
  await open(partner, `statements/${PERIOD_RECEIPT}_v2`);
  await expect(partner.getByTestId("statement").getByTestId("restatement")).toContainText("the coordinators approved the restatement");
  await expect(partner.getByTestId("statement").getByTestId("restatement").getByRole("link")).toHaveAttribute(
    "href",
    new RegExp(`statements/${laterReceipt}_v1$`),
  );
  // On a phone its change from the version before is a block: before, after and the change on the screen.
  await partner.setViewportSize(PHONE);
  await expectRowsAsBlocks(partner, "Changes by partner", "tbody tr", ["NSV before", "Allocated after", "Change (bbl)"]);
  await screenshot(partner, "phone-partner-changes", partner.getByTestId("statement").getByTestId("changes"));
  await partner.setViewportSize(partnerDesktop);
  // Its notice of that statement gives the same three figures as the statement's lines.
  await open(partner, "inbox");
  const notice = partner.getByTestId("notification").filter({ hasText: `Allocation statement, version 1 of receipt ${laterReceipt}:` });
  await expect(notice).toHaveCount(1, { timeout: 60_000 });
  await expect(notice.locator("h2")).toContainText(`Allocation statement, version 1 of receipt ${laterReceipt}: Northwind Energy ${ledgerFigures.texts[0]} bbl`);
  await notice.getByText("Full text").click();
  await expect(notice.locator("p.body")).toContainText(
    `Your net position: allocated ${ledgerFigures.texts[0]} bbl, prior-period adjustments ${ledgerFigures.texts[1]} bbl, net ${ledgerFigures.texts[2]} bbl.`,
  );
  await expect(notice.locator("p.body")).not.toContainText("Basalt");
  await expect(notice.getByRole("link", { name: `Open statement: version 1 of receipt ${laterReceipt}` })).toBeVisible();
  await screenshot(partner, "partner-inbox-statement", notice);
  await partner.context().close();
});

// A gateway's ticket (api_key:…) is corrected by a coordinator too; a write the rules refuse is
// said in words, and the gateway's own fields stay as they were.
test("a coordinator corrects a gateway's entry; a refused correction is explained; the partner's operators are told of it", async ({ page, browser }) => {
  const id = `api_webtest${Date.now().toString(36)}`;
  const meter = testMeter("G");
  await writeAsServer(`production_entries/${id}`, {
    partner_id: "northwind",
    measured_at: new Date("2026-11-20T06:00:00Z"),
    gross_volume_bbl: 3005.2,
    bsw_percent: 0.31,
    temperature_degF: 100.4,
    api_gravity: 36.6,
    meter_id: meter,
    created_by: "api_key:webtest",
    source: "api",
    api_key_id: "webtest",
    ticket_id: "T-1",
    created_at: new Date(),
  });
  await expect.poll(async () => ((await readAsServer(`production_entries/${id}`))?.audit as { status?: string } | undefined)?.status, { timeout: 90_000 }).toBeTruthy();

  await signIn(page, USERS.coordinator);
  await open(page, `entry/${id}`);
  await page.getByRole("button", { name: "Correct", exact: true }).click();
  const form = page.getByTestId("entry-form");
  await expect(form.locator('[name="gross_volume_bbl"]')).toHaveValue("3005.2");
  await expect(form.locator('[name="meter_id"]')).toHaveValue(meter);
  // The meter is the entry's own: no example meter is offered under it.
  await expect(form.locator("#meter-hint")).toHaveText(/^LACT meter id\. Left empty/);
  // Gross volume 0: the rules would refuse it, so the form says it cannot be saved (once, not as
  // the auditor's verdict) and does not send it; Save names the field.
  await form.locator('[name="gross_volume_bbl"]').fill("0");
  await form.getByRole("textbox", { name: /Why this correction/ }).fill("Gateway sent the wrong meter factor.");
  const grossHint = form.getByTestId("gross_volume_bbl-hint");
  await expect(grossHint).toHaveText("Cannot be saved: must be above 0 bbl.");
  await expect(grossHint).toHaveAttribute("data-refused", "true");
  await expect(form.getByRole("button", { name: "Save correction" })).toBeDisabled();
  await expect(form.getByTestId("refused-hint")).toHaveText("Cannot be saved: Gross volume must be above 0 bbl.");
  // A BS&W the auditor rejects is not refused: it can be saved, and the hint says so.
  await form.locator('[name="bsw_percent"]').fill("6");
  await expect(form.getByTestId("bsw_percent-hint")).toContainText("Can be saved, then rejected: above 5 %");
  await form.locator('[name="bsw_percent"]').fill("0.31");
  await screenshot(page, "coordinator-correction-refused", form);

  await form.locator('[name="gross_volume_bbl"]').fill("3005.2");
  await form.locator('[name="meter_factor"]').fill("1.0012");
  await form.getByRole("button", { name: "Save correction" }).click();
  await expect(page.getByTestId("entry-form")).toHaveCount(0);
  await expect(page.getByTestId("correction")).toContainText("Corrected by Priya Raman");
  await expect(page.getByTestId("correction")).toContainText("Gateway sent the wrong meter factor.");
  const stored = (await readAsServer(`production_entries/${id}`))!;
  expect(stored).toMatchObject({ meter_factor: 1.0012, corrected_by: "demo-coordinator", correction_note: "Gateway sent the wrong meter factor.", created_by: "api_key:webtest", source: "api", ticket_id: "T-1", gross_volume_bbl: 3005.2 });
  // The ticket had no pressure and the form left it empty: still absent, not null (its audited inputs unchanged but the factor).
  expect(stored).not.toHaveProperty("pressure_psig");

  // The partner's field operators are told who changed which figure, from what to what, and why.
  const operator = await userPage(browser, USERS.operatorNorthwind);
  await open(operator, "inbox");
  const notice = operator.getByTestId("notification").filter({ hasText: `${meter}` }).filter({ hasText: "corrected by Priya Raman" });
  await expect(notice).toContainText("Changed: Meter factor: 1.00000 → 1.00120.", { timeout: 90_000 });
  await expect(notice).toContainText('Correction note: "Gateway sent the wrong meter factor."');
  await expect(notice.locator(".badge")).toHaveText("Corrected entry");
  await expect(notice.getByRole("link", { name: "Open the entry" })).toHaveAttribute("href", `#/entry/${id}`);
  await screenshot(operator, "operator-correction-notice", notice);
  await operator.context().close();
});

// Seeded adjustments are removed after their test, even one that timed out: left, they would fill
// the coordinator's recently decided adjustments in the later projects.
let seededAdjustments: string[] = [];
test.afterEach(async () => {
  if (seededAdjustments.length === 0) return;
  await commitAsServer(seededAdjustments.map((path) => ({ path })));
  seededAdjustments = [];
});

// Fifty newer adjustments of Northwind's push its own two past the list's first page: the
// restated version's line under its statement is read for the versions listed, not from that page.
test("a partner's adjustments are listed 50 at a time, and a statement past them keeps its Restated line", async ({ page }) => {
  const stamp = Date.now().toString(36);
  const now = new Date();
  const paths = Array.from({ length: 50 }, (_, i) => `prior_period_adjustments/zz-page-${stamp}-${String(i).padStart(2, "0")}`);
  seededAdjustments = paths;
  await commitAsServer(
    paths.map((path, i) => ({
      path,
      data: {
        from_reconciliation_id: `zz-page-${stamp}-${i}_v2`,
        previous_reconciliation_id: `zz-page-${stamp}-${i}_v1`,
        terminal_receipt_id: `zz-page-${stamp}-${i}`,
        period_start: new Date(Date.UTC(2001, 0, 1 + i)),
        period_end: new Date(Date.UTC(2001, 0, 2 + i)),
        partner_id: "northwind",
        delta_bbl: 1.25,
        status: "rejected",
        decided_by: "demo-coordinator",
        decided_at: now,
        note: "Seeded for the paging test.",
        carried_in: null,
        created_at: now,
        released: true,
      },
    })),
  );
  await signIn(page, USERS.partnerNorthwind);
  await open(page, "statements");
  const own = page.getByTestId("partner-adjustments");
  await expect(own.locator("tbody tr")).toHaveCount(50);
  const cut = page.getByTestId("adjustments-cut");
  await expect(cut).toContainText("Showing the newest 50 adjustments; older ones, if any, are not shown.");
  const restating = own.locator(`tr[data-adjustment^="${PERIOD_RECEIPT}_v2_"]`);
  await expect(restating).toHaveCount(0);
  // Its statement's row still says where the difference went.
  const line = page.getByTestId("statements").locator(`tr[data-report="${PERIOD_RECEIPT}_v2"]`).getByTestId("restated");
  await expect(line).toHaveText(/^Restated: \+[\d,]+\.\d{2} bbl against the figures before it; the difference is settled in .+, as a prior-period adjustment\.$/);
  await expect(page.getByTestId("restatements-error")).toHaveCount(0);
  await cut.getByRole("button", { name: "Show older adjustments" }).click();
  await expect(restating).toHaveCount(1);
  await expect(own.locator("tbody tr")).toHaveCount(52);
  // Fewer than the second page's 100 in all: nothing is said to be left out.
  await expect(cut).toHaveCount(0);
  await expect(line).toHaveCount(1);
});
