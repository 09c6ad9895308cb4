import { expect, test } from "@playwright/test";
import { expectAccessible, screenshot, signIn, USERS } from "./support";

test("the sign-in picker lists the demo users by role", async ({ page }) => {
  await page.goto("/");
  for (const group of ["Administrator", "JV coordinator", "Auditor", "JV partner", "Field operator"]) {
    await expect(page.getByRole("region", { name: group })).toBeVisible();
  }
  await expect(page.locator("button.pick")).toHaveCount(14);
  await expectAccessible(page, "the sign-in picker");
  await screenshot(page, "sign-in");
});

// Every screen of every role: loads, shows its heading, and passes axe.
const SCREENS: Array<{ user: string; path: string; heading: string; shot?: string }> = [
  { user: USERS.admin, path: "users", heading: "Users & roles", shot: "admin-users" },
  { user: USERS.admin, path: "health", heading: "Agent health", shot: "agent-health" },
  { user: USERS.admin, path: "receipts", heading: "Terminal receipts", shot: "coordinator-receipts" },
  { user: USERS.coordinator, path: "review", heading: "Review queue" },
  { user: USERS.coordinator, path: "statements", heading: "Allocation statements" },
  { user: USERS.coordinator, path: "entry/2026-10-08_KUP-LACT-02B", heading: "Production entry", shot: "entry-rejected" },
  { user: USERS.coordinator, path: "entry/2026-09-27_MHC-LACT-01", heading: "Production entry", shot: "entry-flagged-approved" },
  { user: USERS.operatorBasalt, path: "entries", heading: "Production entries" },
  { user: USERS.operatorBasalt, path: "inbox", heading: "Inbox" },
  { user: USERS.partnerNorthwind, path: "partner-entries", heading: "Our entries", shot: "partner-entries" },
  { user: USERS.auditor, path: "health", heading: "Agent health" },
];

for (const s of SCREENS) {
  test(`${s.path} as ${s.user} is accessible`, async ({ page }) => {
    await signIn(page, s.user);
    await page.goto(`/#/${s.path}`);
    await expect(page.getByRole("heading", { name: s.heading, level: 1 })).toBeVisible();
    await expect(page.getByText("Loading…")).toHaveCount(0);
    await expect(page.getByRole("alert")).toHaveCount(0);
    await expectAccessible(page, `${s.path} (${s.user})`);
    if (s.shot) await screenshot(page, s.shot);
  });
}
