/**
 * Prints the demo gateway's clear API key and a curl example against the running emulators
 * (called by scripts/emulators.sh with the Functions emulator's origin). Emulator data only.
 */
import { REGION } from "../../functions/src/shared/config";
import { demoGatewayKey, GATEWAY, PROJECT_ID } from "./dataset";

/** Not docs/ingestion.md's BRP-CURL-1: a reader who sends both gets `created` twice. */
export const PRINTED_CURL_TICKET_ID = "BRP-CURL-2";

/** The printed lines; the Idempotency-Key comes from node, which every machine running the emulators has (uuidgen is not everywhere). */
export function gatewayKeyLines(origin: string, today: Date): string[] {
  const key = demoGatewayKey();
  const url = `${origin}/${PROJECT_ID}/${REGION}/ingestProduction/v1/production`;
  const at = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 1, 6)).toISOString().replace(".000Z", "Z");
  return [
    `SCADA gateway key for partner ${GATEWAY.partner_id} (meters ${GATEWAY.meter_ids.join(", ")}), emulator data only:`,
    `  ${key.key}`,
    `\nTry it (docs/ingestion.md):`,
    `  curl -sS -X POST '${url}' \\`,
    `    -H 'Authorization: Bearer ${key.key}' \\`,
    `    -H "Idempotency-Key: $(node -p 'crypto.randomUUID()')" \\`,
    `    -H 'Content-Type: application/json' \\`,
    `    -d '{"tickets":[{"ticket_id":"${PRINTED_CURL_TICKET_ID}","meter_id":"${GATEWAY.meter_ids[0]}","measured_at":"${at}","gross_volume_bbl":1903.42,"bsw_percent":0.44,"temperature_degF":96.2,"api_gravity":33.5}]}'`,
  ];
}

if (require.main === module) {
  for (const line of gatewayKeyLines(process.argv[2] ?? "http://127.0.0.1:5001", new Date())) console.log(line);
}
