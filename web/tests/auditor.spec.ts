import { expect, test } from "@playwright/test";
import { expectAccessible, expectNoSidewaysScroll, open, PHONE, screenshot, signIn, USERS } from "./support";

test("the auditor verifies every audit-log chain, reads one, and verifies a report, read-only", async ({ page }) => {
  await signIn(page, USERS.auditor);
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Verify audit log" }).click();
  await expect(page.getByTestId("audit-verify")).toHaveAttribute("data-ok", "true", { timeout: 120_000 });
  await expect(page.getByTestId("audit-verify")).toContainText(/Intact: [\d,]+ events in \d+ chains/);
  // The picker lists the chains from their heads (audit_chains), by what each records.
  const picker = page.getByTestId("audit-stream");
  await expect(page.getByTestId("audit-chain-count")).toHaveText(/^[1-9][\d,]* chains; pick one by what it records\. Showing .+ \(chain \S+\)\.$/);
  const chain = (stream: string) => picker.locator(`input[type=radio][value="${stream}"]`);
  const labelsOf = (group: string) => picker.getByRole("group", { name: group, exact: true }).locator("label");
  await expect(labelsOf("Administration").filter({ has: page.locator('input[type=radio][value="agent_admin"]') })).toHaveText(
    /^Roles and API keys \([\d,]+ events?\)$/,
  );
  const entryChains = labelsOf("Production entries");
  await expect(entryChains.first()).toHaveText(/^[A-Z][^_]*: audits, reviews and entry notices \([\d,]+ events?\)$/);
  // A chain of one event says so in the singular (not "(1 events)").
  const counts = (await page.locator(".chain-label").allInnerTexts()).map((l) => /\(([\d,]+) (events?)\)$/.exec(l)!.slice(1));
  expect(counts.filter(([n, noun]) => (n === "1") !== (noun === "event"))).toEqual([]);
  await expect(labelsOf("Terminal receipts").first()).toHaveText(
    /^Receipt \S+: reconciliations and releases \(/,
  );
  await expect(picker.locator("label").filter({ hasText: /^(partner|receipt|notify|agent|settings)_/ })).toHaveCount(0);
  await expect(page.getByTestId("audit-events").locator("tbody tr").first()).toBeVisible();
  // It opens on the first chain listed, and names it for a support reference.
  const firstStream = await picker.locator("input[type=radio]").first().getAttribute("value");
  await expect(chain(firstStream!)).toBeChecked();
  await expect(page.getByTestId("audit-stream-id")).toHaveText(firstStream!);
  await expectAccessible(page, "the audit log");
  // Actors by name (people/{uid}), not by account id.
  await chain("agent_admin").check();
  await expect(page.getByTestId("audit-stream-id")).toHaveText("agent_admin");
  await expect(page.getByTestId("audit-stream-name")).toHaveText("Roles and API keys");
  const actors = page.getByTestId("audit-events").locator("tbody td:nth-child(3)");
  await expect(actors.filter({ hasText: "Dana Whitfield" }).first()).toBeVisible();
  await expect(actors.filter({ hasText: /^demo-/ })).toHaveCount(0);
  // Actions in words, not their keys; subjects by what names them (an account by its person's name).
  const actions = page.getByTestId("audit-events").locator("tbody td:nth-child(4)");
  await expect(actions.filter({ hasText: "Role set" }).first()).toBeVisible();
  await expect(actions.filter({ hasText: "_" })).toHaveCount(0);
  const subjects = page.getByTestId("audit-events").locator("tbody td:nth-child(5)");
  await expect(subjects.filter({ hasText: "Account Sam Whitaker" }).first()).toBeVisible();
  await expect(subjects.filter({ hasText: /users\/|api_keys\// })).toHaveCount(0);
  // A gateway key by its id (as "gateway key …" names it), with the name and partner its event recorded.
  // (The subject itself, [data-subject]: the details line under it says what the event did.)
  await expect(subjects.locator("[data-subject]").filter({ hasText: /^API key key_\S+ “.+” · Northwind Energy$/ }).first()).toBeVisible();
  // An entry by its meter, contract day and partner, with its document id small beside the link,
  // never as the link's text; the reviewer of the coordinator's decision by name.
  await chain("partner_northwind").check();
  await expect(page.getByTestId("audit-stream-id")).toHaveText("partner_northwind");
  const entrySubjects = page.getByTestId("audit-events").locator('tbody [data-subject^="production_entries/"]');
  await expect(entrySubjects.first()).toBeVisible();
  const named = () =>
    entrySubjects.evaluateAll((cells) =>
      cells.map((cell) => ({
        id: cell.getAttribute("data-subject")!.split("/")[1],
        link: cell.querySelector("a")?.textContent ?? "",
        ref: cell.querySelector("code.doc-id")?.textContent ?? "",
        text: cell.textContent ?? "",
      })),
    );
  // An entry since deleted (the contract-day scenario deletes its own) is said to be not found; one
  // without a meter (the operator scenario files one) by its day alone.
  const misnamed = (s: { id: string; link: string; ref: string; text: string }) =>
    s.link.includes(s.id) ||
    s.ref !== s.id ||
    (s.link !== "(not found)" && (!/^(\S+ on|Entry of) \d{4}-\d{2}-\d{2}$/.test(s.link) || !s.text.includes(" · Northwind Energy ")));
  await expect.poll(async () => (await named()).filter(misnamed)).toEqual([]);
  expect((await named()).filter((s) => s.link !== "(not found)").length).toBeGreaterThan(0);
  await expect(
    page
      .getByTestId("audit-events")
      .locator("tbody td:nth-child(3)")
      .filter({ hasText: /^demo-|^northwind/ }),
  ).toHaveCount(0);
  await screenshot(page, "auditor-audit-log-entries");
  // A change of the JV settings names the settings it changed, by the form's labels, from what to what.
  await chain("settings_jv").check();
  await expect(
    subjects.locator("[data-subject]").filter({ hasText: /^JV settings: (.+; )?LUAF tolerance ± \d+\.\d{2,} % → ± \d+\.\d{2,} %(; .+)?$/ }).first(),
  ).toBeVisible();
  await expect(subjects.filter({ hasText: "_" })).toHaveCount(0);
  await chain("agent_admin").check();
  await screenshot(page, "auditor-audit-log");
  // Every chain's label is shown whole at 1280 px and on a phone: wrapped inside the picker, never
  // cut at its edge (a select cut "Receipt …: reconciliations and releases (… events)" at 1280 px).
  const listed = Number(/^([\d,]+) chains/.exec(await page.getByTestId("audit-chain-count").innerText())![1].replace(/,/g, ""));
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    await page.setViewportSize({ width, height });
    const labels = picker.locator(".chain-label");
    await expect(labels).toHaveCount(listed);
    const cut = await labels.evaluateAll((spans) =>
      spans
        .filter((span) => {
          const own = span.getBoundingClientRect();
          const box = span.closest(".chain-list")!.getBoundingClientRect();
          return span.scrollWidth > span.clientWidth + 1 || own.right > box.right + 1 || own.left < box.left - 1 || own.right > window.innerWidth;
        })
        .map((span) => span.textContent),
    );
    expect(cut, `chain labels cut at ${width} px`).toEqual([]);
    const longest = await labels.evaluateAll((spans) => Math.max(...spans.map((span) => (span.textContent ?? "").length)));
    expect(longest, "a receipt's chain label is long enough to have been cut").toBeGreaterThan(60);
  }
  await page.setViewportSize({ width: 1360, height: 900 });

  await page.getByRole("link", { name: "Statements" }).click();
  await page.locator('a[data-statement="pet-20260901-20261030_v1"]').click();
  const statement = page.getByTestId("statement");
  await expect(statement.locator(".statement-table tbody tr[data-partner]")).toHaveCount(5);
  await statement.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByTestId("verify-result")).toHaveAttribute("data-ok", "true", { timeout: 120_000 });
  // Read-only: no reconcile, no review.
  await page.getByRole("link", { name: "Terminal receipts" }).click();
  await page.getByRole("link", { name: "pet-20260901-20261030", exact: true }).click();
  await expect(page.getByTestId("preflight")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Reconcile/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Review queue" })).toHaveCount(0);
  await open(page, "receipts/no-such-receipt");
  await expect(page.getByText("No receipt no-such-receipt.")).toBeVisible();
});

test("the auditor pages back through a long audit-log chain to its first event, and goes to one event", async ({ page }) => {
  await signIn(page, USERS.auditor);
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  const picker = page.getByTestId("audit-stream");
  const basalt = picker.locator("label").filter({ has: page.locator('input[type=radio][value="partner_basalt"]') });
  await basalt.locator("input").check();
  await expect(page.getByTestId("audit-stream-id")).toHaveText("partner_basalt");
  // The demo's Basalt chain holds well over two pages of events.
  const total = Number(/\(([\d,]+) events\)$/.exec(await basalt.innerText())![1].replace(/,/g, ""));
  expect(total).toBeGreaterThan(100);
  const rows = page.getByTestId("audit-events").locator("tbody tr");
  const seqs = async () => (await rows.locator("td:first-child").allInnerTexts()).map(Number);
  const range = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => from - i);
  const shown = page.getByTestId("audit-events-shown");
  const older = page.getByTestId("audit-show-older");
  const n = (v: number) => v.toLocaleString("en-US");
  const showing = (from: number, to: number) =>
    `Events ${n(from)} to ${n(to)} of ${n(total)}, newest first; hashes abbreviated (hover for the full value).`;
  // The newest page first.
  await expect(rows).toHaveCount(50);
  expect(await seqs()).toEqual(range(total, total - 49));
  await expect(shown).toHaveText(showing(total, total - 49));
  // Each "Show older events" adds the next 50 below and moves the focus to the first of them.
  let oldest = total - 49;
  let pages = 0;
  while (oldest > 1) {
    await older.click();
    const next = Math.max(1, oldest - 50);
    await expect(rows).toHaveCount(total - next + 1);
    await expect(page.locator(`tr[data-seq="${oldest - 1}"]`)).toBeFocused();
    await expect(shown).toHaveText(showing(total, next));
    if (pages === 0) {
      await expect(page.locator(`tr[data-seq="${oldest - 1}"] td[data-label=Subject] a`)).not.toHaveText("the entry");
      await screenshot(page, "auditor-audit-log-older", page.locator(`tr[data-seq="${oldest + 3}"]`));
    }
    oldest = next;
    pages += 1;
  }
  expect(pages).toBeGreaterThanOrEqual(2);
  // Back to the chain's first event, every one once, and nothing older to show.
  expect(await seqs()).toEqual(range(total, 1));
  await expect(older).toHaveCount(0);
  await screenshot(page, "auditor-audit-log-first-event", shown);
  // Go to one event: it and the 49 before it, then older ones from there.
  const goTo = page.getByTestId("audit-go-to");
  await goTo.getByLabel("Go to event #").fill("60");
  await goTo.getByRole("button", { name: "Go" }).click();
  await expect(rows).toHaveCount(50);
  expect(await seqs()).toEqual(range(60, 11));
  await expect(page.locator('tr[data-seq="60"]')).toBeFocused();
  await expect(shown).toHaveText(showing(60, 11));
  await screenshot(page, "auditor-audit-log-go-to", page.getByTestId("audit-chain-count"));
  await older.click();
  await expect(rows).toHaveCount(60);
  expect(await seqs()).toEqual(range(60, 1));
  await expect(older).toHaveCount(0);
  await goTo.getByRole("button", { name: "Show the newest" }).click();
  await expect(rows).toHaveCount(50);
  expect(await seqs()).toEqual(range(total, total - 49));
  await expect(older).toBeVisible();
});

test("the auditor reads what each audit-log event did: the role set and what it was, the audit's verdict and reasons", async ({ page }) => {
  await signIn(page, USERS.auditor);
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  const picker = page.getByTestId("audit-stream");
  const rows = page.getByTestId("audit-events").locator("tbody tr");
  const details = (row: ReturnType<typeof rows.filter>) => row.getByTestId("event-details");
  // Roles: each row says the role set, from what, with its partner by name (no id).
  await picker.locator('input[type=radio][value="agent_admin"]').check();
  await expect(page.getByTestId("audit-stream-id")).toHaveText("agent_admin");
  const sam = rows.filter({ has: page.locator('td[data-label="Subject"]', { hasText: "Account Sam Whitaker" }) }).first();
  await expect(sam.locator('td[data-label="Action"]')).toHaveText("Role set");
  await expect(details(sam)).toHaveText("Details: Role: none → Field operator of Sable Creek Resources");
  const priya = rows.filter({ has: page.locator('td[data-label="Subject"]', { hasText: "Account Priya Raman" }) }).first();
  await expect(details(priya)).toHaveText("Details: Role: none → JV coordinator");
  // The demo's gateway key: which meters it admits and until when, never its hash.
  const gateway = rows.filter({ hasText: "Basalt Ridge LACT-01 SCADA gateway" }).filter({ hasText: "API key created" }).first();
  await expect(details(gateway)).toHaveText(/^Details: Meters: BRP-LACT-01A, BRP-LACT-01B · never expires · key starts \S+…$/);
  // The chain's first event: the set-up script gave the first administrator's role, said plainly.
  const goTo = page.getByTestId("audit-go-to");
  await goTo.getByLabel("Go to event #").fill("1");
  await goTo.getByRole("button", { name: "Go" }).click();
  const first = page.locator('tr[data-seq="1"]');
  await expect(first.locator('td[data-label="Actor"]')).toHaveText("the set-up script (outside the app)");
  await expect(first.locator('td[data-label="Subject"]')).toContainText("Account Dana Whitfield");
  await expect(details(first)).toHaveText("Details: Role: none → Administrator");
  await goTo.getByRole("button", { name: "Show the newest" }).click();
  await screenshot(page, "auditor-audit-log-details-roles", page.getByTestId("audit-events"));
  // Entries: each audit says its verdict and its reasons by their titles (no codes, no hashes), each
  // review its decision, note and role: Meridian's water breakthrough, paged back to.
  await picker.locator('input[type=radio][value="partner_meridian"]').check();
  await expect(page.getByTestId("audit-stream-id")).toHaveText("partner_meridian");
  const action = (name: string) => rows.filter({ has: page.locator('td[data-label="Action"]', { hasText: new RegExp(`^${name}$`) }) });
  await expect(action("Entry audited").first()).toBeVisible();
  const flagged = action("Entry audited").filter({ hasText: "Reasons: BS&W above typical, BS&W outlier" });
  const older = page.getByTestId("audit-show-older");
  for (let pages = 0; pages < 5 && (await flagged.count()) === 0 && (await older.count()) > 0; pages += 1) {
    const before = await rows.count();
    await older.click();
    await expect.poll(() => rows.count()).toBeGreaterThan(before);
  }
  await expect(details(flagged.first())).toHaveText("Details: Verdict: Flagged · Reasons: BS&W above typical, BS&W outlier");
  const said = await action("Entry audited").getByTestId("event-details").allTextContents();
  expect(said.filter((t) => !/^Details: Verdict: (Validated · No reasons|(Flagged|Rejected) · Reasons: [A-Z][^_·]+)$/.test(t))).toEqual([]);
  const approved = action("Entry reviewed").filter({ hasText: "Lab re-sample confirmed" }).first();
  await expect(approved.locator('td[data-label="Actor"]')).toHaveText("Tomas Eriksen");
  await expect(details(approved)).toHaveText(/^Details: Decision: Approved · note “Lab re-sample confirmed 3\.0 % BS&W: .+” · as JV coordinator$/);
  await screenshot(page, "auditor-audit-log-details-entries", flagged.first());
  // On a phone each event is a block, its details under its subject, nothing past the screen's edge.
  await page.setViewportSize(PHONE);
  await expectNoSidewaysScroll(page, "the audit log on a phone");
  await expect(flagged.first()).toHaveCSS("display", "grid");
  await screenshot(page, "phone-auditor-audit-log-details", flagged.first());
});
