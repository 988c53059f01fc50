// Shows that each rule of deploy/policy.mjs refuses what it is for: every
// case changes one thing in the shipped manifests (given as [{ file, doc }])
// and must break exactly the rules it names, no more, no fewer; a rule that
// stopped firing would otherwise pass every manifest unnoticed.
import { check } from "./policy.mjs";

const find = (docs, kind, name) => docs.find((d) => d.doc.kind === kind && d.doc.metadata?.name === name)?.doc;
const server = (deployment) => deployment.spec.template.spec.containers.find((c) => c.name === "techpayd");
const setEnv = (c, name, entry) => {
  c.env = c.env.filter((e) => e.name !== name);
  if (entry) c.env.push({ name, ...entry });
};

// name, what it changes, and the rules that must fail
const cases = [
  ["the replicas as first shipped: 3, no TECHPAY_READ_ONLY, emptyDir",
    (r) => setEnv(server(r.reader), "TECHPAY_READ_ONLY"),
    ["one-writer", "recreate", "persistent-data"]],
  ["replicas with TECHPAY_READ_ONLY=0",
    (r) => setEnv(server(r.reader), "TECHPAY_READ_ONLY", { value: "0" }),
    ["one-writer", "recreate", "persistent-data"]],
  ["replicas whose flag --read-only=0 overrides the environment",
    (r) => { server(r.reader).args = ["--read-only=0"]; },
    ["one-writer", "recreate", "persistent-data"]],
  ["replicas whose TECHPAY_READ_ONLY comes from a ConfigMap",
    (r) => setEnv(server(r.reader), "TECHPAY_READ_ONLY", { valueFrom: { configMapKeyRef: { name: "t", key: "ro" } } }),
    ["one-writer", "recreate", "persistent-data"]],
  ["replicas run through a shell",
    (r) => { server(r.reader).command = ["sh", "-c", "exec techpayd --read-only"]; },
    ["one-writer", "recreate", "persistent-data"]],
  ["replicas read-only by the flag --read-only alone",
    (r) => { setEnv(server(r.reader), "TECHPAY_READ_ONLY"); server(r.reader).args = ["--read-only"]; },
    []],
  ["read-only replicas given TECHPAY_ADMIN_TOKEN",
    (r) => setEnv(server(r.reader), "TECHPAY_ADMIN_TOKEN", { valueFrom: { secretKeyRef: { name: "t", key: "t" } } }),
    ["no-token-on-readers"]],
  ["read-only replicas given --admin-token-file",
    (r) => { server(r.reader).args = ["--admin-token-file", "/run/tokens"]; },
    ["no-token-on-readers"]],
  ["a writer with 2 replicas",
    (r) => { r.writer.spec.replicas = 2; },
    ["one-writer"]],
  ["a writer whose replicas are not set",
    (r) => { delete r.writer.spec.replicas; },
    ["one-writer"]],
  ["a writer rolled with RollingUpdate",
    (r) => { r.writer.spec.strategy = { type: "RollingUpdate" }; },
    ["recreate"]],
  ["a writer with no strategy (RollingUpdate by default)",
    (r) => { delete r.writer.spec.strategy; },
    ["recreate"]],
  ["a writer on an emptyDir",
    (r) => { r.writer.spec.template.spec.volumes[0] = { name: "data", emptyDir: {} }; },
    ["persistent-data"]],
  ["a writer on a generic ephemeral volume (a claim that dies with the pod)",
    (r) => { r.writer.spec.template.spec.volumes[0] = { name: "data", ephemeral: { volumeClaimTemplate: { spec: {} } } }; },
    ["persistent-data"]],
  ["a writer whose database is outside the claim",
    (r) => setEnv(server(r.writer), "TECHPAY_DB", { value: "/tmp/techpay.db" }),
    ["persistent-data"]],
  ["a writer whose --db flag moves the database outside the claim",
    (r) => { server(r.writer).args = ["--db=/var/techpay.db"]; },
    ["persistent-data"]],
  ["a Service that selects the replicas and the writer",
    (r) => { r.writer.spec.template.metadata.labels["app.kubernetes.io/name"] = "techpay"; },
    ["one-kind-of-pod"]],
  ["an autoscaler on the writer",
    (r) => r.extra.push({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler",
      metadata: { name: "techpay-writer" },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "techpay-writer" }, maxReplicas: 3 } }),
    ["no-autoscaled-writer"]],
  ["an autoscaler on the read-only replicas",
    (r) => r.extra.push({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler",
      metadata: { name: "techpay" },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "techpay" }, maxReplicas: 10 } }),
    []],
  ["the writer as a StatefulSet",
    (r) => { r.writer.kind = "StatefulSet"; },
    ["deployments-only"]],
  ["PostgreSQL replicas, 10 of them",
    (r) => { r.pg.spec.replicas = 10; },
    []],
  ["PostgreSQL replicas with a writable emptyDir (the Secret could name a file on it)",
    (r) => { r.pg.spec.template.spec.volumes.push({ name: "scratch", emptyDir: {} });
      server(r.pg).volumeMounts.push({ name: "scratch", mountPath: "/data" }); },
    ["one-writer", "recreate", "persistent-data"]],
  ["PostgreSQL replicas with a writable root filesystem",
    (r) => { server(r.pg).securityContext.readOnlyRootFilesystem = false; },
    ["one-writer", "recreate", "persistent-data"]],
  ["PostgreSQL replicas whose URL is written out, with a writable root filesystem",
    (r) => { setEnv(server(r.pg), "DATABASE_URL", { value: "postgresql://techpay@db/techpay" });
      server(r.pg).securityContext.readOnlyRootFilesystem = false; },
    []],
  ["PostgreSQL replicas whose --db flag names a SQLite file",
    (r) => { server(r.pg).args = ["--db=/tmp/techpay.db"]; },
    ["one-writer", "recreate", "persistent-data"]],
  ["PostgreSQL replicas whose literal TECHPAY_DB, a file, wins over the URL",
    (r) => { setEnv(server(r.pg), "DATABASE_URL", { value: "postgresql://techpay@db/techpay" });
      setEnv(server(r.pg), "TECHPAY_DB", { value: "/tmp/techpay.db" });
      server(r.pg).securityContext.readOnlyRootFilesystem = false; },
    ["one-writer", "recreate", "persistent-data"]],
  ["PostgreSQL replicas with no readinessProbe",
    (r) => { delete server(r.pg).readinessProbe; },
    ["ready-on-database"]],
  ["PostgreSQL replicas ready on /healthz",
    (r) => { server(r.pg).readinessProbe.httpGet.path = "/healthz"; },
    ["ready-on-database"]],
  ["an autoscaler on the PostgreSQL replicas",
    (r) => r.extra.push({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler",
      metadata: { name: "techpay-pg" },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "techpay-pg" }, maxReplicas: 10 } }),
    []],
  ["a Service that selects the PostgreSQL replicas and the SQLite writer",
    (r) => { r.writer.spec.template.metadata.labels["app.kubernetes.io/name"] = "techpay-pg"; },
    ["one-kind-of-pod"]],
];

export function selfTest(shipped) {
  let bad = 0;
  const fresh = check(shipped).violations;
  if (fresh.length) {
    console.log(`FAIL self-test: the shipped manifests break ${fresh.map((v) => v.rule).join(", ")}`);
    bad++;
  }
  for (const [name, change, expected] of cases) {
    const docs = structuredClone(shipped);
    const r = { reader: find(docs, "Deployment", "techpay"), writer: find(docs, "Deployment", "techpay-writer"),
      pg: find(docs, "Deployment", "techpay-pg"), extra: [] };
    if (!r.reader || !r.writer || !r.pg) {
      console.log("FAIL self-test: needs the Deployments techpay, techpay-writer and techpay-pg (deploy/validate.sh with no files)");
      return 1;
    }
    change(r);
    for (const doc of r.extra) docs.push({ file: "(added)", doc });
    const got = [...new Set(check(docs).violations.map((v) => v.rule))].sort();
    const want = [...expected].sort();
    const same = got.join() === want.join();
    console.log(`${same ? "ok  " : "FAIL"} self-test: ${name}: ${got.length ? "refused, " + got.join(", ") : "passes"}` +
      (same ? "" : ` (expected ${want.length ? want.join(", ") : "a pass"})`));
    if (!same) bad++;
  }
  return bad;
}
