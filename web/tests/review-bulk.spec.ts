import { expect, test } from "@playwright/test";
import { deleteAsServer, expectAccessible, readAsServer, screenshot, signIn, USERS, writeAsServer } from "./support";

// A flood of flagged entries (a gateway's glitch, a hostile operator) would block the period's
// reconciliation until each is reviewed: the coordinator decides a partner's at once.
test("the coordinator rejects one partner's flagged entries at once, with one note, and the other partner's stay", async ({ page }) => {
  const tag = Date.now().toString(36);
  const [flood, other] = [`zz-flood-${tag}`, `zz-other-${tag}`];
  // Yesterday: after every receipt the scenarios reconcile, so no statement turns stale.
  const at = new Date(Date.now() - 36 * 3_600_000);
  const entry = (partner: string, i: number) => ({
    partner_id: partner,
    meter_id: `FLOOD-${i}`,
    measured_at: at,
    gross_volume_bbl: 1000 + i,
    bsw_percent: 2, // above the typical 1 %: flagged
    temperature_degF: 80,
    api_gravity: 35,
    pressure_psig: 0,
    meter_factor: 1,
    created_by: `operator-${tag}`,
    created_at: new Date(),
  });
  const floodIds = [0, 1, 2].map((i) => `flood_${tag}_${i}`);
  const otherIds = [0, 1].map((i) => `other_${tag}_${i}`);
  await writeAsServer(`partners/${flood}`, { name: `Flood Test ${tag}`, active: true });
  await writeAsServer(`partners/${other}`, { name: `Other Test ${tag}`, active: true });
  try {
    for (const [i, id] of floodIds.entries()) await writeAsServer(`production_entries/${id}`, entry(flood, i));
    for (const [i, id] of otherIds.entries()) await writeAsServer(`production_entries/${id}`, entry(other, i));
    for (const id of [...floodIds, ...otherIds]) {
      await expect
        .poll(async () => ((await readAsServer(`production_entries/${id}`))?.audit as { status?: string } | undefined)?.status, {
          timeout: 60_000,
        })
        .toBe("flagged");
    }

    await signIn(page, USERS.coordinator);
    await page.getByRole("link", { name: "Review queue" }).click();
    const bulk = page.getByTestId("bulk-review");
    // A partner's entries are read apart, however many older ones of other partners the queue holds.
    await expect(bulk.getByLabel("Entries of", { exact: true }).locator(`option[value="${flood}"]`)).toHaveText(`Flood Test ${tag}`);
    await bulk.getByLabel("Entries of", { exact: true }).selectOption(flood);
    const form = bulk.getByRole("form", { name: `Decide 3 waiting entries of Flood Test ${tag} at once` });
    // No decision over many without saying why.
    await expect(form.getByRole("button", { name: "Reject" })).toBeDisabled();
    await form.getByRole("textbox").fill("Gateway glitch on the flood test skid: the tickets are void.");
    await expectAccessible(page, "the review queue's decision over many entries");
    await form.getByRole("button", { name: "Reject" }).click();
    // The decided entries leave the queue, and the form with them; what was decided stays said.
    await expect(bulk.getByTestId("bulk-review-none")).toHaveText(`3 entries rejected. No entry of Flood Test ${tag} waits for a review.`);
    await expect(bulk.getByRole("form")).toHaveCount(0);
    await screenshot(page, "coordinator-bulk-review", bulk);

    for (const id of floodIds) {
      const review = (await readAsServer(`production_entries/${id}`))?.review as { decision?: string; note?: string } | undefined;
      expect(review).toMatchObject({ decision: "rejected", note: "Gateway glitch on the flood test skid: the tickets are void." });
    }
    for (const id of otherIds) expect((await readAsServer(`production_entries/${id}`))?.review).toBeUndefined();
    // The decided ones left the queue; the other partner's still wait there.
    for (const id of floodIds) await expect(page.locator(`[data-testid="review-item"][data-entry="${id}"]`)).toHaveCount(0);
    // Every "none waits" the card renders from here on is recorded: the switch must never say, even
    // for one render, that none of the other partner's entries waits (the flood's empty list under its name).
    await bulk.evaluate((card) => {
      const said: string[] = [];
      (window as unknown as { bulkNoneSaid: string[] }).bulkNoneSaid = said;
      new MutationObserver(() => {
        const none = card.querySelector('[data-testid="bulk-review-none"]');
        if (none) said.push(none.textContent ?? "");
      }).observe(card, { subtree: true, childList: true, characterData: true });
    });
    await bulk.getByLabel("Entries of", { exact: true }).selectOption(other);
    await expect(bulk.getByRole("form", { name: `Decide 2 waiting entries of Other Test ${tag} at once` })).toBeVisible();
    const said = await page.evaluate(() => (window as unknown as { bulkNoneSaid: string[] }).bulkNoneSaid);
    expect(said.filter((text) => text.includes("Other Test"))).toEqual([]);
  } finally {
    for (const id of [...floodIds, ...otherIds]) await deleteAsServer(`production_entries/${id}`);
    await deleteAsServer(`partners/${flood}`);
    await deleteAsServer(`partners/${other}`);
  }
});
