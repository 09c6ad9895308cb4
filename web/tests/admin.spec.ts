import { expect, test } from "@playwright/test";
import { deleteAsServer, expectAccessible, open, screenshot, signIn, USERS, userPage, writeAsServer } from "./support";

test.describe.configure({ mode: "serial" });

// Runs after the coordinator's reconciliation: days are closed, so the contract day is fixed.
test("an admin changes the LUAF tolerance, everyone reads it; the contract day is refused once days are closed", async ({ page, browser }) => {
  await signIn(page, USERS.admin);
  await page.getByRole("link", { name: "JV settings" }).click();
  await expect(page.getByRole("heading", { name: "JV settings", level: 1 })).toBeVisible();
  const luaf = page.locator('[data-setting="luaf_tolerance_percent"]');
  // No settings document in the demo data: every value is a default.
  await expect(luaf).toHaveAttribute("data-default", "true");
  await expect(page.getByTestId("setting-luaf_tolerance_percent")).toHaveText("± 2.00 %");
  await expect(page.getByTestId("contract-day")).toContainText("00:00 at UTC+00:00");

  const form = page.getByTestId("settings-form");
  await form.locator('[name="luaf_tolerance_percent"]').fill("2.125");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved: luaf_tolerance_percent.");
  await expect(page.getByTestId("setting-luaf_tolerance_percent")).toHaveText("± 2.125 %");
  // setJvSettings stores every field (the others at their resolved values) and who changed it.
  await expect(luaf).toHaveAttribute("data-default", "false");
  await expect(page.locator('[data-default="true"]')).toHaveCount(0);
  await expect(page.getByText(/Last changed .* by Dana Whitfield\./)).toBeVisible();

  // Persisted: a reload, and another role, read 2.125 from settings/jv.
  await page.reload();
  await expect(page.getByTestId("setting-luaf_tolerance_percent")).toHaveText("± 2.125 %");
  const operator = await userPage(browser, USERS.operatorNorthwind);
  await expect(operator.getByTestId("day-hint")).toContainText("The contract day starts 00:00 at UTC+00:00");
  await open(operator, "settings");
  await expect(operator.getByTestId("setting-luaf_tolerance_percent")).toHaveText("± 2.125 %");
  await expect(operator.getByTestId("settings-form")).toHaveCount(0);
  await operator.context().close();

  // The form checks as the schema does before calling: hour 24 is refused on the spot.
  await form.locator('[name="contract_day_start_hour"]').fill("24");
  await expect(form.getByTestId("contract_day_start_hour-hint")).toHaveText("Contract day starts at hour must be a whole hour from 0 to 23.");
  await expect(form.locator('[name="contract_day_start_hour"]')).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByRole("button", { name: "Save settings" })).toBeDisabled();

  // A valid hour reaches setJvSettings, which refuses: the seeded period's days are closed.
  await form.locator('[name="contract_day_start_hour"]').fill("6");
  await form.getByRole("button", { name: "Save settings" }).click();
  const refusal = form.getByRole("alert");
  // The server's message as it wrote it: no function name, no HTTP status.
  await expect(refusal).toHaveText(/^Not saved: The contract day cannot change: day \d{4}-\d{2}-\d{2} is already closed, and closed days are named by the contract day they were closed under\.$/);
  await expect(page.getByTestId("setting-contract_day_start_hour")).toHaveText("00:00");
  await expectAccessible(page, "the JV settings with a refusal");
  await screenshot(page, "admin-jv-settings");
});

test("an admin creates a gateway key, sees the secret once, and revokes it", async ({ page }) => {
  await signIn(page, USERS.admin);
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  const form = page.getByTestId("api-key-form");
  const name = `Wellsite gateway ${Date.now().toString(36)}`;
  await form.locator('[name="partner_id"]').selectOption("northwind");
  await form.locator('[name="name"]').fill(name);

  // A refusal of createApiKey is shown in the server's words: an expiry in the past.
  await form.locator('[name="expires_at"]').fill("2020-01-01");
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(form.getByRole("alert")).toContainText(/^Key not created: expires_at 2020-01-01T00:00:00Z is not in the future\./);
  await expect(form.getByRole("alert")).not.toContainText(/createApiKey|\[\d{3}\]/);
  await expect(page.getByTestId("new-key")).toHaveCount(0);

  // A repeated meter is caught before calling.
  await form.locator('[name="meter_ids"]').fill("NWE-LACT-01, NWE-LACT-01");
  await expect(form.getByText("Meter NWE-LACT-01 is listed twice.")).toBeVisible();
  await expect(form.getByRole("button", { name: "Create key" })).toBeDisabled();

  // Commas separate meter ids; a space is part of one.
  await form.locator('[name="meter_ids"]').fill("NWE-LACT-01, NWE LACT 02");
  await form.locator('[name="expires_at"]').fill("2099-12-31");
  await form.getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("new-key-secret").innerText()).trim();
  expect(secret).toMatch(/^fsgk_[0-9A-Za-z]{46}$/);
  const keyId = (await page.getByTestId("new-key").innerText()).match(/Key (key_[0-9a-f]{20}) created for northwind/)?.[1];
  expect(keyId, "the key id in the confirmation").toBeTruthy();

  const row = page.locator(`tr[data-key="${keyId}"]`);
  await expect(row).toHaveAttribute("data-status", "active");
  await expect(row).toContainText(name);
  await expect(row).toContainText(`${secret.slice(0, 13)}…${secret.slice(-4)}`);
  await expect(row).toContainText("NWE-LACT-01, NWE LACT 02");
  await expect(row).toContainText("2099-12-31 00:00 UTC");
  // The secret is on the page once, in the confirmation, never in the list.
  await expect(page.getByText(secret, { exact: true })).toHaveCount(1);
  await expect(page.getByTestId("api-keys")).not.toContainText(secret);
  await expectAccessible(page, "the API keys with a new key");
  await screenshot(page, "admin-api-keys-created");

  await page.getByRole("button", { name: "I have stored it — hide" }).click();
  await expect(page.getByTestId("new-key")).toHaveCount(0);
  await page.reload();
  await expect(row).toHaveAttribute("data-status", "active");
  expect(await page.content()).not.toContain(secret);

  // Revoking asks first; Cancel leaves the key active.
  await row.getByRole("button", { name: `Revoke ${name} (${keyId})` }).click();
  const confirm = row.getByRole("group", { name: `Confirm revoking ${name} (${keyId})` });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(row).toHaveAttribute("data-status", "active");
  await row.getByRole("button", { name: `Revoke ${name} (${keyId})` }).click();
  await confirm.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(row).toHaveAttribute("data-status", "revoked");
  await expect(row.locator(".badge")).toHaveText("Revoked");
  await expect(row.getByRole("button")).toHaveCount(0);
  await screenshot(page, "admin-api-keys-revoked");
});

test("an inactive partner is offered neither for a role nor for a key", async ({ page }) => {
  const id = `zz-inactive-${Date.now().toString(36)}`;
  await writeAsServer(`partners/${id}`, { name: "Dormant Test Ltd", active: false });
  try {
    await signIn(page, USERS.admin);
    await page.getByRole("link", { name: "Users & roles" }).click();
    const rolePartner = page.getByRole("form", { name: `Role of ${USERS.operatorNorthwind}` }).getByLabel(`Partner of ${USERS.operatorNorthwind}`);
    await expect(rolePartner.locator('option[value="northwind"]')).toHaveCount(1);
    await expect(rolePartner.locator(`option[value="${id}"]`)).toHaveCount(0);
    await page.getByRole("link", { name: "API keys" }).click();
    const keyPartner = page.getByTestId("api-key-form").locator('[name="partner_id"]');
    await expect(keyPartner.locator('option[value="northwind"]')).toHaveCount(1);
    await expect(keyPartner.locator(`option[value="${id}"]`)).toHaveCount(0);
  } finally {
    await deleteAsServer(`partners/${id}`);
  }
});
