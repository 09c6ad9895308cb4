import { expect, test } from "@playwright/test";
import {
  countAsServer,
  deleteAsServer,
  expectAccessible,
  expectNoSidewaysScroll,
  fillEntry,
  open,
  PHONE,
  readAsServer,
  screenshot,
  setBackgroundTriggers,
  signIn,
  testMeter,
  userPage,
  USERS,
  writeAsServer,
} from "./support";

// A sound Northwind ticket, in line with its history (scripts/seed/dataset.ts): validated.
const SOUND = {
  gross_volume_bbl: "3012.40",
  bsw_percent: "0.33",
  temperature_degF: "100.2",
  api_gravity: "36.7",
  pressure_psig: "37",
  meter_factor: "1.0007",
};

test("operator files an entry and sees the verdict arrive, with the NSV factors", async ({ page }) => {
  await signIn(page, USERS.operatorNorthwind);
  await expect(page.getByRole("heading", { name: "Production entries", level: 1 })).toBeVisible();
  await page.getByTestId("entry-form").locator('[name="day"]').fill("2026-11-02");
  const meter = testMeter("V");
  await page.getByTestId("entry-form").locator('[name="meter_id"]').fill(meter);
  // A meter none of the listed entries carries is most often a typo: said before saving, not refused.
  const newMeter = page.getByTestId("entry-form").getByTestId("new-meter-hint");
  await expect(newMeter).toContainText(`${meter} is not among the meters of the entries listed (`);
  await expect(newMeter).toContainText("NWE-LACT-01");
  await screenshot(page, "operator-new-meter", page.getByTestId("entry-form"));
  await fillEntry(page, SOUND);
  await page.getByRole("button", { name: "Save entry" }).click();

  const verdict = page.getByTestId("verdict");
  await expect(verdict).toHaveAttribute("data-status", "validated", { timeout: 90_000 });
  // Listed now: no longer new.
  await expect(newMeter).toHaveCount(0);
  await expect(verdict.getByText("Validated").first()).toBeVisible();
  await expect(verdict.getByTestId("explanation-source")).toHaveText(/written by (the rules|Gemini)/);
  await expect(verdict.getByTestId("nsv")).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2} bbl$/);
  // The meter factor to 5 decimals; the pressure as keyed.
  await expect(verdict.locator('tr[data-field="meter_factor"] td').first()).toContainText("1.00070");
  await expect(verdict.locator('tr[data-field="pressure_psig"] td').first()).toContainText("37 psig");
  // The saved entry is listed under its day.
  await expect(page.locator('[data-day="2026-11-02"] tr[data-partner="northwind"]').first()).toBeVisible();
  await expectAccessible(page, "the operator's entries with a verdict");
  await screenshot(page, "operator-entries");

  // The form keeps the day and the meter for the next ticket: a second one there would be a
  // duplicate, which it says before saving, linking the entry; another meter is no duplicate.
  const form = page.getByTestId("entry-form");
  const duplicate = form.getByTestId("duplicate-hint");
  await expect(duplicate).toContainText(`Already entered: ${meter} on 2026-11-02. Saving this one as well makes a duplicate`);
  await expect(duplicate.getByRole("link", { name: `${meter} on 2026-11-02` })).toHaveAttribute("href", /^#\/entry\/[A-Za-z0-9]{20}$/);
  await screenshot(page, "operator-entry-duplicate", form);
  await form.locator('[name="meter_id"]').fill(`${meter}-B`);
  await expect(duplicate).toHaveCount(0);
  await form.locator('[name="meter_id"]').fill(meter);
  await form.locator('[name="day"]').fill("2026-11-01");
  await expect(duplicate).toHaveCount(0);
});

test("a rejected entry shows its reason beside the field and can be corrected", async ({ page }) => {
  await signIn(page, USERS.operatorNorthwind);
  const form = page.getByTestId("entry-form");
  await form.locator('[name="day"]').fill("2026-11-03");
  const meter = testMeter("R");
  await form.locator('[name="meter_id"]').fill(meter);
  // 1002 °F: 100.2 keyed without its decimal point. The form says so while typing...
  await fillEntry(page, { ...SOUND, temperature_degF: "1002" });
  await expect(page.getByTestId("temperature_degF-hint")).toHaveAttribute("data-level", "critical");
  await expect(page.getByTestId("temperature_degF-hint")).toContainText("rejected: outside −58 to 302 °F");
  // Negative limits with the statements' minus sign (U+2212), not a hyphen.
  await expect(page.getByTestId("pressure_psig-hint")).toContainText("below −14.696 is rejected");
  // ...and the auditor rejects it, the reason in the temperature row.
  await page.getByRole("button", { name: "Save entry" }).click();
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toHaveAttribute("data-status", "rejected", { timeout: 90_000 });
  const outOfRange = verdict.locator('tr[data-field="temperature_degF"] [data-code="TEMPERATURE_OUT_OF_RANGE"]');
  await expect(outOfRange).toBeVisible();
  // The field once, by its label, with its unit: not "temperature_degF 1002".
  await expect(outOfRange).toContainText("Temperature 1002 °F is outside the standard's range of −58 to 302 °F.");
  await expect(outOfRange).not.toContainText("temperature_degF");
  await screenshot(page, "operator-entry-rejected", verdict.locator('tr[data-field="temperature_degF"]'));
  // At 1280 px the verdict shares the row with the form: its reasons wrap inside the card, none cut at its edge.
  await page.setViewportSize({ width: 1280, height: 800 });
  const figuresBox = verdict.locator(".table-scroll");
  expect(await figuresBox.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  const cardRight = await page.locator(".card", { has: verdict }).evaluate((el) => el.getBoundingClientRect().right);
  expect((await outOfRange.boundingBox())!.x + (await outOfRange.boundingBox())!.width).toBeLessThanOrEqual(cardRight);

  // Correct it from the list: the same entry, re-audited. Beside the form, why it was rejected.
  // The list lies below the form: the page opens at its top, where the form is, the focus on its heading.
  const row = page.locator(`[data-day="2026-11-03"] tr:has-text("${meter}")`);
  await row.evaluate((el) => el.scrollIntoView({ block: "start" }));
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  await row.getByRole("link", { name: /Correct/ }).click();
  await expect(page.getByRole("heading", { name: `Correct ${meter} on 2026-11-03`, exact: true })).toBeInViewport();
  await expect(page.getByRole("heading", { name: "Production entries", level: 1 })).toBeFocused();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expect(page.getByRole("heading", { name: "Its verdict now: what to correct" })).toBeVisible();
  await expect(page.getByTestId("verdict")).toHaveAttribute("data-status", "rejected");
  await expect(page.getByTestId("verdict").locator('tr[data-field="temperature_degF"] [data-code="TEMPERATURE_OUT_OF_RANGE"]')).toBeVisible();
  await expect(page.getByTestId("entry-form").getByRole("link", { name: "Cancel" })).toBeVisible();
  // Figures keep any precision (a gateway's 37.4 psig): neither the browser nor the form refuses them.
  const pressure = page.getByTestId("entry-form").locator('[name="pressure_psig"]');
  await pressure.fill("37.4");
  expect(await pressure.evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(true);
  await expect(page.getByTestId("pressure_psig-hint")).toHaveAttribute("data-level", "ok");
  await pressure.fill(SOUND.pressure_psig);
  await page.getByTestId("entry-form").locator('[name="temperature_degF"]').fill("100.2");
  await expect(page.getByTestId("temperature_degF-hint")).toHaveAttribute("data-level", "ok");
  // With the auditor held off, the verdict stays the old figures' for a while: it shows those figures,
  // not the new 100.2 °F beside the old reasons (a rejected temperature has no NSV to mark).
  await setBackgroundTriggers(false);
  try {
    await page.getByRole("button", { name: "Save correction" }).click();
    const reauditing = page.getByTestId("verdict");
    await expect(reauditing).toHaveAttribute("data-status", "reauditing");
    const temperature = reauditing.locator('tr[data-field="temperature_degF"]');
    await expect(temperature.locator("td").first()).toContainText(/^1,?002\.0 °F/);
    await expect(temperature.getByTestId("saved-figure")).toHaveText("saved: 100.2 °F, being checked");
    await screenshot(page, "operator-entry-reauditing", page.locator(".card", { has: reauditing }));
  } finally {
    await setBackgroundTriggers(true);
  }
  // The event of that save is gone with the triggers: a second save (pressure 37.4) brings the new audit.
  await pressure.fill("37.4");
  await page.getByRole("button", { name: "Save correction" }).click();
  await expect(page.getByTestId("verdict")).toHaveAttribute("data-status", "validated", { timeout: 90_000 });
  await expect(page.getByTestId("verdict").locator('tr[data-field="temperature_degF"] td').first()).toHaveText("100.2 °F");
  await expect(page.getByTestId("verdict").locator('[data-code="TEMPERATURE_OUT_OF_RANGE"]')).toHaveCount(0);
});

test("a pasted figure that is not a plain number is refused beside its field, and nothing is saved", async ({ page }) => {
  await signIn(page, USERS.operatorNorthwind);
  const form = page.getByTestId("entry-form");
  await form.locator('[name="day"]').fill("2026-11-03");
  const meter = testMeter("P");
  await form.locator('[name="meter_id"]').fill(meter);
  await fillEntry(page, { ...SOUND, gross_volume_bbl: "" });
  // Pasted as a European spreadsheet writes it: a number input kept "30505" of it.
  await form.locator('[name="gross_volume_bbl"]').focus();
  await page.keyboard.insertText("3050,5");
  await expect(form.locator('[name="gross_volume_bbl"]')).toHaveValue("3050,5");
  const hint = page.getByTestId("gross_volume_bbl-hint");
  await expect(hint).toHaveAttribute("data-refused", "true");
  await expect(hint).toHaveText("Use a point as the decimal separator: 3050.5");
  await expect(form.locator('[name="gross_volume_bbl"]')).toHaveAttribute("aria-invalid", "true");
  // "2O": a letter O for a zero; a number input kept the 2.
  await form.locator('[name="pressure_psig"]').fill("2O");
  await expect(page.getByTestId("pressure_psig-hint")).toHaveText("Not a number: “2O” has the letter O (a zero is 0); use only digits and a decimal point");
  await expect(page.getByTestId("refused-hint")).toHaveText(
    "Cannot be saved: Gross volume “3050,5” is not a plain decimal number; Pressure “2O” is not a plain decimal number.",
  );
  await expect(page.getByRole("button", { name: "Save entry" })).toBeDisabled();
  // Enter in a field does not get past the disabled Save either.
  await form.locator('[name="api_gravity"]').press("Enter");
  await screenshot(page, "operator-entry-malformed-figure", form);
  expect(await countAsServer("production_entries", "meter_id", meter)).toBe(0);
  // Typed as the form asks, the same ticket is saved with the figure typed, not another.
  await form.locator('[name="gross_volume_bbl"]').fill("3050.5");
  await form.locator('[name="pressure_psig"]').fill("20");
  await expect(page.getByTestId("refused-hint")).toHaveCount(0);
  await page.getByRole("button", { name: "Save entry" }).click();
  await expect.poll(() => countAsServer("production_entries", "meter_id", meter), { timeout: 30_000 }).toBe(1);
  await expect(page.getByTestId("verdict")).toBeVisible();
  await expect(page.getByTestId("verdict").locator('tr[data-field="gross_volume_bbl"] td').first()).toContainText("3,050.50");
  await expect(page.getByTestId("verdict").locator('tr[data-field="pressure_psig"] td').first()).toContainText("20 psig");
});

test("a note holding a right-to-left override is refused beside it, and nothing is saved", async ({ page }) => {
  await signIn(page, USERS.operatorNorthwind);
  const form = page.getByTestId("entry-form");
  await form.locator('[name="day"]').fill("2026-11-03");
  const meter = testMeter("B");
  await form.locator('[name="meter_id"]').fill(meter);
  await fillEntry(page, SOUND);
  // It holds 51 bbl and shows "gross lbb 1500" (pasted, as it would come).
  await form.locator('[name="note"]').focus();
  await page.keyboard.insertText("gross \u202e0051 bbl");
  const problem = page.getByTestId("note-problem");
  await expect(problem).toHaveText("Note must not hold U+202E (a bidirectional control). Delete it: pasted text can carry it unseen.");
  await expect(form.locator('[name="note"]')).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("refused-hint")).toHaveText("Cannot be saved: Note must not hold U+202E (a bidirectional control).");
  await expect(page.getByRole("button", { name: "Save entry" })).toBeDisabled();
  await form.locator('[name="api_gravity"]').press("Enter");
  await screenshot(page, "operator-entry-bidi-note", form);
  expect(await countAsServer("production_entries", "meter_id", meter)).toBe(0);
  // Without it (line breaks are a note's own), the entry is saved with the note as typed.
  await form.locator('[name="note"]').fill("gross 1500 bbl\nre-gauged");
  await expect(problem).toHaveCount(0);
  await page.getByRole("button", { name: "Save entry" }).click();
  await expect.poll(() => countAsServer("production_entries", "meter_id", meter), { timeout: 30_000 }).toBe(1);
});

test("an operator is offered Correct only on entries it filed", async ({ page }) => {
  // A rejected Northwind entry filed by someone else (another operator of the partner, or its
  // gateway): the rules let only its author edit it, so its row must not offer Correct.
  const otherId = `other-${Date.now().toString(36)}`;
  const meter = testMeter("O");
  const now = new Date();
  await writeAsServer(`production_entries/${otherId}`, {
    partner_id: "northwind",
    measured_at: new Date("2026-11-03T06:00:00Z"),
    meter_id: meter,
    gross_volume_bbl: 3012.4,
    bsw_percent: 0.33,
    temperature_degF: 1002,
    api_gravity: 36.7,
    pressure_psig: 37,
    meter_factor: 1.0007,
    note: null,
    created_by: "api_key:night-shift-gateway",
    created_at: now,
  });
  await expect
    .poll(async () => ((await readAsServer(`production_entries/${otherId}`))?.audit as { status?: string } | undefined)?.status, {
      timeout: 90_000,
    })
    .toBe("rejected");

  await signIn(page, USERS.operatorNorthwind);
  const row = page.locator(`[data-day="2026-11-03"] tr:has-text("${meter}")`);
  await expect(row.getByRole("link", { name: /Details/ })).toBeVisible();
  await expect(row.getByRole("link", { name: /Correct/ })).toHaveCount(0);
  // The row says who can correct it instead.
  await expect(row.getByTestId("corrected-by-others")).toHaveText("A gateway's ticket: a coordinator corrects it");
  // Its address offers no form either: saving would be refused by the rules.
  await open(page, `entries/${otherId}`);
  // A gateway has no name: it is said to be one, by the key id the admin lists.
  await expect(page.getByText(`${meter} on 2026-11-03 was filed by someone else (gateway key night-shift-gateway)`)).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "filed by someone else" })).not.toContainText(otherId);
  await expect(page.getByRole("button", { name: "Save correction" })).toHaveCount(0);
});

test("an entry rejected on review is offered for correction to its operator, in the list and on its page", async ({ page, browser }) => {
  await signIn(page, USERS.operatorNorthwind);
  const form = page.getByTestId("entry-form");
  await form.locator('[name="day"]').fill("2026-11-03");
  const meter = testMeter("W");
  await form.locator('[name="meter_id"]').fill(meter);
  // BS&W 1.004 %: above the typical 1 %, flagged for a coordinator's review.
  await fillEntry(page, { ...SOUND, bsw_percent: "1.004" });
  await page.getByRole("button", { name: "Save entry" }).click();
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toHaveAttribute("data-status", "flagged", { timeout: 90_000 });
  // The figure as keyed, not the 1.00 % its reason says it exceeds.
  await expect(verdict.locator('tr[data-field="bsw_percent"] td').first()).toHaveText("1.004 %");
  // The auditor's explanation is written for the coordinator's review: its operator is told so, and its own next step.
  const explanation = verdict.locator(".explanation");
  await expect(explanation.locator("h3")).toContainText("The auditor's note to the coordinator who reviews it");
  await expect(explanation.getByTestId("explanation-for-operator")).toHaveText(
    "Written for the coordinator's review, not as an instruction to you. Your next step: if a figure was mistyped, correct the entry (the auditor checks it again); otherwise nothing: a coordinator approves or rejects it.",
  );
  await screenshot(page, "operator-flagged-explanation", explanation);
  const row = page.locator(`[data-day="2026-11-03"] tr:has-text("${meter}")`);
  await expect(row.locator("td").nth(2)).toHaveText("1.004");
  // Flagged on an open day: its operator may correct a typo without waiting for a review (the rules allow it).
  await expect(row.getByRole("link", { name: /Correct/ })).toBeVisible();
  // Flagged, not decided: its NSV counts unless a coordinator rejects it.
  await expect(row.getByTestId("nsv-excluded")).toHaveCount(0);
  const id = (await row.getAttribute("data-entry"))!;

  const coordinator = await userPage(browser, USERS.coordinator);
  await open(coordinator, `entry/${id}`);
  // The coordinator, whom it addresses, reads it as before: an explanation, no note to the operator.
  const coordinatorExplanation = coordinator.getByTestId("verdict").locator(".explanation");
  await expect(coordinatorExplanation.locator("h3")).toHaveText(/^Explanation written by (the rules|Gemini)/);
  await expect(coordinatorExplanation.getByTestId("explanation-for-operator")).toHaveCount(0);
  await screenshot(coordinator, "coordinator-flagged-explanation", coordinatorExplanation);
  // The review form is named by the entry's meter and contract day, not its document id.
  const review = coordinator.getByRole("form", { name: `Review of ${meter} on 2026-11-03`, exact: true });
  await review.getByRole("textbox", { name: /Review note/ }).fill("The separator was bypassed that day: re-measure the water cut.");
  // While the decision is saved, the button says so and neither can be pressed again.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await coordinator.route("**/reviewEntry", async (route) => {
    await held;
    await route.continue();
  });
  await review.getByRole("button", { name: "Reject" }).click();
  await expect(review.getByRole("button", { name: "Saving…" })).toBeDisabled();
  await expect(review.getByRole("button", { name: "Approve" })).toBeDisabled();
  await expect(review.getByTestId("decision-saving")).toHaveText("Saving the decision (reject)…");
  release();
  // The suite's first reviewEntry call starts its function's worker: in CI, beside the other layers, that took past 30 s once.
  await expect(coordinator.getByTestId("verdict")).toContainText("Rejected on review", { timeout: 90_000 });
  await coordinator.context().close();

  // Decided: the operator's next step no longer waits on a coordinator.
  await expect(explanation.getByTestId("explanation-for-operator")).toContainText("otherwise the coordinator's decision below stands.");
  // The flag and its review read as two facts: "Flagged · rejected on review".
  await expect(row.locator(".verdict-cell")).toHaveText("Flagged · rejected on review");
  await expect(row.getByRole("link", { name: /Correct/ })).toBeVisible();
  // Its NSV is still shown, said not to count.
  await expect(row.getByTestId("nsv-excluded")).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2} not allocated$/);
  // Its page (where the notification leads) offers the same, while its day is open.
  await open(page, `entry/${id}`);
  const own = page.getByTestId("own-correction");
  await expect(own).toContainText("left out of the reconciliation of 2026-11-03");
  await screenshot(page, "operator-entry-rejected-on-review", page.getByTestId("verdict").locator('tr[data-field="bsw_percent"]'));
  await own.getByRole("link", { name: "Correct" }).click();
  await expect(page.getByRole("heading", { name: `Correct ${meter} on 2026-11-03`, exact: true })).toBeVisible();
  // The review's rejection and its note beside the form; Cancel leads back to a new entry.
  await expect(page.getByTestId("verdict")).toContainText("Rejected on review");
  await expect(page.getByTestId("verdict")).toContainText("The separator was bypassed that day");
  await page.getByTestId("entry-form").getByRole("link", { name: "Cancel" }).click();
  await expect(page.getByRole("heading", { name: "New entry", exact: true })).toBeVisible();
  await expect(page.getByTestId("verdict")).toHaveCount(0);
});

test("an entry without a meter is named by its day, and a negative reading has the minus sign", async ({ page }) => {
  await signIn(page, USERS.operatorNorthwind);
  const form = page.getByTestId("entry-form");
  await form.locator('[name="day"]').fill("2026-11-03");
  // The meter is optional (the rules and the auditor accept an entry without one), and says so.
  await expect(form.locator('label:has([name="meter_id"]) .optional')).toHaveText("optional");
  await expect(form.locator("#meter-hint")).toContainText(". Left empty, the entry is named by its day alone (“Entry of 2026-11-03”); a second one without a meter that day is a duplicate.");
  // −100 °F: outside the standard's range, rejected.
  await fillEntry(page, { ...SOUND, temperature_degF: "-100" });
  await page.getByRole("button", { name: "Save entry" }).click();
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toHaveAttribute("data-status", "rejected", { timeout: 90_000 });
  const temperature = verdict.locator('tr[data-field="temperature_degF"] td');
  await expect(temperature.first()).toHaveText("\u2212100.0 °F");
  await expect(temperature.nth(2)).toHaveText(/^\u2212\d/);
  const id = (await verdict.getAttribute("data-entry"))!;
  const row = page.locator(`[data-day="2026-11-03"] tr[data-entry="${id}"]`);
  await expect(row.locator("td").nth(0)).toHaveText("no meter");
  await expect(row.locator("td").nth(3)).toHaveText("\u2212100.0");
  await expect(row.getByRole("link", { name: "Details of the entry without a meter on 2026-11-03" })).toBeVisible();
  await expect(row).not.toContainText(id);
  // On a phone the verdict's figures stack, and the page does not scroll sideways.
  await page.setViewportSize(PHONE);
  await expectNoSidewaysScroll(page, "the operator's entries with a rejected verdict");
  expect(await verdict.locator(".table-scroll").evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  // The list is screens below the form on a phone: "Our entries" at the top takes the reader to it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole("button", { name: "Our entries" }).click();
  await expect(page.locator("#our-entries")).toBeFocused();
  await expect(page.locator("#our-entries").getByRole("heading", { name: "Our entries" })).toBeInViewport();
  await screenshot(page, "phone-operator-our-entries", page.locator("#our-entries"));
});

test("the entry form works by keyboard alone", async ({ page }) => {
  await signIn(page, USERS.operatorNorthwind);
  const form = page.getByTestId("entry-form");
  await form.locator('[name="day"]').focus();
  const order: string[] = [];
  for (let i = 0; i < 12; i += 1) {
    order.push(
      await page.evaluate(
        () => (document.activeElement as HTMLInputElement | null)?.name || document.activeElement?.textContent?.trim() || "",
      ),
    );
    await page.keyboard.press("Tab");
  }
  const expected = [
    "day",
    "meter_id",
    "gross_volume_bbl",
    "bsw_percent",
    "temperature_degF",
    "api_gravity",
    "pressure_psig",
    "meter_factor",
    "note",
  ];
  // The date input may take several Tab stops (day, month, year) in Chromium: compare distinct names in order.
  const distinct = order.filter((name, i) => name && name !== order[i - 1]);
  expect(distinct.slice(0, expected.length)).toEqual(expected);

  // Type a whole entry with the keyboard and submit with Enter.
  await form.locator('[name="meter_id"]').focus();
  const meter = testMeter("K");
  await page.keyboard.type(meter);
  for (const [field, value] of Object.entries({ ...SOUND, gross_volume_bbl: "3020.15" })) {
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe(field);
    await page.keyboard.type(value);
  }
  // Enter submits only through an enabled Save button, which waits for the settings and the day's
  // closed-day check; under CI's load those listeners may answer after the typing is done.
  await expect(form.getByRole("button", { name: "Save entry" })).toBeEnabled({ timeout: 60_000 });
  await page.keyboard.press("Enter");
  const verdict = page.getByTestId("verdict");
  await expect(verdict.or(form.getByRole("alert"))).toBeVisible({ timeout: 90_000 });
  expect(await form.getByRole("alert").allTextContents()).toEqual([]);
  await expect(verdict).toContainText(meter);
});

test("an operator of one partner never sees another partner's entries", async ({ page }) => {
  await signIn(page, USERS.operatorNorthwind);
  const rows = page.locator("[data-testid=entry-list] tr[data-partner]");
  await expect(rows.first()).toBeVisible();
  const partners = await rows.evaluateAll((trs) => [...new Set(trs.map((tr) => tr.getAttribute("data-partner")))]);
  expect(partners).toEqual(["northwind"]);
  // Opening a Basalt entry by its address: the rules refuse, the page says so.
  await open(page, "entry/2026-09-14_BRP-LACT-01A");
  await expect(page.getByRole("alert")).toContainText("You may not read this entry, or it does not exist: the security rules refuse both alike.");
  await expect(page.getByTestId("verdict")).toHaveCount(0);
  // Its correction address offers no blank form in its place, nor does a missing entry's.
  for (const id of ["2026-09-14_BRP-LACT-01A", "no-such-entry"]) {
    await open(page, `entries/${id}`);
    await expect(page.getByTestId("no-entry-to-correct").getByRole("alert")).toContainText("No entry you can correct is at this address.");
    await expect(page.getByTestId("no-entry-to-correct").getByRole("alert")).not.toContainText(id);
    // The address's id stays as a small reference for support.
    await expect(page.getByTestId("no-entry-to-correct").locator(".doc-id")).toHaveText(id);
    await expect(page.getByRole("heading", { name: "Correct an entry" })).toBeVisible();
    await expect(page.getByTestId("entry-form")).toHaveCount(0);
  }
  await screenshot(page, "operator-no-entry-to-correct");
  // And there is no review queue or reconciliation for an operator.
  await expect(page.getByRole("link", { name: "Review queue" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Terminal receipts" })).toHaveCount(0);
});

test("an operator's allocation statement notification leads to its entries, not to a statement it may not open", async ({ page }) => {
  const id = `zz-operator-statement-${Date.now().toString(36)}`;
  await writeAsServer(`notifications/${id}`, {
    recipient_uid: "demo-operator-northwind",
    type: "allocation_statement",
    title: "Your allocation statement",
    body: "A notification seeded by the operator's inbox scenario.",
    data: { reconciliation_id: "pet-seeded_v1", partner_id: "northwind" },
    read: false,
    created_at: new Date(),
  });
  try {
    await signIn(page, USERS.operatorNorthwind);
    await open(page, "inbox");
    const item = page.locator(`[data-testid="notification"][data-id="${id}"]`);
    await expect(item).toContainText("Your allocation statement");
    await expect(item.getByRole("link", { name: /Open statement/ })).toHaveCount(0);
    await screenshot(page, "operator-inbox-statement");
    await item.getByRole("link", { name: "Open your production entries" }).click();
    await expect(page.getByRole("heading", { name: "Production entries", level: 1 })).toBeVisible();
  } finally {
    await deleteAsServer(`notifications/${id}`);
  }
});
