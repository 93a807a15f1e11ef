// vidbatch's own rules for these manifests: what the coordinator and its kubernetes launcher
// rely on, which no schema can know.
import { containersOf, podSpecsOf, selectorMatches } from "./checks.mjs";
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
  "VIDBATCH_PROFILE", "INPUT_ROOTS", "OUTPUT_ROOT", "DB_TYPE", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_SCHEMA",
  "K8S_WORKER_IMAGE", "K8S_MEDIA_CLAIM", "K8S_MEDIA_PATH", "K8S_SERVICE_ACCOUNT",
  "K8S_CPU_REQUEST", "K8S_CPU_LIMIT", "K8S_MEMORY_REQUEST", "K8S_MEMORY_LIMIT",
  "K8S_NODE_SELECTOR", "K8S_TOLERATIONS", "K8S_PENDING_TIMEOUT_SECONDS", "K8S_BACKOFF_LIMIT",
  "K8S_TTL_SECONDS_AFTER_FINISHED",
];
const REQUIRED_SECRETS = ["ADMIN_PASSWORD", "SUBMITTER_PASSWORD", "MONITOR_PASSWORD", "SCHEDULER_PASSWORD", "KEYSTORE_PASSWORD", "DB_PASSWORD"];
// What a schedule trigger (a CronJob) may call: fire one schedule now (README.md, "Schedules").
const SCHEDULE_RUNS = /^\/vidbatch\/api\/v1\/schedules\/[a-z0-9][a-z0-9-]{0,63}\/runs$/;

// Effective rules of a Role as a set of "group|resource|verb".
function ruleSet(rules) {
  const set = new Set();
  for (const r of rules ?? []) {
    for (const g of r.apiGroups ?? []) for (const res of r.resources ?? []) for (const v of r.verbs ?? []) set.add(`${g}|${res}|${v}`);
  }
  return set;
}

export function checkContract(entries) {
  const out = [];
  const get = (kind, name) => entries.find((e) => e.obj.kind === kind && e.obj.metadata?.name === name && e.obj.metadata?.namespace === NAMESPACE);
  const need = (kind, name) => {
    const e = get(kind, name);
    if (!e) out.push({ entry: null, path: "/", message: `${kind} ${NAMESPACE}/${name} is missing` });
    return e;
  };

  // RBAC: exactly the launcher's calls, bound to the coordinator only.
  const role = need("Role", "vidbatch-launcher");
  if (role) {
    const have = ruleSet(role.obj.rules);
    const want = ruleSet(LAUNCHER_RULES.map((r) => ({ apiGroups: [r.apiGroup], resources: [r.resource], verbs: r.verbs })));
    const show = (x) => {
      const [g, r, v] = x.split("|");
      return `${v} on ${g || "core"}/${r}`;
    };
    for (const x of have) if (!want.has(x)) out.push({ entry: role, path: "/rules", message: `grants ${show(x)}, which the launcher does not use` });
    for (const x of want) if (!have.has(x)) out.push({ entry: role, path: "/rules", message: `does not grant ${show(x)}, which the launcher uses` });
    if ((role.obj.rules ?? []).some((r) => r.resourceNames)) out.push({ entry: role, path: "/rules", message: "resourceNames would break create/list/watch" });
  }
  const binding = need("RoleBinding", "vidbatch-launcher");
  if (binding) {
    const s = binding.obj.subjects ?? [];
    if (binding.obj.roleRef?.kind !== "Role" || binding.obj.roleRef?.name !== "vidbatch-launcher") out.push({ entry: binding, path: "/roleRef", message: "must refer to the Role vidbatch-launcher" });
    if (s.length !== 1 || s[0].kind !== "ServiceAccount" || s[0].name !== "vidbatch-coordinator" || s[0].namespace !== NAMESPACE) {
      out.push({ entry: binding, path: "/subjects", message: `must bind exactly the ServiceAccount ${NAMESPACE}/vidbatch-coordinator` });
    }
  }
  for (const e of entries) {
    if (["ClusterRole", "ClusterRoleBinding"].includes(e.obj.kind)) out.push({ entry: e, path: "/", message: "vidbatch needs no cluster-wide permissions" });
  }

  // The coordinator.
  const deploy = need("Deployment", "vidbatch-coordinator");
  const config = need("ConfigMap", "vidbatch-config");
  let coordinator = null;
  let pod = null;
  if (deploy) {
    const s = deploy.obj.spec ?? {};
    if (s.replicas !== 1) out.push({ entry: deploy, path: "/spec/replicas", message: "the coordinator owns job scheduling state: exactly 1 replica" });
    if (s.strategy?.type !== "Recreate") out.push({ entry: deploy, path: "/spec/strategy/type", message: "must be Recreate (never two coordinators at once)" });
    pod = podSpecsOf(deploy.obj)[0];
    if (pod?.serviceAccountName !== "vidbatch-coordinator") out.push({ entry: deploy, path: "/spec/template/spec/serviceAccountName", message: "must be vidbatch-coordinator (the launcher's RoleBinding)" });
    if (pod?.automountServiceAccountToken === false) out.push({ entry: deploy, path: "/spec/template/spec/automountServiceAccountToken", message: "the launcher needs the in-cluster token" });
    coordinator = (pod?.containers ?? []).find((c) => c.name === "coordinator");
    if (!coordinator) out.push({ entry: deploy, path: "/spec/template/spec/containers", message: 'no container named "coordinator"' });
    else {
      const probes = { startupProbe: "/health/started", readinessProbe: "/health/ready", livenessProbe: "/health/live" };
      for (const [p, path] of Object.entries(probes)) {
        if (coordinator[p]?.httpGet?.path !== path) out.push({ entry: deploy, path: `/spec/template/spec/containers/0/${p}`, message: `must be an HTTP GET of ${path}` });
      }
      if (!coordinator.startupProbe) out.push({ entry: deploy, path: "/spec/template/spec/containers/0/startupProbe", message: "Liberty needs a startup probe" });
      // The production profile serves no plain HTTP: a probe over it would never succeed.
      for (const p of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        if (coordinator[p]?.httpGet && coordinator[p].httpGet.scheme !== "HTTPS") {
          out.push({ entry: deploy, path: `/spec/template/spec/containers/0/${p}/httpGet/scheme`, message: "must be HTTPS: the production profile serves no plain HTTP" });
        }
      }
      if ((coordinator.ports ?? []).some((p) => p.containerPort === 9080)) {
        out.push({ entry: deploy, path: "/spec/template/spec/containers/0/ports", message: "9080 is plain HTTP, which the production profile does not serve" });
      }
      const nsEnv = (coordinator.env ?? []).find((v) => v.name === "K8S_NAMESPACE");
      if (nsEnv && nsEnv.valueFrom?.fieldRef?.fieldPath !== "metadata.namespace") {
        out.push({ entry: deploy, path: "/spec/template/spec/containers/0/env", message: "K8S_NAMESPACE must be the pod's own namespace (the Role is namespaced)" });
      }
      const secretEnv = new Set((coordinator.env ?? []).filter((v) => v.valueFrom?.secretKeyRef).map((v) => v.name));
      for (const k of REQUIRED_SECRETS) if (!secretEnv.has(k)) out.push({ entry: deploy, path: "/spec/template/spec/containers/0/env", message: `${k} must come from the Secret` });
    }
    const labels = deploy.obj.spec?.template?.metadata?.labels ?? {};
    if (labels["app.kubernetes.io/managed-by"] === "vidbatch") out.push({ entry: deploy, path: "/spec/template/metadata/labels", message: "app.kubernetes.io/managed-by=vidbatch marks worker pods (isolated by NetworkPolicy)" });
  }
  for (const e of entries) {
    if (e === deploy) continue;
    for (const p of podSpecsOf(e.obj)) {
      const labels = (e.obj.kind === "Pod" ? e.obj.metadata?.labels : e.obj.spec?.template?.metadata?.labels) ?? {};
      if (labels["app.kubernetes.io/managed-by"] === "vidbatch") out.push({ entry: e, path: "/spec/template/metadata/labels", message: "app.kubernetes.io/managed-by=vidbatch is reserved for the launcher's worker pods" });
      void p;
    }
  }

  // The launcher's settings agree with the objects they name.
  if (config) {
    const d = config.obj.data ?? {};
    const at = (k) => `/data/${k}`;
    for (const k of REQUIRED_CONFIG) if (!(k in d)) out.push({ entry: config, path: at(k), message: `${k} is not set` });
    if (d.VIDBATCH_PROFILE !== "production") out.push({ entry: config, path: at("VIDBATCH_PROFILE"), message: "must be production (development lets the default passwords in)" });
    if (d.DB_TYPE !== "postgres") out.push({ entry: config, path: at("DB_TYPE"), message: "must be postgres (Derby would live in the pod's emptyDir)" });
    if (d.DB_HOST && !get("Service", d.DB_HOST)) out.push({ entry: config, path: at("DB_HOST"), message: `no Service "${d.DB_HOST}"` });
    const claim = d.K8S_MEDIA_CLAIM && get("PersistentVolumeClaim", d.K8S_MEDIA_CLAIM);
    if (d.K8S_MEDIA_CLAIM && !claim) out.push({ entry: config, path: at("K8S_MEDIA_CLAIM"), message: `no PersistentVolumeClaim "${d.K8S_MEDIA_CLAIM}"` });
    if (claim && !(claim.obj.spec?.accessModes ?? []).includes("ReadWriteMany")) {
      out.push({ entry: claim, path: "/spec/accessModes", message: "workers on several nodes share it: ReadWriteMany" });
    }
    if (pod && coordinator && claim) {
      const vol = (pod.volumes ?? []).find((v) => v.persistentVolumeClaim?.claimName === d.K8S_MEDIA_CLAIM);
      const mount = vol && (coordinator.volumeMounts ?? []).find((m) => m.name === vol.name);
      if (!mount) out.push({ entry: deploy, path: "/spec/template/spec/containers/0/volumeMounts", message: `the coordinator does not mount ${d.K8S_MEDIA_CLAIM}` });
      else if (mount.mountPath !== d.K8S_MEDIA_PATH) {
        out.push({ entry: config, path: at("K8S_MEDIA_PATH"), message: `is ${d.K8S_MEDIA_PATH} but the coordinator mounts ${d.K8S_MEDIA_CLAIM} at ${mount.mountPath}: paths in work items would differ` });
      }
      for (const c of containersOf(pod)) {
        for (const m of c.volumeMounts ?? []) {
          if (m.name === vol?.name && m.readOnly) out.push({ entry: deploy, path: "/spec/template/spec", message: `${c.name} mounts the media read-only` });
        }
      }
    }
    const under = (p) => typeof p === "string" && d.K8S_MEDIA_PATH && (p === d.K8S_MEDIA_PATH || p.startsWith(`${d.K8S_MEDIA_PATH.replace(/\/$/, "")}/`));
    for (const root of String(d.INPUT_ROOTS ?? "").split(",").filter(Boolean)) {
      if (!under(root)) out.push({ entry: config, path: at("INPUT_ROOTS"), message: `${root} is not on the media volume (${d.K8S_MEDIA_PATH})` });
    }
    if (!under(d.OUTPUT_ROOT)) out.push({ entry: config, path: at("OUTPUT_ROOT"), message: `${d.OUTPUT_ROOT} is not on the media volume (${d.K8S_MEDIA_PATH})` });
    const sa = d.K8S_SERVICE_ACCOUNT && get("ServiceAccount", d.K8S_SERVICE_ACCOUNT);
    if (d.K8S_SERVICE_ACCOUNT && !sa) out.push({ entry: config, path: at("K8S_SERVICE_ACCOUNT"), message: `no ServiceAccount "${d.K8S_SERVICE_ACCOUNT}"` });
    if (sa && sa.obj.automountServiceAccountToken !== false) out.push({ entry: sa, path: "/automountServiceAccountToken", message: "workers never call the API: false" });
    if (d.K8S_SERVICE_ACCOUNT === "vidbatch-coordinator") out.push({ entry: config, path: at("K8S_SERVICE_ACCOUNT"), message: "workers must not run with the coordinator's permissions" });
    const img = splitImage(String(d.K8S_WORKER_IMAGE ?? ""));
    if (!img.tag && !img.digest) out.push({ entry: config, path: at("K8S_WORKER_IMAGE"), message: `"${d.K8S_WORKER_IMAGE}" has no tag or digest: is the images entry vidbatch-worker in kustomization.yaml?` });
    for (const k of ["K8S_PENDING_TIMEOUT_SECONDS", "K8S_BACKOFF_LIMIT", "K8S_TTL_SECONDS_AFTER_FINISHED", "DB_PORT", "WORKERS_MAX"]) {
      if (k in d && !/^\d+$/.test(d[k])) out.push({ entry: config, path: at(k), message: `must be a whole number, is ${JSON.stringify(d[k])}` });
    }
    for (const k of ["K8S_CPU_REQUEST", "K8S_CPU_LIMIT", "K8S_MEMORY_REQUEST", "K8S_MEMORY_LIMIT"]) {
      if (k in d && !/^(\d+(\.\d+)?|\.\d+)(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/.test(d[k])) out.push({ entry: config, path: at(k), message: `not a Kubernetes quantity: ${JSON.stringify(d[k])}` });
    }
    if (d.K8S_NODE_SELECTOR && !/^[^=,\s]+=[^=,\s]*(,[^=,\s]+=[^=,\s]*)*$/.test(d.K8S_NODE_SELECTOR)) {
      out.push({ entry: config, path: at("K8S_NODE_SELECTOR"), message: "must be k=v,k=v (or empty)" });
    }
    try {
      if (!Array.isArray(JSON.parse(d.K8S_TOLERATIONS ?? "[]"))) throw new Error();
    } catch {
      out.push({ entry: config, path: at("K8S_TOLERATIONS"), message: "must be a JSON list of tolerations" });
    }
  }

  // PostgreSQL is reachable from the coordinator and nothing else.
  const pgPolicy = need("NetworkPolicy", "vidbatch-postgres");
  const db = need("StatefulSet", "vidbatch-postgres");
  if (pgPolicy && db && deploy) {
    const dbLabels = db.obj.spec?.template?.metadata?.labels ?? {};
    const coordLabels = deploy.obj.spec?.template?.metadata?.labels ?? {};
    if (!selectorMatches(pgPolicy.obj.spec?.podSelector, dbLabels)) out.push({ entry: pgPolicy, path: "/spec/podSelector", message: "does not select the PostgreSQL pods" });
    for (const [k, rule] of (pgPolicy.obj.spec?.ingress ?? []).entries()) {
      const peers = rule.from ?? [];
      if (peers.length === 0 || peers.some((p) => !p.podSelector || p.namespaceSelector || p.ipBlock || !selectorMatches(p.podSelector, coordLabels))) {
        out.push({ entry: pgPolicy, path: `/spec/ingress/${k}/from`, message: "PostgreSQL ingress must come from the coordinator only" });
      }
    }
  }
  for (const e of entries.filter((x) => x.obj.kind === "CronJob")) out.push(...checkScheduleTrigger(e, entries, deploy, get));
  out.push(...checkQuota(entries, config, NAMESPACE));

  const deny = need("NetworkPolicy", "vidbatch-default-deny");
  if (deny) {
    const s = deny.obj.spec ?? {};
    const empty = Object.keys(s.podSelector?.matchLabels ?? {}).length === 0 && (s.podSelector?.matchExpressions ?? []).length === 0;
    if (!empty || !(s.policyTypes ?? []).includes("Ingress") || !(s.policyTypes ?? []).includes("Egress") || s.ingress || s.egress) {
      out.push({ entry: deny, path: "/spec", message: "must select every pod and allow nothing, in both directions" });
    }
  }
  return out;
}

// A CronJob that fires a coordinator schedule: over HTTPS to the coordinator's Service, as the
// scheduler with the password from the Secret, and let through by a NetworkPolicy.
function checkScheduleTrigger(e, entries, deploy, get) {
  const out = [];
  const base = "/spec/jobTemplate/spec/template/spec";
  const add = (path, message) => out.push({ entry: e, path, message });
  if (e.obj.spec?.concurrencyPolicy !== "Forbid") add("/spec/concurrencyPolicy", "must be Forbid: one firing of a schedule at a time");
  const pod = podSpecsOf(e.obj)[0];
  const c = (pod?.containers ?? [])[0];
  if (!c) return out;
  const args = [...(c.command ?? []), ...(c.args ?? [])].map(String);
  const url = args.find((a) => /^[a-z]+:\/\//i.test(a));
  let u = null;
  try {
    u = new URL(url);
  } catch {
    add(`${base}/containers/0/args`, "no URL of the coordinator among the arguments");
  }
  if (u) {
    if (u.protocol !== "https:") add(`${base}/containers/0/args`, `${url}: the scheduler's password goes with it, so HTTPS only`);
    if (!SCHEDULE_RUNS.test(u.pathname)) add(`${base}/containers/0/args`, `${u.pathname}: a trigger calls /vidbatch/api/v1/schedules/<name>/runs`);
    const [host, ns] = u.hostname.split(".");
    const svc = get("Service", host);
    const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
    if (!svc || (ns && ns !== NAMESPACE)) add(`${base}/containers/0/args`, `${u.hostname}: not a Service in ${NAMESPACE}`);
    else if (!(svc.obj.spec?.ports ?? []).some((p) => p.port === port)) add(`${base}/containers/0/args`, `${u.hostname} serves no port ${port}`);
    const coordLabels = deploy?.obj.spec?.template?.metadata?.labels ?? {};
    if (svc && !selectorMatches({ matchLabels: svc.obj.spec?.selector ?? {} }, coordLabels)) add(`${base}/containers/0/args`, `${host} is not the coordinator's Service`);
    const labels = e.obj.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
    const lets = entries.some((n) => n.obj.kind === "NetworkPolicy" && selectorMatches(n.obj.spec?.podSelector, labels)
      && (n.obj.spec?.egress ?? []).some((r) => (r.to ?? []).some((t) => t.podSelector && selectorMatches(t.podSelector, coordLabels))
        && (r.ports ?? []).some((p) => p.port === port)));
    if (!lets) add("/spec/jobTemplate/spec/template/metadata/labels", `no NetworkPolicy lets these pods reach the coordinator on port ${port} (the default is deny)`);
  }
  const method = args.findIndex((a) => a === "--request" || a === "-X");
  if (method < 0 || args[method + 1] !== "POST") add(`${base}/containers/0/args`, "a run is asked for with POST");
  if (args.some((a) => /^scheduler:(?!\{\{)/.test(a))) add(`${base}/containers/0/args`, "the scheduler's password is written in the arguments: take it from the Secret");
  if (!(c.env ?? []).some((v) => v.name === "SCHEDULER_PASSWORD" && v.valueFrom?.secretKeyRef?.key === "SCHEDULER_PASSWORD")) {
    add(`${base}/containers/0/env`, "SCHEDULER_PASSWORD must come from the Secret");
  }
  if (pod.automountServiceAccountToken !== false) add(`${base}/automountServiceAccountToken`, "a trigger never calls the Kubernetes API: false");
  return out;
}

// secrets.env (if present), rendered as kubectl would: the same keys as the example's Secret,
// every placeholder replaced.
export function checkSecretsFile(example, real) {
  const out = [];
  const secrets = (objects) => new Map(objects.filter((o) => o.generated === "SecretGenerator").map((o) => [o.obj.metadata.name.replace(/-[a-z0-9]{10}$/, ""), o.obj.data ?? {}]));
  const ex = secrets(example);
  for (const [name, data] of secrets(real)) {
    const want = Object.keys(ex.get(name) ?? {});
    for (const k of want) if (!(k in data)) out.push(`secrets.env: ${k} is missing (see secrets.env.example)`);
    for (const [k, v] of Object.entries(data)) {
      if (!want.includes(k)) out.push(`secrets.env: ${k} is not in secrets.env.example`);
      const value = Buffer.from(v, "base64").toString("utf8");
      if (value === "" || /CHANGE_ME/.test(value)) out.push(`secrets.env: ${k} still has no real value`);
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
