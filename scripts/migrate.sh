#!/usr/bin/env bash
# npm run migrate   (see scripts/migrate.ts)
source "$(dirname "$0")/lib/common.sh"
install_deps >&2
export GCLOUD_PROJECT="${GCLOUD_PROJECT:-${GOOGLE_CLOUD_PROJECT:-$PROJECT_ID}}"
exec "$ROOT/functions/node_modules/.bin/tsx" "$ROOT/scripts/migrate.ts" "$@"
