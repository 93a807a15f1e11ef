// Renders a kustomization directory with `kubectl kustomize` (offline: no cluster is contacted),
// as `kubectl apply -k` would, and returns the objects as [{obj, source, generated}].
//
// The directory is rendered from a temporary copy, so nothing is written into it:
//   - secrets.env (never committed) is replaced by secrets.env.example, which has the same
//     keys, unless { realSecrets: true };
//   - buildMetadata: [originAnnotations] is added to the copy's kustomization.yaml, so every
//     object names the file it came from (or its generator); the annotation is removed again.
import { execFile, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { parse, parseAllDocuments, parseDocument } from "yaml";

export class RenderError extends Error {}

const ORIGIN = "config.kubernetes.io/origin";
const NOT_COPIED = new Set([".validate", "node_modules", ".git", "secrets.env"]);

export const KUBECTL_MISSING =
  "kubectl is needed: validate renders kustomization.yaml with `kubectl kustomize` (offline, no cluster). " +
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

export async function kustomize(dir, { realSecrets = false } = {}) {
  if (!existsSync(join(dir, "kustomization.yaml"))) throw new RenderError(`${join(dir, "kustomization.yaml")}: not found`);
  const copy = mkdtempSync(join(tmpdir(), "vidbatch-kustomize-"));
  try {
    cpSync(dir, copy, { recursive: true, filter: (src) => src === dir || !NOT_COPIED.has(basename(src)) || (realSecrets && basename(src) === "secrets.env") });
    if (!realSecrets && existsSync(join(dir, "secrets.env.example"))) cpSync(join(dir, "secrets.env.example"), join(copy, "secrets.env"));
    const kfile = join(copy, "kustomization.yaml");
    const k = parseDocument(readFileSync(kfile, "utf8"));
    if (k.errors.length === 0) {
      const meta = k.get("buildMetadata")?.toJSON() ?? [];
      if (!meta.includes("originAnnotations")) k.set("buildMetadata", [...meta, "originAnnotations"]);
      writeFileSync(kfile, k.toString());
    } // else: kubectl reports the error
    const run = await promisify(execFile)("kubectl", ["kustomize", copy], { encoding: "utf8", maxBuffer: 64 << 20 }).catch((e) => e);
    if (run.code === "ENOENT") throw new RenderError(KUBECTL_MISSING);
    if (run instanceof Error && typeof run.code !== "number") throw run;
    if (run instanceof Error) {
      // kubectl logs the error as klog does: E1205 01:44:16.67 8756 run.go:72] "command failed" err=<...>
      const message = run.stderr.split(copy).join(dir).replace(/^E\d{4} [\d:.]+\s+\d+ \S+\] "command failed" err=/m, "")
        .replace(/^<\n([\s\S]*)\n\s*>\s*$/, "$1").replace(/^"([\s\S]*)"\s*$/, "$1").replace(/\\"/g, '"').replace(/^\t/gm, "  ").trim();
      throw new RenderError(`kubectl kustomize failed: ${message}`);
    }
    return parseAllDocuments(run.stdout)
      .map((d) => d.toJS())
      .filter((obj) => obj && typeof obj === "object")
      .map((obj) => {
        const annotations = obj.metadata?.annotations ?? {};
        const origin = annotations[ORIGIN] ? parse(annotations[ORIGIN]) : {};
        delete annotations[ORIGIN];
        if (obj.metadata && Object.keys(annotations).length === 0) delete obj.metadata.annotations;
        const generated = origin.configuredBy?.kind;
        return { obj, source: origin.path ?? (generated ? `kustomization.yaml ${generated}` : "?"), generated };
      });
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
