import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { deleteAsServer, expectAccessible, fillEntry, open, screenshot, signIn, testMeter, USERS, userPage, writeAsServer } from "./support";

const PERIOD_RECEIPT = "pet-20260901-20261030";

async function unreadCount(page: Page): Promise<number> {
  const badge = page.getByTestId("unread-count");
  return (await badge.count()) === 0 ? 0 : Number(await badge.innerText());
}

test.describe.configure({ mode: "serial" });

test("a flagged entry reaches the coordinator's inbox live, is marked read, and is approved in the review queue", async ({ page, browser }) => {
  await signIn(page, USERS.coordinator);
  await page.getByRole("link", { name: /Inbox/ }).click();
  await expect(page.getByRole("heading", { name: "Inbox", level: 1 })).toBeVisible();
  await expect(page.getByText("Loading…")).toHaveCount(0);
  const before = await unreadCount(page);

  // The operator files an entry the auditor flags (BS&W 2 %, above the typical 1 %).
  const operator = await userPage(browser, USERS.operatorNorthwind);
  const form = operator.getByTestId("entry-form");
  await form.locator('[name="day"]').fill("2026-11-04");
  const meter = testMeter("F");
  await form.locator('[name="meter_id"]').fill(meter);
  await fillEntry(operator, { gross_volume_bbl: "3008.10", bsw_percent: "2.0", temperature_degF: "100.4", api_gravity: "36.6", pressure_psig: "38", meter_factor: "1.0007" });
  await expect(operator.getByTestId("bsw_percent-hint")).toHaveAttribute("data-level", "warning");
  await operator.getByRole("button", { name: "Save entry" }).click();
  const verdict = operator.getByTestId("verdict");
  await expect(verdict).toHaveAttribute("data-status", "flagged", { timeout: 90_000 });
  await expect(verdict.locator('tr[data-field="bsw_percent"] [data-code="BSW_ABOVE_TYPICAL"]')).toBeVisible();
  const entryId = (await verdict.getAttribute("data-entry"))!;

  // The communicator's notification arrives in the open inbox without a reload.
  const item = page.locator('[data-testid="notification"].unread', { hasText: meter }).first();
  await expect(item).toBeVisible({ timeout: 90_000 });
  // Its title names the ticket as the coordinator knows it: the partner's name, the meter and the contract day.
  await expect(item.locator("h2")).toHaveText(new RegExp(`Northwind Energy · ${meter}, contract day 2026-11-04: flagged, \\d+ findings?$`));
  await expect(item.locator("h2")).not.toContainText(entryId);
  await expect.poll(() => unreadCount(page)).toBe(before + 1);
  await expectAccessible(page, "the coordinator's inbox");
  await screenshot(page, "inbox");
  await item.getByText("Full text").click();
  await expect(item.locator(".body")).toContainText(`The auditor flagged the production entry of Northwind Energy on meter ${meter} for contract day 2026-11-04.`);
  await expect(item.locator(".body")).toContainText(`Entry id ${entryId}.`);
  await expect(item.locator(".body")).not.toContainText("northwind");
  await item.getByRole("button", { name: "Mark read" }).click();
  await expect.poll(() => unreadCount(page)).toBe(before);

  // The review queue: figures, reasons, approve with a note.
  await page.getByRole("link", { name: "Review queue" }).click();
  const review = page.locator(`[data-testid="review-item"][data-entry="${entryId}"]`);
  await expect(review).toBeVisible();
  await expect(review.locator('[data-code="BSW_ABOVE_TYPICAL"]')).toBeVisible();
  // Each reason is titled in words; its code is kept for support, on hover.
  await expect(review.locator('[data-code="BSW_ABOVE_TYPICAL"] .code')).toHaveText("BS&W above typical");
  await expect(review.locator('[data-code="BSW_OUTLIER"] .code')).toHaveText("BS&W outlier");
  // The card names the partner, not its id; the entry's document id is a small detail for support.
  const head = review.locator(".verdict-head");
  await expect(head).toContainText("Northwind Energy");
  await expect(head).not.toContainText("northwind");
  await expect(head.getByText(entryId, { exact: true })).toHaveClass(/doc-id/);
  // Each median in its value's precision and unit, as the auditor's reason quotes it.
  await expect(review.locator('tr[data-field="gross_volume_bbl"] [data-testid="median"]')).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2} bbl$/);
  const bswMedian = review.locator('tr[data-field="bsw_percent"] [data-testid="median"]');
  await expect(bswMedian).toHaveText(/^\d+\.\d{2} %$/);
  await expect(review.locator('[data-code="BSW_OUTLIER"]')).toContainText(`(median ${await bswMedian.innerText()};`);
  // The gross volume is below its median: its z has the statements' minus sign (U+2212), not a hyphen.
  await expect(review.locator('tr[data-field="gross_volume_bbl"] [data-testid="z"]')).toHaveText(/^−\d+\.\d{2}$/);
  // No Gemini key in the browser layer: the reason is said in words, not as its code, and once
  // (the rules' explanation says it; the app adds no second sentence).
  const explanation = review.locator(".explanation");
  await expect(explanation).toContainText("no Gemini API key is configured");
  expect((await explanation.innerText()).split("no Gemini API key is configured").length - 1).toBe(1);
  await expect(review.getByTestId("gemini-reason")).toHaveCount(0);
  await expect(explanation).not.toContainText("no_key");
  await expectAccessible(page, "the review queue");
  await screenshot(page, "coordinator-review-queue");
  const reviewNote = "Heater-treater upset confirmed with the field; water draw on the next ticket.";
  await review.getByRole("textbox", { name: /Review note/ }).fill(reviewNote);
  // A note typed and not yet sent survives the card leaving the screen (a look at the inbox, and back).
  await page.getByRole("link", { name: /Inbox/ }).click();
  await expect(review).toHaveCount(0);
  await page.getByRole("link", { name: "Review queue" }).click();
  await expect(review.getByRole("textbox", { name: /Review note/ })).toHaveValue(reviewNote);
  await review.getByRole("button", { name: "Approve" }).click();
  await expect(review).toHaveCount(0, { timeout: 30_000 });
  // The card has gone, not the focus: the next card has it, or the status line that says what was decided.
  await expect(page.getByTestId("queue-decided")).toHaveText(new RegExp(`^${meter} on 2026-11-04 approved\\.`));
  await expect(page.locator('[data-testid="review-item"]:focus, [data-testid="queue-decided"]:focus')).toHaveCount(1);
  // Recent decisions are listed by when they were made: this one first.
  const decision = page.getByTestId("recently-reviewed").locator("tbody tr").first();
  await expect(decision).toHaveAttribute("data-reviewed", entryId);
  // Named as the rest of the app names them: the entry by its meter and contract day (its id small,
  // never the link's text), the partner and the reviewer by name, each reason by its title (code on hover).
  await expect(decision.getByTestId("reviewed-entry").getByRole("link")).toHaveText(`${meter} on 2026-11-04`);
  await expect(decision.getByTestId("reviewed-entry").getByText(entryId, { exact: true })).toHaveClass(/doc-id/);
  await expect(decision.getByTestId("reviewed-partner")).toHaveText("Northwind Energy");
  await expect(decision.getByTestId("reviewed-when")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC by Priya Raman$/);
  await expect(decision.locator('[data-testid="reviewed-reasons"] [data-code="BSW_ABOVE_TYPICAL"]')).toHaveText("BS&W above typical");
  await expect(decision.locator('[data-code="BSW_ABOVE_TYPICAL"]')).toHaveAttribute("title", "Reason code: BSW_ABOVE_TYPICAL");
  await expect(decision).not.toContainText(/demo-coordinator|northwind|BSW_/);
  await expect(operator.getByTestId("verdict").locator(".badge[data-status=approved]")).toHaveText("Approved");
  // The operator reads who decided by name (people/{uid}), not by uid.
  await expect(operator.getByTestId("verdict")).toContainText("by Priya Raman (JV coordinator)");
  // The operator, told of the flag, is told of the decision too: who made it and why.
  await open(operator, "inbox");
  const decided = operator.locator('[data-testid="notification"].unread', {
    hasText: `Northwind Energy · ${meter}, contract day 2026-11-04: approved on review`,
  });
  await expect(decided).toHaveCount(1, { timeout: 90_000 });
  await decided.getByText("Full text").click();
  await expect(decided).toContainText(
    `Priya Raman approved the production entry of Northwind Energy on meter ${meter} for contract day 2026-11-04, which the auditor had flagged.`,
  );
  await expect(decided).toContainText(`Entry id ${entryId}.`);
  await expect(decided).toContainText("Heater-treater upset confirmed with the field");
  await expect(decided.locator(".badge[data-status=approved]")).toHaveText("Review decision");
  await expect(decided.getByRole("link", { name: "Open the entry" })).toBeVisible();
  await screenshot(operator, "operator-inbox-review-decision", decided);
  await operator.context().close();
});

test("the coordinator reconciles the seeded period after its pre-flight, and verifies the statement", async ({ page }) => {
  await signIn(page, USERS.coordinator);
  await page.getByRole("link", { name: "Terminal receipts" }).click();
  await page.getByRole("link", { name: PERIOD_RECEIPT, exact: true }).click();
  const preflight = page.getByTestId("preflight");
  await expect(preflight).toHaveAttribute("data-blockers", "0");
  await expect(preflight).toContainText("423 entries in the period; all audited");
  // Every partner's meters report every day of the seeded period: nothing missing to warn of.
  await expect(preflight.getByTestId("preflight-coverage")).toHaveText(
    "every active partner has production on each of the period's 60 contract days, from every meter it reported",
  );
  await expect(preflight.getByTestId("preflight-coverage")).toHaveClass(/\bok\b/);
  // Never reconciled: a late entry is counted by the pre-flight, not said to make anything stale.
  await expect(page.getByTestId("late-entry-intro")).toContainText("The period is not reconciled yet, so the pre-flight counts it once it is audited.");
  await page.getByRole("button", { name: "Reconcile", exact: true }).click();
  const statement = page.getByTestId("statement");
  await expect(statement).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId("late-entry-intro")).toContainText("The day's reconciliation then turns stale, and reconciling again makes a new version.");
  await expect(statement).toHaveAttribute("data-id", `${PERIOD_RECEIPT}_v1`);
  await expect(statement.locator("tbody tr[data-partner]").first()).toBeVisible();
  await expect(statement.locator(".statement-table tbody tr[data-partner]")).toHaveCount(5);
  await expect(statement.locator(".statement-table tfoot")).toContainText("853,551.71");
  // The allocation rule in words, its key only on hover.
  await expect(statement.getByTestId("method")).toContainText("pro rata to each partner's NSV, rounded to 0.01 bbl by largest remainder");
  await expect(statement.getByTestId("method")).not.toContainText("pro-rata-nsv");
  // The terminal's NSV from its factors, each shown: gross × meter factor × CTPL, then × CSW.
  const factors = statement.getByLabel("Terminal factors");
  for (const shown of ["Terminal gross867,426.38 bbl", "CTPL0.98756", "Meter factor1.00000", "Gross standard volume856,635.60 bbl", "CSW0.99640", "Terminal NSV853,551.71 bbl"])
    await expect(factors).toContainText(shown);
  await expect(statement.getByTestId("luaf").locator("dd")).toHaveText(/^±\d+(\.\d+)? %; the shrinkage is within it$/);
  await statement.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByTestId("verify-result")).toHaveAttribute("data-ok", "true", { timeout: 120_000 });
  await expectAccessible(page, "the reconciled statement");
  await screenshot(page, "coordinator-statement", statement);
  const download = page.waitForEvent("download");
  await page.getByTestId("export").getByRole("button", { name: "PDF" }).click();
  const pdf = await download;
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  const bytes = readFileSync(await pdf.path());
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  await expect(page.getByTestId("export-done")).toContainText(createHash("sha256").update(bytes).digest("hex"));
});

test("after the reconciliation, an operator's form refuses a closed day", async ({ page }) => {
  await signIn(page, USERS.operatorNorthwind);
  const form = page.getByTestId("entry-form");
  await form.locator('[name="day"]').fill("2026-10-15");
  await expect(page.getByTestId("day-hint")).toContainText(`Closed: allocated by version 1 of receipt ${PERIOD_RECEIPT}`);
  // The refusal says what to do instead: late data on a closed day goes through a coordinator.
  await expect(page.getByTestId("day-hint")).toContainText(
    "Operators cannot add entries to 2026-10-15: ask a JV coordinator (or an admin) to add the ticket as a late entry, with a note saying why.",
  );
  await screenshot(page, "operator-closed-day-next-step", form);
  await expect(page.getByRole("button", { name: "Save entry" })).toBeDisabled();
  await expect(form.locator('[name="gross_volume_bbl"]')).toBeDisabled();
  // The list shows the day closed too.
  await expect(page.locator('[data-day="2026-10-30"]').getByText(/Closed/)).toBeVisible();
  // An open day enables the form again.
  await form.locator('[name="day"]').fill("2026-11-05");
  await expect(page.getByTestId("day-hint")).not.toContainText("Closed");
  await expect(page.getByRole("button", { name: "Save entry" })).toBeEnabled();
  // Its own entry of a closed day cannot be moved to an open one: the rules would refuse that edit of the closed day.
  await open(page, "entries/2026-09-01_NWE-LACT-01");
  const edit = page.getByTestId("entry-form");
  await expect(edit.locator('[name="day"]')).toHaveValue("2026-09-01");
  await expect(page.getByTestId("day-hint")).toContainText(`Closed: allocated by version 1 of receipt ${PERIOD_RECEIPT}`);
  await expect(page.getByTestId("day-hint")).toContainText("Operators cannot change the entries of 2026-09-01: ask a JV coordinator (or an admin) to correct this entry, with a note saying why.");
  await edit.locator('[name="day"]').fill("2026-11-05");
  await expect(page.getByTestId("day-hint")).toContainText(`The entry's own day, 2026-09-01, is closed: allocated by version 1 of receipt ${PERIOD_RECEIPT}`);
  await expect(page.getByTestId("day-hint")).toContainText("ask a JV coordinator (or an admin) to correct this entry");
  await expect(edit.getByRole("button", { name: "Save correction" })).toBeDisabled();
  await expect(edit.locator('[name="gross_volume_bbl"]')).toBeDisabled();
  await screenshot(page, "operator-closed-entry-locked", edit);
});

test("the coordinator enters the terminal receipt of a day and reconciles it", async ({ page }) => {
  await signIn(page, USERS.coordinator);
  await page.getByRole("link", { name: "Terminal receipts" }).click();
  const form = page.getByRole("form", { name: "New terminal receipt" });
  const id = `pet-20261104-${Date.now().toString(36)}`;
  const values: Record<string, string> = {
    id, start: "2026-11-04", last: "2026-11-04", terminal_name: "Port Ellery Crude Terminal",
    gross_volume_bbl: "2985.40", bsw_percent: "0.40", temperature_degF: "88.0", api_gravity: "35.1", pressure_psig: "12", meter_factor: "1.0002",
  };
  for (const [name, value] of Object.entries(values)) await form.locator(`[name="${name}"]`).fill(value);
  // A period the rules would refuse as too long is caught first, with the reason.
  await form.locator('[name="last"]').fill("2027-11-05");
  await form.getByRole("button", { name: "Save receipt" }).click();
  await expect(form.getByRole("alert")).toContainText("A receipt covers at most 366 contract days; 2026-11-04 to 2027-11-05 is 367.");
  await form.locator('[name="last"]').fill(values.last);
  await form.getByRole("button", { name: "Save receipt" }).click();
  await expect(form.getByRole("status")).toContainText(`Terminal receipt ${id} saved.`);
  await expect(page.locator(`[data-receipt="${id}"]`)).toContainText("Not reconciled");
  await expect(page.locator(`[data-receipt="${id}"]`)).toContainText("2,985.40");

  await page.getByRole("link", { name: id, exact: true }).click();
  // The flagged entry approved in the first scenario is the day's only Northwind entry.
  await expect(page.getByTestId("preflight")).toHaveAttribute("data-blockers", "0");
  await page.getByRole("button", { name: "Reconcile", exact: true }).click();
  const statement = page.getByTestId("statement");
  await expect(statement).toHaveAttribute("data-id", `${id}_v1`, { timeout: 120_000 });
  await expect(statement.locator(".statement-table tfoot")).toContainText(/\d{1,3}(,\d{3})*\.\d{2}/);

  // The terminal corrects its figure: from the reconciled receipt's own page, a new receipt for the
  // same day, starting from this one's period and figures, replaces it.
  const correct = page.getByTestId("correct-ticket");
  await correct.getByText("Correct this ticket").click();
  const correction = correct.getByRole("form", { name: `Corrected ticket for receipt ${id}` });
  await expect(correction.getByTestId("replaces-fixed")).toHaveText(id);
  const prefilled = { start: "2026-11-04", last: "2026-11-04", terminal_name: "Port Ellery Crude Terminal", gross_volume_bbl: "2985.4", bsw_percent: "0.4", temperature_degF: "88", api_gravity: "35.1", pressure_psig: "12", meter_factor: "1.0002" };
  for (const [name, value] of Object.entries(prefilled)) await expect(correction.locator(`[name="${name}"]`)).toHaveValue(value);
  await expect(correction.locator('[name="id"]')).toHaveValue("");
  const corrected = `${id}-b`;
  await correction.locator('[name="id"]').fill(corrected);
  await correction.locator('[name="gross_volume_bbl"]').fill("2990.10");
  // A corrected ticket says why: the form wants the reason before it writes (so do the rules).
  await correction.getByRole("button", { name: "Save receipt" }).click();
  await expect(correction.getByRole("alert")).toContainText(`Say why this receipt replaces ${id}`);
  const why = "The terminal re-proved its meter after the lift: gross restated.";
  await correction.getByRole("textbox", { name: new RegExp(`Why this receipt replaces ${id}`) }).fill(why);
  await screenshot(page, "coordinator-correct-ticket", correct);
  await correction.getByRole("button", { name: "Save receipt" }).click();
  // Saved, the correction is the replacement waiting for its reconciliation: no second one is offered.
  await expect(correct.getByTestId("correct-ticket-waiting")).toHaveText(
    `Receipt ${corrected} was entered to replace this ticket and is not reconciled yet: reconcile it, or withdraw it and enter the corrected ticket again here.`,
  );
  await expect(correction).toHaveCount(0);
  // Both receipts cover the day: the list says which one is to hold it.
  await page.getByRole("link", { name: "Terminal receipts" }).click();
  await expect(page.locator(`[data-receipt="${id}"]`).getByTestId("replaced-by")).toHaveText(`${corrected} replaces it once reconciled`);
  await expect(page.locator(`[data-receipt="${corrected}"]`)).toContainText("2,990.10");
  // The same id once more, from the list's form naming the receipt it replaces: the rules refuse it,
  // and the form says why in words.
  for (const [name, value] of Object.entries({ ...values, id: corrected })) await form.locator(`[name="${name}"]`).fill(value);
  await form.locator('[name="supersedes"]').selectOption(id);
  await form.getByRole("textbox", { name: new RegExp(`Why this receipt replaces ${id}`) }).fill(why);
  await form.getByRole("button", { name: "Save receipt" }).click();
  await expect(form.getByRole("alert")).toHaveText(
    `Receipt ${corrected} already exists, and a receipt is never changed: to correct it, enter a new receipt under another id and choose ${corrected} under “Replaces receipt”.`,
  );
  await page.locator(`[data-receipt="${corrected}"]`).getByRole("link", { name: corrected, exact: true }).click();
  await expect(page.getByTestId("receipt-replaces")).toContainText(`Replaces receipt ${id}, entered by Priya Raman because: “${why}”`);
  await expect(page.getByTestId("preflight")).toHaveAttribute("data-blockers", "0");
  await page.getByRole("button", { name: "Reconcile", exact: true }).click();
  await expect(statement).toHaveAttribute("data-id", `${corrected}_v1`, { timeout: 120_000 });
  // The replaced version named in words (its period, receipt and version), its id small beside it.
  await expect(statement.getByTestId("replaces")).toContainText(new RegExp(`replaces receipt ${id} \\(\\d{4}-\\d{2}-\\d{2} · receipt ${id} · version 1 ${id}_v1\\)$`));
  await expect(statement.getByTestId("replaces-why")).toContainText(`Why the terminal's ticket was corrected: entered by Priya Raman`);
  await expect(statement.getByTestId("replaces-why")).toContainText(why);
  // Each partner's figures against the replaced version: Northwind's allocation moved up.
  await expect(statement.getByText(`Changes from version 1 of receipt ${id}, the receipt this one replaces`)).toBeVisible();
  // Each partner by its name, not its id.
  await expect(statement.getByTestId("changes").locator("tbody tr").filter({ hasText: "Northwind Energy" }).locator("td.strong")).toHaveText(/^\+\d{1,3}(,\d{3})*\.\d{2}$/);
  await expect(statement.getByTestId("changes").locator("tbody th").filter({ hasText: /^[a-z]+$/ })).toHaveCount(0);
  await screenshot(page, "coordinator-replacing-receipt", statement);
  await statement.locator(`a[data-statement="${id}_v1"]`).click();
  await expect(page.getByTestId("statement")).toHaveAttribute("data-id", `${id}_v1`);
  await expect(page.getByTestId("statement").locator(".meta")).toContainText(new RegExp(`superseded by \\d{4}-\\d{2}-\\d{2} · receipt ${corrected} · version 1 ${corrected}_v1`));
  await page.getByRole("link", { name: "Terminal receipts" }).click();
  await expect(page.locator(`[data-receipt="${id}"]`).getByTestId("replaced-by")).toHaveText(`Replaced by ${corrected}`);
  await expect(page.locator(`[data-receipt="${corrected}"]`).getByTestId("replaced-by")).toHaveCount(0);

  // The replaced receipt's page says its day is the corrected ticket's now, before Reconcile is pressed,
  // and sends a further correction to the receipt that holds the day.
  await open(page, `receipts/${id}`);
  await page.getByTestId("correct-ticket").getByText("Correct this ticket").click();
  await expect(page.getByTestId("correct-ticket-replaced")).toHaveText(
    `Receipt ${corrected} replaced this ticket and holds its days: to correct the ticket again, correct that receipt.`,
  );
  await expect(page.getByRole("form", { name: `Corrected ticket for receipt ${id}` })).toHaveCount(0);
  await expect(page.getByTestId("preflight").getByTestId("preflight-overlap")).toHaveText(
    `2026-11-04 is allocated by version 1 of receipt ${corrected}, the receipt that replaces this one: reconcile receipt ${corrected} instead; to correct the ticket again, enter a new receipt that replaces ${corrected}.`,
  );
  await expect(page.getByRole("button", { name: /^Reconcile again/ })).toBeDisabled();

  // What the replaced statement told Northwind moved with the terminal's figure: a pending
  // prior-period adjustment, decided here (rejected, so that no later period carries it).
  await page.getByRole("link", { name: "Review queue" }).click();
  const raised = page.locator(`[data-testid="adjustment-item"][data-adjustment^="${corrected}_v1_"]`);
  await expect(raised).toHaveCount(1);
  await expect(raised).toContainText("Northwind Energy");
  await expect(raised.getByTestId("delta")).toHaveText(/^\+\d{1,3}(,\d{3})*\.\d{2}$/);
  await screenshot(page, "coordinator-replacing-receipt-adjustment", raised);
  // The restatement's set (here Northwind's alone) is decided with one note.
  const set = page.locator(`[data-testid="adjustment-set"][data-from="${corrected}_v1"]`);
  await set.getByRole("textbox", { name: /Decision note/ }).fill("Settled with the terminal's corrected ticket outside FlowShare.");
  await set.getByRole("button", { name: "Reject" }).click();
  await expect(raised).toHaveCount(0);
  await expect(page.getByTestId("adjustments-decided")).toHaveText(/^Adjustment rejected\./);
  await expect(page.locator('[data-testid="adjustment-set"]:focus, [data-testid="adjustments-decided"]:focus')).toHaveCount(1);
});

test("a receipt whose shrinkage is outside the LUAF band is reconciled with the coordinator's acknowledgement", async ({ page }) => {
  await signIn(page, USERS.coordinator);
  await page.getByRole("link", { name: "Terminal receipts" }).click();
  const form = page.getByRole("form", { name: "New terminal receipt" });
  // 2026-11-02 holds the operator's sound Northwind entry (operator.spec.ts), about 2,960 bbl NSV:
  // a terminal figure of 2,500 bbl gross is a loss of some 16 %, far outside the default ±2 %.
  const id = `pet-20261102-${Date.now().toString(36)}`;
  const values = { id, start: "2026-11-02", last: "2026-11-02", gross_volume_bbl: "2500.00", bsw_percent: "0.40", temperature_degF: "88.0", api_gravity: "35.1" };
  for (const [name, value] of Object.entries(values)) await form.locator(`[name="${name}"]`).fill(value);
  await form.getByRole("button", { name: "Save receipt" }).click();
  await expect(form.getByRole("status")).toContainText(`Terminal receipt ${id} saved.`);
  await page.getByRole("link", { name: id, exact: true }).click();
  await expect(page.getByTestId("preflight")).toHaveAttribute("data-blockers", "0");
  await page.getByRole("button", { name: "Reconcile", exact: true }).click();

  // Refused with the figures, and a way to release it: a note saying why the loss is accepted.
  const ack = page.getByRole("form", { name: "Acknowledge the shrinkage" });
  await expect(ack).toBeVisible({ timeout: 120_000 });
  await expect(ack).toContainText("outside the LUAF band of ±2");
  // A loss: the shrinkage to 5 decimals as signed figures are shown (a gain would carry U+2212).
  await expect(ack.getByTestId("luaf-shrinkage")).toHaveText(/^\d+\.\d{5} %$/);
  await expect(ack).toContainText("(a loss: field NSV");
  // Only Northwind has entries that day: the form points to the pre-flight's gaps.
  await expect(ack).toContainText(/The pre-flight lists (a partner|\d partners) with days without production: a missing entry is the first thing to look for\./);
  const release = ack.getByRole("button", { name: "Reconcile with this acknowledgement" });
  await expect(release).toBeDisabled();
  const why = "Tank strapping error at the terminal confirmed; the corrected ticket follows.";
  await ack.getByRole("textbox", { name: /Why the loss or gain is accepted/ }).fill(why);
  // Refused for something else on the way (here the coordinator's reconcile calls for the minute,
  // all used up): the form goes, as its figures no longer stand, and the refusal is said instead.
  const limited = "rate_limits/demo-coordinator_reconcile";
  await writeAsServer(limited, { uid: "demo-coordinator", fn: "reconcile", admitted_ms: Array.from({ length: 200 }, () => Date.now()) });
  await release.click();
  // Said by its sentence alone: the limit's figures in its details are for programs.
  await expect(page.getByRole("alert").filter({ hasText: /^Not reconciled: Too many reconciliations/ })).toHaveText(
    /^Not reconciled: Too many reconciliations in a short time: at most \d+ in any 60 s\. Try again in \d+ s\.$/,
  );
  await expect(ack).toHaveCount(0);
  await screenshot(page, "coordinator-luaf-other-refusal", page.getByTestId("preflight"));
  await deleteAsServer(limited);
  await page.getByRole("button", { name: "Reconcile", exact: true }).click();
  await expect(ack).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole("alert").filter({ hasText: /^Not reconciled/ })).toHaveCount(0);
  await ack.getByRole("textbox", { name: /Why the loss or gain is accepted/ }).fill(why);
  await expectAccessible(page, "the LUAF acknowledgement");
  await screenshot(page, "coordinator-luaf-acknowledgement", ack);
  await release.click();
  const statement = page.getByTestId("statement");
  await expect(statement).toHaveAttribute("data-id", `${id}_v1`, { timeout: 120_000 });
  await expect(statement.getByTestId("luaf").locator("dd")).toHaveText(/^±\d+(\.\d+)? %; the shrinkage is outside it Accepted by Priya Raman \(JV coordinator\): “/);
  await expect(statement.getByTestId("luaf").locator(".badge")).toHaveText("Accepted");
  await expect(statement.getByTestId("luaf")).toContainText("Tank strapping error at the terminal confirmed");
  await screenshot(page, "coordinator-luaf-statement", statement);
});

test("the pre-flight links a flagged entry that blocks the period to the entry, where the coordinator reviews it", async ({ page, browser }) => {
  // The review queue lists the newest flagged entries only: an older one blocking a period must be
  // reachable from the pre-flight that names it.
  const operator = await userPage(browser, USERS.operatorNorthwind);
  const entryForm = operator.getByTestId("entry-form");
  await entryForm.locator('[name="day"]').fill("2026-11-05");
  const meter = testMeter("P");
  await entryForm.locator('[name="meter_id"]').fill(meter);
  await fillEntry(operator, { gross_volume_bbl: "3008.10", bsw_percent: "2.0", temperature_degF: "100.4", api_gravity: "36.6", pressure_psig: "38", meter_factor: "1.0007" });
  await operator.getByRole("button", { name: "Save entry" }).click();
  const verdict = operator.getByTestId("verdict");
  await expect(verdict).toHaveAttribute("data-status", "flagged", { timeout: 90_000 });
  const entryId = (await verdict.getAttribute("data-entry"))!;
  await operator.context().close();

  await signIn(page, USERS.coordinator);
  await page.getByRole("link", { name: "Terminal receipts" }).click();
  const form = page.getByRole("form", { name: "New terminal receipt" });
  const id = `pet-20261105-${Date.now().toString(36)}`;
  const values = { id, start: "2026-11-05", last: "2026-11-05", gross_volume_bbl: "2985.40", bsw_percent: "0.40", temperature_degF: "88.0", api_gravity: "35.1" };
  for (const [name, value] of Object.entries(values)) await form.locator(`[name="${name}"]`).fill(value);
  await form.getByRole("button", { name: "Save receipt" }).click();
  await expect(form.getByRole("status")).toContainText(`Terminal receipt ${id} saved.`);
  await page.getByRole("link", { name: id, exact: true }).click();
  const preflight = page.getByTestId("preflight");
  await expect(preflight).toHaveAttribute("data-blockers", "1");
  // Only Northwind has an entry that day: the other partners would be allocated nothing, which is
  // said, not refused (a shut-in partner has nothing to enter).
  const coverage = preflight.getByTestId("preflight-coverage");
  await expect(coverage).toHaveClass(/\bwarn\b/);
  await expect(coverage.locator("li[data-partner]")).toHaveText(
    ["Basalt Ridge Petroleum", "Kestrel Upstream", "Meridian Hydrocarbons", "Sable Creek Resources"].map(
      (name) => `${name}: no entry on the period's contract day: it would be allocated nothing.`,
    ),
  );
  await screenshot(page, "coordinator-preflight-coverage", preflight);
  // The blocking entry is named as users know it: its partner, meter and contract day.
  await expect(preflight).toContainText(`Northwind Energy: ${meter} on 2026-11-05`);
  await preflight.getByRole("link", { name: `${meter} on 2026-11-05`, exact: true }).click();
  await expect(page.getByTestId("verdict")).toHaveAttribute("data-entry", entryId);
  await page.getByRole("textbox", { name: /Review note/ }).fill("BS&W confirmed by the field's grind-out.");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("verdict").locator(".badge[data-status=approved]")).toHaveText("Approved");
  await expect(page.getByRole("form", { name: `Review of ${meter} on 2026-11-05` })).toHaveCount(0);
  // The decision can be changed from here, with a new note: the one just sent is not kept for it.
  const change = page.getByRole("form", { name: `Change the decision on ${meter} on 2026-11-05`, exact: true });
  await expect(change.getByRole("textbox", { name: /Change the decision \(now approved\)/ })).toHaveValue("");
  await page.getByRole("button", { name: "Back" }).click();
  await expect(page.getByTestId("preflight")).toHaveAttribute("data-blockers", "0");
});

test("a receipt entered by mistake is withdrawn with a note, and is no longer offered for reconciliation", async ({ page }) => {
  const id = await enterReceiptAndOpen(page, "pet-mistake", "2026-11-21");

  const withdraw = page.getByTestId("withdraw-receipt");
  await withdraw.getByText("Withdraw this receipt (entered by mistake)").click();
  const button = withdraw.getByRole("button", { name: "Withdraw receipt" });
  await expect(button).toBeDisabled();
  const why = "Entered for the wrong day: the ticket is for 22 November.";
  await withdraw.getByRole("textbox", { name: /Why it is withdrawn/ }).fill(why);
  await button.click();
  await expect(page.getByTestId("receipt-withdrawn")).toHaveText(
    new RegExp(`^Withdrawn by Priya Raman on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC: “${why}”$`),
  );
  await expect(page.getByText("It is not reconciled; the ticket is entered again as a new receipt.")).toBeVisible();
  await expect(page.getByTestId("preflight")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Reconcile", exact: true })).toHaveCount(0);
  await expect(withdraw).toHaveCount(0);
  await screenshot(page, "coordinator-receipt-withdrawn");
  await page.getByRole("link", { name: "All receipts" }).click();
  await expect(page.locator(`[data-receipt="${id}"]`)).toContainText("Withdrawn");
});

test("a receipt replaced before it was ever reconciled says so, and offers neither reconciliation nor withdrawal", async ({ page }) => {
  const id = await enterReceiptAndOpen(page, "pet-replaced", "2026-11-23");
  await expect(page.getByTestId("preflight")).toHaveCount(1);
  // The mark the first version of a corrected ticket for other days leaves on the receipt it replaces
  // (the emulator tests write it through reconcile; here it is what the page is given).
  const by = `${id}-b`;
  await writeAsServer(`terminal_receipts/${id}`, { replaced_by_receipt_id: by, replaced_by_reconciliation_id: `${by}_v1` }, { merge: true });
  await expect(page.getByTestId("receipt-replaced-unreconciled")).toHaveText(
    `Replaced by receipt ${by} (reconciled as ${by}_v1) before this one was ever reconciled: it is not reconciled, and its ticket stays on record. To correct the ticket again, enter a new receipt that replaces ${by}.`,
  );
  await expect(page.getByTestId("preflight")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Reconcile", exact: true })).toHaveCount(0);
  await expect(page.getByTestId("withdraw-receipt")).toHaveCount(0);
  await screenshot(page, "coordinator-receipt-replaced-unreconciled");
});

test("the receipt form and pre-flight say what the rules and reconcile would refuse, before anything is sent", async ({ page }) => {
  await signIn(page, USERS.coordinator);
  await page.getByRole("link", { name: "Terminal receipts" }).click();
  const form = page.getByRole("form", { name: "New terminal receipt" });
  const id = `tour-20261030-${Date.now().toString(36)}`;
  for (const [name, value] of Object.entries({ id, start: "2026-10-30", last: "2026-10-29", bsw_percent: "0.40", api_gravity: "35.1", gross_volume_bbl: "2985.40", temperature_degF: "88.0" })) {
    await form.locator(`[name="${name}"]`).fill(value);
  }
  // An error the form found goes once its cause is changed.
  await form.getByRole("button", { name: "Save receipt" }).click();
  await expect(form.getByRole("alert")).toHaveText("The last day must not be before the first day.");
  await form.locator('[name="last"]').fill("2026-10-30");
  await expect(form.getByRole("alert")).toHaveCount(0);
  // Figures the rules refuse are said beside their field, and Save waits for them.
  const save = form.getByRole("button", { name: "Save receipt" });
  await form.locator('[name="gross_volume_bbl"]').fill("-5");
  await expect(form.getByTestId("gross_volume_bbl-hint")).toHaveAttribute("data-refused", "true");
  await expect(form.getByTestId("gross_volume_bbl-hint")).toHaveText("Cannot be saved: must be above 0 bbl.");
  await form.locator('[name="meter_factor"]').fill("0");
  await expect(form.getByTestId("refused-hint")).toHaveText("Cannot be saved: Gross volume must be above 0 bbl; Meter factor must be above 0.");
  await expect(save).toBeDisabled();
  await form.locator('[name="meter_factor"]').fill("");
  await form.locator('[name="gross_volume_bbl"]').fill("2985.40");
  await expect(save).toBeEnabled();
  // A figure reconcile refuses can be saved, and the form says what follows.
  await form.locator('[name="temperature_degF"]').fill("857");
  await expect(form.getByTestId("temperature_degF-hint")).toHaveAttribute("data-level", "critical");
  await expect(form.getByTestId("temperature_degF-hint")).toContainText("Can be saved, then refused by reconcile: outside \u221258 to 302 °F.");
  await expectAccessible(page, "the receipt form with its limits");
  await screenshot(page, "coordinator-receipt-form-limits", form);
  await save.click();
  await expect(form.getByRole("status")).toContainText(`Terminal receipt ${id} saved.`);

  // Its day is the seeded period's, reconciled already: the pre-flight says so, with the hot temperature.
  await page.getByRole("link", { name: id, exact: true }).click();
  const preflight = page.getByTestId("preflight");
  await expect(preflight).toHaveAttribute("data-blockers", "2");
  await expect(preflight.getByTestId("preflight-overlap")).toHaveText(
    `2026-10-30 is already allocated by version 1 of receipt ${PERIOD_RECEIPT}: enter this receipt as replacing that one (“Replaces receipt”), or withdraw it and enter it again for its own days.`,
  );
  await expect(preflight.getByTestId("preflight-figures")).toContainText("Temperature 857 °F: outside \u221258 to 302 °F");
  await expect(page.getByRole("button", { name: "Reconcile", exact: true })).toBeDisabled();
  await expectAccessible(page, "a pre-flight that names what reconcile would refuse");
  await screenshot(page, "coordinator-preflight-refusals", preflight);

  // A period not over yet, and one without an entry: said before Reconcile, which waits.
  const figures = { gross_volume_bbl: 2985.4, bsw_percent: 0.4, temperature_degF: 88, api_gravity: 35.1, created_by: "demo-coordinator" };
  const future = `tour-20900601-${Date.now().toString(36)}`;
  await writeAsServer(`terminal_receipts/${future}`, { ...figures, period_start: new Date("2090-06-01T00:00:00Z"), period_end: new Date("2090-06-02T00:00:00Z") });
  await open(page, `receipts/${future}`);
  await expect(preflight.getByTestId("preflight-not-over")).toHaveText("The period ends at 00:00 on 2090-06-02 (UTC+00:00); reconcile it once it has ended.");
  await expect(page.getByTestId("reconcile-blocked")).toHaveText("The period ends at 00:00 on 2090-06-02 (UTC+00:00); reconcile it once it has ended.");
  await expect(page.getByRole("button", { name: "Reconcile", exact: true })).toBeDisabled();
  const empty = `tour-20250310-${Date.now().toString(36)}`;
  await writeAsServer(`terminal_receipts/${empty}`, { ...figures, period_start: new Date("2025-03-10T00:00:00Z"), period_end: new Date("2025-03-11T00:00:00Z") });
  await open(page, `receipts/${empty}`);
  await expect(preflight).toContainText("0 entries in the period");
  await expect(preflight.getByTestId("preflight-nothing")).toContainText("No production entry in the period: the terminal's volume has nothing to be allocated to.");
  await expect(preflight).toHaveAttribute("data-blockers", "1");
  await expect(page.getByRole("button", { name: "Reconcile", exact: true })).toBeDisabled();
  // None of them is reconciled: later scenarios see the receipts they expect.
  for (const r of [id, future, empty]) await deleteAsServer(`terminal_receipts/${r}`);
});

/** A coordinator enters a one-day receipt from the list's form, and opens its page. */
async function enterReceiptAndOpen(page: Page, prefix: string, day: string): Promise<string> {
  await signIn(page, USERS.coordinator);
  await page.getByRole("link", { name: "Terminal receipts" }).click();
  const form = page.getByRole("form", { name: "New terminal receipt" });
  const id = `${prefix}-${Date.now().toString(36)}`;
  const values: Record<string, string> = {
    id, start: day, last: day, terminal_name: "Port Ellery Crude Terminal",
    gross_volume_bbl: "2985.40", bsw_percent: "0.40", temperature_degF: "88.0", api_gravity: "35.1", pressure_psig: "12", meter_factor: "1.0002",
  };
  for (const [name, value] of Object.entries(values)) await form.locator(`[name="${name}"]`).fill(value);
  await form.getByRole("button", { name: "Save receipt" }).click();
  await expect(form.getByRole("status")).toContainText(`Terminal receipt ${id} saved.`);
  await page.getByRole("link", { name: id, exact: true }).click();
  return id;
}
