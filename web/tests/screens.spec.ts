import { expect, test } from "@playwright/test";
import { expectAccessible, open, screenshot, signIn, USERS } from "./support";

test("the sign-in picker lists the demo users by role", async ({ page }) => {
  await page.goto("/");
  for (const group of ["Administrator", "JV coordinator", "Auditor", "JV partner", "Field operator"]) {
    await expect(page.getByRole("region", { name: group })).toBeVisible();
  }
  await expect(page.locator("button.pick")).toHaveCount(14);
  await expectAccessible(page, "the sign-in picker");
  await screenshot(page, "sign-in");
});

// Every screen of every role (the scenarios cover the rest): it loads, shows its heading, nothing
// fails, and axe finds no serious or critical violation.
const SCREENS: Record<string, Array<{ path: string; heading: string; shot?: string }>> = {
  [USERS.admin]: [
    { path: "users", heading: "Users & roles", shot: "admin-users" },
    { path: "health", heading: "Agent health", shot: "agent-health" },
    { path: "receipts", heading: "Terminal receipts", shot: "coordinator-receipts" },
    { path: "api-keys", heading: "API keys", shot: "admin-api-keys" },
    { path: "settings", heading: "JV settings" },
  ],
  [USERS.coordinator]: [
    { path: "review", heading: "Review queue" },
    { path: "statements", heading: "Allocation statements" },
    { path: "entry/2026-10-08_KUP-LACT-02B", heading: "Production entry", shot: "entry-rejected" },
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
      await expectAccessible(page, `${s.path} (${user})`);
      if (s.shot) await screenshot(page, s.shot);
    }
  });
}
