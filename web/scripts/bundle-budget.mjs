// Gzips every JS and CSS file of dist/ as a browser downloads it, prints the sizes and fails
// when the JavaScript loaded on first visit (the entry and what index.html preloads) is over budget.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 250;
const dist = new URL("../dist/", import.meta.url).pathname;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const html = readFileSync(join(dist, "index.html"), "utf8");
const firstLoad = new Set([...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => join(dist, m[1])));
const kb = (n) => (n / 1024).toFixed(1).padStart(7);
let firstLoadGz = 0;
console.log(`\nweb/dist (gzip -9)            raw kB    gz kB`);
for (const path of files(dist).filter((p) => /\.(js|css)$/.test(p)).sort()) {
  const raw = readFileSync(path);
  const gz = gzipSync(raw, { level: 9 }).length;
  const first = firstLoad.has(path) && path.endsWith(".js");
  if (first) firstLoadGz += gz;
  console.log(`  ${relative(dist, path).padEnd(28)}${kb(raw.length)}  ${kb(gz)}${first ? "  (first load)" : ""}`);
}
console.log(`First-load JavaScript: ${(firstLoadGz / 1024).toFixed(1)} kB gzipped (budget ${BUDGET_KB} kB)\n`);
if (firstLoad.size === 0) {
  console.error("bundle budget: index.html references no JavaScript; cannot measure the first load");
  process.exit(1);
}
if (firstLoadGz > BUDGET_KB * 1024) {
  console.error(`bundle budget exceeded: ${(firstLoadGz / 1024).toFixed(1)} kB > ${BUDGET_KB} kB gzipped`);
  process.exit(1);
}
