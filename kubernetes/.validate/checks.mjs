// Checks of rendered objects that need no cluster. Each problem is {object, path, message}.
//
// Per object: the schema of its kind (kubernetes-models, or the @kubernetes-models package of a
// CRD: types, enums, required fields), the strict field check (strict.mjs: unknown or misspelt
// fields), names and labels in the formats the API server enforces. A kind with no schema is a
// problem.
// Across objects: duplicates, namespaces, every reference (service accounts, config maps and
// their keys, secrets and their keys, claims, volumes, named ports, selectors, role bindings,
// network policy selectors, the Secrets, Issuers and Services of Certificates, Issuers and
// ServiceMonitors), and the pod security this project holds itself to.
import { modelPackage, rootType, strictCheck } from "./strict.mjs";

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
  "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "Node", "ClusterIssuer",
]);

// Labels on pods that only exist at run time (created by the coordinator's launcher), which a
// NetworkPolicy may select although no manifest here defines such a pod.
export const RUNTIME_POD_LABELS = [{ "app.kubernetes.io/managed-by": "vidbatch" }];

// Secrets that exist in the cluster but are never rendered: they must outlive every re-apply, so
// kubernetes/install creates them once (or cert-manager fills vidbatch-tls). A reference to them is
// fine although no object here defines them; their keys are the ones install writes.
export const EXTERNAL_SECRETS = [
  { namespace: "vidbatch", name: "vidbatch-tls", keys: ["keystore.p12", "ca.crt"] },
  { namespace: "vidbatch", name: "vidbatch-ltpa", keys: ["ltpa.keys", "password"] },
];

export function describe(entry) {
  const o = entry.obj;
  const ns = o?.metadata?.namespace ? `${o.metadata.namespace}/` : "";
  return `${o?.kind ?? "?"} ${ns}${o?.metadata?.name ?? "?"} (${entry.source})`;
}

// The model class of a kind, from the package that declares its group. Only a top-level kind's
// class carries its apiVersion and kind: DeploymentSpec or CertificateSpec is no kind.
const modelCache = new Map();
async function modelClass(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (!modelCache.has(key)) {
    let cls = null;
    const pkg = modelPackage(apiVersion);
    try {
      const mod = pkg && /^\w+$/.test(kind) ? await import(`${pkg}/${apiVersion}/${kind}`) : {};
      cls = typeof mod[kind] === "function" && mod[kind].kind === kind && mod[kind].apiVersion === apiVersion ? mod[kind] : null;
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
export async function checkObject(obj) {
  const out = [];
  if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") {
    out.push({ path: "/", message: "apiVersion and kind are required" });
    return out;
  }
  const cls = await modelClass(obj.apiVersion, obj.kind);
  const root = rootType(obj.apiVersion, obj.kind);
  if (!cls || !root) {
    const pkg = modelPackage(obj.apiVersion);
    const why = pkg ? `${pkg} has no such kind` : "no @kubernetes-models package for its group in .validate/package.json";
    out.push({ path: "/", message: `unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}: no schema to check it against (${why})` });
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
  const { problems } = strictCheck(root, obj);
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

// The keys of every Secret a reference may name, by "namespace|name": the Secrets rendered here
// (generated from secrets.env or literals), those a cert-manager Certificate here writes, and the
// external ones. A Certificate's own Secret takes the place of the external description.
export function secretIndex(entries) {
  const index = new Map();
  for (const s of EXTERNAL_SECRETS) index.set(`${s.namespace}|${s.name}`, { keys: new Set(s.keys), what: "created outside the manifests (kubernetes/install)" });
  for (const e of entries.filter((x) => x.obj.kind === "Certificate" && x.obj.spec?.secretName)) {
    index.set(`${e.obj.metadata?.namespace}|${e.obj.spec.secretName}`, { keys: certificateKeys(e.obj.spec), what: `written by the Certificate ${e.obj.metadata?.name}` });
  }
  for (const e of entries.filter((x) => x.obj.kind === "Secret")) {
    const keys = new Set([...Object.keys(e.obj.data ?? {}), ...Object.keys(e.obj.stringData ?? {})]);
    index.set(`${e.obj.metadata?.namespace}|${e.obj.metadata?.name}`, { keys, what: `generated by ${e.source}` });
  }
  return index;
}

// What cert-manager writes into a Certificate's Secret (ca.crt when the issuer has a CA).
function certificateKeys(spec) {
  const keys = ["tls.crt", "tls.key", "ca.crt"];
  if (spec.keystores?.pkcs12?.create) keys.push("keystore.p12", "truststore.p12");
  if (spec.keystores?.jks?.create) keys.push("keystore.jks", "truststore.jks");
  return new Set(keys);
}

// The Secrets and ConfigMaps a cert-manager or Prometheus Operator object names, as
// [{path, kind, name, key}] (key null: the object as a whole).
function crdReferences(o) {
  const refs = [];
  const s = o.spec ?? {};
  const ref = (path, kind, r, key = r?.key) => r?.name && !r.optional && refs.push({ path, kind, name: r.name, key: key ?? null });
  if (o.kind === "Certificate") {
    for (const ks of ["pkcs12", "jks"]) ref(`/spec/keystores/${ks}/passwordSecretRef`, "Secret", s.keystores?.[ks]?.passwordSecretRef);
  }
  // (A ClusterIssuer's Secret is in cert-manager's own namespace, not here.)
  if (o.kind === "Issuer" && s.ca?.secretName) ref("/spec/ca/secretName", "Secret", { name: s.ca.secretName }, "tls.key");
  if (o.kind === "ServiceMonitor") {
    for (const [i, ep] of (s.endpoints ?? []).entries()) {
      const at = `/spec/endpoints/${i}`;
      ref(`${at}/basicAuth/username`, "Secret", ep.basicAuth?.username);
      ref(`${at}/basicAuth/password`, "Secret", ep.basicAuth?.password);
      ref(`${at}/bearerTokenSecret`, "Secret", ep.bearerTokenSecret);
      ref(`${at}/authorization/credentials`, "Secret", ep.authorization?.credentials);
      ref(`${at}/oauth2/clientSecret`, "Secret", ep.oauth2?.clientSecret);
      ref(`${at}/tlsConfig/keySecret`, "Secret", ep.tlsConfig?.keySecret);
      for (const f of ["ca", "cert"]) {
        ref(`${at}/tlsConfig/${f}/secret`, "Secret", ep.tlsConfig?.[f]?.secret);
        ref(`${at}/tlsConfig/${f}/configMap`, "ConfigMap", ep.tlsConfig?.[f]?.configMap);
      }
    }
  }
  return refs;
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
  const secrets = secretIndex(entries);
  const namespaces = new Set(entries.filter((e) => e.obj.kind === "Namespace").map((e) => e.obj.metadata?.name));
  const workloads = entries.filter((e) => podSpecsOf(e.obj).length > 0);

  function refConfigMap(e, ns, name, k, path) {
    const cm = find("ConfigMap", ns, name);
    if (!cm) add(e, path, `ConfigMap "${name}" is not defined`);
    else if (k && !(k in (cm.obj.data ?? {})) && !(k in (cm.obj.binaryData ?? {}))) add(e, path, `ConfigMap "${name}" has no key "${k}"`);
  }
  function refSecret(e, ns, name, k, path) {
    const s = secrets.get(`${ns}|${name}`);
    if (!s) {
      add(e, path, `Secret "${name}" is not defined (generated secrets are renamed to <name>-<hash>: is the generator's namespace the same? ` +
        `Secrets made outside the manifests: ${EXTERNAL_SECRETS.map((x) => x.name).join(", ")})`);
    } else if (k && !s.keys.has(k)) {
      add(e, path, `Secret "${name}" has no key "${k}" (${s.what ? `${s.what}; ` : ""}it has ${[...s.keys].join(", ") || "none"})`);
    }
  }

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
        // Without items every key is mounted; with items, each one must exist or the pod never starts.
        if (v.configMap && !v.configMap.optional) {
          refConfigMap(e, ns, v.configMap.name, null, `${vp}/configMap/name`);
          for (const [k, it] of (v.configMap.items ?? []).entries()) refConfigMap(e, ns, v.configMap.name, it.key, `${vp}/configMap/items/${k}/key`);
        }
        if (v.secret && !v.secret.optional) {
          refSecret(e, ns, v.secret.secretName, null, `${vp}/secret/secretName`);
          for (const [k, it] of (v.secret.items ?? []).entries()) refSecret(e, ns, v.secret.secretName, it.key, `${vp}/secret/items/${k}/key`);
        }
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
          if (cmk && !cmk.optional) refConfigMap(e, ns, cmk.name, cmk.key, `${ep}/valueFrom/configMapKeyRef`);
          const sk = env.valueFrom?.secretKeyRef;
          if (sk && !sk.optional) refSecret(e, ns, sk.name, sk.key, `${ep}/valueFrom/secretKeyRef`);
          if (env.value !== undefined && /PASSWORD|SECRET|TOKEN|PRIVATE_KEY|CREDENTIAL/i.test(env.name)) {
            add(e, `${ep}/value`, `${env.name} is a secret: take it from the Secret (secretKeyRef), not a literal`);
          }
        }
        const envNames = (c.env ?? []).map((v) => v.name);
        if (new Set(envNames).size !== envNames.length) add(e, `${cp}/env`, "an environment variable is set twice");
        for (const [k, ef] of (c.envFrom ?? []).entries()) {
          if (ef.configMapRef && !ef.configMapRef.optional) refConfigMap(e, ns, ef.configMapRef.name, null, `${cp}/envFrom/${k}/configMapRef/name`);
          if (ef.secretRef && !ef.secretRef.optional) refSecret(e, ns, ef.secretRef.name, null, `${cp}/envFrom/${k}/secretRef/name`);
        }
        const portNames = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
        for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
          const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
          if (typeof port === "string" && !portNames.has(port)) add(e, `${cp}/${probe}`, `port "${port}" is not a named port of this container`);
        }
      }
      for (const name of volumes.keys()) if (!used.has(name)) add(e, `${base}/volumes`, `volume "${name}" is mounted by no container`);
    }

    // cert-manager and Prometheus Operator objects: the Secrets, ConfigMaps, Issuers and
    // Services they name.
    for (const r of crdReferences(o)) {
      if (r.kind === "Secret") refSecret(e, ns, r.name, r.key, r.path);
      else refConfigMap(e, ns, r.name, r.key, r.path);
    }
    if (o.kind === "Certificate") {
      const ref = o.spec?.issuerRef ?? {};
      const local = (ref.kind ?? "Issuer") === "Issuer" && (ref.group ?? "cert-manager.io") === "cert-manager.io";
      if (local && !find("Issuer", ns, ref.name)) add(e, "/spec/issuerRef", `Issuer "${ref.name}" is not defined here (a ClusterIssuer of yours: kind: ClusterIssuer)`);
    }
    if (o.kind === "ServiceMonitor" && !o.spec?.namespaceSelector) {
      const services = entries.filter((x) => x.obj.kind === "Service" && x.obj.metadata?.namespace === ns && selectorMatches(o.spec?.selector, x.obj.metadata?.labels));
      if (services.length === 0) add(e, "/spec/selector", "selects no Service here");
      for (const [k, ep] of (o.spec?.endpoints ?? []).entries()) {
        if (ep.port && !services.some((x) => (x.obj.spec?.ports ?? []).some((p) => p.name === ep.port))) {
          add(e, `/spec/endpoints/${k}/port`, `no Service it selects has a port named "${ep.port}"`);
        }
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
