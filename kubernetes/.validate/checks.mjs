// Checks of rendered objects that need no cluster. Each problem is {object, path, message}.
//
// Per object: kubernetes-models' schema (types, enums, required fields), the strict field
// check (strict.mjs: unknown or misspelt fields), names and labels in the formats the API
// server enforces.
// Across objects: duplicates, namespaces, every reference (service accounts, config maps and
// their keys, secrets and their keys, claims, volumes, named ports, selectors, role bindings,
// network policy selectors), and the pod security this project holds itself to.
import { rootType, strictCheck } from "./strict.mjs";

// Pod specs of an object (workload kinds and Pod).
export function podSpecsOf(obj) {
  const spec = obj?.spec;
  if (!spec) return [];
  if (obj.kind === "Pod") return [spec];
  if (obj.kind === "CronJob") return spec.jobTemplate?.spec?.template?.spec ? [spec.jobTemplate.spec.template.spec] : [];
  const workloads = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController", "PodTemplate"];
  return workloads.includes(obj.kind) && spec.template?.spec ? [spec.template.spec] : [];
}

export function containersOf(podSpec) {
  return [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
}

export const CLUSTER_SCOPED = new Set([
  "Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass",
  "CustomResourceDefinition", "PriorityClass", "IngressClass", "RuntimeClass",
  "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "Node",
]);

// Labels on pods that only exist at run time (created by the coordinator's launcher), which a
// NetworkPolicy may select although no manifest here defines such a pod.
export const RUNTIME_POD_LABELS = [{ "app.kubernetes.io/managed-by": "vidbatch" }];

export function describe(entry) {
  const o = entry.obj;
  const ns = o?.metadata?.namespace ? `${o.metadata.namespace}/` : "";
  return `${o?.kind ?? "?"} ${ns}${o?.metadata?.name ?? "?"} (${entry.source})`;
}

const modelCache = new Map();
async function modelClass(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (!modelCache.has(key)) {
    let cls = null;
    try {
      const mod = await import(`kubernetes-models/${apiVersion}/${kind}`);
      cls = typeof mod[kind] === "function" ? mod[kind] : null;
    } catch {
      cls = null;
    }
    modelCache.set(key, cls);
  }
  return modelCache.get(key);
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME_KINDS = new Set(["Namespace", "Service"]); // names that must be DNS-1123 labels

function checkLabels(labels, path, out) {
  for (const [k, v] of Object.entries(labels ?? {})) {
    const slash = k.lastIndexOf("/");
    const prefix = slash >= 0 ? k.slice(0, slash) : null;
    const name = slash >= 0 ? k.slice(slash + 1) : k;
    if ((prefix !== null && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) || name.length > 63 || !LABEL_NAME.test(name)) {
      out.push({ path: `${path}/${k}`, message: `invalid label key "${k}"` });
    }
    if (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v)) {
      out.push({ path: `${path}/${k}`, message: `invalid label value ${JSON.stringify(v)}` });
    }
  }
}

// One object on its own.
export async function checkObject(registry, obj) {
  const out = [];
  if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") {
    out.push({ path: "/", message: "apiVersion and kind are required" });
    return out;
  }
  const cls = await modelClass(obj.apiVersion, obj.kind);
  const root = rootType(registry, obj.apiVersion, obj.kind);
  if (!cls || !root) {
    out.push({ path: "/", message: `unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}` });
    return out;
  }
  try {
    new cls(obj).validate();
  } catch (e) {
    if (!Array.isArray(e.errors)) throw e;
    for (const err of e.errors) {
      const extra = err.params?.allowedValues ? ` (${err.params.allowedValues.join(", ")})` : "";
      out.push({ path: err.instancePath || "/", message: `schema: ${err.message}${extra}` });
    }
  }
  const { problems } = strictCheck(registry, root, obj);
  out.push(...problems);

  const name = obj.metadata?.name;
  if (typeof name !== "string" || name === "") {
    out.push({ path: "/metadata/name", message: "name is required" });
  } else if (LABEL_NAME_KINDS.has(obj.kind) ? name.length > 63 || !DNS1123_LABEL.test(name) : name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    out.push({ path: "/metadata/name", message: `"${name}" is not a valid ${obj.kind} name` });
  }
  checkLabels(obj.metadata?.labels, "/metadata/labels", out);
  for (const [i, pod] of podSpecsOf(obj).entries()) {
    const base = podPath(obj, i);
    const tmpl = obj.kind === "CronJob" ? obj.spec.jobTemplate.spec.template : obj.spec.template;
    if (tmpl) checkLabels(tmpl.metadata?.labels, `${base.replace(/\/spec$/, "")}/metadata/labels`, out);
    for (const [j, c] of containersOf(pod).entries()) {
      const cp = containerPath(pod, j, base);
      if (!DNS1123_LABEL.test(c.name ?? "") || c.name.length > 63) out.push({ path: `${cp}/name`, message: `invalid container name "${c.name}"` });
      for (const [k, p] of (c.ports ?? []).entries()) {
        if (p.name !== undefined && (p.name.length > 15 || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(p.name) || !/[a-z]/.test(p.name))) {
          out.push({ path: `${cp}/ports/${k}/name`, message: `invalid port name "${p.name}" (at most 15 characters, a-z 0-9 -)` });
        }
      }
    }
  }
  return out;
}

function podPath(obj, i) {
  if (obj.kind === "Pod") return "/spec";
  if (obj.kind === "CronJob") return "/spec/jobTemplate/spec/template/spec";
  return "/spec/template/spec";
}

function containerPath(pod, j, base) {
  const n = (pod.initContainers ?? []).length;
  return j < n ? `${base}/initContainers/${j}` : `${base}/containers/${j - n}`;
}

export function selectorMatches(selector, labels) {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels?.[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = labels && e.key in labels;
    const val = labels?.[e.key];
    if (e.operator === "In" && !(has && e.values.includes(val))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(val)) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

function templateLabels(obj) {
  if (obj.kind === "Pod") return obj.metadata?.labels ?? {};
  if (obj.kind === "CronJob") return obj.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
  return obj.spec?.template?.metadata?.labels ?? {};
}

// The whole set. Returns problems with `entry` set.
export function checkSet(entries) {
  const out = [];
  const add = (entry, path, message) => out.push({ entry, path, message });
  const key = (kind, ns, name) => `${kind}|${ns ?? ""}|${name}`;
  const index = new Map();
  for (const e of entries) {
    const o = e.obj;
    const k = key(o.kind, o.metadata?.namespace, o.metadata?.name);
    if (index.has(k)) add(e, "/metadata/name", `duplicate of ${describe(index.get(k))}`);
    else index.set(k, e);
  }
  const find = (kind, ns, name) => index.get(key(kind, ns, name));
  const namespaces = new Set(entries.filter((e) => e.obj.kind === "Namespace").map((e) => e.obj.metadata?.name));
  const workloads = entries.filter((e) => podSpecsOf(e.obj).length > 0);

  for (const e of entries) {
    const o = e.obj;
    const ns = o.metadata?.namespace;
    // Namespaces: explicit in every namespaced object (no kustomize namespace transformer),
    // and defined here.
    if (CLUSTER_SCOPED.has(o.kind)) {
      if (ns !== undefined) add(e, "/metadata/namespace", `${o.kind} is cluster-scoped: no namespace`);
    } else if (!ns) {
      add(e, "/metadata/namespace", "namespace is required (the objects would land in kubectl's current namespace)");
    } else if (!namespaces.has(ns)) {
      add(e, "/metadata/namespace", `namespace "${ns}" is not defined by any Namespace here`);
    }
    if (o.kind === "Secret" && e.generated !== "SecretGenerator") {
      add(e, "/", "a Secret in a resource file: secrets come from secretGenerator (secrets.env), never from the repository");
    }

    // Pod specs and their references.
    for (const [i, pod] of podSpecsOf(o).entries()) {
      const base = podPath(o, i);
      const sa = pod.serviceAccountName ?? "default";
      if (sa !== "default" && !find("ServiceAccount", ns, sa)) add(e, `${base}/serviceAccountName`, `ServiceAccount "${sa}" is not defined`);
      const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
      const claimTemplates = new Set((o.kind === "StatefulSet" ? o.spec.volumeClaimTemplates ?? [] : []).map((t) => t.metadata?.name));
      if (volumes.size !== (pod.volumes ?? []).length) add(e, `${base}/volumes`, "duplicate volume names");
      for (const [name, v] of volumes) {
        const vp = `${base}/volumes/${(pod.volumes ?? []).indexOf(v)}`;
        if (claimTemplates.has(name)) add(e, vp, `volume "${name}" shadows the volumeClaimTemplate of the same name`);
        if (v.persistentVolumeClaim && !find("PersistentVolumeClaim", ns, v.persistentVolumeClaim.claimName)) {
          add(e, `${vp}/persistentVolumeClaim/claimName`, `PersistentVolumeClaim "${v.persistentVolumeClaim.claimName}" is not defined`);
        }
        if (v.configMap && !v.configMap.optional) refConfigMap(v.configMap.name, null, `${vp}/configMap/name`);
        if (v.secret && !v.secret.optional) refSecret(v.secret.secretName, null, `${vp}/secret/secretName`);
      }
      const used = new Set();
      for (const [j, c] of containersOf(pod).entries()) {
        const cp = containerPath(pod, j, base);
        for (const [k, m] of (c.volumeMounts ?? []).entries()) {
          used.add(m.name);
          if (!volumes.has(m.name) && !claimTemplates.has(m.name)) add(e, `${cp}/volumeMounts/${k}/name`, `no volume named "${m.name}"`);
        }
        const mountPaths = (c.volumeMounts ?? []).map((m) => m.mountPath);
        if (new Set(mountPaths).size !== mountPaths.length) add(e, `${cp}/volumeMounts`, "two mounts at the same path");
        for (const [k, env] of (c.env ?? []).entries()) {
          const ep = `${cp}/env/${k}`;
          const cmk = env.valueFrom?.configMapKeyRef;
          if (cmk && !cmk.optional) refConfigMap(cmk.name, cmk.key, `${ep}/valueFrom/configMapKeyRef`);
          const sk = env.valueFrom?.secretKeyRef;
          if (sk && !sk.optional) refSecret(sk.name, sk.key, `${ep}/valueFrom/secretKeyRef`);
          if (env.value !== undefined && /PASSWORD|SECRET|TOKEN|PRIVATE_KEY|CREDENTIAL/i.test(env.name)) {
            add(e, `${ep}/value`, `${env.name} is a secret: take it from the Secret (secretKeyRef), not a literal`);
          }
        }
        const envNames = (c.env ?? []).map((v) => v.name);
        if (new Set(envNames).size !== envNames.length) add(e, `${cp}/env`, "an environment variable is set twice");
        for (const [k, ef] of (c.envFrom ?? []).entries()) {
          if (ef.configMapRef && !ef.configMapRef.optional) refConfigMap(ef.configMapRef.name, null, `${cp}/envFrom/${k}/configMapRef/name`);
          if (ef.secretRef && !ef.secretRef.optional) refSecret(ef.secretRef.name, null, `${cp}/envFrom/${k}/secretRef/name`);
        }
        const portNames = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
        for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
          const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
          if (typeof port === "string" && !portNames.has(port)) add(e, `${cp}/${probe}`, `port "${port}" is not a named port of this container`);
        }
      }
      for (const name of volumes.keys()) if (!used.has(name)) add(e, `${base}/volumes`, `volume "${name}" is mounted by no container`);

      function refConfigMap(name, k, path) {
        const cm = find("ConfigMap", ns, name);
        if (!cm) add(e, path, `ConfigMap "${name}" is not defined`);
        else if (k && !(k in (cm.obj.data ?? {}))) add(e, path, `ConfigMap "${name}" has no key "${k}"`);
      }
      function refSecret(name, k, path) {
        const s = find("Secret", ns, name);
        if (!s) add(e, path, `Secret "${name}" is not defined (generated secrets are renamed to <name>-<hash>: is the generator's namespace the same?)`);
        else if (k && !(k in (s.obj.data ?? {}))) add(e, path, `Secret "${name}" has no key "${k}" (add it to secrets.env.example)`);
      }
    }

    // Workload selectors select their own template.
    if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(o.kind) && o.spec?.selector) {
      if (!selectorMatches(o.spec.selector, templateLabels(o))) add(e, "/spec/selector", "selector does not match the pod template's labels");
    }
    if (o.kind === "StatefulSet") {
      const svc = find("Service", ns, o.spec?.serviceName);
      if (!svc) add(e, "/spec/serviceName", `Service "${o.spec?.serviceName}" is not defined`);
      else if (svc.obj.spec?.clusterIP !== "None") add(e, "/spec/serviceName", `Service "${o.spec.serviceName}" is not headless (clusterIP: None)`);
      else if (!selectorMatches({ matchLabels: svc.obj.spec.selector }, templateLabels(o))) add(e, "/spec/serviceName", `Service "${o.spec.serviceName}" does not select this StatefulSet's pods`);
    }
    if (o.kind === "Service" && o.spec?.selector) {
      const targets = workloads.filter((w) => w.obj.metadata?.namespace === ns && selectorMatches({ matchLabels: o.spec.selector }, templateLabels(w.obj)));
      if (targets.length === 0) add(e, "/spec/selector", "selects no pods of any workload here");
      for (const [k, p] of (o.spec.ports ?? []).entries()) {
        if (typeof p.targetPort !== "string") continue;
        for (const t of targets) {
          const named = podSpecsOf(t.obj).some((pod) => (pod.containers ?? []).some((c) => (c.ports ?? []).some((cp) => cp.name === p.targetPort)));
          if (!named) add(e, `/spec/ports/${k}/targetPort`, `${describe(t)} has no container port named "${p.targetPort}"`);
        }
      }
    }
    if (o.kind === "RoleBinding") {
      const r = o.roleRef ?? {};
      if (r.kind === "Role" && !find("Role", ns, r.name)) add(e, "/roleRef", `Role "${r.name}" is not defined`);
      if (r.kind === "ClusterRole" && !find("ClusterRole", undefined, r.name)) add(e, "/roleRef", `ClusterRole "${r.name}" is not defined here`);
      for (const [k, s] of (o.subjects ?? []).entries()) {
        if (s.kind === "ServiceAccount" && !find("ServiceAccount", s.namespace ?? ns, s.name)) {
          add(e, `/subjects/${k}`, `ServiceAccount ${s.namespace ?? ns}/${s.name} is not defined`);
        }
      }
    }
    if (o.kind === "NetworkPolicy") {
      const matches = (sel) =>
        Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0
          ? true
          : workloads.some((w) => w.obj.metadata?.namespace === ns && selectorMatches(sel, templateLabels(w.obj))) ||
            RUNTIME_POD_LABELS.some((l) => selectorMatches(sel, l));
      if (o.spec?.podSelector && !matches(o.spec.podSelector)) add(e, "/spec/podSelector", "selects no pods of any workload here");
      for (const dir of ["ingress", "egress"]) {
        for (const [k, rule] of (o.spec?.[dir] ?? []).entries()) {
          for (const [m, peer] of (rule[dir === "ingress" ? "from" : "to"] ?? []).entries()) {
            if (peer.podSelector && !peer.namespaceSelector && !matches(peer.podSelector)) {
              add(e, `/spec/${dir}/${k}/${dir === "ingress" ? "from" : "to"}/${m}/podSelector`, "selects no pods of any workload here");
            }
          }
        }
      }
    }
    if (o.kind === "ConfigMap") {
      for (const k of Object.keys(o.data ?? {})) {
        if (/PASSWORD|SECRET|TOKEN|PRIVATE_KEY|CREDENTIAL/i.test(k)) add(e, `/data/${k}`, `${k} looks like a secret: it belongs in secrets.env`);
      }
    }

    // Pod security: Kubernetes' "restricted" profile, plus a read-only root filesystem,
    // requests and a memory limit for every container, and pinned images.
    for (const [i, pod] of podSpecsOf(o).entries()) {
      const base = podPath(o, i);
      const psc = pod.securityContext ?? {};
      for (const f of ["hostNetwork", "hostPID", "hostIPC"]) if (pod[f]) add(e, `${base}/${f}`, `${f} is not allowed`);
      for (const [k, v] of (pod.volumes ?? []).entries()) if (v.hostPath) add(e, `${base}/volumes/${k}/hostPath`, "hostPath volumes are not allowed");
      if (psc.runAsUser === 0) add(e, `${base}/securityContext/runAsUser`, "runs as root");
      for (const [j, c] of containersOf(pod).entries()) {
        const cp = containerPath(pod, j, base);
        const sc = c.securityContext ?? {};
        if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) add(e, `${cp}/securityContext`, "runAsNonRoot must be true (pod or container)");
        if (sc.runAsUser === 0) add(e, `${cp}/securityContext/runAsUser`, "runs as root");
        const seccomp = (sc.seccompProfile ?? psc.seccompProfile)?.type;
        if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") add(e, `${cp}/securityContext`, "seccompProfile must be RuntimeDefault or Localhost (pod or container)");
        if (sc.allowPrivilegeEscalation !== false) add(e, `${cp}/securityContext/allowPrivilegeEscalation`, "must be false");
        if (sc.privileged) add(e, `${cp}/securityContext/privileged`, "privileged containers are not allowed");
        if (!(sc.capabilities?.drop ?? []).includes("ALL")) add(e, `${cp}/securityContext/capabilities/drop`, 'must drop "ALL"');
        if ((sc.capabilities?.add ?? []).some((cap) => cap !== "NET_BIND_SERVICE")) add(e, `${cp}/securityContext/capabilities/add`, "only NET_BIND_SERVICE may be added");
        if (sc.readOnlyRootFilesystem !== true) add(e, `${cp}/securityContext/readOnlyRootFilesystem`, "must be true (mount an emptyDir where the container writes)");
        const res = c.resources ?? {};
        for (const r of ["cpu", "memory"]) if (res.requests?.[r] === undefined) add(e, `${cp}/resources/requests`, `no ${r} request`);
        if (res.limits?.memory === undefined) add(e, `${cp}/resources/limits`, "no memory limit");
        const image = String(c.image ?? "");
        const last = image.split("/").pop();
        if (!image.includes("@") && (!last.includes(":") || last.endsWith(":latest"))) {
          add(e, `${cp}/image`, `image "${image}" has no tag or digest (or is :latest): set it in kustomization.yaml images`);
        }
      }
    }
  }
  return out;
}
