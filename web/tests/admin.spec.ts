import { expect, test } from "@playwright/test";
import { clearOfUtcMidnight, deleteAsServer, expectAccessible, expectNoSidewaysScroll, expectRowsAsBlocks, open, PHONE, readAsServer, screenshot, signIn, USERS, userPage, writeAsServer } from "./support";

test.describe.configure({ mode: "serial" });

// Runs after the coordinator's reconciliation: days are closed, so the contract day is fixed.
test("an admin changes the LUAF tolerance, everyone reads it; the contract day is read-only once days are closed", async ({
  page,
  browser,
}) => {
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
  await expect(form.getByTestId("changing")).toHaveText("Changing: LUAF tolerance");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved: LUAF tolerance.");
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

  // The form checks as the schema does before calling: a tolerance above 100 % is refused on the spot.
  await form.locator('[name="luaf_tolerance_percent"]').fill("101");
  await expect(form.getByTestId("luaf_tolerance_percent-hint")).toHaveText("LUAF tolerance must be a number from 0 to 100.");
  await expect(form.locator('[name="luaf_tolerance_percent"]')).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByRole("button", { name: "Save settings" })).toBeDisabled();
  await form.locator('[name="luaf_tolerance_percent"]').fill("2.125");

  // The seeded period's days are closed: the contract day's fields are read-only, with the reason
  // setJvSettings would refuse a change for (it still does: the safety net).
  await expect(page.getByTestId("contract-day-fixed")).toContainText(
    "The contract day cannot change: day 2026-09-01 is already closed, and closed days are named by the contract day they were closed under.",
  );
  for (const name of ["contract_day_start_hour", "utc_offset_minutes"]) {
    await expect(form.locator(`[name="${name}"]`)).not.toBeEditable();
    await expect(form.getByTestId(`${name}-hint`)).toHaveText("Fixed: a day is closed.");
  }
  await expect(form.locator('[name="contract_day_start_hour"]')).toHaveValue("0");
  await expect(form.locator("label", { has: page.locator('[name="utc_offset_minutes"]') }).locator(".unit")).toHaveText("(minutes, −720 to 840)");
  await expect(form.locator('[name="luaf_tolerance_percent"]')).toBeEditable();
  // Nor may the start date move past that closed day: its entries are allocated.
  const start = form.locator('[name="jv_start_date"]');
  await start.fill("2026-09-02");
  await expect(form.getByTestId("jv_start_date-hint")).toHaveText("JV start date must be on or before 2026-09-01, the first closed day: its entries are allocated.");
  await expect(form.getByRole("button", { name: "Save settings" })).toBeDisabled();
  await start.fill("2026-09-01");
  await expect(form.getByRole("button", { name: "Save settings" })).toBeEnabled();
  await start.fill("");
  await expect(form.getByTestId("changing")).toHaveCount(0);
  await expect(page.getByTestId("setting-contract_day_start_hour")).toHaveText("00:00");
  await expectAccessible(page, "the JV settings once a day is closed");
  await screenshot(page, "admin-jv-settings");

  // Another admin changes the tolerance while this form is open: the field this admin did not edit
  // shows it, and saving the release checkbox does not send the old tolerance back.
  await writeAsServer("settings/jv", { luaf_tolerance_percent: 3 }, { merge: true });
  await expect(form.locator('[name="luaf_tolerance_percent"]')).toHaveValue("3");
  await expect(form.getByTestId("changing")).toHaveCount(0);
  await form.locator('[name="release_approval_required"]').check();
  await expect(form.getByTestId("changing")).toHaveText("Changing: release approval");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved: release approval.");
  const saved = await readAsServer("settings/jv");
  expect([saved?.luaf_tolerance_percent, saved?.release_approval_required]).toEqual([3, true]);
  await writeAsServer("settings/jv", { luaf_tolerance_percent: 2.125, release_approval_required: false }, { merge: true });
});

test("an admin creates a gateway key, sees the secret once, and revokes it", async ({ page }) => {
  await signIn(page, USERS.admin);
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  await expect(page.getByText(/sends its meter tickets to FlowShare/)).toBeVisible();
  await expect(page.locator("main")).not.toContainText("ingestProduction");
  const form = page.getByTestId("api-key-form");
  const name = `Wellsite gateway ${Date.now().toString(36)}`;
  await form.locator('[name="partner_id"]').selectOption("northwind");
  await form.locator('[name="name"]').fill(name);

  // A refusal of createApiKey is shown in the server's words: an expiry in the past.
  await form.locator('[name="expires_at"]').fill("2020-01-01");
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(form.getByRole("alert")).toContainText(/^Key not created: The expiry 2020-01-01 00:00 UTC is not in the future\./);
  await expect(form.getByRole("alert")).not.toContainText(/createApiKey|\[\d{3}\]/);
  await screenshot(page, "admin-api-keys-refused", form);
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
  // The key's partner by name, here and in its row.
  await expect(page.getByTestId("new-key")).toContainText("created for Northwind Energy.");
  const keyId = (await page.getByTestId("new-key").innerText()).match(/Key (key_[0-9a-f]{20}) created for Northwind Energy/)?.[1];
  expect(keyId, "the key id in the confirmation").toBeTruthy();

  const row = page.locator(`tr[data-key="${keyId}"]`);
  await expect(row).toHaveAttribute("data-status", "active");
  await expect(row).toContainText(name);
  await expect(row.locator("td").nth(1)).toHaveText("Northwind Energy");
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

  // Revoking asks first; Cancel leaves the key active. By keyboard, the focus follows: into the
  // confirmation, back to Revoke… on Cancel, kept on "Yes, revoke" while it works, then on the result.
  const revokeButton = row.getByRole("button", { name: `Revoke ${name} (${keyId})` });
  await revokeButton.focus();
  await page.keyboard.press("Enter");
  const confirm = row.getByRole("group", { name: `Confirm revoking ${name} (${keyId})` });
  await expect(confirm).toBeFocused();
  await confirm.getByRole("button", { name: "Cancel" }).focus();
  await page.keyboard.press("Enter");
  await expect(revokeButton).toBeFocused();
  await expect(row).toHaveAttribute("data-status", "active");
  await page.keyboard.press("Enter");
  await expect(confirm).toBeFocused();
  // The callable held until the busy state is seen.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/revokeApiKey", async (route) => {
    await held;
    await route.continue();
  });
  await page.keyboard.press("Tab");
  const yes = confirm.getByRole("button", { name: /Yes, revoke|Revoking…/ });
  await expect(yes).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(yes).toHaveText("Revoking…");
  await expect(yes).toBeFocused();
  release();
  await expect(row).toHaveAttribute("data-status", "revoked");
  await expect(row.locator(".badge")).toHaveText("Revoked");
  await expect(row.getByRole("button")).toHaveCount(0);
  await expect(row.locator(".alert")).toHaveText("Revoked.");
  await expect(row.locator(".alert")).toBeFocused();
  await page.unroute("**/revokeApiKey");
  await screenshot(page, "admin-api-keys-revoked");
});

test("a Create key whose answer was lost makes no second key: the second click names the key the first made", async ({ page }) => {
  await signIn(page, USERS.admin);
  await page.getByRole("link", { name: "API keys" }).click();
  const form = page.getByTestId("api-key-form");
  const name = `Lost answer ${Date.now().toString(36)}`;
  await form.locator('[name="partner_id"]').selectOption("northwind");
  await form.locator('[name="name"]').fill(name);
  let dropped = 0;
  await page.route("**/createApiKey", async (route) => {
    if (route.request().method() !== "POST" || dropped > 0) return route.continue();
    dropped += 1;
    await route.fetch();
    await route.abort("connectionreset");
  });
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(form.getByRole("alert")).toBeVisible();
  expect(dropped, "the first answer was dropped after the server made the key").toBe(1);
  await form.getByRole("button", { name: "Create key" }).click();
  const alert = form.getByRole("alert");
  await expect(alert).toContainText(/This request already created key (key_[0-9a-f]{20})/);
  const keyId = (await alert.innerText()).match(/created key (key_[0-9a-f]{20})/)?.[1];
  await expect(alert).toContainText(`revoke ${keyId} and create a new key`);
  await expect(page.getByTestId("new-key")).toHaveCount(0);
  const rows = page.getByTestId("api-keys").locator("tr", { hasText: name });
  await expect(rows).toHaveCount(1);
  await expect(rows).toHaveAttribute("data-key", keyId!);
  await expect(alert).not.toContainText("Key not created");
  await screenshot(page, "admin-api-keys-lost-answer");
  // Once told, the next click asks for a new key: it is made and shown.
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("new-key-secret")).toHaveText(/^fsgk_/);
  await expect(rows).toHaveCount(2);
});

// Deactivating a partner cuts its people off at once (the rules): they are told why, not that the server is unreachable.
test("a deactivated partner's operator is told the partner is deactivated, and works again once it is reactivated", async ({ browser }) => {
  await writeAsServer("partners/basalt", { active: false }, { merge: true });
  try {
    const operator = await userPage(browser, USERS.operatorBasalt);
    const notice = operator.getByTestId("partner-cut-off");
    await expect(notice).toContainText("Basalt Ridge Petroleum is deactivated in this joint venture");
    await expect(notice).toContainText("Only a JV admin can reactivate it");
    // No screen is shown whose every read the rules would refuse.
    await expect(operator.getByRole("heading", { name: "New entry" })).toHaveCount(0);
    await expectAccessible(operator, "a deactivated partner's operator");
    await screenshot(operator, "operator-partner-deactivated");
    await writeAsServer("partners/basalt", { active: true }, { merge: true });
    await expect(notice).toHaveCount(0);
    await expect(operator.getByRole("heading", { name: "New entry" })).toBeVisible();
    await operator.context().close();
  } finally {
    await writeAsServer("partners/basalt", { active: true }, { merge: true });
  }
});

test("an inactive partner is offered neither for a role nor for a key", async ({ page }) => {
  const id = `zz-inactive-${Date.now().toString(36)}`;
  await writeAsServer(`partners/${id}`, { name: "Dormant Test Ltd", active: false });
  try {
    await signIn(page, USERS.admin);
    await page.getByRole("link", { name: "Users & roles" }).click();
    const rolePartner = page
      .getByRole("form", { name: `Role of ${USERS.operatorNorthwind}` })
      .getByLabel(`Partner of ${USERS.operatorNorthwind}`);
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

// A former partner's statements stand unless it takes exception in time: new JV partner users may
// still be given it, its operators may not (setUserRole). Nothing is saved: no demo user changes.
test("a partner that left the JV is offered for the JV partner role only", async ({ page }) => {
  const id = `zz-former-${Date.now().toString(36)}`;
  const label = "Delta Petroleum Test (left the JV on 2026-10-15)";
  await writeAsServer(`partners/${id}`, { name: "Delta Petroleum Test", active: false, left_jv_on: "2026-10-15", left_at: new Date("2026-10-15T00:00:00Z") });
  try {
    await signIn(page, USERS.admin);
    await page.getByRole("link", { name: "Users & roles" }).click();
    // An operator's row: not offered for the field operator role, offered once the role is JV partner.
    const row = page.getByRole("form", { name: `Role of ${USERS.operatorNorthwind}` });
    const rowPartner = row.getByLabel(`Partner of ${USERS.operatorNorthwind}`);
    await expect(rowPartner.locator('option[value="northwind"]')).toHaveCount(1);
    await expect(rowPartner.locator(`option[value="${id}"]`)).toHaveCount(0);
    await row.getByLabel(`Role of ${USERS.operatorNorthwind}`).selectOption("jv_partner");
    await expect(rowPartner.locator(`option[value="${id}"]`)).toHaveText(label);
    await expect(rowPartner.locator(`option[value="${id}"]`)).toBeEnabled();
    await row.getByLabel(`Role of ${USERS.operatorNorthwind}`).selectOption("field_operator");
    await expect(rowPartner.locator(`option[value="${id}"]`)).toHaveCount(0);

    // The form for an account not listed: chosen for a JV partner, then the role switched to field operator.
    const assign = page.getByTestId("assign-by-email");
    const give = assign.getByRole("button", { name: "Give the role" });
    await assign.getByLabel("Email", { exact: true }).fill("new.auditor@delta.example");
    const role = assign.getByLabel("Role of the account with that email");
    const partner = assign.getByLabel("Partner of the account with that email");
    await role.selectOption("jv_partner");
    await partner.selectOption(id);
    await expect(partner.locator("option:checked")).toHaveText(label);
    await expect(assign.getByTestId("partner-refused")).toHaveCount(0);
    await expect(give).toBeEnabled();
    await screenshot(page, "admin-role-former-partner", assign);
    await role.selectOption("field_operator");
    // Said in the form before anything is sent: setUserRole would refuse it.
    await expect(assign.getByTestId("partner-refused")).toHaveText(
      "Delta Petroleum Test left the JV on 2026-10-15: only its JV partner users may be given a role for it, to read its statements of before. Choose an active partner, or the JV partner role.",
    );
    await expect(partner.locator(`option[value="${id}"]`)).toBeDisabled();
    await expect(give).toBeDisabled();
    await screenshot(page, "admin-role-former-partner-operator", assign);
    await expectAccessible(page, "a former partner in the role forms");
  } finally {
    await deleteAsServer(`partners/${id}`);
  }
});

// setPartner from the Partners screen. The demo's contract days are UTC days (settings/jv holds no
// contract day). A partner of its own, deleted at the end; Northwind only ever refused.
// A partner written without a name (the Admin SDK's, docs/deploy.md) is listed by its id, and named from its row.
test("Partners: a partner stored without a name is listed, and named from its row", async ({ page }) => {
  const id = `zz-nameless-${Date.now().toString(36)}`;
  await writeAsServer(`partners/${id}`, { active: false });
  try {
    await signIn(page, USERS.admin);
    await page.getByRole("link", { name: "Partners", exact: true }).click();
    const row = page.locator(`tr[data-partner="${id}"]`);
    await expect(row.getByRole("rowheader")).toHaveText("no name");
    await expect(row.getByTestId("partner-status")).toHaveText("Deactivated: all its users are cut off");
    await screenshot(page, "admin-partner-nameless", row);
    await row.getByRole("button", { name: `Rename… ${id}` }).click();
    const rename = row.getByRole("group", { name: `Rename ${id}` });
    await rename.getByLabel("New name").fill("Nameless Test Ltd");
    await rename.getByRole("button", { name: "Save name" }).click();
    await expect(row.getByRole("status")).toHaveText("Renamed: the partner is now Nameless Test Ltd.");
    await expect(row.getByRole("rowheader")).toHaveText("Nameless Test Ltd");
    expect(await readAsServer(`partners/${id}`)).toMatchObject({ name: "Nameless Test Ltd", active: false });
    // Listed by name: after every demo partner whose name sorts before it, before those after.
    const names = await page.getByTestId("partners").locator("tbody tr").getByRole("rowheader").allTextContents();
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en")));
  } finally {
    await deleteAsServer(`partners/${id}`);
  }
});

test("Partners: an admin adds a partner, renames it, records its departure, and is refused a departure before a later entry", async ({ page }) => {
  await clearOfUtcMidnight(120_000);
  const id = `zz-partner-${Date.now().toString(36)}`;
  const today = new Date().toISOString().slice(0, 10);
  const dayOffset = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, USERS.admin);
    await page.getByRole("link", { name: "Partners", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Partners", level: 1 })).toBeVisible();
    const northwind = page.locator('tr[data-partner="northwind"]');
    await expect(northwind.getByTestId("partner-status")).toHaveText("Active");

    // An id already taken is refused before calling: setPartner would rename that partner.
    const form = page.getByTestId("add-partner-form");
    await form.locator('[name="partner_id"]').fill("northwind");
    await form.locator('[name="name"]').fill("Cobalt Test Ltd");
    await expect(form.getByTestId("partner-id-hint")).toHaveText("The id northwind is taken by Northwind Energy: rename that partner in its row instead.");
    await expect(form.getByRole("button", { name: "Add partner" })).toBeDisabled();
    await form.locator('[name="partner_id"]').fill(id);
    // It joined the JV a month ago: earlier periods are none of its business.
    const joined = dayOffset(-30);
    await form.locator('[name="joined_jv_on"]').fill(joined);
    await form.getByRole("button", { name: "Add partner" }).click();
    await expect(form.getByRole("status")).toHaveText(`Added Cobalt Test Ltd (${id}), active, a party from ${joined}. Give its users their roles under Users & roles.`);
    expect((await readAsServer(`partners/${id}`))?.joined_jv_on).toBe(joined);
    const row = page.locator(`tr[data-partner="${id}"]`);
    await expect(row).toHaveAttribute("data-status", "active");
    await expect(row.getByTestId("partner-status")).toHaveText(`Active (a party from ${joined})`);
    await expect(row.getByRole("rowheader")).toHaveText("Cobalt Test Ltd");

    // Rename: the step takes the focus, the outcome is said in the row.
    await row.getByRole("button", { name: "Rename… Cobalt Test Ltd" }).click();
    const rename = row.getByRole("group", { name: "Rename Cobalt Test Ltd" });
    await expect(rename).toBeFocused();
    await rename.getByLabel("New name").fill("Cobalt Energy Test plc");
    await rename.getByRole("button", { name: "Save name" }).click();
    await expect(row.getByRole("status")).toHaveText("Renamed: the partner is now Cobalt Energy Test plc.");
    await expect(row.getByRole("status")).toBeFocused();
    await expect(row.getByRole("rowheader")).toHaveText("Cobalt Energy Test plc");
    expect(await readAsServer(`partners/${id}`)).toMatchObject({ name: "Cobalt Energy Test plc", active: true });

    // The day it joined is changed from its row, and cleared again to a party from the start.
    await row.getByRole("button", { name: "Joined on… Cobalt Energy Test plc" }).click();
    const join = row.getByRole("group", { name: "Set the day Cobalt Energy Test plc joined the JV" });
    await expect(join).toBeFocused();
    await expect(join.locator('[name="joined_jv_on"]')).toHaveValue(joined);
    await screenshot(page, "admin-partner-joined-on", row);
    const joinedLater = dayOffset(-20);
    await join.locator('[name="joined_jv_on"]').fill(joinedLater);
    await join.getByRole("button", { name: "Save the day" }).click();
    await expect(row.getByRole("status")).toHaveText(`Recorded: Cobalt Energy Test plc is a party from ${joinedLater}.`);
    await expect(row.getByTestId("partner-status")).toHaveText(`Active (a party from ${joinedLater})`);
    expect((await readAsServer(`partners/${id}`))?.joined_jv_on).toBe(joinedLater);
    await row.getByRole("button", { name: "Joined on… Cobalt Energy Test plc" }).click();
    await row.getByRole("button", { name: "A party from the start" }).click();
    await expect(row.getByRole("status")).toHaveText("Cobalt Energy Test plc is a party from the JV's start.");
    await expect(row.getByTestId("partner-status")).toHaveText("Active");
    expect(await readAsServer(`partners/${id}`)).not.toHaveProperty("joined_jv_on");

    // A departure asks first, on today's contract day unless another is given; a future day is refused on the spot.
    await row.getByRole("button", { name: "Record departure… Cobalt Energy Test plc" }).click();
    const depart = row.getByRole("group", { name: "Record the departure of Cobalt Energy Test plc" });
    await expect(depart).toBeFocused();
    const day = depart.locator('[name="left_jv_on"]');
    await expect(day).toHaveValue(today);
    await day.fill(dayOffset(1));
    await expect(depart.getByTestId("departure-hint")).toHaveText(`The day must not be after today's contract day, ${today}.`);
    await expect(depart.getByRole("button", { name: "Record the departure" })).toHaveAttribute("aria-disabled", "true");
    // Enter in the field submits the form all the same: nothing is sent.
    await day.press("Enter");
    await expect(depart).toBeVisible();
    expect((await readAsServer(`partners/${id}`))?.active).toBe(true);
    const left = dayOffset(-7);
    await day.fill(left);
    await expect(depart.getByTestId("departure-hint")).toContainText("its partner users keep read access to the statements of periods that began before it");
    await depart.getByRole("button", { name: "Record the departure" }).click();
    await expect(row.getByRole("status")).toHaveText(
      `Recorded: Cobalt Energy Test plc left the JV on ${left}. Its field operators are cut off; its partner users keep its statements of periods that began before that day.`,
    );
    await expect(row).toHaveAttribute("data-status", "former");
    await expect(row.getByTestId("partner-status")).toHaveText(`Left the JV on ${left} (keeps read access to its statements before that day)`);
    const stored = await readAsServer(`partners/${id}`);
    expect(stored).toMatchObject({ active: false, left_jv_on: left });
    expect((stored?.left_at as Date).toISOString()).toBe(`${left}T00:00:00.000Z`);
    await expectAccessible(page, "the Partners screen with a former partner");
    await screenshot(page, "admin-partners");

    // Northwind has production after 2026-10-01: setPartner refuses, naming the entry; nothing changes.
    await northwind.getByRole("button", { name: "Record departure… Northwind Energy" }).click();
    const nwDepart = northwind.getByRole("group", { name: "Record the departure of Northwind Energy" });
    await nwDepart.locator('[name="left_jv_on"]').fill("2026-10-01");
    await nwDepart.getByRole("button", { name: "Record the departure" }).click();
    const refusal = nwDepart.getByRole("alert");
    await expect(refusal).toHaveText(
      /^Not changed: Partner Northwind Energy cannot be recorded as having left the JV on 2026-10-01: its production entry \S+ was measured on contract day \d{4}-\d{2}-\d{2}, on or after that day \(its latest such entry\).* otherwise (name a day after \d{4}-\d{2}-\d{2}|record its departure on \d{4}-\d{2}-\d{2} or later, once that day has come)\.$/,
    );
    await expect(refusal).toBeFocused();
    await screenshot(page, "admin-partners-refused", northwind);
    await nwDepart.getByRole("button", { name: "Cancel" }).click();
    await expect(northwind.getByRole("button", { name: "Record departure… Northwind Energy" })).toBeFocused();
    await expect(northwind).toHaveAttribute("data-status", "active");
    expect((await readAsServer("partners/northwind"))?.active).toBe(true);

    // Deactivating a former partner asks first and cuts off its partner users too; reactivating gives access back.
    await row.getByRole("button", { name: "Deactivate… Cobalt Energy Test plc" }).click();
    const confirm = row.getByRole("group", { name: "Confirm deactivating Cobalt Energy Test plc" });
    await expect(confirm).toContainText("its statements from before it left included");
    await confirm.getByRole("button", { name: "Yes, deactivate" }).click();
    await expect(row).toHaveAttribute("data-status", "deactivated");
    await expect(row.getByTestId("partner-status")).toHaveText("Deactivated: all its users are cut off");
    await expect(row.getByRole("status")).toHaveText("Cobalt Energy Test plc is deactivated: all its users are cut off.");
    await row.getByRole("button", { name: "Reactivate: Cobalt Energy Test plc" }).click();
    await expect(row).toHaveAttribute("data-status", "active");
    expect(await readAsServer(`partners/${id}`)).not.toHaveProperty("left_jv_on");

    // On a phone each partner is a block, nothing to scroll sideways to.
    await page.setViewportSize(PHONE);
    await expectNoSidewaysScroll(page, "the Partners screen at 390 px");
    await expectRowsAsBlocks(page, "Partners table", "tbody tr", ["Id", "Status", "Change"]);
    await expectAccessible(page, "the Partners screen at 390 px");
    await screenshot(page, "phone-admin-partners", page.getByRole("region", { name: "The JV's partners" }));
  } finally {
    await deleteAsServer(`partners/${id}`);
  }
});
