/** Root hooks for the emulator layer: the fake Gemini server the functions are pointed at. */
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini";

let fake: FakeGemini | undefined;

export function fakeGemini(): FakeGemini {
  if (!fake) throw new Error("the fake Gemini server is not running");
  return fake;
}

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
