// node main.mjs [--dir DIR] [--print [RENDERING]]
// Renders every overlay of DIR (default: kubernetes/) with `kubectl kustomize`, as listed in
// RENDERINGS, and checks every object of each rendering. A DIR that is a kustomization inside
// kubernetes/ (kubernetes/install writes .install/<overlay>) is the one rendering instead.
// Exit 0: no problems; 1: problems (each printed with its rendering, object and field);
// 2: a rendering cannot be made.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { kustomize, kubectlVersion, RenderError } from "./kustomize.mjs";
import { checkObject, checkSet, describe } from "./checks.mjs";
import { checkContract, checkSecretsFile } from "./contract.mjs";

// What a cluster can get: each overlay as shipped, and prod with every component under
// components/ (each is optional, so each must also work together with all the others).
// singleNode: the overlay is for a one-node cluster (contract.mjs: the media claim may be RWO).
export const RENDERINGS = [
  { name: "dev", overlay: "overlays/dev", singleNode: true },
  { name: "prod", overlay: "overlays/prod" },
  { name: "prod+components", overlay: "overlays/prod", components: "all" },
];

// One kustomization inside the tree: an overlay, or one of its own (kubernetes/install's) checked
// as the overlay it builds on: that overlay's rules (singleNode) and its secrets.env. tree: the
// nearest directory above it with base/kustomization.yaml.
export function renderingFor(dir) {
  let tree = dirname(dir);
  while (!existsSync(join(tree, "base", "kustomization.yaml"))) {
    if (dirname(tree) === tree) return null;
    tree = dirname(tree);
  }
  const overlay = relative(tree, dir);
  let resources = [];
  try {
    resources = parse(readFileSync(join(dir, "kustomization.yaml"), "utf8"))?.resources ?? [];
  } catch {
    // kubectl reports it when it renders
  }
  const on = RENDERINGS.find((r) => !r.components && (r.overlay === overlay || resources.some((res) => join(overlay, String(res)) === r.overlay)));
  return { tree, rendering: { name: overlay, overlay, singleNode: on?.singleNode ?? false, secrets: on?.overlay ?? overlay } };
}

// Every component directory, as the overlay refers to it.
function allComponents(tree, overlay) {
  const dir = join(tree, "components");
  if (!existsSync(dir)) return [];
  const up = overlay.split("/").map(() => "..").join("/");
  return readdirSync(dir).filter((c) => existsSync(join(dir, c, "kustomization.yaml"))).sort().map((c) => `${up}/components/${c}`);
}

// Renders and checks one rendering: {name, status, objects, problems}. A real secrets.env is
// checked against the example (once per overlay: the rendering with no components does it; not
// for the self-test, whose edits, made to the temporary copy first, are its own mistakes).
// rendering.secrets: the overlay whose secrets.env it uses, when not its own.
export async function validateRendering(tree, rendering, { edits = [] } = {}) {
  const { name, overlay } = rendering;
  const components = rendering.components === "all" ? allComponents(tree, overlay) : rendering.components ?? [];
  const problems = [];
  let objects;
  try {
    objects = await kustomize(tree, overlay, { components, edits });
    const secrets = rendering.secrets ?? overlay;
    if (components.length === 0 && edits.length === 0 && existsSync(join(tree, secrets, "secrets.env"))) {
      problems.push(...checkSecretsFile(objects, await kustomize(tree, overlay, { realSecrets: true }), secrets));
    }
  } catch (e) {
    if (e instanceof RenderError) return { name, status: 2, objects: [], problems: [`cannot render ${overlay}: ${e.message}`] };
    throw e;
  }
  problems.push(...(await checkRendering(objects, rendering)));
  return { name, status: problems.length > 0 ? 1 : 0, objects, problems };
}

// Every check of one rendering's objects, as "object: path: message".
export async function checkRendering(objects, rendering) {
  const problems = [];
  for (const entry of objects) {
    for (const p of await checkObject(entry.obj)) problems.push(`${describe(entry)}: ${p.path}: ${p.message}`);
  }
  for (const p of [...checkSet(objects), ...checkContract(objects, rendering)]) {
    problems.push(`${p.entry ? describe(p.entry) : "kustomization"}: ${p.path}: ${p.message}`);
  }
  return problems;
}

// All renderings (or those named in `only`), side by side: each waits on its own kubectl.
export async function validateTree(tree, { only = null, edits = [], renderings = RENDERINGS } = {}) {
  const chosen = renderings.filter((r) => !only || only.includes(r.name));
  const results = await Promise.all(chosen.map((r) => validateRendering(tree, r, { edits })));
  return { status: Math.max(0, ...results.map((r) => r.status)), results };
}

function summary(r) {
  const kinds = new Map();
  for (const o of r.objects) kinds.set(o.obj.kind, (kinds.get(o.obj.kind) ?? 0) + 1);
  return `${r.name}: ${r.objects.length} objects (${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")}): ${r.problems.length} problem(s)`;
}

function usage() {
  console.error(`usage: node main.mjs [--dir DIR] [--print [${RENDERINGS.map((r) => r.name).join("|")}]]`);
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  let tree = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  let print = null; // null: nothing; true: every rendering; a name: that one
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--dir" && args[i + 1]) tree = resolve(args[++i]);
    else if (args[i] === "--print") print = args[i + 1] && !args[i + 1].startsWith("--") ? args[++i] : true;
    else usage();
  }
  let renderings = RENDERINGS;
  if (existsSync(join(tree, "kustomization.yaml"))) {
    const one = renderingFor(tree);
    if (!one) {
      console.error(`${tree}: a kustomization outside a tree with base/kustomization.yaml`);
      process.exit(2);
    }
    ({ tree } = one);
    renderings = [one.rendering];
  }
  if (typeof print === "string" && !renderings.some((r) => r.name === print)) usage();
  const { status, results } = await validateTree(tree, { renderings });
  for (const r of results) {
    if (print === true || print === r.name) console.log(`# --- rendering ${r.name}\n${r.objects.map((o) => stringify(o.obj)).join("---\n")}`);
  }
  if (status === 2) {
    for (const r of results) for (const p of r.problems) console.log(`${r.name}: ${p}`);
    process.exit(2);
  }
  console.log(`rendered by ${kubectlVersion()}, from ${tree}`);
  console.log("checks: schemas (kubernetes-models, cert-manager, prometheus-operator), unknown fields, names and labels, references, pod security, launcher contract, quota");
  for (const r of results) console.log(summary(r));
  for (const r of results) for (const p of r.problems) console.log(`PROBLEM ${r.name}: ${p}`);
  const total = results.reduce((n, r) => n + r.problems.length, 0);
  console.log(total === 0 ? `manifests OK: ${results.length} rendering${results.length === 1 ? "" : "s"}, 0 problems` : `manifests NOT OK: ${total} problem(s)`);
  process.exit(status);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
