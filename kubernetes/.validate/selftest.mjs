// Proves that the validation catches what it claims to. Prints one line per test and
// "N passed, N failed"; exits 1 if any failed.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Deployment } from "kubernetes-models/apps/v1";
import { parse } from "yaml";
import { loadRegistry } from "./strict.mjs";
import { checkObject } from "./checks.mjs";
import { validateDir } from "./main.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const manifests = join(here, "..");
let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok" : "FAILED"} - ${name}${detail ? `\n    ${detail.replace(/\n/g, "\n    ")}` : ""}`);
}

const fixture = { obj: parse(readFileSync(join(here, "fixtures/misspelt-deployment.yaml"), "utf8")) };
const registry = loadRegistry();

// 1. kubernetes-models alone does not see the misspelt fields: that is why strict.mjs exists.
let modelsAlone = "accepted";
try {
  new Deployment(fixture.obj).validate();
} catch (e) {
  modelsAlone = `rejected: ${e.message}`;
}
check("kubernetes-models alone accepts replicass and imagePullPolicyy (the gap the strict check fills)", modelsAlone === "accepted", modelsAlone);

// 2. The strict check names both fields.
const problems = await checkObject(registry, fixture.obj);
const text = problems.map((p) => `${p.path}: ${p.message}`).join("\n");
check(
  "strict check rejects /spec/replicass and /spec/template/spec/containers/0/imagePullPolicyy",
  /\/spec\/replicass: unknown field "replicass" \(did you mean "replicas"\?\)/.test(text) &&
    /\/spec\/template\/spec\/containers\/0\/imagePullPolicyy: unknown field/.test(text),
  text,
);

// 3. The same Deployment spelt right passes: no false positives.
const fixed = JSON.parse(JSON.stringify(fixture.obj).replace('"replicass"', '"replicas"').replace('"imagePullPolicyy"', '"imagePullPolicy"'));
const fixedProblems = await checkObject(registry, fixed);
check("the corrected Deployment passes", fixedProblems.length === 0, fixedProblems.map((p) => `${p.path}: ${p.message}`).join("\n"));

// A copy of kubernetes/ with one file changed (validate renders it with kubectl kustomize).
function mutated(file, from, to) {
  const dir = mkdtempSync(join(tmpdir(), "vidbatch-manifests-"));
  for (const f of readdirSync(manifests)) {
    if (/\.(ya?ml)$|^secrets\.env\.example$/.test(f)) cpSync(join(manifests, f), join(dir, f));
  }
  const text = readFileSync(join(dir, file), "utf8");
  if (!text.includes(from)) throw new Error(`selftest: "${from}" not in ${file}`);
  writeFileSync(join(dir, file), text.replace(from, to));
  return dir;
}

// 4. End to end: the real manifests with the same two typos; the CLI must exit 1 and name
//    the object and both fields.
{
  const dir = mutated("coordinator-deployment.yaml", "  replicas: 1\n", "  replicass: 1\n");
  const f = join(dir, "coordinator-deployment.yaml");
  writeFileSync(f, readFileSync(f, "utf8").replace("- name: coordinator\n          image: vidbatch-coordinator\n          imagePullPolicy:", "- name: coordinator\n          image: vidbatch-coordinator\n          imagePullPolicyy:"));
  const run = spawnSync(process.execPath, [join(here, "main.mjs"), "--dir", dir], { encoding: "utf8" });
  const out = run.stdout + run.stderr;
  check(
    "validate exits 1 on the real manifests with replicass and imagePullPolicyy",
    run.status === 1 &&
      /PROBLEM Deployment vidbatch\/vidbatch-coordinator \(coordinator-deployment\.yaml\): \/spec\/replicass: unknown field/.test(out) &&
      /\/spec\/template\/spec\/containers\/0\/imagePullPolicyy: unknown field/.test(out),
    `exit ${run.status}\n${out.split("\n").filter((l) => l.startsWith("PROBLEM") || l.startsWith("manifests")).join("\n")}`,
  );
  rmSync(dir, { recursive: true });
}

// 5. Other mistakes the checks exist for, one at a time.
const cases = [
  ["a verb the launcher does not use", "rbac-launcher.yaml", 'verbs: ["list", "watch"]', 'verbs: ["list", "watch", "patch"]', /grants patch on core\/pods, which the launcher does not use/],
  ["a misspelt field in a NetworkPolicy", "networkpolicy-postgres.yaml", "policyTypes:", "policyType:", /\/spec\/policyType: unknown field/],
  ["a misspelt kind", "networkpolicy-workers.yaml", "kind: NetworkPolicy", "kind: NetworkPolicyy", /unknown apiVersion\/kind networking.k8s.io\/v1 NetworkPolicyy/],
  ["a wrong enum value", "coordinator-deployment.yaml", "type: Recreate", "type: Recreated", /\/spec\/strategy\/type: schema: must be equal to one of the allowed values/],
  ["a number where Kubernetes wants a string", "configmap.yaml", 'DB_PORT: "5432"', "DB_PORT: 5432", /\/data\/DB_PORT: schema: must be string/],
  ["a secret key that secrets.env.example lacks", "coordinator-deployment.yaml", "key: MONITOR_PASSWORD", "key: MONITOR_PASWORD", /has no key "MONITOR_PASWORD"/],
  ["K8S_MEDIA_PATH unlike the coordinator's mount", "configmap.yaml", "K8S_MEDIA_PATH: /media", "K8S_MEDIA_PATH: /data", /K8S_MEDIA_PATH: is \/data but the coordinator mounts vidbatch-media at \/media/],
  ["a password as a literal", "coordinator-deployment.yaml", "- name: JVM_ARGS", "- name: DB_PASSWORD_FILE\n              value: x\n            - name: JVM_ARGS", /DB_PASSWORD_FILE is a secret/],
  ["a Service selecting nothing", "coordinator-service.yaml", "app.kubernetes.io/component: coordinator\n  ports", "app.kubernetes.io/component: coordinater\n  ports", /selects no pods of any workload here/],
  ["a container without a read-only root filesystem", "postgres-statefulset.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", /readOnlyRootFilesystem: must be true/],
  ["a duplicate key (kubectl kustomize fails)", "media-pvc.yaml", "  volumeMode: Filesystem\n", "  volumeMode: Filesystem\n  volumeMode: Block\n", /kubectl kustomize failed: [\s\S]*mapping key "volumeMode" already defined/],
  ["a Secret in a resource file", "media-pvc.yaml", "apiVersion: v1\n", "apiVersion: v1\nkind: Secret\nmetadata: {name: leaked, namespace: vidbatch}\n---\napiVersion: v1\n", /Secret vidbatch\/leaked \(media-pvc\.yaml\): \/: a Secret in a resource file/],
  ["a coordinator probed over plain HTTP", "coordinator-deployment.yaml", "path: /health/ready\n              port: https\n              scheme: HTTPS", "path: /health/ready\n              port: https", /readinessProbe\/httpGet\/scheme: must be HTTPS/],
  ["a coordinator offering plain HTTP", "coordinator-deployment.yaml", "          ports:\n            - name: https", "          ports:\n            - name: http\n              containerPort: 9080\n            - name: https", /9080 is plain HTTP/],
  ["a cluster on the development profile", "configmap.yaml", "VIDBATCH_PROFILE: production", "VIDBATCH_PROFILE: development", /VIDBATCH_PROFILE: must be production/],
  ["a coordinator without the scheduler's password", "coordinator-deployment.yaml", "- name: SCHEDULER_PASSWORD\n", "- name: SCHEDULER_PASSWORDD\n", /SCHEDULER_PASSWORD must come from the Secret/],
  ["a schedule trigger over plain HTTP", "schedule-trigger-cronjob.yaml", "https://vidbatch-coordinator.vidbatch.svc:9443/", "http://vidbatch-coordinator.vidbatch.svc:9080/", /the scheduler's password goes with it, so HTTPS only/],
  ["a schedule trigger calling another endpoint", "schedule-trigger-cronjob.yaml", "/schedules/nightly/runs", "/jobs", /a trigger calls \/vidbatch\/api\/v1\/schedules\/<name>\/runs/],
  ["a schedule trigger naming no Service", "schedule-trigger-cronjob.yaml", "https://vidbatch-coordinator.", "https://vidbatch-coordinatr.", /vidbatch-coordinatr.vidbatch.svc: not a Service in vidbatch/],
  ["a schedule trigger the NetworkPolicies block", "networkpolicy-schedule-trigger.yaml", "component: schedule-trigger\n  policyTypes", "component: schedule-triggers\n  policyTypes", /no NetworkPolicy lets these pods reach the coordinator on port 9443/],
  ["a schedule trigger with the password in its arguments", "schedule-trigger-cronjob.yaml", '"scheduler:{{SCHEDULER_PASSWORD}}"', '"scheduler:hunter2"', /password is written in the arguments/],
  ["overlapping schedule triggers", "schedule-trigger-cronjob.yaml", "concurrencyPolicy: Forbid", "concurrencyPolicy: Allow", /must be Forbid/],
  ["a quota that cannot hold WORKERS_MAX workers", "configmap.yaml", 'WORKERS_MAX: "64"', 'WORKERS_MAX: "100"', /\/spec\/hard\/requests.cpu: admits 70, but WORKERS_MAX \(100\) workers at the K8S_\* resources and the workloads here need 100.76/],
  ["a worker limit above the LimitRange's max", "configmap.yaml", "K8S_MEMORY_LIMIT: 2Gi", "K8S_MEMORY_LIMIT: 32Gi", /memory 16Gi is below the limit of a worker \(K8S_\* in the ConfigMap\) \(32Gi\)/],
  ["an images entry that misses the worker image", "kustomization.yaml", "- name: vidbatch-worker\n", "- name: vidbatch-wrker\n", /K8S_WORKER_IMAGE: "vidbatch-worker" has no tag or digest/],
];
// A few at a time: each one waits for its own kubectl kustomize.
const results = [];
let next = 0;
await Promise.all(Array.from({ length: 4 }, async () => {
  while (next < cases.length) {
    const i = next++;
    const dir = mutated(cases[i][1], cases[i][2], cases[i][3]);
    results[i] = await validateDir(dir, { log: () => {} });
    rmSync(dir, { recursive: true });
  }
}));
for (const [i, [name, , , , expect]] of cases.entries()) {
  const all = results[i].problems.join("\n");
  check(`rejects ${name}`, results[i].status !== 0 && expect.test(all), all.split("\n").slice(0, 4).join("\n"));
}

// 6. secrets.env, when it exists: rendered by kubectl, the example's keys, no placeholder left.
{
  const dir = mutated("configmap.yaml", "", "");
  const example = readFileSync(join(dir, "secrets.env.example"), "utf8");
  writeFileSync(join(dir, "secrets.env"), example.replace(/^ADMIN_PASSWORD=.*$/m, "").replace(/CHANGE_ME/g, "s3cret").replace(/^(DB_PASSWORD=).*$/m, "$1CHANGE_ME") + "EXTRA=x\n");
  const { status, problems: found } = await validateDir(dir, { log: () => {} });
  const all = found.join("\n");
  check(
    "rejects a secrets.env with a key missing, one too many and a placeholder left",
    status === 1 && /ADMIN_PASSWORD is missing/.test(all) && /EXTRA is not in secrets.env.example/.test(all) && /DB_PASSWORD still has no real value/.test(all) && found.length === 3,
    all,
  );
  rmSync(dir, { recursive: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
