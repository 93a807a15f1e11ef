// node main.mjs [--dir DIR] [--print]
// Renders DIR (default: kubernetes/) with `kubectl kustomize` and checks every object.
// Exit 0: no problems; 1: problems (each printed with its object and field); 2: cannot render.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { kustomize, kubectlVersion, RenderError } from "./kustomize.mjs";
import { loadRegistry } from "./strict.mjs";
import { checkObject, checkSet, describe } from "./checks.mjs";
import { checkContract, checkSecretsFile } from "./contract.mjs";

export async function validateDir(dir, { print = false, log = console.log } = {}) {
  const problems = [];
  let objects;
  try {
    // secrets.env is never committed: the Secret is rendered from secrets.env.example, which
    // has the same keys (compared below when secrets.env exists).
    objects = await kustomize(dir);
    if (existsSync(join(dir, "secrets.env"))) problems.push(...checkSecretsFile(objects, await kustomize(dir, { realSecrets: true })));
  } catch (e) {
    if (e instanceof RenderError) {
      log(`cannot render ${dir}: ${e.message}`);
      return { status: 2, problems: [e.message], objects: [] };
    }
    throw e;
  }
  if (print) log(objects.map((o) => stringify(o.obj)).join("---\n"));

  const registry = loadRegistry();
  for (const entry of objects) {
    for (const p of await checkObject(registry, entry.obj)) problems.push(`${describe(entry)}: ${p.path}: ${p.message}`);
  }
  for (const p of [...checkSet(objects), ...checkContract(objects)]) {
    problems.push(`${p.entry ? describe(p.entry) : "kustomization"}: ${p.path}: ${p.message}`);
  }
  return { status: problems.length > 0 ? 1 : 0, problems, objects };
}

async function main() {
  const args = process.argv.slice(2);
  const here = dirname(fileURLToPath(import.meta.url));
  let dir = resolve(here, "..");
  let print = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--dir") dir = resolve(args[++i]);
    else if (args[i] === "--print") print = true;
    else {
      console.error(`usage: node main.mjs [--dir DIR] [--print]`);
      process.exit(2);
    }
  }
  const { status, problems, objects } = await validateDir(dir, { print });
  if (status === 2) process.exit(2);
  const kinds = new Map();
  for (const o of objects) kinds.set(o.obj.kind, (kinds.get(o.obj.kind) ?? 0) + 1);
  console.log(`rendered by ${kubectlVersion()}: ${objects.length} objects: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")}`);
  console.log("checks: kubernetes-models schema, unknown fields, names and labels, references, pod security, launcher contract");
  for (const p of problems) console.log(`PROBLEM ${p}`);
  console.log(problems.length === 0 ? "manifests OK: 0 problems" : `manifests NOT OK: ${problems.length} problem(s)`);
  process.exit(status);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
