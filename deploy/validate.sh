#!/usr/bin/env bash
# Validates Kubernetes manifests offline, with no cluster: each document is
# checked against the API's JSON schemas (types, formats, required fields)
# and type-checked against the API's TypeScript types, which rejects unknown
# or misspelt fields. Both come from the npm package kubernetes-models
# (Kubernetes 1.33 API), installed into a cache directory on first use.
#
# Usage: deploy/validate.sh [FILE...]     (default: deploy/kubernetes.yaml)
# Needs node and npm (Debian: apt-get install nodejs npm).
# Environment: TECHPAY_K8S_VALIDATE_DIR  cache (default /var/tmp/techpay-k8s-validate)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
files=()
for f in "${@:-$here/kubernetes.yaml}"; do files+=("$(realpath "$f")"); done
cache=${TECHPAY_K8S_VALIDATE_DIR:-/var/tmp/techpay-k8s-validate}
command -v npm >/dev/null || { echo "validate: needs node and npm (apt-get install nodejs npm)" >&2; exit 77; }

mkdir -p "$cache"
cd "$cache"
if [ ! -d node_modules/kubernetes-models ] || [ ! -d node_modules/typescript ]; then
  printf '{"private": true, "type": "module"}\n' > package.json
  timeout 600 npm install --silent --no-audit --no-fund \
    kubernetes-models@5.1.0 js-yaml@4 typescript@5.9 >/dev/null 2>&1 \
    || { echo "validate: npm install kubernetes-models js-yaml typescript failed" >&2; exit 77; }
fi

cat > validate.mjs <<'JS'
import { readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import yaml from "js-yaml";

let bad = 0;
let ts = "";
let n = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(readFileSync(file, "utf8"))) {
    if (!doc) continue;
    const path = doc.apiVersion; // "v1" or "apps/v1": the package's module paths
    const what = `${file}: ${doc.apiVersion} ${doc.kind} ${doc.metadata?.name ?? "?"}`;
    let model;
    try {
      model = (await import(`kubernetes-models/${path}`))[doc.kind];
    } catch {
      model = undefined;
    }
    if (!model) {
      console.log(`FAIL ${what}: unknown apiVersion or kind`);
      bad++;
      continue;
    }
    try {
      new model(doc).validate();
      console.log(`ok   ${what}: schema`);
    } catch (e) {
      console.log(`FAIL ${what}: ${e.message}`);
      bad++;
    }
    ts += `import type { I${doc.kind} as T${n} } from "kubernetes-models/${path}/${doc.kind}";\n`;
    ts += `export const d${n}: T${n} = ${JSON.stringify(doc, null, 2)};\n`;
    n++;
  }
}
writeFileSync("check.ts", ts);
try {
  execFileSync("node_modules/.bin/tsc", ["--noEmit", "--strict", "--skipLibCheck", "--target", "es2022",
    "--module", "nodenext", "--moduleResolution", "nodenext", "check.ts"], { stdio: "inherit" });
  console.log(`ok   ${n} document(s): no unknown fields (TypeScript types)`);
} catch {
  console.log("FAIL unknown fields or wrong types (the lines above; check.ts in the cache shows them)");
  bad++;
}
process.exit(bad ? 1 : 0);
JS
node validate.mjs "${files[@]}"
