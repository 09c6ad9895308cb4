/**
 * Prints the demo gateway's clear API key and a curl example against the running emulators
 * (called by scripts/emulators.sh with the Functions emulator's origin). Emulator data only.
 */
import { REGION } from "../../functions/src/shared/config";
import { demoGatewayKey, GATEWAY, PROJECT_ID } from "./dataset";

const origin = process.argv[2] ?? "http://127.0.0.1:5001";
const key = demoGatewayKey();
const url = `${origin}/${PROJECT_ID}/${REGION}/ingestProduction/v1/production`;
const today = new Date();
const at = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 1, 6)).toISOString().replace(".000Z", "Z");
console.log(`SCADA gateway key for partner ${GATEWAY.partner_id} (meters ${GATEWAY.meter_ids.join(", ")}), emulator data only:`);
console.log(`  ${key.key}`);
console.log(`\nTry it (docs/ingestion.md):`);
console.log(`  curl -sS -X POST '${url}' \\`);
console.log(`    -H 'Authorization: Bearer ${key.key}' \\`);
console.log(`    -H "Idempotency-Key: $(uuidgen || cat /proc/sys/kernel/random/uuid)" \\`);
console.log(`    -H 'Content-Type: application/json' \\`);
console.log(
  `    -d '{"tickets":[{"ticket_id":"BRP-CURL-1","meter_id":"${GATEWAY.meter_ids[0]}","measured_at":"${at}","gross_volume_bbl":1903.42,"bsw_percent":0.44,"temperature_degF":96.2,"api_gravity":33.5}]}'`,
);
