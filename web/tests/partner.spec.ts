import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { commitAsServer, countAsServer, expectAccessible, fillEntry, open, readAsServer, screenshot, setBackgroundTriggers, signIn, userPage, USERS, writeAsServer } from "./support";

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
  // The totals under its row are the JV's, and say so: the JV's shrinkage is not read as the partner's own.
  const jvTotals = statement.getByLabel("JV shrinkage", { exact: true });
  await expect(jvTotals.locator("dt")).toHaveText(["JV field NSV", "JV shrinkage", "JV shrinkage of field NSV", "JV entries used / excluded", "JV LUAF band"]);
  await expect(statement.getByTestId("summary-shrinkage").locator("xpath=preceding-sibling::dt")).toHaveText("JV shrinkage");
  await expect(statement.getByTestId("luaf").locator("dd")).toHaveText(/^±\d+(\.\d+)? %; the JV's shrinkage is within it$/);
  // The terminal's meter factor to 5 decimals, as the exports show it.
  await expect(statement.getByLabel("Terminal factors")).toContainText(/Meter factor\d\.\d{5}(?!\d)/);
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

// A partner that left the JV keeps its audit rights: its partner users read what came before the
// day it left (the rules bound their queries by left_at), its operators nothing.
test("a partner that left the JV reads its statements and entries of before, nothing after; its operator is cut off", async ({ page, browser }) => {
  const original = (await readAsServer("partners/basalt"))!;
  // Left at the start of the seeded period's first day: the period began on it, so is not Basalt's.
  await writeAsServer("partners/basalt", { active: false, left_jv_on: "2026-09-01", left_at: new Date("2026-09-01T00:00:00Z") }, { merge: true });
  try {
    await signIn(page, USERS.partnerBasalt);
    const notice = page.getByTestId("partner-left");
    await expect(notice).toContainText("Basalt Ridge Petroleum left this joint venture on 2026-09-01.");
    await expect(page.getByRole("heading", { name: "Our allocation statements", level: 1 })).toBeVisible();
    await expect(page.getByText("No reconciliation yet.")).toBeVisible();
    await open(page, `statements/${REPORT}`);
    await expect(page.getByTestId("not-released")).toBeVisible();

    // A day later the seeded period began before it left: its statement and its first day's entries are Basalt's to read.
    await writeAsServer("partners/basalt", { left_jv_on: "2026-09-02", left_at: new Date("2026-09-02T00:00:00Z") }, { merge: true });
    await expect(notice).toContainText("left this joint venture on 2026-09-02");
    await open(page, "statements");
    await expect(page.getByTestId("statements").locator(`tr[data-report="${REPORT}"]`)).toBeVisible();
    await expectAccessible(page, "a former partner's statements");
    await screenshot(page, "partner-left-statements");
    await open(page, `statements/${REPORT}`);
    const rows = page.getByTestId("statement").locator(".statement-table tbody tr[data-partner]");
    await expect(rows.first()).toBeVisible();
    expect(await rows.evaluateAll((trs) => trs.map((r) => r.getAttribute("data-partner")))).toEqual(["basalt"]);
    await expect(page.getByRole("region", { name: "Exceptions", exact: true }).getByTestId("exception-form")).toBeVisible();
    await open(page, "partner-entries");
    const days = page.getByTestId("entry-list").locator("tbody[data-day]");
    await expect(days.first()).toBeVisible();
    expect(await days.evaluateAll((groups) => [...new Set(groups.map((g) => g.getAttribute("data-day")))])).toEqual(["2026-09-01"]);

    const operator = await userPage(browser, USERS.operatorBasalt);
    await expect(operator.getByTestId("partner-cut-off")).toContainText(
      "Basalt Ridge Petroleum left this joint venture on 2026-09-02: its field operators can no longer enter or read its production.",
    );
    await expect(operator.getByRole("heading", { name: "New entry" })).toHaveCount(0);
    await operator.context().close();

    // A coordinator's late entry for it is refused from the day it left, before anything is sent (the rules refuse it too).
    const coordinator = await userPage(browser, USERS.coordinator);
    await open(coordinator, `receipts/${REPORT.replace(/_v1$/, "")}`);
    await coordinator.getByRole("button", { name: "Add a late entry" }).click();
    const form = coordinator.getByTestId("entry-form");
    await expect(form.locator('[name="partner_id"] option[value="basalt"]')).toHaveText("Basalt Ridge Petroleum (left the JV on 2026-09-02)");
    await form.locator('[name="partner_id"]').selectOption("basalt");
    await form.locator('[name="day"]').fill("2026-09-05");
    await form.locator('[name="meter_id"]').fill("BRP-LACT-01");
    await fillEntry(coordinator, { gross_volume_bbl: "3021.4", bsw_percent: "0.33", temperature_degF: "100.2", api_gravity: "36.7" });
    await form.getByRole("textbox", { name: /Why this late entry/ }).fill("Ticket found in the gauger's book after the close.");
    await expect(form.getByTestId("refused-hint")).toContainText(
      "Basalt Ridge Petroleum left the JV on 2026-09-02 and has no production from that day: choose a day before it",
    );
    await expect(form.getByRole("button", { name: "Save late entry" })).toBeDisabled();
    // The day before it left is its own: the refusal goes.
    await form.locator('[name="day"]').fill("2026-09-01");
    await expect(form.getByTestId("refused-hint")).toHaveCount(0);
    expect(await countAsServer("production_entries", "correction_note", "Ticket found in the gauger's book after the close.")).toBe(0);
    await coordinator.context().close();
  } finally {
    await writeAsServer("partners/basalt", original);
  }
});

// Version 1 of the seeded period is the current version here (adjustments.spec.ts makes its
// version 2 later): a partner may take exception to it, and the coordinators answer.
test("a partner takes exception to its statement; a coordinator rejects it, and the partner reads the answer", async ({ page, browser }) => {
  const receipt = REPORT.replace(/_v1$/, "");
  await signIn(page, USERS.partnerNorthwind);
  await open(page, `statements/${REPORT}`);
  const card = page.getByRole("region", { name: "Exceptions", exact: true });
  await expect(card.getByTestId("no-exceptions")).toHaveText("No exceptions taken to this version.");
  await expect(card.getByTestId("exception-window")).toContainText(/You may take exception until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(730 days after it was issued\)\.$/);
  const form = card.getByTestId("exception-form");
  const field = form.getByRole("textbox", { name: /^What is wrong with this statement, and why/ });
  const send = form.getByRole("button", { name: "Take exception" });
  // Too short to be sent: the count says how much is needed.
  await field.fill("Wrong figure.");
  await expect(send).toBeDisabled();
  await expect(form.getByTestId("exception-count")).toHaveText("13 / 2,000 characters; at least 20 (7 more).");
  const text = `Our meter NWE-LACT-01 read 2,412.6 bbl on 2026-10-12, but the statement allocates us less than our NSV share (ref ${Date.now().toString(36)}).`;
  await field.fill(text);
  await expect(form.getByTestId("exception-count")).toHaveText(`${text.length} / 2,000 characters.`);
  await send.click();
  await expect(form.getByRole("status")).toHaveText("Exception sent. The JV operator answers it here, and you are told in your inbox.");
  await expect(field).toHaveValue("");
  const item = card.getByTestId("exception");
  await expect(item).toHaveCount(1);
  await expect(item).toHaveAttribute("data-status", "open");
  await expect(item.locator(".badge")).toHaveText("Open");
  await expect(item.getByTestId("exception-text")).toHaveText(text);
  await expect(item.locator(".meta")).toHaveText(/^Open Raised by Helen Marsh on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
  await expect(item).toContainText("Awaiting the JV operator's answer.");
  const exceptionId = (await item.getAttribute("data-exception"))!;
  await expectAccessible(page, "the partner's statement with an open exception");
  await screenshot(page, "partner-exception-open", card);
  // The same text again is the same exception, not a second one.
  await field.fill(text);
  await send.click();
  await expect(form.getByRole("status")).toContainText("You took this exception already, on ");
  await expect(item).toHaveCount(1);

  // The coordinator is told, and answers on the statement's page.
  const coordinator = await userPage(browser, USERS.coordinator);
  await open(coordinator, "inbox");
  const raised = coordinator.getByTestId("notification").filter({ hasText: `Northwind Energy takes exception to version 1 of receipt ${receipt}` });
  await expect(raised.locator(".badge")).toHaveText("Exception raised");
  await expect(raised.locator(".badge")).toHaveAttribute("data-status", "flagged");
  await expect(raised.getByRole("link", { name: `Open statement: version 1 of receipt ${receipt}` })).toHaveAttribute("href", new RegExp(`statements/${REPORT}$`));
  // The review queue lists it among the exceptions awaiting an answer, and leads to its statement.
  await open(coordinator, "review");
  const waiting = coordinator.getByRole("list", { name: "Exceptions awaiting an answer" }).locator(`[data-exception="${exceptionId}"]`);
  await expect(waiting).toContainText(text);
  await expect(waiting.locator(".meta")).toContainText("Northwind Energy to ");
  await expectAccessible(coordinator, "the review queue with an exception awaiting its answer");
  await screenshot(coordinator, "coordinator-review-queue-exception", coordinator.locator("h2#exceptions"));
  await waiting.getByRole("link", { name: `2026-09-01 – 2026-10-30 (60 days) · receipt ${receipt} · version 1` }).click();
  const theirs = coordinator.getByRole("region", { name: "Exceptions", exact: true }).locator(`[data-testid="exception"][data-exception="${exceptionId}"]`);
  await expect(theirs.locator(".meta")).toContainText("Northwind Energy · raised by Helen Marsh on ");
  await expect(theirs.getByTestId("exception-text")).toHaveText(text);
  const answerForm = theirs.getByTestId("answer-form");
  const answer = "The 2026-10-12 ticket was entered as 2,412.6 bbl gross; at 0.4 % BS&W and 84 °F its NSV is what the statement allocates. It stands.";
  const sendAnswer = answerForm.getByRole("button", { name: "Send answer" });
  const why = answerForm.getByRole("textbox", { name: /^Why/ });
  await why.fill(answer);
  await expect(answerForm.getByTestId("answer-count")).toHaveText(`${answer.length} / 2,000 characters.`);
  // No outcome chosen yet: nothing is sent.
  await expect(sendAnswer).toBeDisabled();
  await answerForm.getByRole("radio", { name: "Reject: the statement stands" }).check();
  await expect(sendAnswer).toBeEnabled();
  // An answer needs 20 characters, as the exception does (counted without the spaces around it):
  // the count says how many more, and Send waits for them.
  await why.fill("  Checked: it stands. ");
  await expect(answerForm.getByTestId("answer-count")).toHaveText("19 / 2,000 characters; at least 20 (1 more).");
  await expect(sendAnswer).toBeDisabled();
  await why.fill("Checked: it stands!!");
  await expect(answerForm.getByTestId("answer-count")).toHaveText("20 / 2,000 characters.");
  await expect(sendAnswer).toBeEnabled();
  await why.fill(answer);
  await expectAccessible(coordinator, "the coordinator's answer form");
  await screenshot(coordinator, "coordinator-exception-answer", coordinator.getByRole("region", { name: "Exceptions", exact: true }));
  await sendAnswer.click();
  await expect(coordinator.getByRole("region", { name: "Exceptions", exact: true }).getByRole("status")).toHaveText("Answer sent: the exception is rejected. The partner is told in its inbox.");
  await expect(theirs).toHaveAttribute("data-status", "rejected");
  await expect(theirs.getByTestId("answer-form")).toHaveCount(0);
  await expect(theirs.getByTestId("exception-answer-text")).toHaveText(answer);
  // The entry an exception is about is a click away: the partner's entries in the statement's
  // period, each opening its page, where a coordinator corrects it.
  await theirs.getByRole("link", { name: "Entries of Northwind Energy in this period" }).click();
  await expect(coordinator.getByRole("heading", { name: "Entries of a statement's period", level: 1 })).toBeVisible();
  await expect(coordinator.locator("main")).toContainText(`in the period of version 1 of receipt ${receipt}, 2026-09-01 – 2026-10-30 (60 days), newest first.`);
  const listed = coordinator.getByTestId("entry-list");
  // Newest first: the period's last day at the top.
  await expect(listed.locator("tbody[data-day]").first()).toHaveAttribute("data-day", "2026-10-30");
  await expect(listed.locator('[data-day="2026-10-30"] tr[data-partner="northwind"]').first()).toBeVisible();
  // Another partner's entries are not listed, nor a day outside the period.
  await expect(listed.locator('tr[data-partner]:not([data-partner="northwind"])')).toHaveCount(0);
  await expect(listed.locator('[data-day="2026-10-31"]')).toHaveCount(0);
  await expectAccessible(coordinator, "a partner's entries in a statement's period");
  await screenshot(coordinator, "coordinator-period-entries");
  await listed.getByRole("link", { name: "Details of NWE-LACT-01 on 2026-10-30" }).first().click();
  await expect(coordinator.getByRole("button", { name: "Correct", exact: true })).toBeVisible();
  await open(coordinator, "review");
  await expect(coordinator.getByTestId("open-exceptions-count")).toBeVisible();
  await expect(coordinator.locator(`[data-testid="open-exception"][data-exception="${exceptionId}"]`)).toHaveCount(0);
  await coordinator.context().close();

  // The partner reads the answer live, and is told in its inbox.
  await expect(item).toHaveAttribute("data-status", "rejected");
  await expect(item.locator(".badge")).toHaveText("Rejected");
  await expect(item.getByTestId("exception-answer")).toContainText(/^Rejected by Priya Raman on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: the statement stands\./);
  await expect(item.getByTestId("exception-answer-text")).toHaveText(answer);
  await expect(item).not.toContainText("Awaiting the JV operator's answer.");
  // The way to the entries is the coordinators'; the partner has its own entries screen.
  await expect(item.getByTestId("exception-entries")).toHaveCount(0);
  await screenshot(page, "partner-exception-answered", card);
  await open(page, "inbox");
  const told = page.getByTestId("notification").filter({ hasText: `Your exception to version 1 of receipt ${receipt} was rejected` });
  await expect(told.locator(".badge")).toHaveText("Exception answered");
  await expect(told.locator(".badge")).toHaveAttribute("data-status", "rejected");
  await expect(told).toContainText(answer);
  await expect(told.getByRole("link", { name: `Open statement: version 1 of receipt ${receipt}` })).toHaveAttribute("href", new RegExp(`statements/${REPORT}$`));
  await expectAccessible(page, "the partner's inbox with the answer");
  await screenshot(page, "partner-inbox-exception-answered", told);
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

// An upheld exception to version 1 of a receipt of its own (seeded as the server, with versions 2
// and 3 of it and version 1 of a receipt replacing it, offered too, the triggers off meanwhile: no
// one is told of these versions), corrected by version
// 2, which allocates the partner 12.50 bbl more: the coordinator records it on the statement's
// page, after the callable refuses version 3 (not released); the partner then reads "Corrected in
// version 2" and is told in its inbox. What was seeded, and the partner's notice, are removed after
// the test.
test("a coordinator records the version that corrects an upheld exception, and the partner reads it", async ({ page, browser }) => {
  const stamp = Date.now().toString(36);
  const template = await readAsServer(`reconciliations/${REPORT}`);
  expect(template?.released).toBe(true);
  const report = Object.fromEntries(
    Object.entries(template!).filter(([field]) => !/^(supersed|stale|changes_|closed_days|manifest|exclusions)/.test(field)),
  );
  const receipt = `zz-exc-${stamp}`;
  const version = (n: number) => `${receipt}_v${n}`;
  const replacing = `zz-exc-${stamp}-b`;
  const period = { period_start: new Date(Date.UTC(2002, 0, 1)), period_end: new Date(Date.UTC(2002, 0, 2)) };
  const exceptionId = `zz-exc-${stamp}`;
  const text = `Our 2002-01-01 ticket is missing from this statement: our allocation is short by its NSV (ref ${stamp}).`;
  const answer = "Agreed: the ticket was entered late; the receipt is reconciled again with it.";
  const raisedAt = new Date(Date.now() - 3_600_000);
  const lines = report.allocations as Array<Record<string, unknown>>;
  const before = Number(lines.find((a) => a.partner_id === "northwind")?.allocated_bbl);
  const after = Math.round((before + 12.5) * 100) / 100;
  // A correction restates at least one of the partner's figures: version 2 allocates it more.
  const corrected = lines.map((a) => (a.partner_id === "northwind" ? { ...a, allocated_bbl: after } : a));
  const bbl = (x: number) => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const docs = [
    { path: `reconciliations/${version(1)}`, data: { ...report, ...period, terminal_receipt_id: receipt, version: 1, status: "superseded", superseded_by: version(2) } },
    { path: `reconciliations/${version(2)}`, data: { ...report, ...period, terminal_receipt_id: receipt, version: 2, status: "superseded", superseded_by: version(3), allocations: corrected } },
    // Made, not released yet: the callable refuses it as the correction.
    { path: `reconciliations/${version(3)}`, data: { ...report, ...period, terminal_receipt_id: receipt, version: 3, status: "completed", allocations: corrected, released: false, released_by: null, released_at: null, release_required: true } },
    // A corrected ticket's receipt replacing this one: offered too, after the receipt's own versions.
    { path: `reconciliations/${replacing}_v1`, data: { ...report, ...period, terminal_receipt_id: replacing, version: 1, status: "superseded", allocations: corrected, supersedes_receipt: { terminal_receipt_id: receipt, reconciliation_id: version(1) } } },
    // And its own corrected ticket, a step further down: offered after it, as the callable follows it back.
    { path: `reconciliations/${replacing}-c_v1`, data: { ...report, ...period, terminal_receipt_id: `${replacing}-c`, version: 1, status: "completed", allocations: corrected, supersedes_receipt: { terminal_receipt_id: replacing, reconciliation_id: `${replacing}_v1` } } },
    {
      path: `statement_exceptions/${exceptionId}`,
      data: {
        reconciliation_id: version(1),
        terminal_receipt_id: receipt,
        version: 1,
        integrity_hash: template!.integrity_hash ?? null,
        partner_id: "northwind",
        text,
        status: "upheld",
        raised_by: "demo-partner-northwind",
        raised_at: raisedAt,
        window_ends_at: new Date(raisedAt.getTime() + 730 * 86_400_000),
        answer: { by: "demo-coordinator", at: new Date(raisedAt.getTime() + 60_000), text: answer },
      },
    },
  ];
  triggersOff = true;
  await setBackgroundTriggers(false);
  seeded = [...docs.map((d) => d.path), `notifications/sx_${exceptionId}_corrected_demo-partner-northwind`];
  await commitAsServer(docs);
  // On again: the correction's notice is the communicator's, on the exception's change.
  await setBackgroundTriggers(true);
  triggersOff = false;

  const coordinator = await userPage(browser, USERS.coordinator);
  await open(coordinator, `statements/${version(1)}`);
  const region = coordinator.getByRole("region", { name: "Exceptions", exact: true });
  const theirs = region.locator(`[data-testid="exception"][data-exception="${exceptionId}"]`);
  await expect(theirs).toHaveAttribute("data-status", "upheld");
  await expect(theirs.getByTestId("exception-answer-text")).toHaveText(answer);
  await expect(theirs.getByTestId("exception-correction")).toHaveCount(0);
  const form = theirs.getByTestId("correction-form");
  const select = form.getByRole("combobox", { name: /^Corrected in/ });
  const record = form.getByRole("button", { name: "Record correction" });
  // The later versions only, newest first, with what the callable would refuse.
  await expect(select.locator("option")).toHaveText([
    "— choose the version",
    "Version 3 (not released to the partners yet)",
    "Version 2",
    `Version 1 of receipt ${replacing}, which replaces this one`,
    `Version 1 of receipt ${replacing}-c, which replaces receipt ${replacing}`,
  ]);
  await expect(record).toBeDisabled();
  // Refused: the partner could not read the version it would be pointed to.
  await select.selectOption(version(3));
  await record.click();
  await expect(form.getByRole("alert")).toContainText(/^Correction not recorded: .*released/);
  await expectAccessible(coordinator, "the coordinator's correction form, with a refusal");
  await screenshot(coordinator, "coordinator-exception-correction", region);
  await select.selectOption(version(2));
  await record.click();
  await expect(region.getByRole("status")).toHaveText(`Correction recorded: version 2 of receipt ${receipt} corrects the exception. The partner is told in its inbox.`);
  const correctedText = new RegExp(
    `^Corrected in version 2: allocated ${bbl(after)} bbl \\(${bbl(before)} bbl on this version\\) · recorded by Priya Raman on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC$`,
  );
  const shown = theirs.getByTestId("exception-correction");
  await expect(shown).toHaveText(correctedText);
  await expect(shown.getByRole("link", { name: "version 2" })).toHaveAttribute("href", new RegExp(`statements/${version(2)}$`));
  await expect(theirs.getByTestId("correction-form")).toHaveCount(0);
  const stored = await readAsServer(`statement_exceptions/${exceptionId}`);
  expect(stored?.correction).toMatchObject({
    reconciliation_id: version(2),
    terminal_receipt_id: receipt,
    version: 2,
    allocated_bbl_before: before,
    allocated_bbl_after: after,
    by: "demo-coordinator",
  });
  await coordinator.context().close();

  // The partner reads the correction on its statement, follows it, and is told in its inbox.
  await signIn(page, USERS.partnerNorthwind);
  await open(page, `statements/${version(1)}`);
  const card = page.getByRole("region", { name: "Exceptions", exact: true });
  const item = card.locator(`[data-testid="exception"][data-exception="${exceptionId}"]`);
  await expect(item.locator(".badge")).toHaveText("Upheld");
  const partnerSees = item.getByTestId("exception-correction");
  await expect(partnerSees).toHaveText(correctedText);
  await expect(item.getByTestId("correction-form")).toHaveCount(0);
  await expectAccessible(page, "the partner's statement with a corrected exception");
  await screenshot(page, "partner-exception-corrected", card);
  await partnerSees.getByRole("link", { name: "version 2" }).click();
  await expect(page.getByTestId("statement")).toHaveAttribute("data-id", version(2));
  await open(page, "inbox");
  const told = page.getByTestId("notification").filter({ hasText: `The correction of your exception to version 1 of receipt ${receipt} is version 2` });
  await expect(told.locator(".badge")).toHaveText("Exception corrected");
  await expect(told.locator(".badge")).toHaveAttribute("data-status", "approved");
  await expect(told.getByRole("link", { name: `Open statement: version 2 of receipt ${receipt}` })).toHaveAttribute("href", new RegExp(`statements/${version(2)}$`));
});
