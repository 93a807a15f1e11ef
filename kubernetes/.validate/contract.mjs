// vidbatch's own rules for these manifests: what the coordinator and its kubernetes launcher
// rely on, which no schema can know. Checked per rendering (an overlay, with or without the
// components): each must hold on its own, as it is what one cluster gets.
import { posix } from "node:path";
import { containersOf, podSpecsOf, secretIndex, selectorMatches } from "./checks.mjs";
import { checkQuota } from "./quota.mjs";

export const NAMESPACE = "vidbatch";

// The launcher's API calls (design brief, section 2), and nothing else.
export const LAUNCHER_RULES = [
  { apiGroup: "batch", resource: "jobs", verbs: ["create", "delete", "get", "list", "watch"] },
  { apiGroup: "", resource: "pods", verbs: ["list", "watch"] },
  { apiGroup: "", resource: "pods/log", verbs: ["get"] },
  { apiGroup: "", resource: "events", verbs: ["list"] },
];

const REQUIRED_CONFIG = [
  "VIDBATCH_PROFILE", "INPUT_ROOTS", "OUTPUT_ROOT", "DB_TYPE",
  "K8S_WORKER_IMAGE", "K8S_MEDIA_CLAIM", "K8S_MEDIA_PATH", "K8S_SERVICE_ACCOUNT",
  "K8S_CPU_REQUEST", "K8S_CPU_LIMIT", "K8S_MEMORY_REQUEST", "K8S_MEMORY_LIMIT",
  "K8S_NODE_SELECTOR", "K8S_TOLERATIONS", "K8S_PENDING_TIMEOUT_SECONDS", "K8S_BACKOFF_LIMIT",
  "K8S_TTL_SECONDS_AFTER_FINISHED",
];
const REQUIRED_SECRETS = ["ADMIN_PASSWORD", "SUBMITTER_PASSWORD", "MONITOR_PASSWORD", "SCHEDULER_PASSWORD", "KEYSTORE_PASSWORD"];
// What each job repository needs besides: settings, and the coordinator's passwords from the
// Secret. POSTGRES_PASSWORD is the database server's own (its superuser's).
const DATABASES = {
  derby: { config: ["DERBY_DIR"], secrets: [] },
  postgres: { config: ["DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_SCHEMA"], secrets: ["DB_PASSWORD"] },
};
const DATABASE_ONLY_SECRETS = ["DB_PASSWORD", "POSTGRES_PASSWORD"];
// Files the coordinator reads from Secrets made outside the manifests (kubernetes/install):
// the setting that names the file, the Secret and the key it must be.
const KEY_FILES = [
  { setting: "KEYSTORE_FILE", secret: "vidbatch-tls", key: "keystore.p12" },
  { setting: "LTPA_KEYS_FILE", secret: "vidbatch-ltpa", key: "ltpa.keys" },
];
// Every object, and every pod template, says what it is part of: kubectl -l, dashboards and the
// launcher's worker pods use the same labels. component also where pods are selected by it.
const REQUIRED_LABELS = ["app.kubernetes.io/name", "app.kubernetes.io/part-of", "app.kubernetes.io/instance", "app.kubernetes.io/version"];
// What a schedule trigger (a CronJob) may call: fire one schedule now (README.md, "Schedules").
const SCHEDULE_RUNS = /^\/vidbatch\/api\/v1\/schedules\/[a-z0-9][a-z0-9-]{0,63}\/runs$/;

// options.singleNode: the rendering is for a one-node cluster (overlays/dev), where every pod
// runs on the node that mounts the media volume, so ReadWriteOnce is enough.
export function checkContract(entries, { singleNode = false } = {}) {
  const out = [];
  const get = (kind, name) => entries.find((e) => e.obj.kind === kind && e.obj.metadata?.name === name && e.obj.metadata?.namespace === NAMESPACE);
  const need = (kind, name) => {
    const e = get(kind, name);
    if (!e) out.push({ entry: null, path: "/", message: `${kind} ${NAMESPACE}/${name} is missing` });
    return e;
  };
  const ctx = { entries, get, need, out, singleNode, add: (entry, path, message) => out.push({ entry, path, message }) };
  ctx.deploy = need("Deployment", "vidbatch-coordinator");
  ctx.config = need("ConfigMap", "vidbatch-config");
  ctx.pod = ctx.deploy ? podSpecsOf(ctx.deploy.obj)[0] : null;
  ctx.coordinator = (ctx.pod?.containers ?? []).find((c) => c.name === "coordinator") ?? null;
  ctx.d = ctx.config?.obj.data ?? {};
  ctx.secrets = secretIndex(entries);

  checkRbac(ctx);
  checkCoordinator(ctx);
  if (ctx.config) checkSettings(ctx);
  checkDatabase(ctx);
  checkKeyFiles(ctx);
  for (const e of entries.filter((x) => x.obj.kind === "CronJob")) checkScheduleTrigger(ctx, e);
  for (const e of entries.filter((x) => x.obj.kind === "ServiceMonitor")) checkServiceMonitor(ctx, e);
  checkLabels(ctx);
  out.push(...checkQuota(entries, ctx.config, NAMESPACE));
  checkDefaultDeny(ctx);
  return out;
}

// Effective rules of a Role as a set of "group|resource|verb".
function ruleSet(rules) {
  const set = new Set();
  for (const r of rules ?? []) {
    for (const g of r.apiGroups ?? []) for (const res of r.resources ?? []) for (const v of r.verbs ?? []) set.add(`${g}|${res}|${v}`);
  }
  return set;
}

// RBAC: exactly the launcher's calls, bound to the coordinator only.
function checkRbac({ entries, need, add }) {
  const role = need("Role", "vidbatch-launcher");
  if (role) {
    const have = ruleSet(role.obj.rules);
    const want = ruleSet(LAUNCHER_RULES.map((r) => ({ apiGroups: [r.apiGroup], resources: [r.resource], verbs: r.verbs })));
    const show = (x) => {
      const [g, r, v] = x.split("|");
      return `${v} on ${g || "core"}/${r}`;
    };
    for (const x of have) if (!want.has(x)) add(role, "/rules", `grants ${show(x)}, which the launcher does not use`);
    for (const x of want) if (!have.has(x)) add(role, "/rules", `does not grant ${show(x)}, which the launcher uses`);
    if ((role.obj.rules ?? []).some((r) => r.resourceNames)) add(role, "/rules", "resourceNames would break create/list/watch");
  }
  const binding = need("RoleBinding", "vidbatch-launcher");
  if (binding) {
    const s = binding.obj.subjects ?? [];
    if (binding.obj.roleRef?.kind !== "Role" || binding.obj.roleRef?.name !== "vidbatch-launcher") add(binding, "/roleRef", "must refer to the Role vidbatch-launcher");
    if (s.length !== 1 || s[0].kind !== "ServiceAccount" || s[0].name !== "vidbatch-coordinator" || s[0].namespace !== NAMESPACE) {
      add(binding, "/subjects", `must bind exactly the ServiceAccount ${NAMESPACE}/vidbatch-coordinator`);
    }
  }
  for (const e of entries) {
    if (["ClusterRole", "ClusterRoleBinding"].includes(e.obj.kind)) add(e, "/", "vidbatch needs no cluster-wide permissions");
  }
}

// The coordinator: one replica, probes over HTTPS, passwords from the Secret.
function checkCoordinator({ entries, deploy, pod, coordinator, d, add }) {
  if (deploy) {
    const s = deploy.obj.spec ?? {};
    const c0 = "/spec/template/spec/containers/0";
    if (s.replicas !== 1) add(deploy, "/spec/replicas", "the coordinator owns job scheduling state: exactly 1 replica");
    if (s.strategy?.type !== "Recreate") add(deploy, "/spec/strategy/type", "must be Recreate (never two coordinators at once)");
    if (pod?.serviceAccountName !== "vidbatch-coordinator") add(deploy, "/spec/template/spec/serviceAccountName", "must be vidbatch-coordinator (the launcher's RoleBinding)");
    if (pod?.automountServiceAccountToken === false) add(deploy, "/spec/template/spec/automountServiceAccountToken", "the launcher needs the in-cluster token");
    if (!coordinator) add(deploy, "/spec/template/spec/containers", 'no container named "coordinator"');
    else {
      const probes = { startupProbe: "/health/started", readinessProbe: "/health/ready", livenessProbe: "/health/live" };
      for (const [p, path] of Object.entries(probes)) {
        if (coordinator[p]?.httpGet?.path !== path) add(deploy, `${c0}/${p}`, `must be an HTTP GET of ${path}`);
      }
      if (!coordinator.startupProbe) add(deploy, `${c0}/startupProbe`, "Liberty needs a startup probe");
      // The production profile serves no plain HTTP: a probe over it would never succeed.
      for (const p of Object.keys(probes)) {
        if (coordinator[p]?.httpGet && coordinator[p].httpGet.scheme !== "HTTPS") add(deploy, `${c0}/${p}/httpGet/scheme`, "must be HTTPS: the production profile serves no plain HTTP");
      }
      if ((coordinator.ports ?? []).some((p) => p.containerPort === 9080)) add(deploy, `${c0}/ports`, "9080 is plain HTTP, which the production profile does not serve");
      const nsEnv = (coordinator.env ?? []).find((v) => v.name === "K8S_NAMESPACE");
      if (nsEnv && nsEnv.valueFrom?.fieldRef?.fieldPath !== "metadata.namespace") add(deploy, `${c0}/env`, "K8S_NAMESPACE must be the pod's own namespace (the Role is namespaced)");
      const fromSecret = new Set((coordinator.env ?? []).filter((v) => v.valueFrom?.secretKeyRef).map((v) => v.name));
      for (const k of [...REQUIRED_SECRETS, ...(DATABASES[d.DB_TYPE]?.secrets ?? [])]) if (!fromSecret.has(k)) add(deploy, `${c0}/env`, `${k} must come from the Secret`);
    }
    const labels = deploy.obj.spec?.template?.metadata?.labels ?? {};
    if (labels["app.kubernetes.io/managed-by"] === "vidbatch") add(deploy, "/spec/template/metadata/labels", "app.kubernetes.io/managed-by=vidbatch marks worker pods (isolated by NetworkPolicy)");
  }
  for (const e of entries) {
    if (e === deploy || podSpecsOf(e.obj).length === 0) continue;
    if (templateOf(e.obj)?.metadata?.labels?.["app.kubernetes.io/managed-by"] === "vidbatch") {
      add(e, "/spec/template/metadata/labels", "app.kubernetes.io/managed-by=vidbatch is reserved for the launcher's worker pods");
    }
  }
}

// The launcher's settings agree with the objects they name.
function checkSettings({ config, d, deploy, pod, coordinator, get, add, singleNode }) {
  const at = (k) => `/data/${k}`;
  for (const k of [...REQUIRED_CONFIG, ...(DATABASES[d.DB_TYPE]?.config ?? [])]) if (!(k in d)) add(config, at(k), `${k} is not set`);
  if (d.VIDBATCH_PROFILE !== "production") add(config, at("VIDBATCH_PROFILE"), "must be production (development lets the default passwords in)");
  if (!(d.DB_TYPE in DATABASES)) add(config, at("DB_TYPE"), `must be ${Object.keys(DATABASES).join(" or ")}, is ${JSON.stringify(d.DB_TYPE)}`);
  const claim = d.K8S_MEDIA_CLAIM && get("PersistentVolumeClaim", d.K8S_MEDIA_CLAIM);
  if (d.K8S_MEDIA_CLAIM && !claim) add(config, at("K8S_MEDIA_CLAIM"), `no PersistentVolumeClaim "${d.K8S_MEDIA_CLAIM}"`);
  const modes = claim?.obj.spec?.accessModes ?? [];
  if (claim && !modes.includes("ReadWriteMany") && !(singleNode && modes.includes("ReadWriteOnce"))) {
    add(claim, "/spec/accessModes", singleNode ? "the coordinator and the workers share it: ReadWriteOnce (one node) or ReadWriteMany" : "workers on several nodes share it: ReadWriteMany");
  }
  if (pod && coordinator && claim) {
    const vol = (pod.volumes ?? []).find((v) => v.persistentVolumeClaim?.claimName === d.K8S_MEDIA_CLAIM);
    const mount = vol && (coordinator.volumeMounts ?? []).find((m) => m.name === vol.name);
    if (!mount) add(deploy, "/spec/template/spec/containers/0/volumeMounts", `the coordinator does not mount ${d.K8S_MEDIA_CLAIM}`);
    else if (mount.mountPath !== d.K8S_MEDIA_PATH) {
      add(config, at("K8S_MEDIA_PATH"), `is ${d.K8S_MEDIA_PATH} but the coordinator mounts ${d.K8S_MEDIA_CLAIM} at ${mount.mountPath}: paths in work items would differ`);
    }
    for (const c of containersOf(pod)) {
      for (const m of c.volumeMounts ?? []) if (m.name === vol?.name && m.readOnly) add(deploy, "/spec/template/spec", `${c.name} mounts the media read-only`);
    }
  }
  const onMedia = (p) => under(p, d.K8S_MEDIA_PATH);
  for (const root of String(d.INPUT_ROOTS ?? "").split(",").filter(Boolean)) {
    if (!onMedia(root)) add(config, at("INPUT_ROOTS"), `${root} is not on the media volume (${d.K8S_MEDIA_PATH})`);
  }
  if (!onMedia(d.OUTPUT_ROOT)) add(config, at("OUTPUT_ROOT"), `${d.OUTPUT_ROOT} is not on the media volume (${d.K8S_MEDIA_PATH})`);
  const sa = d.K8S_SERVICE_ACCOUNT && get("ServiceAccount", d.K8S_SERVICE_ACCOUNT);
  if (d.K8S_SERVICE_ACCOUNT && !sa) add(config, at("K8S_SERVICE_ACCOUNT"), `no ServiceAccount "${d.K8S_SERVICE_ACCOUNT}"`);
  if (sa && sa.obj.automountServiceAccountToken !== false) add(sa, "/automountServiceAccountToken", "workers never call the API: false");
  if (d.K8S_SERVICE_ACCOUNT === "vidbatch-coordinator") add(config, at("K8S_SERVICE_ACCOUNT"), "workers must not run with the coordinator's permissions");
  const img = splitImage(String(d.K8S_WORKER_IMAGE ?? ""));
  if (!img.tag && !img.digest) add(config, at("K8S_WORKER_IMAGE"), `"${d.K8S_WORKER_IMAGE}" has no tag or digest: is the images entry vidbatch-worker in kustomization.yaml?`);
  for (const k of ["K8S_PENDING_TIMEOUT_SECONDS", "K8S_BACKOFF_LIMIT", "K8S_TTL_SECONDS_AFTER_FINISHED", "DB_PORT", "WORKERS_MAX"]) {
    if (k in d && !/^\d+$/.test(d[k])) add(config, at(k), `must be a whole number, is ${JSON.stringify(d[k])}`);
  }
  for (const k of ["K8S_CPU_REQUEST", "K8S_CPU_LIMIT", "K8S_MEMORY_REQUEST", "K8S_MEMORY_LIMIT"]) {
    if (k in d && !/^(\d+(\.\d+)?|\.\d+)(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/.test(d[k])) add(config, at(k), `not a Kubernetes quantity: ${JSON.stringify(d[k])}`);
  }
  if (d.K8S_NODE_SELECTOR && !/^[^=,\s]+=[^=,\s]*(,[^=,\s]+=[^=,\s]*)*$/.test(d.K8S_NODE_SELECTOR)) add(config, at("K8S_NODE_SELECTOR"), "must be k=v,k=v (or empty)");
  try {
    if (!Array.isArray(JSON.parse(d.K8S_TOLERATIONS ?? "[]"))) throw new Error();
  } catch {
    add(config, at("K8S_TOLERATIONS"), "must be a JSON list of tolerations");
  }
}

// The job repository: embedded Derby on a volume that outlives the pod, or PostgreSQL reachable
// from the coordinator and nothing else.
function checkDatabase(ctx) {
  if (ctx.d.DB_TYPE === "derby") checkDerby(ctx);
  if (ctx.d.DB_TYPE === "postgres") checkPostgres(ctx);
  // The Secret the coordinator's passwords come from holds no database password Derby never reads.
  const ref = (ctx.coordinator?.env ?? []).find((v) => v.name === "ADMIN_PASSWORD")?.valueFrom?.secretKeyRef;
  const secret = ref && ctx.entries.find((e) => e.obj.kind === "Secret" && e.obj.metadata?.name === ref.name);
  if (secret && ctx.d.DB_TYPE !== "postgres") {
    for (const k of DATABASE_ONLY_SECRETS) {
      if (k in (secret.obj.data ?? {})) ctx.add(secret, `/data/${k}`, `${k} is for PostgreSQL; with DB_TYPE ${ctx.d.DB_TYPE} nothing reads it (drop it from secrets.env.example)`);
    }
  }
}

// Derby lives in DERBY_DIR: on a PersistentVolumeClaim of the coordinator's own, or every job and
// work item would go with the pod (an emptyDir) or fail to be written (the read-only root).
function checkDerby({ d, config, deploy, pod, coordinator, get, add }) {
  if (!d.DERBY_DIR || !coordinator) return;
  const path = "/data/DERBY_DIR";
  const at = mountAt(pod, coordinator, d.DERBY_DIR);
  if (!at) return add(config, path, `${d.DERBY_DIR} is on no volume the coordinator mounts: the root filesystem is read-only, and would not outlive the pod`);
  const { mount, volume } = at;
  const claim = volume.persistentVolumeClaim?.claimName;
  if (volume.emptyDir) add(config, path, `${d.DERBY_DIR} is on the emptyDir "${volume.name}" (mounted at ${mount.mountPath}): every job and work item would be lost with the pod; mount a PersistentVolumeClaim there`);
  else if (!claim) add(config, path, `${d.DERBY_DIR} is on the volume "${volume.name}", which is not a PersistentVolumeClaim`);
  else if (!get("PersistentVolumeClaim", claim)) add(config, path, `${d.DERBY_DIR} is on the claim "${claim}", which is not defined here`);
  else if (claim === d.K8S_MEDIA_CLAIM) add(config, path, `${d.DERBY_DIR} is on the media volume, which the workers mount too: Derby needs a volume of its own`);
  if (mount.readOnly) add(deploy, "/spec/template/spec/containers/0/volumeMounts", `${mount.mountPath} (DERBY_DIR) is mounted read-only`);
}

function checkPostgres({ d, config, deploy, get, need, add, entries }) {
  if (d.DB_HOST && !get("Service", d.DB_HOST)) add(config, "/data/DB_HOST", `no Service "${d.DB_HOST}"`);
  const pgPolicy = need("NetworkPolicy", "vidbatch-postgres");
  const db = need("StatefulSet", "vidbatch-postgres");
  if (db) {
    const server = (podSpecsOf(db.obj)[0]?.containers ?? []).find((c) => c.name === "postgres");
    if (!(server?.env ?? []).some((v) => v.name === "POSTGRES_PASSWORD" && v.valueFrom?.secretKeyRef)) {
      add(db, "/spec/template/spec/containers/0/env", "POSTGRES_PASSWORD must come from the Secret");
    }
  }
  if (!db || !deploy) return;
  const dbLabels = templateOf(db.obj)?.metadata?.labels ?? {};
  const coordLabels = templateOf(deploy.obj)?.metadata?.labels ?? {};
  if (pgPolicy) {
    if (!selectorMatches(pgPolicy.obj.spec?.podSelector, dbLabels)) add(pgPolicy, "/spec/podSelector", "does not select the PostgreSQL pods");
    for (const [k, rule] of (pgPolicy.obj.spec?.ingress ?? []).entries()) {
      const peers = rule.from ?? [];
      if (peers.length === 0 || peers.some((p) => !p.podSelector || p.namespaceSelector || p.ipBlock || !selectorMatches(p.podSelector, coordLabels))) {
        add(pgPolicy, `/spec/ingress/${k}/from`, "PostgreSQL ingress must come from the coordinator only");
      }
    }
  }
  // The default deny covers egress too: some policy of the coordinator's must let it out to the database.
  const port = Number(d.DB_PORT ?? 5432);
  if (!egressAllowed(entries, coordLabels, dbLabels, port)) add(deploy, "/spec/template/metadata/labels", `no NetworkPolicy lets the coordinator reach PostgreSQL on port ${port} (the default is deny)`);
}

// TLS keystore and LTPA keys from Secrets made outside the manifests: each file where the
// coordinator mounts that Secret with that key, and its password from the same place.
function checkKeyFiles({ d, config, deploy, pod, coordinator, entries, add }) {
  if (!coordinator) return;
  const c0 = "/spec/template/spec/containers/0";
  for (const { setting, secret, key } of KEY_FILES) {
    const file = settingOf(coordinator, d, setting);
    if (!file) continue;
    const at = secretFileAt(pod, coordinator, file);
    if (!at || at.secretName !== secret) {
      add(config, `/data/${setting}`, `${file} is not in a mount of the Secret ${secret} in the coordinator${at ? ` (${at.mount.mountPath} is ${at.secretName ? `the Secret ${at.secretName}` : `the volume ${at.volume.name}`})` : ""}`);
    } else if (at.key !== key) {
      add(deploy, `${c0}/volumeMounts`, `${setting} ${file}: the mount of ${secret} at ${at.mount.mountPath} has ${at.key ? `the key ${at.key}` : "nothing"} there, not ${key} (its items: ${(at.volume.secret.items ?? []).map((i) => `${i.key}→${i.path}`).join(", ") || "every key"})`);
    }
  }
  const ltpaPassword = (coordinator.env ?? []).find((v) => v.name === "LTPA_KEYS_PASSWORD");
  if (settingOf(coordinator, d, "LTPA_KEYS_FILE") && !ltpaPassword) add(deploy, `${c0}/env`, "LTPA_KEYS_FILE is set: LTPA_KEYS_PASSWORD must come from the Secret vidbatch-ltpa");
  if (ltpaPassword && ltpaPassword.valueFrom?.secretKeyRef?.name !== "vidbatch-ltpa") {
    add(deploy, `${c0}/env`, "LTPA_KEYS_PASSWORD must come from the Secret vidbatch-ltpa, which holds the keys it opens");
  }
  // A Certificate that writes the keystore must make it with the password Liberty opens it with.
  const keystore = settingOf(coordinator, d, "KEYSTORE_FILE") && secretFileAt(pod, coordinator, settingOf(coordinator, d, "KEYSTORE_FILE"));
  const cert = keystore?.secretName && entries.find((e) => e.obj.kind === "Certificate" && e.obj.spec?.secretName === keystore.secretName);
  if (cert) {
    const p12 = cert.obj.spec.keystores?.pkcs12;
    const want = (coordinator.env ?? []).find((v) => v.name === "KEYSTORE_PASSWORD")?.valueFrom?.secretKeyRef;
    if (!p12?.create) add(cert, "/spec/keystores/pkcs12/create", `the coordinator reads keystore.p12 from ${keystore.secretName}: must be true`);
    else if (!want || p12.passwordSecretRef?.name !== want.name || p12.passwordSecretRef?.key !== want.key) {
      add(cert, "/spec/keystores/pkcs12/passwordSecretRef", `must be the coordinator's KEYSTORE_PASSWORD (${want ? `${want.name} ${want.key}` : "not from a Secret"}): Liberty opens the keystore with it`);
    }
  }
}

// A CronJob that fires a coordinator schedule: over HTTPS to the coordinator's Service, as the
// scheduler with the password from the Secret, and let through by a NetworkPolicy.
function checkScheduleTrigger(ctx, e) {
  const { entries, deploy, get, add } = ctx;
  const base = "/spec/jobTemplate/spec/template/spec";
  const c0 = `${base}/containers/0`;
  if (e.obj.spec?.concurrencyPolicy !== "Forbid") add(e, "/spec/concurrencyPolicy", "must be Forbid: one firing of a schedule at a time");
  const pod = podSpecsOf(e.obj)[0];
  const c = (pod?.containers ?? [])[0];
  if (!c) return;
  const args = [...(c.command ?? []), ...(c.args ?? [])].map(String);
  const url = args.find((a) => /^[a-z]+:\/\//i.test(a));
  let u = null;
  try {
    u = new URL(url);
  } catch {
    add(e, `${c0}/args`, "no URL of the coordinator among the arguments");
  }
  if (u) {
    if (u.protocol !== "https:") add(e, `${c0}/args`, `${url}: the scheduler's password goes with it, so HTTPS only`);
    if (!SCHEDULE_RUNS.test(u.pathname)) add(e, `${c0}/args`, `${u.pathname}: a trigger calls /vidbatch/api/v1/schedules/<name>/runs`);
    const [host, ns] = u.hostname.split(".");
    const svc = get("Service", host);
    const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
    if (!svc || (ns && ns !== NAMESPACE)) add(e, `${c0}/args`, `${u.hostname}: not a Service in ${NAMESPACE}`);
    else if (!(svc.obj.spec?.ports ?? []).some((p) => p.port === port)) add(e, `${c0}/args`, `${u.hostname} serves no port ${port}`);
    const coordLabels = templateOf(deploy?.obj)?.metadata?.labels ?? {};
    if (svc && !selectorMatches({ matchLabels: svc.obj.spec?.selector ?? {} }, coordLabels)) add(e, `${c0}/args`, `${host} is not the coordinator's Service`);
    const labels = templateOf(e.obj)?.metadata?.labels ?? {};
    if (!egressAllowed(entries, labels, coordLabels, port)) add(e, "/spec/jobTemplate/spec/template/metadata/labels", `no NetworkPolicy lets these pods reach the coordinator on port ${port} (the default is deny)`);
  }
  const method = args.findIndex((a) => a === "--request" || a === "-X");
  if (method < 0 || args[method + 1] !== "POST") add(e, `${c0}/args`, "a run is asked for with POST");
  if (args.some((a) => /^scheduler:(?!\{\{)/.test(a))) add(e, `${c0}/args`, "the scheduler's password is written in the arguments: take it from the Secret");
  if (!(c.env ?? []).some((v) => v.name === "SCHEDULER_PASSWORD" && v.valueFrom?.secretKeyRef?.key === "SCHEDULER_PASSWORD")) {
    add(e, `${c0}/env`, "SCHEDULER_PASSWORD must come from the Secret");
  }
  if (pod.automountServiceAccountToken !== false) add(e, `${base}/automountServiceAccountToken`, "a trigger never calls the Kubernetes API: false");
  checkTriggerTls(ctx, e, pod, c, args);
}

// How curl checks the coordinator's certificate. With KEYSTORE_FILE the certificate is the one in
// vidbatch-tls, signed by its ca.crt: --cacert with that file. Without, Liberty makes a new
// self-signed one at each start, which nothing can check: --insecure is the only way.
function checkTriggerTls({ coordinator, d, secrets, add }, e, pod, c, args) {
  const at = "/spec/jobTemplate/spec/template/spec/containers/0/args";
  const keystore = coordinator && settingOf(coordinator, d, "KEYSTORE_FILE");
  const insecure = args.some((a) => a === "--insecure" || a === "-k");
  const i = args.findIndex((a) => a === "--cacert" || a.startsWith("--cacert="));
  const cacert = i < 0 ? null : args[i].startsWith("--cacert=") ? args[i].slice("--cacert=".length) : args[i + 1];
  if (insecure && keystore) add(e, at, `--insecure: the coordinator's certificate comes from KEYSTORE_FILE (${keystore}): check it with --cacert and the ca.crt of vidbatch-tls`);
  if (!insecure && !keystore) add(e, at, "without KEYSTORE_FILE Liberty makes a new self-signed certificate at each start, which curl cannot check: --insecure");
  if (i < 0) return;
  const file = secretFileAt(pod, c, cacert ?? "");
  const holds = file?.secretName && secrets.get(`${e.obj.metadata?.namespace}|${file.secretName}`)?.keys.has("ca.crt");
  if (!file?.secretName) add(e, at, `--cacert ${cacert}: not in a Secret this container mounts`);
  else if (file.key !== "ca.crt" || !holds) add(e, at, `--cacert ${cacert}: the mount of ${file.secretName} at ${file.mount.mountPath} has ${file.key ? `the key ${file.key}` : "nothing"} there, not ca.crt`);
}

// A ServiceMonitor of the coordinator scrapes over HTTPS (there is nothing else) and checks the
// certificate where there is one to check.
function checkServiceMonitor({ coordinator, d, add }, e) {
  const keystore = coordinator && settingOf(coordinator, d, "KEYSTORE_FILE");
  for (const [k, ep] of (e.obj.spec?.endpoints ?? []).entries()) {
    if (ep.scheme !== "https" && ep.scheme !== "HTTPS") add(e, `/spec/endpoints/${k}/scheme`, "must be https: the production profile serves no plain HTTP");
    if (ep.tlsConfig?.insecureSkipVerify && keystore) add(e, `/spec/endpoints/${k}/tlsConfig/insecureSkipVerify`, "the coordinator's certificate comes from vidbatch-tls: check it against its ca.crt");
  }
}

// Recommended labels, the same instance and version everywhere; version is the images' tag (the
// launcher labels worker pods with it too).
function checkLabels({ entries, deploy, coordinator, d, add }) {
  const tag = splitImage(String(coordinator?.image ?? "")).tag;
  const want = {
    "app.kubernetes.io/name": "vidbatch",
    "app.kubernetes.io/part-of": "vidbatch",
    "app.kubernetes.io/instance": deploy?.obj.metadata?.labels?.["app.kubernetes.io/instance"],
    "app.kubernetes.io/version": tag || undefined,
  };
  const workerTag = splitImage(String(d.K8S_WORKER_IMAGE ?? "")).tag;
  if (tag && workerTag && workerTag !== tag) add(deploy, "/spec/template/spec/containers/0/image", `tag ${tag}, but K8S_WORKER_IMAGE has ${workerTag}: both images are tagged with the version`);
  const check = (e, labels, path, required) => {
    for (const l of required) {
      if (labels?.[l] === undefined) add(e, path, `${l} is missing`);
      else if (want[l] !== undefined && labels[l] !== want[l]) {
        add(e, `${path}/${l}`, `is ${JSON.stringify(labels[l])}, not ${JSON.stringify(want[l])}${l.endsWith("/version") ? " (the tag of the coordinator's image)" : " (the coordinator's)"}`);
      }
    }
  };
  for (const e of entries) {
    const withPods = podSpecsOf(e.obj).length > 0;
    const required = withPods ? [...REQUIRED_LABELS, "app.kubernetes.io/component"] : REQUIRED_LABELS;
    check(e, e.obj.metadata?.labels, "/metadata/labels", required);
    if (withPods) check(e, templateOf(e.obj)?.metadata?.labels, `${templatePath(e.obj)}/metadata/labels`, required);
    // A StatefulSet's volumeClaimTemplates never change after it is created: a label that changes
    // with every release there makes the next kubectl apply fail (Forbidden).
    for (const [i, t] of (e.obj.kind === "StatefulSet" ? e.obj.spec?.volumeClaimTemplates ?? [] : []).entries()) {
      if (t.metadata?.labels?.["app.kubernetes.io/version"] !== undefined) {
        add(e, `/spec/volumeClaimTemplates/${i}/metadata/labels/app.kubernetes.io/version`, "volumeClaimTemplates are immutable: a version label here makes every upgrade fail (kustomize labels: includeTemplates adds it)");
      }
    }
  }
}

function checkDefaultDeny({ need, add }) {
  const deny = need("NetworkPolicy", "vidbatch-default-deny");
  if (!deny) return;
  const s = deny.obj.spec ?? {};
  const empty = Object.keys(s.podSelector?.matchLabels ?? {}).length === 0 && (s.podSelector?.matchExpressions ?? []).length === 0;
  if (!empty || !(s.policyTypes ?? []).includes("Ingress") || !(s.policyTypes ?? []).includes("Egress") || s.ingress || s.egress) {
    add(deny, "/spec", "must select every pod and allow nothing, in both directions");
  }
}

// Whether some NetworkPolicy selecting `from` pods lets them out to `to` pods on `port`.
function egressAllowed(entries, from, to, port) {
  return entries.some((n) => n.obj.kind === "NetworkPolicy" && selectorMatches(n.obj.spec?.podSelector, from)
    && (n.obj.spec?.egress ?? []).some((r) => (r.to ?? []).some((t) => t.podSelector && selectorMatches(t.podSelector, to))
      && (r.ports ?? []).some((p) => p.port === port)));
}

// A setting of the coordinator: its own env (a literal) before the ConfigMap's.
function settingOf(container, data, name) {
  const env = (container.env ?? []).find((v) => v.name === name);
  return env ? env.value : data[name];
}

function under(path, dir) {
  if (typeof path !== "string" || typeof dir !== "string" || !dir) return false;
  const d = dir.replace(/\/$/, "");
  return path === d || path.startsWith(`${d}/`);
}

// The mount of a container that a path lies in (the deepest one), its volume, and the path
// relative to the mount.
function mountAt(pod, container, path) {
  const p = posix.normalize(String(path));
  const mount = (container.volumeMounts ?? []).filter((m) => under(p, m.mountPath)).sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  const volume = mount && (pod?.volumes ?? []).find((v) => v.name === mount.name);
  return volume ? { mount, volume, rel: posix.relative(mount.mountPath, p) } : null;
}

// The Secret and key a file in a container is: its mount's Secret volume, and the key projected at
// that path (items map keys to paths; without items every key is a file of its own name).
function secretFileAt(pod, container, path) {
  const at = mountAt(pod, container, path);
  if (!at) return null;
  if (!at.volume.secret) return { ...at, secretName: null, key: null };
  const rel = at.mount.subPath ? posix.join(at.mount.subPath, at.rel) : at.rel;
  const items = at.volume.secret.items;
  const key = items ? items.find((it) => posix.normalize(it.path) === rel)?.key ?? null : rel || null;
  return { ...at, secretName: at.volume.secret.secretName, key };
}

function templateOf(obj) {
  if (!obj) return null;
  if (obj.kind === "Pod") return obj;
  if (obj.kind === "CronJob") return obj.spec?.jobTemplate?.spec?.template ?? null;
  return obj.spec?.template ?? null;
}

function templatePath(obj) {
  return obj.kind === "CronJob" ? "/spec/jobTemplate/spec/template" : obj.kind === "Pod" ? "" : "/spec/template";
}

// secrets.env (if present), rendered as kubectl would: the same keys as the example's Secret,
// every placeholder replaced.
export function checkSecretsFile(example, real, overlay = "") {
  const out = [];
  const file = `${overlay ? `${overlay}/` : ""}secrets.env`;
  const secrets = (objects) => new Map(objects.filter((o) => o.generated === "SecretGenerator").map((o) => [o.obj.metadata.name.replace(/-[a-z0-9]{10}$/, ""), o.obj.data ?? {}]));
  const ex = secrets(example);
  for (const [name, data] of secrets(real)) {
    const want = Object.keys(ex.get(name) ?? {});
    for (const k of want) if (!(k in data)) out.push(`${file}: ${k} is missing (see secrets.env.example)`);
    for (const [k, v] of Object.entries(data)) {
      if (!want.includes(k)) out.push(`${file}: ${k} is not in secrets.env.example`);
      const value = Buffer.from(v, "base64").toString("utf8");
      if (value === "" || /CHANGE_ME/.test(value)) out.push(`${file}: ${k} still has no real value`);
    }
  }
  return out;
}

// An image reference's name, tag and digest.
function splitImage(image) {
  const [rest, digest = ""] = image.split("@");
  const colon = rest.lastIndexOf(":");
  return colon > rest.lastIndexOf("/") ? { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest } : { name: rest, tag: "", digest };
}
