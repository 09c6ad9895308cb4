import { expect, test } from "@playwright/test";
import {
  commitAsServer,
  countAsServer,
  open,
  readAsServer,
  readManyAsServer,
  screenshot,
  signIn,
  userPage,
  USERS,
  writeAsServer,
} from "./support";

const OPERATOR = "operator.sable@flowshare.example";
const OPERATOR_UID = "demo-operator-sable";

// Last of all (its own project): it moves a demo user that no other scenario signs in as.
test("an admin moves an operator to another partner; signed in again, the operator works for that partner", async ({ page, browser }) => {
  const before = await userPage(browser, OPERATOR);
  await expect(before.getByText("Field operator · Sable Creek Resources")).toBeVisible();
  await expect(before.getByRole("main")).toContainText("Daily meter tickets of Sable Creek Resources.");
  await before.context().close();

  await signIn(page, USERS.admin);
  await page.getByRole("link", { name: "Users & roles" }).click();
  const form = page.getByRole("form", { name: `Role of ${OPERATOR}` });
  const save = form.getByRole("button", { name: "Save" });
  await expect(save).toBeDisabled();
  // A partner role without a partner cannot be saved.
  await form.getByLabel(`Role of ${OPERATOR}`).selectOption("jv_partner");
  await form.getByLabel(`Partner of ${OPERATOR}`).selectOption("");
  await expect(save).toBeDisabled();
  await form.getByLabel(`Role of ${OPERATOR}`).selectOption("field_operator");
  // The account as saved, while the selects say otherwise (on a phone nothing else shows it).
  await expect(form.getByTestId("role-unsaved")).toHaveText("Not saved yet: the account is still Field operator of Sable Creek Resources.");
  await form.getByLabel(`Partner of ${OPERATOR}`).selectOption("meridian");
  await save.click();
  await expect(form.getByRole("status")).toHaveText(
    "Saved. The user's open sessions are signed out; the new role applies when they sign in again.",
  );
  await expect(form.getByTestId("role-unsaved")).toHaveCount(0);
  // users/{uid} mirrors the claims: the table follows it live.
  const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Sam Whitaker" }) });
  await expect(row.getByRole("cell").nth(2)).toHaveText("Meridian Hydrocarbons");
  await screenshot(page, "admin-role-saved");
  // A change saved elsewhere (here straight into the mirror the page reads) replaces what the selects showed.
  await writeAsServer(`users/${OPERATOR_UID}`, { partner_id: "kestrel" }, { merge: true });
  await expect(form.getByLabel(`Partner of ${OPERATOR}`)).toHaveValue("kestrel");
  await writeAsServer(`users/${OPERATOR_UID}`, { partner_id: "meridian" }, { merge: true });
  await expect(form.getByLabel(`Partner of ${OPERATOR}`)).toHaveValue("meridian");
  await expect(save).toBeDisabled();

  const after = await userPage(browser, OPERATOR);
  await expect(after.getByText("Field operator · Meridian Hydrocarbons")).toBeVisible();
  const main = after.getByRole("main");
  await expect(main).toContainText("Daily meter tickets of Meridian Hydrocarbons.");
  await expect(main.getByText("MHC-LACT-01").first()).toBeVisible();
  await expect(main.getByText("SCR-LACT-01")).toHaveCount(0);
  await after.context().close();
});

test("someone who signs in without a role is told so, and an admin gives their email a role from the app", async ({ page, browser }) => {
  const email = `newcomer-${Date.now().toString(36)}@flowshare.example`;
  const password = "newcomer-password";
  const host = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  if (!host) throw new Error("FIREBASE_AUTH_EMULATOR_HOST is not set: run the browser tests inside the emulators");
  // The account as Firebase Auth makes it at sign-up: no claims, no users/{uid} profile.
  const created = await fetch(`http://${host}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=emulator`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password, returnSecureToken: true }),
  });
  expect(created.ok).toBe(true);

  const newcomer = await (await browser.newContext()).newPage();
  const signInWithEmail = async () => {
    await newcomer.goto("/");
    // Emulators: the email form sits under the demo-user picker.
    await newcomer.locator("summary", { hasText: "Another account" }).click();
    const form = newcomer.getByRole("form", { name: "Sign in with email" });
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Password").fill(password);
    await form.getByRole("button", { name: "Sign in" }).click();
  };
  await signInWithEmail();
  await expect(newcomer.getByRole("heading", { name: "No role yet" })).toBeVisible();
  const noRole = newcomer.getByTestId("no-role");
  await expect(noRole).toContainText(`${email} is signed in but has no FlowShare role`);
  await expect(noRole).toContainText("only to an email its owner has verified");

  await signIn(page, USERS.admin);
  await page.getByRole("link", { name: "Users & roles" }).click();
  await expect(page.getByTestId("users")).toBeVisible();
  await expect(page.getByTestId("users")).not.toContainText(email);
  const assign = page.getByTestId("assign-by-email");
  const give = assign.getByRole("button", { name: "Give the role" });
  await assign.getByLabel("Email", { exact: true }).fill(email.toUpperCase());
  await expect(give).toBeDisabled();
  await assign.getByLabel("Role of the account with that email").selectOption("field_operator");
  await expect(give).toBeDisabled();
  await assign.getByLabel("Partner of the account with that email").selectOption("basalt");
  // Anyone could have signed up with that address: not verified, no role.
  await give.click();
  await expect(assign.getByRole("alert")).toContainText(`The account with the email ${email} has not verified it, so it may not be theirs`);
  await expect(page.getByTestId("users")).not.toContainText(email);
  await screenshot(page, "admin-role-by-email-unverified", assign);

  // The newcomer sends the link and follows it (the Auth emulator keeps the links it would mail).
  await noRole.getByRole("button", { name: "Send me the verification link" }).click();
  await expect(noRole.getByRole("status")).toContainText(`Link sent to ${email}`);
  await screenshot(newcomer, "no-role-link-sent");
  await noRole.getByRole("button", { name: "I have followed the link" }).click();
  await expect(noRole.getByRole("status")).toContainText("The email is not verified yet");
  const project = process.env.GCLOUD_PROJECT ?? "demo-flowshare";
  const codes = (await (await fetch(`http://${host}/emulator/v1/projects/${project}/oobCodes`)).json()) as {
    oobCodes: Array<{ email: string; requestType: string; oobLink: string }>;
  };
  const link = codes.oobCodes.find((c) => c.email === email && c.requestType === "VERIFY_EMAIL");
  expect(link, "the Auth emulator holds the verification link").toBeDefined();
  expect((await fetch(link!.oobLink)).ok).toBe(true);
  await noRole.getByRole("button", { name: "I have followed the link" }).click();
  await expect(noRole).toContainText("Your email is verified.");
  await screenshot(newcomer, "no-role-verified");

  await give.click();
  await expect(assign.getByRole("status")).toContainText(`now has the role, listed above`);
  // The account is named by its email; its uid is no help to an admin.
  await expect(assign.getByRole("status")).not.toContainText("uid");
  const row = page.getByRole("row").filter({ hasText: email });
  // No display name: the Name column gives its email, not its uid.
  await expect(row.getByRole("rowheader")).toHaveText(email);
  await expect(row.getByRole("cell").nth(1)).toHaveText("Field operator");
  await expect(row.getByRole("cell").nth(2)).toHaveText("Basalt Ridge Petroleum");
  await screenshot(page, "admin-role-by-email");

  // Signed in again, the newcomer works as Basalt's operator.
  await newcomer.getByRole("button", { name: "Sign out" }).click();
  await signInWithEmail();
  await expect(newcomer.getByText("Field operator · Basalt Ridge Petroleum")).toBeVisible();
  await expect(newcomer.getByRole("main")).toContainText("Daily meter tickets of Basalt Ridge Petroleum.");
  await newcomer.context().close();
});

// Last of all: it marks every notification of the auditor read. More than Mark all read reads in a
// round (250, inbox.tsx): it reads the server again until none is left.
test("past 100 unread notifications the badge says 100+, and Mark all read reads them all, not only those listed", async ({ page }) => {
  const ids = Array.from({ length: 260 }, (_, i) => `zz-inbox-${Date.now().toString(36)}-${i}`);
  const created = Date.now();
  const paths = ids.map((id) => `notifications/${id}`);
  await commitAsServer(
    paths.map((path, i) => ({
      path,
      data: {
        recipient_uid: "demo-auditor",
        type: "reconciliation_completed",
        title: `Seeded notice ${i}`,
        body: "A notification seeded by the inbox scenario.",
        data: {},
        read: false,
        created_at: new Date(created - i * 60_000),
      },
    })),
  );
  try {
    await signIn(page, USERS.auditor);
    await expect(page.getByTestId("unread-count")).toHaveText("100+");
    await open(page, "inbox");
    await expect(page.getByTestId("notification")).toHaveCount(50);
    // Older ones a page at a time: notice 55 is past the first page (other notices of the suite are newer).
    const notice55 = page.getByTestId("notification").filter({ hasText: /Seeded notice 55(?!\d)/ });
    await expect(notice55).toHaveCount(0);
    await expect(page.getByTestId("notifications-cut")).toContainText("Showing the newest 50 notifications; older ones, if any, are not shown.");
    const older = page.getByTestId("notifications-cut").getByRole("button");
    await older.click();
    await expect(page.getByTestId("notification")).toHaveCount(100);
    // The button kept the focus while the next page came in.
    await expect(older).toBeFocused();
    await expect(older).toHaveText("Show older notifications");
    await expect(notice55).toHaveCount(1);
    await expect(page.getByTestId("notifications-cut")).toContainText("Showing the newest 100 notifications");
    await screenshot(page, "inbox-older-notifications", page.getByTestId("notification").nth(98));
    await page.getByRole("button", { name: "Mark all read" }).click();
    const stillUnread = async () => (await readManyAsServer(paths)).flatMap((n, i) => (n?.read === true ? [] : [ids[i]]));
    await expect.poll(stillUnread, { message: "every seeded notification, listed or not, is read", timeout: 60_000 }).toEqual([]);
    await expect(page.getByTestId("unread-count")).toHaveCount(0);
  } finally {
    await commitAsServer(paths.map((path) => ({ path })));
  }
});

// Sixty receipts of 2001 lie past the list's first page (newest period first), and are removed after.
test("the receipts list reads 50 at a time, newest period first, and older receipts on request", async ({ page }) => {
  const stamp = Date.now().toString(36);
  const figures = { gross_volume_bbl: 2985.4, bsw_percent: 0.4, temperature_degF: 88, api_gravity: 35.1, created_by: "demo-coordinator", created_at: new Date() };
  // One contract day each, ids[59] the newest: 2001-01-01 to 2001-03-01.
  const ids = Array.from({ length: 60 }, (_, i) => `old-${stamp}-${String(i).padStart(2, "0")}`);
  const paths = ids.map((id) => `terminal_receipts/${id}`);
  await commitAsServer(
    ids.map((id, i) => ({ path: `terminal_receipts/${id}`, data: { ...figures, period_start: new Date(Date.UTC(2001, 0, 1 + i)), period_end: new Date(Date.UTC(2001, 0, 2 + i)) } })),
  );
  try {
    await signIn(page, USERS.coordinator);
    await open(page, "receipts");
    const rows = page.getByTestId("receipts").locator("tbody tr");
    const row = (id: string) => page.locator(`tr[data-receipt="${id}"]`);
    await expect(rows).toHaveCount(50);
    const cut = page.getByTestId("receipts-cut");
    await expect(cut).toContainText("Showing the newest 50 receipts; older ones, if any, are not shown.");
    // The suite's own receipts are newer than 2001: the first page ends among the seeded ones.
    await expect(row(ids[59])).toHaveCount(1);
    await expect(row(ids[0])).toHaveCount(0);
    await cut.getByRole("button", { name: "Show older receipts" }).click();
    await expect(row(ids[0])).toHaveCount(1);
    await expect(row(ids[0])).toContainText("2001-01-01");
    // Fewer than the second page's 100 in all: nothing is said to be left out.
    await expect(cut).toHaveCount(0);
    const listed = await rows.evaluateAll((els) => els.map((el) => el.getAttribute("data-receipt")));
    expect(listed.slice(-60)).toEqual([...ids].reverse());
  } finally {
    await commitAsServer(paths.map((path) => ({ path })));
  }
});

// Last of all: it leaves a hundred and one flagged entries waiting, which would block any close.
test("past a hundred flagged entries the review queue shows the oldest 25 and the count of all, a decision brings the next in, more are shown on request, and a changed decision is marked", async ({
  page,
}) => {
  // 101 audits and their notifications go through the emulated triggers one by one: 2.0 min in CI.
  test.setTimeout(300_000);
  const partner = `zz-queue-${Date.now().toString(36)}`;
  await writeAsServer(`partners/${partner}`, { name: "Queue Test Ltd", active: true });
  // BS&W 2 %: the auditor flags each one (above the typical 1 %), as it would an operator's.
  // June 2025, before every other scenario's entries: these are the oldest waiting.
  const start = Date.UTC(2025, 5, 1, 6);
  const ids = Array.from({ length: 101 }, (_, i) => `${partner}-${String(i).padStart(3, "0")}`);
  const paths = ids.map((id) => `production_entries/${id}`);
  await commitAsServer(
    paths.map((path, i) => ({
      path,
      data: {
        partner_id: partner,
        meter_id: `QT-${i}`,
        measured_at: new Date(start + i * 3_600_000),
        gross_volume_bbl: 1000.5,
        bsw_percent: 2,
        temperature_degF: 80,
        api_gravity: 35,
        created_by: "queue-scenario",
        created_at: new Date(),
      },
    })),
  );
  const audited = async () => (await readManyAsServer(paths)).filter((e) => e?.audit).length;
  await expect.poll(audited, { message: "the auditor flags every seeded entry", timeout: 120_000, intervals: [2_000] }).toBe(101);

  // The communicator tells the coordinators of the partner's first 50 flags of the day one by one,
  // reading each entry in a transaction, and of the rest in one notice: the queue is opened once
  // its notices stop coming (the same count three polls running), so that no entry is held by it then.
  let last = -1;
  let steady = 0;
  const settled = async () => {
    const told = await countAsServer("notifications", "data.partner_id", partner);
    steady = told > 50 && told === last ? steady + 1 : 0;
    last = told;
    return steady;
  };
  await expect
    .poll(settled, { message: "the communicator's notices of the flags settle", timeout: 120_000, intervals: [2_000] })
    .toBeGreaterThanOrEqual(3);
  await signIn(page, USERS.coordinator);
  await page.getByRole("link", { name: "Review queue" }).click();
  // The queue's listener was once never answered here; the app asks again after RELISTEN_MS (15 s).
  const items = page.getByTestId("review-item");
  const item = (i: number) => page.locator(`[data-testid="review-item"][data-entry="${ids[i]}"]`);
  // A first page of 25, oldest first, and the count of all.
  await expect(items).toHaveCount(25, { timeout: 60_000 });
  await expect(page.locator(`[data-testid="review-item"][data-entry^="${partner}-"]`)).toHaveCount(25);
  // Judged at once, not once it settles: the queue waits for the server's answer rather than show
  // the cache's (in CI the cache, filled by the newest flags' listener, once listed entries 9 to 33).
  expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute("data-entry")))).toEqual(ids.slice(0, 25));
  await expect(page.getByTestId("queue-more")).toBeVisible();
  await expect(page.getByTestId("awaiting-count")).toHaveText(/^\d+$/, { timeout: 60_000 });
  const pill = Number(await page.getByTestId("awaiting-count").innerText());
  expect(pill).toBeGreaterThanOrEqual(101);
  await expect(page.getByTestId("queue-more")).toHaveText(`The oldest 25 of ${pill} are shown; each decision brings the next one in.`);
  await expect(page.getByTestId("queue-show-more")).toHaveText("Show 25 more");
  await expect(item(25)).toHaveCount(0);
  // One decision for every partner takes what the queue read, said beside the count of all.
  await expect(page.getByTestId("bulk-review").getByLabel("Entries of", { exact: true }).locator('option[value=""]')).toHaveText(
    new RegExp(`^every partner: the oldest \\d+ entries of the ${pill} waiting \\(as many as the queue has read\\)$`),
  );
  await screenshot(page, "coordinator-review-queue-full");

  const first = item(0);
  await first.getByRole("textbox", { name: /Review note/ }).fill("Seeded by the queue scenario.");
  await first.getByRole("button", { name: "Reject" }).click();
  await expect(first).toHaveCount(0, { timeout: 30_000 });
  // The decided card's place is taken by the next, which takes the focus too; the status line says what was decided.
  await expect(item(1)).toBeFocused();
  await expect(page.getByTestId("queue-decided")).toHaveText("QT-0 on 2025-06-01 rejected.");
  // The next one comes in: still 25 listed, one fewer waiting.
  await expect(item(25)).toBeVisible();
  await expect(items).toHaveCount(25);
  await expect(page.getByTestId("awaiting-count")).toHaveText(String(pill - 1));

  // More on request, by keyboard too: the focus goes to the first entry brought in.
  await page.getByTestId("queue-show-more").focus();
  await page.keyboard.press("Enter");
  await expect(items).toHaveCount(50);
  await expect(item(26)).toBeFocused();
  await expect(page.getByTestId("queue-more")).toHaveText(`The oldest 50 of ${pill - 1} are shown; each decision brings the next one in.`);
  await page.getByTestId("queue-show-more").click();
  await expect(items).toHaveCount(75);
  await page.getByTestId("queue-show-more").click();
  // Every seeded entry but the rejected one, in order, the 101st among them.
  await expect(items).toHaveCount(Math.min(100, pill - 1));
  expect((await items.evaluateAll((els) => els.map((e) => e.getAttribute("data-entry")))).slice(0, 100)).toEqual(ids.slice(1, 101));

  // A rejection is not final: the entry's page offers to change the decision, with a reason.
  await open(page, `entry/${ids[0]}`);
  const change = page.getByRole("form", { name: "Change the decision on QT-0 on 2025-06-01", exact: true });
  await expect(change.getByRole("button", { name: "Approve" })).toBeDisabled();
  await expect(change.getByRole("button", { name: "Reject" })).toBeDisabled();
  await change.getByRole("textbox", { name: /Change the decision \(now rejected\)/ }).fill("Rejected by mistake: the ticket is sound.");
  await change.getByRole("button", { name: "Approve" }).click();
  await expect(change).toContainText("Entry approved.");
  // The buttons were disabled while it was saved: the result takes the focus, not the page.
  await expect(change.getByRole("status")).toBeFocused();
  await expect(page.getByTestId("verdict")).toContainText("Approved");
  await screenshot(page, "coordinator-review-changed");
  const stored = (await readAsServer(`production_entries/${ids[0]}`))!;
  expect(stored.review).toMatchObject({ decision: "approved", note: "Rejected by mistake: the ticket is sound.", revision: 2 });
  // The recent decisions mark that this decision replaced an earlier one.
  await page.getByRole("link", { name: "Review queue" }).click();
  const decided = page.locator(`[data-testid="recently-reviewed"] tr[data-reviewed="${ids[0]}"]`);
  await expect(decided).toContainText("Approved");
  // What it replaced, by whom and when (the entry keeps the replaced review), and its note.
  await expect(decided.getByTestId("reviewed-replaced")).toHaveText(
    /^Replaces: rejected by [A-Z][a-z]+ [A-Z][a-z]+ on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/,
  );
  await expect(decided.getByTestId("reviewed-replaced-note")).toHaveText("Its note: “Seeded by the queue scenario.”");
  await screenshot(page, "coordinator-recent-decisions-changed", decided);
  // A first decision is not marked.
  const firstDecisions = page
    .locator('[data-testid="recently-reviewed"] tr[data-reviewed]')
    .filter({ hasNot: page.getByTestId("reviewed-revised") });
  await expect(firstDecisions.first()).toBeVisible();
});
