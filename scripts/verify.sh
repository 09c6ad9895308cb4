#!/usr/bin/env bash
# npm run verify -- <reconciliation_id> [...] | --audit-log | --bundle <statement.json> [--expect-hash <hex>] [--expect-anchor <id>]   (see scripts/verify.ts)
source "$(dirname "$0")/lib/common.sh"
install_deps >&2
export GCLOUD_PROJECT="${GCLOUD_PROJECT:-${GOOGLE_CLOUD_PROJECT:-$PROJECT_ID}}"
exec "$ROOT/functions/node_modules/.bin/tsx" "$ROOT/scripts/verify.ts" "$@"
