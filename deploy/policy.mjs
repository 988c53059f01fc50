// The rules that keep a Kubernetes deployment of techpay from losing a
// write, checked on the manifests before they reach a cluster. With
// SQLite, techpayd keeps its data in one file per pod: several pods that
// take writes would each keep their own, and a pod on an emptyDir loses
// its writes when it goes. A manifest may run
//   - read-only replicas (TECHPAY_READ_ONLY=1): any number, the seed data;
//   - one SQLite writer: replicas 1, strategy Recreate, /data on a claim;
//   - any number of replicas on PostgreSQL, which keep nothing of their
//     own and are sent traffic only while /readyz says their database
//     answers with their schema.
// A setting these rules cannot read (a value from a ConfigMap, a wrapper
// command) counts as one that may write to a file: a rule passes only on
// proof.
//
// check(docs) takes [{ file, doc }] (every document of every file given,
// so that a Service is checked against the Deployments of other files) and
// returns { violations: [{ file, what, rule, detail }], deployments: [...] },
// the Deployments that run techpayd. No dependencies.

export const RULES = {
  "one-writer":
    "a Deployment that may write (no TECHPAY_READ_ONLY=1) runs exactly one replica, " +
    "replicas: 1; each of several would keep writes the others never see",
  "recreate":
    "a Deployment that may write uses strategy Recreate; a rolling update runs the new " +
    "pod beside the old one, two writers",
  "persistent-data":
    "a Deployment that may write keeps its database on a PersistentVolumeClaim; " +
    "anywhere else a restart loses every write",
  "no-token-on-readers":
    "a read-only Deployment is given no admin token; it answers every write 403 anyway, " +
    "and the token would only suggest that writes are kept",
  "one-kind-of-pod":
    "a Service selects one kind of pod: read-only, a SQLite writer, or pods on " +
    "PostgreSQL; its clients would see the writes on some requests and not on others",
  "no-autoscaled-writer":
    "no HorizontalPodAutoscaler scales a Deployment that may write to a file of its own",
  "ready-on-database":
    "a Deployment on PostgreSQL has a readinessProbe on /readyz; it is the probe that " +
    "keeps traffic from a pod whose database does not answer or has another schema",
  "deployments-only":
    "techpayd runs in a Deployment, the only kind these rules check",
};

// The image sets these (Dockerfile: ENV), so a container that sets
// nothing has them.
const IMAGE_DB = "/data/techpay.db";
const POD_KINDS = new Set(["Pod", "ReplicaSet", "ReplicationController", "StatefulSet",
  "DaemonSet", "Job", "CronJob"]);

// techpayd's own image, by name: registry/…/techpay[:tag][@digest].
const isTechpay = (c) => /(^|\/)techpay(:[^/@]*)?(@.*)?$/.test(c.image ?? "");

// "1", "true", "on" and "0", "false", "off", as server/config.c reads them.
function flag(value) {
  if (["1", "true", "on"].includes(value)) return true;
  if (["0", "false", "off"].includes(value)) return false;
  return undefined;
}

// techpayd's arguments, or null when something else is run (a shell
// wrapper could set anything).
function techpaydArgs(c) {
  if (c.command && !/(^|\/)techpayd$/.test(c.command[0] ?? "")) return null;
  return [...(c.command ?? []).slice(1), ...(c.args ?? [])];
}

// The value of a flag given as "--name VALUE" or "--name=VALUE"; flags win
// over the environment, the last one over the others.
function lastFlag(args, name) {
  let value;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name && i + 1 < args.length) value = args[++i];
    else if (args[i].startsWith(name + "=")) value = args[i].slice(name.length + 1);
  }
  return value;
}

// Whether this container's techpayd is certainly read-only, and if not why.
function readOnly(c) {
  const args = techpaydArgs(c);
  if (args === null) return { yes: false, why: `its command is ${JSON.stringify(c.command)}, not techpayd` };
  let on;
  const env = (c.env ?? []).find((e) => e.name === "TECHPAY_READ_ONLY");
  if (env && env.valueFrom) return { yes: false, why: "TECHPAY_READ_ONLY comes from valueFrom" };
  if (env) on = flag(String(env.value ?? ""));
  // --read-only alone is a switch; --read-only=0 turns it off.
  for (const a of args) {
    if (a === "--read-only") on = true;
    else if (a.startsWith("--read-only=")) on = flag(a.slice("--read-only=".length));
  }
  if (on) return { yes: true };
  if (on === false) return { yes: false, why: "read-only is turned off" };
  if (!env && (c.envFrom ?? []).length) return { yes: false, why: "TECHPAY_READ_ONLY is not set (envFrom is not read here)" };
  return { yes: false, why: "no TECHPAY_READ_ONLY=1" };
}

// Where an admin token reaches this container from, if anywhere.
function tokens(c) {
  const found = (c.env ?? []).filter((e) => /^TECHPAY_ADMIN_TOKEN(_FILE)?$/.test(e.name)).map((e) => e.name);
  const args = techpaydArgs(c) ?? [];
  if (args.some((a) => a === "--admin-token-file" || a.startsWith("--admin-token-file="))) found.push("--admin-token-file");
  if ((c.envFrom ?? []).length) found.push("envFrom (may hold TECHPAY_ADMIN_TOKEN)");
  return found;
}

// The volume under the database's directory (the -wal and -shm files go
// beside it), by the longest mount path that holds it.
function dataVolume(spec, c) {
  const env = (c.env ?? []).find((e) => e.name === "TECHPAY_DB");
  if (env && env.valueFrom) return { error: "TECHPAY_DB comes from valueFrom" };
  const db = lastFlag(techpaydArgs(c) ?? [], "--db") ?? env?.value ?? IMAGE_DB;
  if (!db.startsWith("/")) return { error: `the database ${db} is relative to the working directory` };
  const dir = db.slice(0, db.lastIndexOf("/")) || "/";
  const inside = (m) => dir === m || dir.startsWith(m.endsWith("/") ? m : m + "/");
  const mount = (c.volumeMounts ?? []).filter((m) => inside(m.mountPath))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  if (!mount) return { db, error: `${dir} is on the container's own filesystem` };
  const volume = (spec.volumes ?? []).find((v) => v.name === mount.name);
  if (!volume) return { db, error: `its volume ${mount.name} is not declared` };
  const kind = Object.keys(volume).find((k) => k !== "name") ?? "nothing";
  return { db, kind, ok: kind === "persistentVolumeClaim", name: mount.name };
}

// A value that db/engine.h reads as PostgreSQL: a URL, or a libpq
// key=value string.
const isPostgres = (v) => /^postgres(ql)?:\/\//.test(v) || /^\s*[a-z_]+\s*=/.test(v);
// Volumes whose contents the kubelet writes and the pod can only read.
const READ_ONLY_KINDS = new Set(["secret", "configMap", "downwardAPI", "projected"]);

// Whether this container's database is certainly PostgreSQL, which keeps
// every write off the pod. Proof is either a literal value that wins
// (--db, then TECHPAY_DB, then DATABASE_URL, as server/config.c reads
// them), or a container with nowhere to keep a file: a read-only root
// filesystem and no writable volume, where a SQLite database could
// neither be created nor written, whatever a Secret holds.
function onPostgres(spec, c) {
  const flagged = lastFlag(techpaydArgs(c) ?? [], "--db");
  if (flagged !== undefined) return isPostgres(flagged);
  const env = (c.env ?? []).find((e) => e.name === "TECHPAY_DB")
    ?? (c.env ?? []).find((e) => e.name === "DATABASE_URL");
  const literal = env && !env.valueFrom && !(env.name === "DATABASE_URL" && (c.envFrom ?? []).length);
  if (literal && isPostgres(String(env.value ?? ""))) return true;
  if (c.securityContext?.readOnlyRootFilesystem !== true) return false;
  return (c.volumeMounts ?? []).every((m) => {
    if (m.readOnly === true) return true;
    const volume = (spec.volumes ?? []).find((v) => v.name === m.name);
    return volume !== undefined && Object.keys(volume).some((k) => READ_ONLY_KINDS.has(k));
  });
}

// Whether the container's readinessProbe asks techpayd's /readyz.
const readyOnDatabase = (c) => c.readinessProbe?.httpGet?.path === "/readyz";

// A Service or an autoscaler only reaches pods of its own namespace.
const namespace = (doc) => doc.metadata?.namespace ?? "";
const selects = (selector, labels) =>
  Object.keys(selector ?? {}).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

export function check(docs) {
  const bad = [];
  const deployments = [];
  const fail = (file, what, rule, detail) => bad.push({ file, what, rule, detail });

  for (const { file, doc } of docs) {
    const what = `${doc.kind} ${doc.metadata?.name ?? "?"}`;
    const podSpec = doc.kind === "CronJob" ? doc.spec?.jobTemplate?.spec?.template?.spec
      : doc.kind === "Pod" ? doc.spec : doc.spec?.template?.spec;
    if (POD_KINDS.has(doc.kind) && (podSpec?.containers ?? []).some(isTechpay)) {
      fail(file, what, "deployments-only", `a ${doc.kind} runs techpayd`);
      continue;
    }
    if (doc.kind !== "Deployment") continue;
    const spec = podSpec ?? {};
    // Init containers finish before techpayd starts: the readers' seed
    // step writes only the pod's own copy of the image's data.
    const servers = (spec.containers ?? []).filter(isTechpay);
    if (!servers.length) continue;
    const states = servers.map(readOnly);
    const ro = states.every((s) => s.yes);
    const pg = !ro && servers.every((c) => onPostgres(spec, c));
    deployments.push({ file, name: doc.metadata?.name, namespace: namespace(doc),
      labels: doc.spec?.template?.metadata?.labels, ro, pg });

    if (ro) {
      for (const c of servers) {
        const t = tokens(c);
        if (t.length) fail(file, what, "no-token-on-readers", `read-only, and container ${c.name} is given ${t.join(", ")}`);
      }
      continue;
    }
    if (pg) {
      for (const c of servers) {
        if (!readyOnDatabase(c)) {
          fail(file, what, "ready-on-database",
            `container ${c.name} has ${c.readinessProbe ? "a readinessProbe not on /readyz" : "no readinessProbe"}`);
        }
      }
      continue;
    }
    const why = states.find((s) => !s.yes).why;
    const replicas = doc.spec?.replicas;
    if (replicas !== 1) {
      fail(file, what, "one-writer",
        `${replicas === undefined ? "replicas not set (a scaled count would stay)" : `${replicas} replicas`} and may write (${why})`);
    }
    const strategy = doc.spec?.strategy?.type ?? "RollingUpdate";
    if (strategy !== "Recreate") fail(file, what, "recreate", `strategy ${strategy} and may write (${why})`);
    for (const c of servers) {
      const v = dataVolume(spec, c);
      if (v.error) fail(file, what, "persistent-data", `container ${c.name}: ${v.error}`);
      else if (!v.ok) fail(file, what, "persistent-data", `container ${c.name} keeps ${v.db} on ${v.kind} (volume ${v.name}) and may write (${why})`);
    }
  }

  for (const { file, doc } of docs) {
    const what = `${doc.kind} ${doc.metadata?.name ?? "?"}`;
    if (doc.kind === "Service") {
      const hit = deployments.filter((d) => d.namespace === namespace(doc) && selects(doc.spec?.selector, d.labels));
      const kind = (d) => (d.ro ? "read-only" : d.pg ? "PostgreSQL" : "SQLite writer");
      const kinds = [...new Set(hit.map(kind))];
      if (kinds.length > 1) {
        fail(file, what, "one-kind-of-pod",
          `selects ${kinds.map((k) => `the ${k} ${hit.filter((d) => kind(d) === k).map((d) => d.name).join(", ")}`).join(" and ")}`);
      }
    }
    if (doc.kind === "HorizontalPodAutoscaler") {
      const target = doc.spec?.scaleTargetRef;
      const writer = deployments.find((d) => !d.ro && !d.pg && d.namespace === namespace(doc)
        && target?.kind === "Deployment" && target?.name === d.name);
      if (writer) fail(file, what, "no-autoscaled-writer", `scales ${writer.name}, which may write`);
    }
  }
  return { violations: bad, deployments };
}

// One line per violation: the manifest, the object, what is wrong, the rule.
export const describe = (v) => `FAIL ${v.file}: ${v.what}: ${v.detail} [rule ${v.rule}: ${RULES[v.rule]}]`;
