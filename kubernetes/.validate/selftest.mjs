// Proves that the validation catches what it claims to. Prints one line per test and
// "N passed, N failed"; exits 1 if any failed.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFile } from "node:child_process";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Deployment } from "kubernetes-models/apps/v1";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { parse } from "yaml";
import { checkObject } from "./checks.mjs";
import { scratchDir } from "./kustomize.mjs";
import { checkRendering, RENDERINGS, renderingFor, validateTree } from "./main.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const manifests = join(here, "..");
let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok" : "FAILED"} - ${name}${detail ? `\n    ${detail.replace(/\n/g, "\n    ")}` : ""}`);
}
const show = (problems) => problems.map((p) => `${p.path}: ${p.message}`).join("\n");

const fixture = { obj: parse(readFileSync(join(here, "fixtures/misspelt-deployment.yaml"), "utf8")) };

// 1. kubernetes-models alone does not see the misspelt fields: that is why strict.mjs exists.
//    Nor do the CRD packages' models.
const modelsAlone = (model) => {
  try {
    model.validate();
    return "accepted";
  } catch (e) {
    return `rejected: ${e.message}`;
  }
};
const accepted = modelsAlone(new Deployment(fixture.obj));
check("kubernetes-models alone accepts replicass and imagePullPolicyy (the gap the strict check fills)", accepted === "accepted", accepted);
const monitor = {
  apiVersion: "monitoring.coreos.com/v1",
  kind: "ServiceMonitor",
  metadata: { name: "m", namespace: "vidbatch" },
  spec: { selector: { matchLabels: { a: "b" } }, endpoints: [{ port: "https", scrapeTimout: "10s" }] },
};
const monitorAlone = modelsAlone(new ServiceMonitor(monitor));
check("@kubernetes-models/prometheus-operator alone accepts scrapeTimout", monitorAlone === "accepted", monitorAlone);

// 2. The strict check names the fields.
const problems = await checkObject(fixture.obj);
check(
  "strict check rejects /spec/replicass and /spec/template/spec/containers/0/imagePullPolicyy",
  /\/spec\/replicass: unknown field "replicass" \(did you mean "replicas"\?\)/.test(show(problems)) &&
    /\/spec\/template\/spec\/containers\/0\/imagePullPolicyy: unknown field/.test(show(problems)),
  show(problems),
);
const monitorProblems = await checkObject(monitor);
check(
  "strict check rejects /spec/endpoints/0/scrapeTimout of a ServiceMonitor",
  /\/spec\/endpoints\/0\/scrapeTimout: unknown field "scrapeTimout" \(did you mean "scrapeTimeout"\?\)/.test(show(monitorProblems)),
  show(monitorProblems),
);

const issuer = { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: { name: "i", namespace: "vidbatch" }, spec: { selfsigned: {} } };
const issuerProblems = await checkObject(issuer);
check(
  "strict check rejects /spec/selfsigned of an Issuer",
  /\/spec\/selfsigned: unknown field "selfsigned" \(did you mean "selfSigned"\?\)/.test(show(issuerProblems)),
  show(issuerProblems),
);

// 3. The same objects spelt right pass: no false positives.
const fixed = JSON.parse(JSON.stringify(fixture.obj).replace('"replicass"', '"replicas"').replace('"imagePullPolicyy"', '"imagePullPolicy"'));
const fixedProblems = [
  ...(await checkObject(fixed)),
  ...(await checkObject(JSON.parse(JSON.stringify(monitor).replace("scrapeTimout", "scrapeTimeout")))),
  ...(await checkObject(JSON.parse(JSON.stringify(issuer).replace("selfsigned", "selfSigned")))),
];
check("the corrected Deployment, ServiceMonitor and Issuer pass", fixedProblems.length === 0, show(fixedProblems));

// A copy of kubernetes/ with edits [file, from, to] (file relative to kubernetes/), for the
// tests that need a directory of their own. A real secrets.env is never copied.
function mutated(edits) {
  const dir = scratchDir("vidbatch-manifests-");
  const skip = new Set([".validate", "node_modules", ".git", "secrets.env"]);
  cpSync(manifests, dir, { recursive: true, filter: (src) => src === manifests || !skip.has(basename(src)) });
  for (const [file, from, to] of edits) {
    const text = readFileSync(join(dir, file), "utf8");
    if (!text.includes(from)) throw new Error(`selftest: "${from}" not in ${file}`);
    writeFileSync(join(dir, file), text.replace(from, to));
  }
  return dir;
}

// 4. End to end: the real manifests with the same two typos; the CLI must exit 1 and name
//    the rendering, the object and both fields. It runs while the cases below do.
const cli = (async () => {
  const dir = mutated([
    ["base/coordinator-deployment.yaml", "  replicas: 1\n", "  replicass: 1\n"],
    ["base/coordinator-deployment.yaml", "- name: coordinator\n          image: vidbatch-coordinator\n          imagePullPolicy:", "- name: coordinator\n          image: vidbatch-coordinator\n          imagePullPolicyy:"],
  ]);
  const run = await promisify(execFile)(process.execPath, [join(here, "main.mjs"), "--dir", dir], { encoding: "utf8" }).catch((e) => e);
  rmSync(dir, { recursive: true });
  const status = run.code ?? 0;
  const out = run.stdout + run.stderr;
  return () => check(
    "validate exits 1 on the real manifests with replicass and imagePullPolicyy, in every rendering",
    status === 1 &&
      ["dev", "prod", "prod\\+components"].every((r) => new RegExp(`PROBLEM ${r}: Deployment vidbatch/vidbatch-coordinator \\(base/coordinator-deployment\\.yaml, patched by overlays/\\w+/coordinator\\.yaml\\): /spec/replicass: unknown field`).test(out)) &&
      /PROBLEM prod: .*\/spec\/template\/spec\/containers\/0\/imagePullPolicyy: unknown field/.test(out),
    `exit ${status}\n${out.split("\n").filter((l) => /^(PROBLEM|manifests)/.test(l)).slice(0, 6).join("\n")}`,
  );
})();

// 5. Other mistakes the checks exist for, one at a time: [name, rendering, edits, expected].
const D = "base/coordinator-deployment.yaml";
const T = "base/schedule-trigger-cronjob.yaml";
const C = "base/configmap.yaml";
const PK = "overlays/prod/kustomization.yaml";
const PC = "overlays/prod/coordinator.yaml";
const SM = "components/service-monitor/service-monitor.yaml";
const cases = [
  ["a verb the launcher does not use", "prod", [["base/rbac-launcher.yaml", 'verbs: ["list", "watch"]', 'verbs: ["list", "watch", "patch"]']], /grants patch on core\/pods, which the launcher does not use/],
  ["a misspelt field in a NetworkPolicy", "prod", [["overlays/prod/networkpolicy-postgres.yaml", "policyTypes:", "policyType:"]], /\/spec\/policyType: unknown field/],
  ["a misspelt kind", "prod", [["base/networkpolicy-workers.yaml", "kind: NetworkPolicy", "kind: NetworkPolicyy"]], /unknown apiVersion\/kind networking.k8s.io\/v1 NetworkPolicyy/],
  ["a wrong enum value", "prod", [[D, "type: Recreate", "type: Recreated"]], /\/spec\/strategy\/type: schema: must be equal to one of the allowed values/],
  ["a number where Kubernetes wants a string", "prod", [["overlays/prod/config.yaml", 'DB_PORT: "5432"', "DB_PORT: 5432"]], /\/data\/DB_PORT: schema: must be string/],
  ["a secret key that secrets.env.example lacks", "prod", [[D, "key: MONITOR_PASSWORD", "key: MONITOR_PASWORD"]], /has no key "MONITOR_PASWORD"/],
  ["K8S_MEDIA_PATH unlike the coordinator's mount", "prod", [[C, "K8S_MEDIA_PATH: /media", "K8S_MEDIA_PATH: /data"]], /K8S_MEDIA_PATH: is \/data but the coordinator mounts vidbatch-media at \/media/],
  ["a password as a literal", "prod", [[D, "- name: JVM_ARGS", "- name: DB_PASSWORD_FILE\n              value: x\n            - name: JVM_ARGS"]], /DB_PASSWORD_FILE is a secret/],
  ["a Service selecting nothing", "prod", [["base/coordinator-service.yaml", "app.kubernetes.io/component: coordinator\n  ports", "app.kubernetes.io/component: coordinater\n  ports"]], /selects no pods of any workload here/],
  ["a container without a read-only root filesystem", "prod", [["overlays/prod/postgres-statefulset.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"]], /readOnlyRootFilesystem: must be true/],
  ["a duplicate key (kubectl kustomize fails)", "prod", [["base/media-pvc.yaml", "  volumeMode: Filesystem\n", "  volumeMode: Filesystem\n  volumeMode: Block\n"]], /kubectl kustomize failed: [\s\S]*mapping key "volumeMode" already defined/],
  ["a Secret in a resource file", "prod", [["base/media-pvc.yaml", "apiVersion: v1\n", "apiVersion: v1\nkind: Secret\nmetadata: {name: leaked, namespace: vidbatch}\n---\napiVersion: v1\n"]], /Secret vidbatch\/leaked \(base\/media-pvc\.yaml\): \/: a Secret in a resource file/],
  ["a coordinator probed over plain HTTP", "prod", [[D, "path: /health/ready\n              port: https\n              scheme: HTTPS", "path: /health/ready\n              port: https"]], /readinessProbe\/httpGet\/scheme: must be HTTPS/],
  ["a coordinator offering plain HTTP", "prod", [[D, "          ports:\n            - name: https", "          ports:\n            - name: http\n              containerPort: 9080\n            - name: https"]], /9080 is plain HTTP/],
  ["a cluster on the development profile", "dev", [[C, "VIDBATCH_PROFILE: production", "VIDBATCH_PROFILE: development"]], /VIDBATCH_PROFILE: must be production/],
  ["a coordinator without the scheduler's password", "prod", [[D, "- name: SCHEDULER_PASSWORD\n", "- name: SCHEDULER_PASSWORDD\n"]], /SCHEDULER_PASSWORD must come from the Secret/],
  ["a schedule trigger over plain HTTP", "dev", [[T, "https://vidbatch-coordinator.vidbatch.svc:9443/", "http://vidbatch-coordinator.vidbatch.svc:9080/"]], /the scheduler's password goes with it, so HTTPS only/],
  ["a schedule trigger calling another endpoint", "dev", [[T, "/schedules/nightly/runs", "/jobs"]], /a trigger calls \/vidbatch\/api\/v1\/schedules\/<name>\/runs/],
  ["a schedule trigger naming no Service", "dev", [[T, "https://vidbatch-coordinator.", "https://vidbatch-coordinatr."]], /vidbatch-coordinatr.vidbatch.svc: not a Service in vidbatch/],
  ["a schedule trigger the NetworkPolicies block", "dev", [["base/networkpolicy-schedule-trigger.yaml", "component: schedule-trigger\n  policyTypes", "component: schedule-triggers\n  policyTypes"]], /no NetworkPolicy lets these pods reach the coordinator on port 9443/],
  ["a schedule trigger with the password in its arguments", "dev", [[T, '"scheduler:{{SCHEDULER_PASSWORD}}"', '"scheduler:hunter2"']], /password is written in the arguments/],
  ["overlapping schedule triggers", "dev", [[T, "concurrencyPolicy: Forbid", "concurrencyPolicy: Allow"]], /must be Forbid/],
  ["a quota that cannot hold WORKERS_MAX workers", "prod", [[C, 'WORKERS_MAX: "64"', 'WORKERS_MAX: "100"']], /\/spec\/hard\/requests.cpu: admits 70, but WORKERS_MAX \(100\) workers at the K8S_\* resources and the workloads here need 100.76/],
  ["a worker limit above the LimitRange's max", "prod", [[C, "K8S_MEMORY_LIMIT: 2Gi", "K8S_MEMORY_LIMIT: 32Gi"]], /memory 16Gi is below the limit of a worker \(K8S_\* in the ConfigMap\) \(32Gi\)/],
  ["an images entry that misses the worker image", "prod", [["base/kustomization.yaml", "- name: vidbatch-worker\n", "- name: vidbatch-wrker\n"]], /K8S_WORKER_IMAGE: "vidbatch-worker" has no tag or digest/],
  // Added with the overlays and components.
  ["dev with DERBY_DIR on an emptyDir", "dev", [["overlays/dev/coordinator.yaml", "persistentVolumeClaim:\n            claimName: vidbatch-derby", "emptyDir: {}"]], /DERBY_DIR: \/var\/lib\/vidbatch\/derby\/vidbatch is on the emptyDir "derby"/],
  ["prod missing the vidbatch-tls mount while KEYSTORE_FILE is set", "prod", [
    [PC, "            - name: tls\n              mountPath: /etc/vidbatch/tls\n              readOnly: true\n", ""],
    [PC, "        - name: tls\n          secret:\n            secretName: vidbatch-tls\n            items:\n              - key: keystore.p12\n                path: keystore.p12\n", ""],
  ], /KEYSTORE_FILE: \/etc\/vidbatch\/tls\/keystore.p12 is not in a mount of the Secret vidbatch-tls in the coordinator/],
  ["a CronJob with --insecure in prod", "prod", [[PK, "      - op: replace\n        path: /spec/jobTemplate/spec/template/spec/containers/0/args/8\n        value: --cacert\n      - op: add\n        path: /spec/jobTemplate/spec/template/spec/containers/0/args/9\n        value: /etc/vidbatch/tls/ca.crt", ""]], /--insecure: the coordinator's certificate comes from KEYSTORE_FILE/],
  ["a missing version label", "dev", [["overlays/dev/kustomization.yaml", '      app.kubernetes.io/version: "0.1.0"\n', ""]], /\/metadata\/labels: app.kubernetes.io\/version is missing/],
  ["a ServiceMonitor with a misspelt field", "prod+components", [[SM, "scrapeTimeout:", "scrapeTimout:"]], /ServiceMonitor vidbatch\/vidbatch-coordinator \(components\/service-monitor\/service-monitor\.yaml\): \/spec\/endpoints\/0\/scrapeTimout: unknown field "scrapeTimout" \(did you mean "scrapeTimeout"\?\)/],
];
// A few at a time: each one waits for its own kubectl kustomize, of a copy with its edits.
const results = [];
let next = 0;
await Promise.all(Array.from({ length: 4 }, async () => {
  while (next < cases.length) {
    const i = next++;
    results[i] = (await validateTree(manifests, { only: [cases[i][1]], edits: cases[i][2] })).results[0];
  }
}));
(await cli)();
for (const [i, [name, rendering, , expect]] of cases.entries()) {
  const all = results[i].problems.join("\n");
  check(`rejects ${name} (${rendering})`, results[i].status !== 0 && expect.test(all), all.split("\n").slice(0, 4).join("\n"));
}

// 6. The other checks that came with the overlays and components, one at a time, on the real
//    manifests' renderings with one rendered object changed: those checks read the rendered
//    objects only, and this needs no kubectl run per mistake. [name, rendering, change, expected]
const clean = await validateTree(manifests);
check("the real manifests pass in every rendering", clean.status === 0, clean.results.flatMap((r) => r.problems).slice(0, 4).join("\n"));
// The object of a kind and name (a generated one has -<hash> added), and the coordinator's container.
const named = (objects, kind, name) => objects.find((e) => e.obj.kind === kind && (e.obj.metadata?.name === name || e.obj.metadata?.name?.replace(/-[a-z0-9]{10}$/, "") === name))?.obj;
const coordinator = (o) => named(o, "Deployment", "vidbatch-coordinator").spec.template.spec.containers[0];
const trigger = (o) => named(o, "CronJob", "vidbatch-nightly").spec.jobTemplate.spec.template.spec.containers[0];
const volume = (o, name) => named(o, "Deployment", "vidbatch-coordinator").spec.template.spec.volumes.find((v) => v.name === name);
const endpoint = (o) => named(o, "ServiceMonitor", "vidbatch-coordinator").spec.endpoints[0];
const certificate = (o) => named(o, "Certificate", "vidbatch-coordinator").spec;
const objectCases = [
  ["a quota that cannot hold dev's WORKERS_MAX workers", "dev", (o) => { named(o, "ConfigMap", "vidbatch-config").data.WORKERS_MAX = "80"; },
    /\/spec\/hard\/pods: admits 72, but WORKERS_MAX \(80\) workers at the K8S_\* resources and the workloads here need 82/],
  ["a ReadWriteOnce media volume on several nodes", "prod", (o) => { named(o, "PersistentVolumeClaim", "vidbatch-media").spec.accessModes = ["ReadWriteOnce"]; },
    /workers on several nodes share it: ReadWriteMany/],
  ["dev with DERBY_DIR on no volume", "dev", (o) => { named(o, "ConfigMap", "vidbatch-config").data.DERBY_DIR = "/var/lib/derby"; },
    /DERBY_DIR: \/var\/lib\/derby is on no volume the coordinator mounts/],
  ["dev with a PostgreSQL password in its Secret", "dev", (o) => { named(o, "Secret", "vidbatch-secrets").data.DB_PASSWORD = "eA=="; },
    /\/data\/DB_PASSWORD: DB_PASSWORD is for PostgreSQL; with DB_TYPE derby nothing reads it/],
  ["prod without DB_PASSWORD for the coordinator", "prod", (o) => { coordinator(o).env = coordinator(o).env.filter((v) => v.name !== "DB_PASSWORD"); },
    /DB_PASSWORD must come from the Secret/],
  ["prod whose coordinator may not reach PostgreSQL", "prod", (o) => { named(o, "NetworkPolicy", "vidbatch-coordinator-postgres").spec.egress[0].ports[0].port = 5433; },
    /no NetworkPolicy lets the coordinator reach PostgreSQL on port 5432/],
  ["prod mounting vidbatch-tls without keystore.p12", "prod", (o) => { volume(o, "tls").secret.items = [{ key: "ca.crt", path: "ca.crt" }]; },
    /KEYSTORE_FILE \/etc\/vidbatch\/tls\/keystore.p12: the mount of vidbatch-tls at \/etc\/vidbatch\/tls has nothing there, not keystore.p12/],
  ["LTPA_KEYS_PASSWORD from another Secret", "prod", (o) => { coordinator(o).env.find((v) => v.name === "LTPA_KEYS_PASSWORD").valueFrom.secretKeyRef = { ...coordinator(o).env.find((v) => v.name === "ADMIN_PASSWORD").valueFrom.secretKeyRef }; },
    /LTPA_KEYS_PASSWORD must come from the Secret vidbatch-ltpa/],
  ["a Secret neither rendered nor external", "prod", (o) => { volume(o, "ltpa").secret.secretName = "vidbatch-ltpaa"; },
    /Secret "vidbatch-ltpaa" is not defined/],
  ["a CronJob whose --cacert is in no mount", "prod", (o) => { trigger(o).args = trigger(o).args.map((a) => (a === "/etc/vidbatch/tls/ca.crt" ? "/etc/ssl/ca.crt" : a)); },
    /--cacert \/etc\/ssl\/ca.crt: not in a Secret this container mounts/],
  ["a CronJob without --insecure in dev", "dev", (o) => { trigger(o).args = trigger(o).args.filter((a) => a !== "--insecure"); },
    /without KEYSTORE_FILE Liberty makes a new self-signed certificate at each start/],
  ["a missing instance label", "prod", (o) => { delete named(o, "Service", "vidbatch-coordinator").metadata.labels["app.kubernetes.io/instance"]; },
    /Service vidbatch\/vidbatch-coordinator \(base\/coordinator-service.yaml\): \/metadata\/labels: app.kubernetes.io\/instance is missing/],
  ["a version label other than the images' tag", "prod", (o) => { coordinator(o).image = "vidbatch-coordinator:0.2.0"; },
    /app.kubernetes.io\/version: is "0.1.0", not "0.2.0" \(the tag of the coordinator's image\)/],
  ["a version label on the volumeClaimTemplates", "prod", (o) => { named(o, "StatefulSet", "vidbatch-postgres").spec.volumeClaimTemplates[0].metadata.labels["app.kubernetes.io/version"] = "0.1.0"; },
    /volumeClaimTemplates are immutable/],
  ["a ServiceMonitor naming a key its Secret lacks", "prod+components", (o) => { endpoint(o).basicAuth.username.key = "user"; },
    /basicAuth\/username: Secret "vidbatch-metrics-user-\w+" has no key "user"/],
  ["a ServiceMonitor of a port no Service has", "prod+components", (o) => { endpoint(o).port = "metrics"; },
    /no Service it selects has a port named "metrics"/],
  ["a kind of a group no package describes", "prod+components", (o) => { named(o, "ServiceMonitor", "vidbatch-coordinator").apiVersion = "monitoring.example.com/v1"; },
    /unknown apiVersion\/kind monitoring.example.com\/v1 ServiceMonitor: no schema/],
  ["a Certificate with a misspelt field", "prod+components", (o) => { certificate(o).renewbefore = certificate(o).renewBefore; delete certificate(o).renewBefore; },
    /\/spec\/renewbefore: unknown field "renewbefore" \(did you mean "renewBefore"\?\)/],
  ["a Certificate whose keystore password is not the coordinator's", "prod+components", (o) => { certificate(o).keystores.pkcs12.passwordSecretRef.key = "ADMIN_PASSWORD"; },
    /passwordSecretRef: must be the coordinator's KEYSTORE_PASSWORD/],
  ["a Certificate of an Issuer not here", "prod+components", (o) => { certificate(o).issuerRef.name = "vidbatch-caa"; },
    /Issuer "vidbatch-caa" is not defined here/],
];
for (const [name, rendering, change, expect] of objectCases) {
  const objects = structuredClone(clean.results.find((r) => r.name === rendering).objects);
  change(objects);
  const found = await checkRendering(objects, RENDERINGS.find((r) => r.name === rendering));
  const all = found.join("\n");
  check(`rejects ${name} (${rendering})`, found.length > 0 && expect.test(all), all.split("\n").slice(0, 4).join("\n"));
}

// 7. A kustomization of its own, as kubernetes/install writes one on top of overlays/dev: checked
//    as dev (one node, ReadWriteOnce media), with its images' tag as the version.
{
  const dir = mutated([]);
  const own = join(dir, ".install/dev");
  mkdirSync(own, { recursive: true });
  writeFileSync(join(own, "kustomization.yaml"), [
    "apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", "resources: [../../overlays/dev]",
    "images:", "  - {name: vidbatch-coordinator, newName: registry.example.com/vidbatch-coordinator, newTag: \"0.2.0\"}",
    "  - {name: vidbatch-worker, newName: registry.example.com/vidbatch-worker, newTag: \"0.2.0\"}",
    "labels:", "  - {pairs: {app.kubernetes.io/version: \"0.2.0\"}, includeSelectors: false, includeTemplates: true}", "",
  ].join("\n"));
  const { tree, rendering } = renderingFor(own);
  const { results: [r] } = await validateTree(tree, { renderings: [rendering] });
  check("checks a kustomization of its own on overlays/dev as dev", r.status === 0 && rendering.singleNode && r.objects.length > 0, r.problems.slice(0, 4).join("\n"));
  rmSync(dir, { recursive: true });
}

// 8. secrets.env, when it exists: rendered by kubectl, the example's keys, no placeholder left.
{
  const dir = mutated([]);
  const example = readFileSync(join(dir, "overlays/prod/secrets.env.example"), "utf8");
  writeFileSync(join(dir, "overlays/prod/secrets.env"), example.replace(/^ADMIN_PASSWORD=.*$/m, "").replace(/CHANGE_ME/g, "s3cret").replace(/^(DB_PASSWORD=).*$/m, "$1CHANGE_ME") + "EXTRA=x\n");
  const { status, results: [prod, withComponents] } = await validateTree(dir, { only: ["prod", "prod+components"] });
  const all = prod.problems.join("\n");
  check(
    "rejects a secrets.env with a key missing, one too many and a placeholder left (once per overlay)",
    status === 1 && /overlays\/prod\/secrets.env: ADMIN_PASSWORD is missing/.test(all) && /EXTRA is not in secrets.env.example/.test(all) &&
      /DB_PASSWORD still has no real value/.test(all) && prod.problems.length === 3 && withComponents.problems.length === 0,
    all,
  );
  rmSync(dir, { recursive: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
