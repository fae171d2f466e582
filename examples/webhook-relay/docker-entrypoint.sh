#!/bin/sh
set -e
# Wait for the relay target before accepting webhooks.
until node -e "fetch(process.env.RELAY_TARGET_URL).then(() => process.exit(0), () => process.exit(1))"; do
  echo "waiting for $RELAY_TARGET_URL"
  sleep 1
done
node dist/index.js
