import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

/**
 * Every instance loads the whole index, whichever function it serves: what it loads is paid at
 * every cold start (docs/architecture.md). Loaded in a process of its own, so that no other
 * test's imports are counted.
 */
describe("a function instance's start", () => {
  let loaded: string[] = [];
  before(function () {
    this.timeout(60_000);
    // The list is marked off from whatever the load itself prints; a load that never ends fails here.
    const mark = "@@loaded ";
    const output = execFileSync(
      process.execPath,
      [
        "--require",
        "tsx/cjs",
        "-e",
        `require('./src/index.ts'); process.stdout.write('\\n${mark}' + JSON.stringify(Object.keys(require.cache)))`,
      ],
      { cwd: resolve(__dirname, "../.."), encoding: "utf8", timeout: 50_000 },
    );
    const at = output.lastIndexOf(`\n${mark}`);
    expect(at, output.slice(0, 500)).to.be.at.least(0);
    loaded = JSON.parse(output.slice(at + mark.length + 1));
  });
  const packageFiles = (name: string) => loaded.filter((file) => file.includes(`/node_modules/${name}/`));

  it("loads the functions and the firebase-functions providers they use", () => {
    expect(loaded.some((file) => file.endsWith("/src/agents/accountant/reconcile.ts"))).to.equal(true);
    expect(packageFiles("firebase-functions").some((file) => file.endsWith("/lib/v2/providers/firestore.js"))).to.equal(true);
  });

  it("does not load the firebase-functions package root, which loads every provider", () => {
    expect(
      packageFiles("firebase-functions").filter((file) => /\/lib\/(v1|v2)\/index\.js$|\/providers\/(alerts|pubsub|storage)/.test(file)),
    ).to.deep.equal([]);
  });

  it("leaves pdfkit and @google/genai to the calls that use them", () => {
    expect(packageFiles("pdfkit")).to.deep.equal([]);
    expect(packageFiles("@google/genai")).to.deep.equal([]);
  });
});
