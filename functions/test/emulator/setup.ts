/** Root hooks for the emulator layer: the fake Gemini server the functions are pointed at. */
import { EXPLANATION_SYSTEM_PROMPT } from "../../src/domain/audit-explanation";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";

let fake: FakeGemini | undefined;

export function fakeGemini(): FakeGemini {
  if (!fake) throw new Error("the fake Gemini server is not running");
  return fake;
}

/**
 * The auditor's requests about one partner's entries. Filtered by the auditor's system prompt:
 * a flagged entry's notification (the communicator, right after the audit is stored) names the
 * partner too, and arrives whenever its trigger runs.
 */
export const auditorRequestsAbout = (partnerId: string) =>
  fakeGemini()
    .requests()
    .filter((r) => r.system === EXPLANATION_SYSTEM_PROMPT && r.prompt.includes(partnerId));

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(30_000);
    const port = Number(process.env.FAKE_GEMINI_PORT ?? 9411);
    fake = await startFakeGemini({ port });
  },
  async afterAll() {
    await fake?.close();
  },
};
