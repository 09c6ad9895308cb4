/**
 * Runs the fake Gemini server on its own, for the Functions emulator to call:
 *   npx tsx test/support/fake-gemini-server.ts --port 9411 [--default echo-figures]
 * then start the emulator with GOOGLE_GEMINI_BASE_URL=http://127.0.0.1:9411 and script it
 * over HTTP (see fake-gemini.ts).
 */
import { DEFAULT_MODES, type DefaultMode, startFakeGemini } from "./fake-gemini";

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(option("port") ?? 0);
  const mode = (option("default") ?? "schema") as DefaultMode;
  if (!Number.isInteger(port) || port < 0 || !DEFAULT_MODES.includes(mode)) {
    console.error(`usage: fake-gemini-server [--port N] [--default ${DEFAULT_MODES.join("|")}]`);
    process.exit(2);
  }
  const fake = await startFakeGemini({ port, host: option("host"), default: mode });
  console.log(`fake-gemini listening on ${fake.url} (port ${fake.port}, default ${mode})`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
