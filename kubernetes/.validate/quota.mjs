// The namespace's ResourceQuota and LimitRange against what runs in it: every workload here
// and WORKERS_MAX worker pods at the launcher's K8S_* resources. A quota that cannot hold them
// leaves items Pending at night; a LimitRange max below a container's limit has its pod refused.
import { podSpecsOf } from "./checks.mjs";

const UNITS = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

// A Kubernetes quantity ("500m", "2", "1Gi") as a number; NaN when it is not one.
export function quantity(q) {
  const m = /^(\d+(?:\.\d+)?|\.\d+)(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/.exec(String(q ?? ""));
  return m ? Number(m[1]) * (m[2] ? UNITS[m[2]] : 1) : NaN;
}

const KEYS = [
  ["requests.cpu", "requests", "cpu"],
  ["requests.memory", "requests", "memory"],
  ["limits.cpu", "limits", "cpu"],
  ["limits.memory", "limits", "memory"],
];

// What one pod counts against a quota: its containers' sum, or its largest init container.
function podNeeds(pod, defaults) {
  const value = (c, kind, res) => quantity(c.resources?.[kind]?.[res] ?? defaults[kind]?.[res] ?? "0");
  const needs = {};
  for (const [key, kind, res] of KEYS) {
    const sum = (pod.containers ?? []).reduce((a, c) => a + value(c, kind, res), 0);
    const init = Math.max(0, ...(pod.initContainers ?? []).map((c) => value(c, kind, res)));
    needs[key] = Math.max(sum, init);
  }
  return needs;
}

function replicasOf(obj) {
  if (obj.kind === "Deployment" || obj.kind === "StatefulSet") return obj.spec?.replicas ?? 1;
  return 1; // a CronJob whose runs never overlap (concurrencyPolicy: Forbid), a Job, a Pod
}

const show = (key, n) => (key.endsWith("memory") ? `${(n / 2 ** 30).toFixed(2)}Gi` : `${Math.round(n * 1000) / 1000}`);

export function checkQuota(entries, config, namespace) {
  const out = [];
  const inNs = (kind) => entries.filter((e) => e.obj.kind === kind && e.obj.metadata?.namespace === namespace);
  const quotas = inNs("ResourceQuota");
  const ranges = inNs("LimitRange");
  if (quotas.length === 0) return [{ entry: null, path: "/", message: `no ResourceQuota in ${namespace}: worker pods could take the whole cluster` }];
  const container = ranges.flatMap((r) => (r.obj.spec?.limits ?? []).filter((l) => l.type === "Container").map((l) => ({ entry: r, limit: l })));
  const defaults = { requests: container[0]?.limit.defaultRequest ?? {}, limits: container[0]?.limit.default ?? {} };

  const d = config?.obj.data ?? {};
  const workers = Number(d.WORKERS_MAX ?? "0");
  const worker = { resources: { requests: { cpu: d.K8S_CPU_REQUEST, memory: d.K8S_MEMORY_REQUEST }, limits: { cpu: d.K8S_CPU_LIMIT, memory: d.K8S_MEMORY_LIMIT } } };
  const need = { pods: workers };
  for (const [key] of KEYS) need[key] = workers * podNeeds({ containers: [worker] }, defaults)[key];
  for (const e of entries) {
    if (e.obj.metadata?.namespace !== namespace) continue;
    for (const pod of podSpecsOf(e.obj)) {
      const n = replicasOf(e.obj);
      need.pods += n;
      const p = podNeeds(pod, defaults);
      for (const [key] of KEYS) need[key] += n * p[key];
    }
  }
  for (const q of quotas) {
    const hard = q.obj.spec?.hard ?? {};
    for (const key of ["pods", ...KEYS.map(([k]) => k)]) {
      if (!(key in hard)) continue;
      const have = quantity(hard[key]);
      if (!(have >= need[key] - 1e-9)) {
        out.push({ entry: q, path: `/spec/hard/${key}`, message: `admits ${hard[key]}, but WORKERS_MAX (${workers}) workers at the K8S_* resources and the workloads here need ${show(key, need[key])}` });
      }
    }
  }
  // No container here, and no worker, asks for more than a LimitRange allows.
  const all = [{ name: "a worker (K8S_* in the ConfigMap)", c: worker, entry: config }];
  for (const e of entries) for (const pod of podSpecsOf(e.obj)) for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) all.push({ name: `container ${c.name}`, c, entry: e });
  for (const { entry: r, limit } of container) {
    for (const res of ["cpu", "memory"]) {
      const max = quantity(limit.max?.[res]);
      if (Number.isNaN(max)) continue;
      for (const { name, c, entry } of all) {
        const lim = quantity(c.resources?.limits?.[res] ?? limit.default?.[res]);
        if (lim > max) out.push({ entry: r, path: `/spec/limits/max/${res}`, message: `${res} ${limit.max[res]} is below the limit of ${name} (${c.resources?.limits?.[res]}) in ${entry ? entry.obj.metadata?.name : "?"}` });
      }
    }
  }
  return out;
}
