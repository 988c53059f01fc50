#!/usr/bin/env bash
# Validates Kubernetes manifests offline, with no cluster: each document is
# checked against the API's JSON schemas (types, formats, required fields)
# and type-checked against the API's TypeScript types, which rejects unknown
# or misspelt fields. Both come from the npm package kubernetes-models
# (Kubernetes 1.33 API), installed into a cache directory on first use.
# Then all the files together are held to the rules of deploy/policy.mjs,
# which keep a deployment from losing a write: any number of read-only
# replicas, one SQLite writer (replicas 1, strategy Recreate, its database
# on a PersistentVolumeClaim), or any number of replicas on PostgreSQL
# (ready only on /readyz). A broken rule is one FAIL line naming the file,
# the object and the rule.
#
# Usage: deploy/validate.sh [--self-test] [FILE...]
#   FILE         default: every deploy/kubernetes*.yaml
#   --self-test  also show that each rule refuses what it is for, on changed
#                copies of the shipped manifests (deploy/policy-test.mjs)
# Needs node and npm (Debian: apt-get install nodejs npm). Exit status: 0
# valid, 1 invalid, 77 cannot run here (no npm, or the packages cannot be
# installed).
# Environment: TECHPAY_K8S_VALIDATE_DIR  cache (default /var/tmp/techpay-k8s-validate)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
self_test=0
if [ "${1:-}" = --self-test ]; then self_test=1; shift; fi
[ $# -gt 0 ] || set -- "$here"/kubernetes*.yaml
files=()
for f in "$@"; do files+=("$(realpath "$f")"); done
# FAIL lines name the files as the caller would, not by the cache's path.
export TECHPAY_VALIDATE_FROM=$PWD TECHPAY_VALIDATE_POLICY=$here/policy.mjs TECHPAY_VALIDATE_SELF_TEST=$self_test
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
import { relative } from "node:path";
import { pathToFileURL } from "node:url";
import yaml from "js-yaml";

const policy = pathToFileURL(process.env.TECHPAY_VALIDATE_POLICY).href;
const { check, describe } = await import(policy);
const shown = (file) => {
  const r = relative(process.env.TECHPAY_VALIDATE_FROM, file);
  return r.startsWith("..") ? file : r;
};

let bad = 0;
let ts = "";
let n = 0;
const docs = [];
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(readFileSync(file, "utf8"))) {
    if (!doc) continue;
    docs.push({ file: shown(file), doc });
    const path = doc.apiVersion; // "v1" or "apps/v1": the package's module paths
    const what = `${shown(file)}: ${doc.apiVersion} ${doc.kind} ${doc.metadata?.name ?? "?"}`;
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
const { violations, deployments } = check(docs);
for (const v of violations) console.log(describe(v));
bad += violations.length;
if (!violations.length) {
  const each = deployments.map((d) => `${d.name} ${d.ro ? "read-only" : d.pg ? "on PostgreSQL" : "the one SQLite writer"}`).join(", ");
  console.log(`ok   ${deployments.length} Deployment(s) of techpayd, none can lose a write: ${each || "none"}`);
}
if (process.env.TECHPAY_VALIDATE_SELF_TEST === "1") {
  const { selfTest } = await import(new URL("policy-test.mjs", policy).href);
  bad += selfTest(docs);
}
process.exit(bad ? 1 : 0);
JS
node validate.mjs "${files[@]}"
