/* global module, process */
// The emulator layer. EMULATOR_SHARD=1 or 2 runs one half of it (npm test gives each half
// emulators of its own): the files below are the second half, about half the layer's time, and
// any file not listed belongs to the first. The load suite runs last in its half: its bursts
// leave thousands of documents behind, and every later query of the emulator reads through them.
const SECOND_SHARD = [
  "test/emulator/close-races.test.ts",
  "test/emulator/corrections-awaiting-audit.test.ts",
  "test/emulator/export-statement.test.ts",
  "test/emulator/hostile-callables.test.ts",
  "test/emulator/leaks-and-backdating.test.ts",
  "test/emulator/notification-flood.test.ts",
  "test/emulator/review.test.ts",
  "test/emulator/stale-claims.test.ts",
];
const LOAD = ["test/emulator/load/*.test.ts"];
const shard = process.env.EMULATOR_SHARD || undefined;
if (shard !== undefined && shard !== "1" && shard !== "2") throw new Error(`EMULATOR_SHARD must be 1 or 2, not ${shard}`);

module.exports = {
  spec: shard === "1" ? ["test/emulator/*.test.ts"] : shard === "2" ? [...SECOND_SHARD, ...LOAD] : ["test/emulator/*.test.ts", ...LOAD],
  ignore: shard === "1" ? SECOND_SHARD : [],
  require: ["tsx/cjs", "test/emulator/setup.ts"],
  timeout: 180000,
  reporter: "spec",
  exit: true,
};
