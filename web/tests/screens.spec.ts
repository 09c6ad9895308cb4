import { expect, test, type Page } from "@playwright/test";
import { clearOfUtcMidnight, deleteAsServer, expectAccessible, expectNoSidewaysScroll, expectRowsAsBlocks, open, PHONE, screenshot, signIn, USERS, writeAsServer } from "./support";

test("the sign-in picker lists the demo users by role", async ({ page }) => {
  await page.goto("/");
  for (const group of ["Administrator", "JV coordinator", "Auditor", "JV partner", "Field operator"]) {
    await expect(page.getByRole("region", { name: group })).toBeVisible();
  }
  await expect(page.locator("button.pick")).toHaveCount(14);
  // A partner's people under its name, not its id (read from the emulator: no one is signed in yet).
  const helen = page.locator('button.pick[data-email="partner.northwind@flowshare.example"]');
  await expect(helen.locator(".partner")).toHaveText("Northwind Energy");
  await expect(helen).not.toContainText("northwind ·");
  await expectAccessible(page, "the sign-in picker");
  await screenshot(page, "sign-in");
  // On a phone every address stays inside its card, and the page does not scroll sideways.
  await page.setViewportSize(PHONE);
  await expectNoSidewaysScroll(page, "the sign-in picker");
  for (const pick of await page.locator("button.pick").all()) {
    const [card, email] = await Promise.all([pick.boundingBox(), pick.locator(".email").boundingBox()]);
    expect(email!.x + email!.width).toBeLessThanOrEqual(card!.x + card!.width);
  }
});

test("a wrong password is refused in words, not as Firebase's error code", async ({ page }) => {
  await page.goto("/");
  await page.getByText("Another account").click();
  const form = page.getByRole("form", { name: "Sign in with email" });
  await form.getByLabel("Email").fill(USERS.auditor);
  await form.getByLabel("Password").fill("not-the-password");
  await form.getByRole("button", { name: "Sign in" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Sign-in failed: wrong email or password.");
  await expect(alert).not.toContainText("auth/");
});

// Every screen of every role (the scenarios cover the rest): it loads, shows its heading, nothing
// fails, and axe finds no serious or critical violation.
const SCREENS: Record<string, Array<{ path: string; heading: string; shot?: string; text?: string }>> = {
  [USERS.admin]: [
    { path: "users", heading: "Users & roles", shot: "admin-users" },
    { path: "health", heading: "Agent health" },
    { path: "receipts", heading: "Terminal receipts", shot: "coordinator-receipts" },
    { path: "api-keys", heading: "API keys", shot: "admin-api-keys" },
    { path: "settings", heading: "JV settings" },
  ],
  [USERS.coordinator]: [
    { path: "review", heading: "Review queue" },
    { path: "statements", heading: "Allocation statements" },
    // The demo's 85.0 °F keyed as 857: the reason names the field once, by its label, with its unit.
    {
      path: "entry/2026-10-08_KUP-LACT-02B",
      heading: "Production entry",
      shot: "entry-rejected",
      text: "Temperature 857 °F is outside the standard's range of −58 to 302 °F.",
    },
    { path: "entry/2026-09-27_MHC-LACT-01", heading: "Production entry", shot: "entry-flagged-approved" },
  ],
  [USERS.operatorBasalt]: [
    { path: "entries", heading: "Production entries" },
    { path: "inbox", heading: "Inbox" },
    { path: "settings", heading: "JV settings", shot: "operator-jv-settings" },
  ],
  [USERS.partnerNorthwind]: [
    { path: "partner-entries", heading: "Our entries", shot: "partner-entries" },
    { path: "statements", heading: "Our allocation statements" },
    { path: "settings", heading: "JV settings" },
  ],
  [USERS.auditor]: [
    { path: "health", heading: "Agent health" },
    { path: "settings", heading: "JV settings" },
  ],
};

for (const [user, screens] of Object.entries(SCREENS)) {
  test(`${user}: ${screens.map((s) => s.path).join(", ")} are accessible`, async ({ page }) => {
    await signIn(page, user);
    for (const s of screens) {
      await open(page, s.path);
      await expect(page.getByRole("heading", { name: s.heading, level: 1 })).toBeVisible();
      await expect(page.getByText("Loading…")).toHaveCount(0);
      await expect(page.getByRole("alert")).toHaveCount(0);
      if (s.text) await expect(page.getByText(s.text).first()).toBeVisible();
      await expectAccessible(page, `${s.path} (${user})`);
      if (s.shot) await screenshot(page, s.shot);
    }
  });
}

// A phone (390 px): every screen with a data table fits the width; the tables scroll inside their box.
const PHONE_SCREENS: Record<string, string[]> = {
  [USERS.admin]: ["users", "receipts", "review", "health", "api-keys", "statements", "statements/pet-20260901-20261030_v1", "entry/2026-10-08_KUP-LACT-02B"],
  [USERS.operatorBasalt]: ["entries"],
  [USERS.partnerNorthwind]: ["statements", "statements/pet-20260901-20261030_v1", "partner-entries"],
  [USERS.auditor]: ["audit-log"],
};

/** Lists shown on a phone as a block per row (a container query in styles.css), with the fields each row shows. */
const PHONE_BLOCKS: Record<string, { region: string; row: string; fields: string[]; partnerFields?: string[] }> = {
  receipts: { region: "Receipts table", row: "tbody tr", fields: ["Gross (bbl)", "BS&W (%)", "Latest version"] },
  entries: { region: "Entries table", row: "tr[data-entry]", fields: ["Gross (bbl)", "API", "NSV (bbl)"] },
  "partner-entries": { region: "Entries table", row: "tr[data-entry]", fields: ["Gross (bbl)", "API", "NSV (bbl)"] },
  statements: { region: "Statements table", row: "tbody tr", fields: ["Field NSV (bbl)", "Terminal NSV (bbl)"], partnerFields: ["Our NSV (bbl)", "Allocated to us (bbl)"] },
  health: { region: "Agent runs", row: "tbody tr", fields: ["Last outcome", "Runs", "Failed runs"] },
  "audit-log": { region: "Audit events", row: "tbody tr", fields: ["Seq", "At", "Action"] },
  users: { region: "Users table", row: "tbody tr", fields: ["Email", "Change"] },
  "api-keys": { region: "Keys table", row: "tbody tr", fields: ["Partner", "Status", "Last used"] },
  review: { region: "Recent decisions table", row: "tbody tr", fields: ["Entry", "Partner", "Decision"] },
  "statements/pet-20260901-20261030_v1": { region: "Allocation by partner", row: "tbody tr", fields: ["NSV (bbl)", "Share (%)", "Allocated (bbl)", "Shrinkage (bbl)"] },
};

for (const [user, paths] of Object.entries(PHONE_SCREENS)) {
  test(`${user} at 390 px: ${paths.join(", ")} do not scroll sideways`, async ({ page }) => {
    await page.setViewportSize(PHONE);
    await signIn(page, user);
    for (const path of paths) {
      await open(page, path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.getByText("Loading…")).toHaveCount(0);
      await expect(page.locator("table").first()).toBeVisible();
      await expectNoSidewaysScroll(page, `${path} (${user})`);
      await screenshot(page, `phone-${user.split("@")[0]}-${path.replace(/[/_]/g, "-")}`);
      const blocks = PHONE_BLOCKS[path];
      if (blocks) {
        // Each row a block the width of the screen: nothing of it is left to scroll sideways to.
        await expectRowsAsBlocks(page, blocks.region, blocks.row, user === USERS.partnerNorthwind ? (blocks.partnerFields ?? blocks.fields) : blocks.fields);
        await expectAccessible(page, `${path} as blocks at 390 px (${user})`);
      }
      if (path === "users") {
        // The saved role and partner are the change form's preset selects: a phone shows them once.
        const row = page.getByRole("region", { name: "Users table", exact: true }).locator("tbody tr").first();
        await expect(row.locator("td.saved-role")).toHaveCount(2);
        for (const cell of await row.locator("td.saved-role").all()) await expect(cell).toBeHidden();
        // The first row is the admin's: its select shows the role saved.
        await expect(row.getByRole("combobox", { name: /^Role of / })).toHaveValue("admin");
      }
      if (path.startsWith("statements/")) {
        // The partner's name over its figures, not kept in view over them as when the table scrolled sideways.
        const name = page.locator(".statement-table tbody th").first();
        expect(await name.evaluate((el) => getComputedStyle(el).position), "the partner's name on a phone").toBe("static");
        await screenshot(page, `phone-${user.split("@")[0]}-${path.replace(/[/_]/g, "-")}-table`, page.getByRole("region", { name: "Allocation by partner" }));
        // The terminal's factors and the shrinkage in two even columns.
        expect(await page.locator(".statement-facts .factors").first().evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(" ").length)).toBe(2);
        await screenshot(page, `phone-${user.split("@")[0]}-${path.replace(/[/_]/g, "-")}-facts`, page.locator(".statement-facts"));
      }
      if (path === "statements" && user === USERS.partnerNorthwind) {
        // The trend chart is drawn at the phone's width: its labels stay 11 px.
        const tick = page.getByTestId("trend-chart").locator("text.tick").first();
        const height = await tick.evaluate((el) => el.getBoundingClientRect().height);
        expect(height, "a tick label's height on a phone").toBeGreaterThanOrEqual(10);
      }
    }
  });
}

test("the admin's top bar fits one row at 1280 px", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, USERS.admin);
  const bar = page.locator("header.topbar");
  await expect(bar.getByRole("link", { name: "JV settings" })).toBeVisible();
  // The admin has unread notices by now (the scenarios before this one sent them): the bar with its count.
  await expect(bar.getByTestId("unread-count")).toBeVisible();
  const tops = await bar.locator("nav a, .brand, .who button").evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2)));
  expect(Math.max(...tops) - Math.min(...tops), "every item of the bar on one row").toBeLessThanOrEqual(6);
  await screenshot(page, "admin-topbar-1280");
  await page.setViewportSize(PHONE);
  await expectNoSidewaysScroll(page, "the admin's top bar on a phone");
  // On a phone the bar is one row, the brand and Menu (with the unread count); the menu and who is
  // signed in open under it, and close once a page is chosen.
  const menu = bar.getByRole("button", { name: /^Menu/ });
  const nav = bar.getByRole("navigation", { name: "Main" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  await expect(bar.getByRole("button", { name: "Sign out" })).toBeHidden();
  expect((await bar.boundingBox())!.height, "the closed bar is one row").toBeLessThanOrEqual(60);
  await expect(bar.getByTestId("menu-unread-count")).toHaveText((await bar.getByTestId("unread-count").textContent())!);
  await screenshot(page, "phone-admin-topbar");
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(bar.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expectNoSidewaysScroll(page, "the admin's opened menu on a phone");
  await expectAccessible(page, "the admin's opened menu on a phone");
  await screenshot(page, "phone-admin-topbar-open");
  // Escape closes it and gives the focus back to Menu.
  await nav.getByRole("link", { name: "API keys" }).focus();
  await page.keyboard.press("Escape");
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();
  // A page chosen: the menu closes and the focus, on a link hidden with it, goes to the page's heading.
  await menu.click();
  await nav.getByRole("link", { name: "API keys" }).click();
  await expect(page.locator("#page-title")).toHaveText("API keys");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  await expect(page.locator("#page-title")).toBeFocused();
});

test("Skip to content moves the focus to the page and keeps the route", async ({ page }) => {
  await signIn(page, USERS.auditor);
  await open(page, "settings");
  await expect(page.getByRole("heading", { name: "JV settings", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "Skip to content" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
  await expect(page).toHaveURL(/#\/settings$/);
  await expect(page.getByRole("heading", { name: "JV settings", level: 1 })).toBeVisible();
});

test("a stale report's notification is marked stale, not completed", async ({ page }) => {
  const id = `zz-stale-notice-${Date.now().toString(36)}`;
  await writeAsServer(`notifications/${id}`, {
    recipient_uid: "demo-auditor",
    type: "reconciliation_stale",
    title: "A statement is stale",
    body: "A notification seeded by the screens scenario.",
    data: {},
    read: false,
    created_at: new Date(),
  });
  try {
    await signIn(page, USERS.auditor);
    await open(page, "inbox");
    const badge = page.locator(`[data-testid="notification"][data-id="${id}"] .badge`);
    await expect(badge).toHaveAttribute("data-status", "stale");
    await expect(badge).toHaveText("Stale statement");
  } finally {
    await deleteAsServer(`notifications/${id}`);
  }
});

test("agent health adds up each agent's runs and the day's Gemini calls from their shards", async ({ page }) => {
  // The seeds, the page and the checks below each work out today's date: all on one day.
  await clearOfUtcMidnight(90_000);
  // 120 older budget documents (24 days x 5 partners) sort before today's usage by id: the
  // day's calls must still be listed, and the budgets newest day first.
  const budgetIds: string[] = [];
  for (let back = 2; back < 26; back++) {
    const day = new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
    for (let p = 0; p < 5; p++) {
      const id = `${day}_budget_partner_zz-health-${p}`;
      budgetIds.push(id);
      await writeAsServer(`llm_usage/${id}`, { day, scope: "partner", partner_id: `zz-health-${p}`, calls: 3, refused: 0, limit: 50 });
    }
  }
  // Without a Gemini key no call is taken from a budget (none is made): Northwind's, as a keyed JV's would read.
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  const northwindBudget = `${twoDaysAgo}_budget_partner_northwind`;
  await writeAsServer(`llm_usage/${northwindBudget}`, { day: twoDaysAgo, scope: "partner", partner_id: "northwind", calls: 7, refused: 0, limit: 200 });
  budgetIds.push(northwindBudget);
  try {
    await signIn(page, USERS.auditor);
    await open(page, "health");
    await expectHealthCounts(page);
    // A budget whose partner has no record is named by its id.
    await expect(page.locator('[data-testid=llm-budgets] tr[data-budget$="_budget_partner_zz-health-0"] td').nth(1)).toHaveText("partner zz-health-0");
    const days = await page.locator("[data-testid=llm-budgets] tbody tr td:first-child").allInnerTexts();
    const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    expect(days.length).toBeGreaterThanOrEqual(25);
    expect(days, "newest day first").toEqual([...days].sort().reverse());
    expect(days.every((d) => d >= weekAgo), "the last 7 days only").toBe(true);
  } finally {
    for (const id of budgetIds) await deleteAsServer(`llm_usage/${id}`);
  }
});

async function expectHealthCounts(page: Page): Promise<void> {
  const countIn = async (cell: ReturnType<typeof page.locator>) => {
    await expect(cell).toHaveText(/^[\d,]+$/);
    return Number((await cell.innerText()).replace(/,/g, ""));
  };
  // By now the auditor has audited entries and the accountant has reconciled (earlier projects).
  for (const agent of ["auditor", "accountant", "communicator"]) {
    const row = page.locator(`[data-testid=agents] tr[data-agent="${agent}"]`);
    // Named by what it does, not by its key.
    await expect(row.locator("th")).toHaveText(new RegExp(`^${agent[0].toUpperCase()}${agent.slice(1)} \\(`));
    expect(await countIn(row.getByTestId("runs")), `${agent} runs`).toBeGreaterThan(0);
    expect(await countIn(row.getByTestId("failures")), `${agent} failures`).toBeGreaterThanOrEqual(0);
  }
  // No Gemini key in the browser layer: every call is counted (and falls back to the template).
  // The calls were made today, or yesterday when the run crossed midnight UTC: the newest day listed.
  const newest = page.locator("[data-testid=llm-usage] tr[data-usage]").first();
  await expect(newest).toBeVisible();
  const day = (await newest.getAttribute("data-usage"))!.slice(0, 10);
  const today = new Date().toISOString().slice(0, 10);
  expect([today, new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)]).toContain(day);
  expect(await countIn(newest.getByTestId("calls"))).toBeGreaterThan(0);
  // Every call failed for want of a key, and the banner says so at a glance.
  const when = day === today ? "today" : `on ${day}`;
  await expect(page.getByTestId("gemini-status")).toHaveText(
    new RegExp(
      `^Gemini: every call ${when} failed \\(([\\d,]+) of \\1; reason: no API key configured\\) — notices and explanations used the rule-based templates\\.$`,
    ),
  );
  await expect(page.getByTestId("gemini-status")).toHaveAttribute("data-kind", "error");
  // The agents' table counts what the banner counts: each agent's failed Gemini calls of that day
  // add up to the banner's, beside runs that did not fail (the templates stood in).
  const bannerCalls = Number(/\(([\d,]+) of/.exec(await page.getByTestId("gemini-status").innerText())![1].replace(/,/g, ""));
  const agents = page.getByTestId("agents");
  await expect(agents.locator("thead")).toContainText("Failed runs");
  await expect(agents.locator("thead")).toContainText(`Gemini calls failed (${day === today ? "today" : day})`);
  let failedCalls = 0;
  let calls = 0;
  for (const agent of ["auditor", "communicator"]) {
    const cell = agents.locator(`tr[data-agent="${agent}"]`).getByTestId("gemini-failed");
    await expect(cell).toHaveText(/^[\d,]+ of [\d,]+$/);
    const [failed, of] = (await cell.innerText()).split(" of ").map((n) => Number(n.replace(/,/g, "")));
    expect(failed, `${agent}: every Gemini call failed, as the banner says`).toBe(of);
    failedCalls += failed;
    calls += of;
  }
  expect(failedCalls).toBe(bannerCalls);
  expect(calls).toBe(bannerCalls);
  await expect(agents.locator(`tr[data-agent="accountant"]`).getByTestId("gemini-failed")).toHaveText("no calls");
  await expect(page.getByTestId("agents-counts-note")).toContainText("A Gemini call that failed is not a failed run");
  // A partner's budget is named by the partner's name; one without a partner record by its id.
  const budgets = page.getByTestId("llm-budgets");
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  await expect(budgets.locator(`tr[data-budget="${twoDaysAgo}_budget_partner_northwind"] td`).nth(1)).toHaveText("Northwind Energy");
  // No key: today's calls were never asked, so none was taken from a budget.
  await expect(budgets.locator(`tr[data-budget="${day}_budget_partner_northwind"]`)).toHaveCount(0);
  await expect(budgets).not.toContainText("partner northwind");
  await expectAccessible(page, "agent health with counts");
  await screenshot(page, "agent-health");
}
