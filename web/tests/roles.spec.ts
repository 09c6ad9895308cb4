import { expect, test } from "@playwright/test";
import { deleteAsServer, open, readAsServer, screenshot, signIn, userPage, USERS, writeAsServer } from "./support";

const OPERATOR = "operator.sable@flowshare.example";

// Last of all (its own project): it moves a demo user that no other scenario signs in as.
test("an admin moves an operator to another partner; signed in again, the operator works for that partner", async ({ page, browser }) => {
  const before = await userPage(browser, OPERATOR);
  await expect(before.getByText("Field operator · sable")).toBeVisible();
  await expect(before.getByRole("main")).toContainText("Daily meter tickets of sable.");
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
  await form.getByLabel(`Partner of ${OPERATOR}`).selectOption("meridian");
  await save.click();
  await expect(form.getByRole("status")).toHaveText("Saved; takes effect at the user's next token refresh.");
  // users/{uid} mirrors the claims: the table follows it live.
  const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Sam Whitaker" }) });
  await expect(row.getByRole("cell").nth(2)).toHaveText("meridian");
  await screenshot(page, "admin-role-saved");

  const after = await userPage(browser, OPERATOR);
  await expect(after.getByText("Field operator · meridian")).toBeVisible();
  const main = after.getByRole("main");
  await expect(main).toContainText("Daily meter tickets of meridian.");
  await expect(main.getByText("MHC-LACT-01").first()).toBeVisible();
  await expect(main.getByText("SCR-LACT-01")).toHaveCount(0);
  await after.context().close();
});

// Last of all: it marks every notification of the auditor read.
test("past 100 unread notifications the badge says 100+, and Mark all read reads them all, not only those listed", async ({ page }) => {
  const ids = Array.from({ length: 130 }, (_, i) => `zz-inbox-${Date.now().toString(36)}-${i}`);
  const created = Date.now();
  for (const [i, id] of ids.entries()) {
    await writeAsServer(`notifications/${id}`, {
      recipient_uid: "demo-auditor",
      type: "reconciliation_completed",
      title: `Seeded notice ${i}`,
      body: "A notification seeded by the inbox scenario.",
      data: {},
      read: false,
      created_at: new Date(created - i * 60_000),
    });
  }
  try {
    await signIn(page, USERS.auditor);
    await expect(page.getByTestId("unread-count")).toHaveText("100+");
    await open(page, "inbox");
    await expect(page.getByTestId("notification")).toHaveCount(50);
    await page.getByRole("button", { name: "Mark all read" }).click();
    const stillUnread = async () => {
      const unread: string[] = [];
      for (const id of ids) if ((await readAsServer(`notifications/${id}`))?.read !== true) unread.push(id);
      return unread;
    };
    await expect.poll(stillUnread, { message: "every seeded notification, listed or not, is read", timeout: 60_000 }).toEqual([]);
    await expect(page.getByTestId("unread-count")).toHaveCount(0);
  } finally {
    for (const id of ids) await deleteAsServer(`notifications/${id}`);
  }
});
