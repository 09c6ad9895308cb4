#!/usr/bin/env bash
# The emulators (auth + firestore + functions + hosting) with the demo data, for interactive use:
# the web app is served by the Hosting emulator; sign in as a demo user from its picker. Ctrl-C stops them; nothing is exported, so
# emulator-data/ stays as committed (npm run seed regenerates it).
source "$(dirname "$0")/lib/common.sh"
install_deps
build_functions
build_web
config="$(emulator_config)"
node -e '
  const fs = require("fs");
  const [config, accounts] = process.argv.slice(1);
  const e = JSON.parse(fs.readFileSync(config, "utf8")).emulators;
  const at = (k) => `${e[k].host}:${e[k].port}`;
  console.log(`\nFlowShare emulators (project demo-flowshare), from emulator-data/:`);
  console.log(`  Auth       ${at("auth")}      connectAuthEmulator(auth, "http://${at("auth")}")`);
  console.log(`  Firestore  ${at("firestore")}      connectFirestoreEmulator(db, "${e.firestore.host}", ${e.firestore.port})`);
  console.log(`  Functions  ${at("functions")}      connectFunctionsEmulator(functions, "${e.functions.host}", ${e.functions.port}); region europe-west1`);
  console.log(`  Hub        ${at("hub")}`);
  console.log(`\nWeb app    http://${at("hosting")}/   (Hosting emulator serving web/dist; it finds the other emulators itself)`);
  console.log(`\nDemo users (password "flowshare-demo"):`);
  const rank = ["admin", "jv_coordinator", "auditor", "jv_partner", "field_operator"];
  const users = JSON.parse(fs.readFileSync(accounts, "utf8")).users.map((u) => ({ ...u, c: JSON.parse(u.customAttributes || "{}") }));
  users.sort((a, b) => (a.c.partner_id || "").localeCompare(b.c.partner_id || "") || rank.indexOf(a.c.role) - rank.indexOf(b.c.role) || a.email.localeCompare(b.email));
  for (const u of users) {
    console.log(`  ${u.email.padEnd(38)} ${(u.displayName || "").padEnd(16)} ${u.c.role}${u.c.partner_id ? ` (${u.c.partner_id})` : ""}`);
  }
' "$config" "$ROOT/emulator-data/auth_export/accounts.json"
echo
"$TSX" scripts/seed/gateway-key.ts "http://$(node -e 'const f = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).emulators.functions; console.log(`${f.host}:${f.port}`)' "$config")"
printf '\nStarting; wait for "All emulators ready". Ctrl-C stops them.\n\n'

start_emulators --import "$ROOT/emulator-data" --only "$WEB_EMULATORS"
