// Renders one overlay of a kubernetes/ tree with `kubectl kustomize` (offline: no cluster is
// contacted), as `kubectl apply -k` would, and returns the objects as [{obj, source, generated}].
//
// The overlay is rendered from a temporary copy of the whole tree (overlays refer to ../../base
// and ../../components), so nothing is written into it:
//   - every secrets.env (never committed) is replaced by the secrets.env.example beside it, which
//     has the same keys, unless { realSecrets: true } (then only a missing one is);
//   - { components: [...] } adds those components to the copy's kustomization.yaml, as a cluster
//     that has them would uncomment them;
//   - { edits: [[file, from, to], ...] } changes files of the copy first (the self-test's mistakes);
//   - buildMetadata: [originAnnotations] is added to the copy's kustomization.yaml, so every
//     object names the file it came from (or its generator); the annotation is removed again.
import { execFile, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { promisify } from "node:util";
import { parse, parseAllDocuments, parseDocument } from "yaml";

export class RenderError extends Error {}

const ORIGIN = "config.kubernetes.io/origin";
const NOT_COPIED = new Set([".validate", "node_modules", ".git"]);

export const KUBECTL_MISSING =
  "kubectl is needed: validate renders the overlays with `kubectl kustomize` (offline, no cluster). " +
  "Install kubectl 1.27 or newer (kustomize 5): https://kubernetes.io/docs/tasks/tools/";

export function kubectlVersion() {
  const run = spawnSync("kubectl", ["version", "--client", "-o", "json"], { encoding: "utf8" });
  if (run.error) throw new RenderError(KUBECTL_MISSING);
  try {
    const v = JSON.parse(run.stdout);
    return `kubectl ${v.clientVersion?.gitVersion}, Kustomize ${v.kustomizeVersion}`;
  } catch {
    return "kubectl (version unknown)";
  }
}

// A new private temporary directory: in memory (/dev/shm) where there is one, unless TMPDIR says
// otherwise. validate and its self-test make some fifty copies of the tree; on a disk mounted
// with discard, creating and deleting their files costs more than kubectl itself.
export function scratchDir(prefix) {
  const base = !process.env.TMPDIR && existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  return mkdtempSync(join(base, prefix));
}

// tree: the kubernetes/ directory; overlay: a directory in it ("overlays/prod").
export async function kustomize(tree, overlay, { realSecrets = false, components = [], edits = [] } = {}) {
  const kfile = join(overlay, "kustomization.yaml");
  if (!existsSync(join(tree, kfile))) throw new RenderError(`${join(tree, kfile)}: not found`);
  const copy = scratchDir("vidbatch-kustomize-");
  try {
    cpSync(tree, copy, {
      recursive: true,
      filter: (src) => src === tree || (!NOT_COPIED.has(basename(src)) && (realSecrets || basename(src) !== "secrets.env")),
    });
    for (const [file, from, to] of edits) replaceIn(join(copy, file), from, to);
    // An overlay's secrets.env may be read by a kustomization elsewhere (kubernetes/install's).
    for (const example of readdirSync(copy, { recursive: true }).filter((p) => basename(p) === "secrets.env.example")) {
      const env = join(copy, dirname(example), "secrets.env");
      if (!existsSync(env)) cpSync(join(copy, example), env);
    }
    editKustomization(join(copy, kfile), components);
    const run = await promisify(execFile)("kubectl", ["kustomize", join(copy, overlay)], { encoding: "utf8", maxBuffer: 64 << 20 }).catch((e) => e);
    if (run.code === "ENOENT") throw new RenderError(KUBECTL_MISSING);
    if (run instanceof Error && typeof run.code !== "number") throw run;
    if (run instanceof Error) throw new RenderError(`kubectl kustomize failed: ${kubectlMessage(run.stderr, copy, tree)}`);
    const patches = patchFiles(join(copy, overlay), overlay);
    return parseAllDocuments(run.stdout)
      .map((d) => d.toJS())
      .filter((obj) => obj && typeof obj === "object")
      .map((obj) => withOrigin(obj, overlay, patches));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

function replaceIn(file, from, to) {
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`"${from}" is not in ${file}`);
  writeFileSync(file, text.replace(from, to));
}

// Adds originAnnotations and the components (those not already listed) to the copy's
// kustomization.yaml. A file that does not parse is left alone: kubectl reports the error.
function editKustomization(file, components) {
  const k = parseDocument(readFileSync(file, "utf8"));
  if (k.errors.length > 0) return;
  const meta = k.get("buildMetadata")?.toJSON() ?? [];
  if (!meta.includes("originAnnotations")) k.set("buildMetadata", [...meta, "originAnnotations"]);
  const listed = k.get("components")?.toJSON() ?? [];
  const more = components.filter((c) => !listed.includes(c));
  if (more.length > 0) k.set("components", [...listed, ...more]);
  writeFileSync(file, k.toString());
}

// kubectl logs the error as klog does: E1205 01:44:16.67 8756 run.go:72] "command failed" err=<...>
function kubectlMessage(stderr, copy, tree) {
  return stderr.split(copy).join(tree).replace(/^E\d{4} [\d:.]+\s+\d+ \S+\] "command failed" err=/m, "")
    .replace(/^<\n([\s\S]*)\n\s*>\s*$/, "$1").replace(/^"([\s\S]*)"\s*$/, "$1").replace(/\\"/g, '"').replace(/^\t/gm, "  ").trim();
}

// The overlay's patches by the object they change ("Deployment/vidbatch-coordinator" ->
// ["overlays/prod/coordinator.yaml"]): origin annotations name only the file an object was first
// defined in, and a mistake in a patch should be looked for in the patch.
function patchFiles(dir, overlay) {
  const byObject = new Map();
  const add = (kind, name, file) => byObject.set(`${kind}/${name}`, [...(byObject.get(`${kind}/${name}`) ?? []), file]);
  let k;
  try {
    k = parse(readFileSync(join(dir, "kustomization.yaml"), "utf8"));
  } catch {
    return byObject;
  }
  for (const p of k?.patches ?? []) {
    if (p?.target?.kind && p.target.name) add(p.target.kind, p.target.name, join(overlay, p.path ?? "kustomization.yaml"));
    else if (p?.path && existsSync(join(dir, p.path))) {
      for (const d of parseAllDocuments(readFileSync(join(dir, p.path), "utf8"))) {
        const o = d.toJS();
        if (o?.kind && o.metadata?.name) add(o.kind, o.metadata.name, join(overlay, p.path));
      }
    }
  }
  return byObject;
}

// The file an object came from, relative to kubernetes/ ("base/configmap.yaml", and the patches
// that changed it), or for a generated one the kustomization that generated it; the annotation
// itself is removed.
function withOrigin(obj, overlay, patches) {
  const annotations = obj.metadata?.annotations ?? {};
  const origin = annotations[ORIGIN] ? parse(annotations[ORIGIN]) : {};
  delete annotations[ORIGIN];
  if (obj.metadata && Object.keys(annotations).length === 0) delete obj.metadata.annotations;
  const fromTree = (p) => join(overlay, p); // join normalizes ../../base/x.yaml
  const generated = origin.configuredBy?.kind;
  let source = origin.path ? fromTree(origin.path) : generated ? `${fromTree(origin.configuredIn ?? "kustomization.yaml")} ${generated}` : "?";
  const patchedBy = patches.get(`${obj.kind}/${obj.metadata?.name}`);
  if (patchedBy) source += `, patched by ${patchedBy.join(", ")}`;
  return { obj, source, generated };
}
