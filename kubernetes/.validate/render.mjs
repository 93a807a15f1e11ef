// Renders a kustomization.yaml without kustomize or a cluster: the subset of kustomize that
// kubernetes/ uses, implemented to kustomize's documented behaviour, and nothing else. Any
// field this renderer does not implement is an error, so the manifests cannot quietly start
// to depend on a feature whose output is not what gets validated.
//
// Implemented:
//   resources       local YAML files (multi-document), applied as written
//   secretGenerator name, namespace, envs (KEY=value files, kustomize's parsing rules);
//                   Opaque Secret named <name>-<hash> (kustomize's hash algorithm), and the
//                   references to it in pod specs rewritten to that name
//   configurations  files with an images: list of extra field specs (path, kind)
//   images          name, newName, newTag, digest, applied to containers and initContainers
//                   of pods and pod templates and to the configured extra field specs
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

export class RenderError extends Error {}

// Kubernetes reads YAML as YAML 1.1 (sigs.k8s.io/yaml, go-yaml): yes/no/on/off are booleans
// there, so they are here too, and duplicate keys are errors.
export function parseYamlDocuments(text, source) {
  const docs = parseAllDocuments(text, { version: "1.1", uniqueKeys: true, prettyErrors: true });
  const out = [];
  docs.forEach((doc, i) => {
    if (doc.errors.length > 0) {
      throw new RenderError(`${source}: YAML error: ${doc.errors.map((e) => e.message).join("; ")}`);
    }
    const value = doc.toJS({ maxAliasCount: 0 });
    if (value === null || value === undefined) return; // empty document (e.g. trailing ---)
    if (typeof value !== "object" || Array.isArray(value)) {
      throw new RenderError(`${source}: document ${i + 1} is not a mapping`);
    }
    out.push({ obj: value, source: docs.length > 1 ? `${source}#${i + 1}` : source });
  });
  return out;
}

const KUSTOMIZATION_FIELDS = new Set(["apiVersion", "kind", "resources", "secretGenerator", "configurations", "images"]);
const SECRET_GENERATOR_FIELDS = new Set(["name", "namespace", "envs"]);
const IMAGE_FIELDS = new Set(["name", "newName", "newTag", "digest"]);
const IMAGE_FIELDSPEC_FIELDS = new Set(["path", "kind", "group", "version", "create"]);

// kustomize's default image field specs: containers and initContainers of pods and of the pod
// templates of workload kinds.
const DEFAULT_IMAGE_PATHS = [
  "spec/containers[]/image",
  "spec/initContainers[]/image",
  "spec/template/spec/containers[]/image",
  "spec/template/spec/initContainers[]/image",
  "spec/jobTemplate/spec/template/spec/containers[]/image",
  "spec/jobTemplate/spec/template/spec/initContainers[]/image",
].map((path) => ({ path }));

function onlyFields(obj, allowed, where) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
    throw new RenderError(`${where}: expected a mapping`);
  }
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) {
      throw new RenderError(
        `${where}: "${key}" is not implemented by the offline renderer (kubernetes/.validate/render.mjs); ` +
          `implement it there or do without it (implemented: ${[...allowed].join(", ")})`,
      );
    }
  }
}

// kustomize's env-file rules: leading whitespace trimmed, blank lines and lines starting with
// # skipped, KEY=value split at the first "=", the value taken literally (no unquoting, no
// trailing comments), a KEY without "=" takes its value from the environment.
export function parseEnvFile(text, source) {
  const pairs = [];
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  lines.forEach((raw, i) => {
    const line = raw.replace(/^\s+/, "");
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    const key = eq < 0 ? line : line.slice(0, eq);
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) {
      throw new RenderError(`${source}:${i + 1}: "${key}" is not a valid environment variable name`);
    }
    const value = eq < 0 ? process.env[key] ?? "" : line.slice(eq + 1);
    pairs.push({ key, value, line: i + 1 });
  });
  return pairs;
}

function sortedJson(value) {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

// kustomize: sha256 over the JSON of {data, kind, name, type} (keys sorted), first 10 hex
// characters with 0,1,3,a,e replaced by g,h,k,m,t.
export function secretNameHash(secret) {
  const encoded = sortedJson({ data: secret.data, kind: "Secret", name: secret.metadata.name, type: secret.type });
  const hex = createHash("sha256").update(encoded).digest("hex").slice(0, 10);
  const swap = { 0: "g", 1: "h", 3: "k", a: "m", e: "t" };
  return [...hex].map((c) => swap[c] ?? c).join("");
}

export function splitImage(image) {
  let rest = image;
  let digest = "";
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = "";
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, tag, digest };
}

function applyImage(value, images) {
  if (typeof value !== "string") return value;
  const { name, tag, digest } = splitImage(value);
  const entry = images.find((e) => e.name === name);
  if (!entry) return value;
  const newName = entry.newName ?? name;
  if (entry.digest) return `${newName}@${entry.digest}`;
  if (entry.newTag !== undefined) return `${newName}:${entry.newTag}`;
  if (digest) return `${newName}@${digest}`;
  return tag ? `${newName}:${tag}` : newName;
}

// Applies fn to the value at a kustomize field path ("a/b[]/c"), where it exists.
function atPath(node, segments, fn) {
  if (node === null || typeof node !== "object") return;
  const [head, ...rest] = segments;
  const isList = head.endsWith("[]");
  const key = isList ? head.slice(0, -2) : head;
  if (!(key in node)) return;
  if (isList) {
    if (!Array.isArray(node[key])) return;
    if (rest.length === 0) {
      node[key] = node[key].map((v) => fn(v));
    } else {
      for (const item of node[key]) atPath(item, rest, fn);
    }
  } else if (rest.length === 0) {
    node[key] = fn(node[key]);
  } else {
    atPath(node[key], rest, fn);
  }
}

function fieldSpecMatches(spec, obj) {
  if (spec.kind && spec.kind !== obj.kind) return false;
  const [group, version] = String(obj.apiVersion ?? "").includes("/")
    ? obj.apiVersion.split("/")
    : ["", obj.apiVersion];
  if (spec.group !== undefined && spec.group !== group) return false;
  if (spec.version !== undefined && spec.version !== version) return false;
  return true;
}

// Pod specs of an object (workload kinds and Pod), for name references.
export function podSpecsOf(obj) {
  const spec = obj?.spec;
  if (!spec) return [];
  switch (obj.kind) {
    case "Pod":
      return [spec];
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "ReplicaSet":
    case "Job":
    case "ReplicationController":
    case "PodTemplate":
      return spec.template?.spec ? [spec.template.spec] : [];
    case "CronJob":
      return spec.jobTemplate?.spec?.template?.spec ? [spec.jobTemplate.spec.template.spec] : [];
    default:
      return [];
  }
}

export function containersOf(podSpec) {
  return [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
}

function renameSecretReferences(obj, from, to) {
  if (obj.metadata?.namespace !== to.namespace) return;
  for (const pod of podSpecsOf(obj)) {
    for (const c of containersOf(pod)) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref?.name === from) ref.name = to.name;
      }
      for (const e of c.envFrom ?? []) {
        if (e.secretRef?.name === from) e.secretRef.name = to.name;
      }
    }
    for (const v of pod.volumes ?? []) {
      if (v.secret?.secretName === from) v.secret.secretName = to.name;
      for (const s of v.projected?.sources ?? []) {
        if (s.secret?.name === from) s.secret.name = to.name;
      }
    }
    for (const s of pod.imagePullSecrets ?? []) {
      if (s.name === from) s.name = to.name;
    }
  }
}

// options.envFileFor(path) may redirect an env file (validate renders with
// secrets.env.example, since secrets.env is never committed).
export function render(dir, options = {}) {
  const envFileFor = options.envFileFor ?? ((p) => p);
  const notes = [];
  const kPath = join(dir, "kustomization.yaml");
  if (!existsSync(kPath)) throw new RenderError(`${kPath}: not found`);
  const [kdoc, ...more] = parseYamlDocuments(readFileSync(kPath, "utf8"), "kustomization.yaml");
  if (!kdoc || more.length > 0) throw new RenderError("kustomization.yaml: expected exactly one document");
  const k = kdoc.obj;
  onlyFields(k, KUSTOMIZATION_FIELDS, "kustomization.yaml");
  if (k.apiVersion !== "kustomize.config.k8s.io/v1beta1" || k.kind !== "Kustomization") {
    throw new RenderError("kustomization.yaml: apiVersion/kind must be kustomize.config.k8s.io/v1beta1 Kustomization");
  }

  const objects = [];
  for (const res of k.resources ?? []) {
    if (typeof res !== "string" || /^[a-z]+:\/\//.test(res) || !/\.ya?ml$/.test(res)) {
      throw new RenderError(`kustomization.yaml: resource "${res}": only local YAML files are implemented`);
    }
    const p = join(dir, res);
    if (!existsSync(p)) throw new RenderError(`kustomization.yaml: resource "${res}" does not exist`);
    objects.push(...parseYamlDocuments(readFileSync(p, "utf8"), res));
  }

  // secretGenerator
  const generated = [];
  for (const [i, g] of (k.secretGenerator ?? []).entries()) {
    const where = `kustomization.yaml: secretGenerator[${i}]`;
    onlyFields(g, SECRET_GENERATOR_FIELDS, where);
    if (!g.name) throw new RenderError(`${where}: name is required`);
    const data = {};
    for (const env of g.envs ?? []) {
      const file = envFileFor(env);
      const p = join(dir, file);
      if (!existsSync(p)) throw new RenderError(`${where}: env file "${file}" does not exist`);
      if (file !== env) notes.push(`secretGenerator ${g.name}: rendered from ${file} in place of ${env}`);
      for (const { key, value } of parseEnvFile(readFileSync(p, "utf8"), file)) {
        if (key in data) throw new RenderError(`${file}: key ${key} appears twice`);
        data[key] = Buffer.from(value, "utf8").toString("base64");
      }
    }
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: g.name, ...(g.namespace ? { namespace: g.namespace } : {}) },
      type: "Opaque",
      data,
    };
    const hashed = `${g.name}-${secretNameHash(secret)}`;
    generated.push({ from: g.name, to: { name: hashed, namespace: g.namespace } });
    secret.metadata.name = hashed;
    objects.push({ obj: secret, source: `kustomization.yaml secretGenerator ${g.name}`, generatedFrom: g.name });
  }
  for (const { from, to } of generated) {
    for (const { obj } of objects) renameSecretReferences(obj, from, to);
  }

  // configurations: extra image field specs
  const imageSpecs = [...DEFAULT_IMAGE_PATHS];
  for (const file of k.configurations ?? []) {
    const p = join(dir, file);
    if (!existsSync(p)) throw new RenderError(`kustomization.yaml: configuration "${file}" does not exist`);
    const [doc] = parseYamlDocuments(readFileSync(p, "utf8"), file);
    onlyFields(doc.obj, new Set(["images"]), file);
    for (const [i, spec] of (doc.obj.images ?? []).entries()) {
      onlyFields(spec, IMAGE_FIELDSPEC_FIELDS, `${file}: images[${i}]`);
      if (!spec.path) throw new RenderError(`${file}: images[${i}]: path is required`);
      imageSpecs.push(spec);
    }
  }

  // images
  const images = k.images ?? [];
  for (const [i, e] of images.entries()) {
    onlyFields(e, IMAGE_FIELDS, `kustomization.yaml: images[${i}]`);
    if (!e.name) throw new RenderError(`kustomization.yaml: images[${i}]: name is required`);
  }
  const usedImages = new Set();
  for (const { obj } of objects) {
    for (const spec of imageSpecs) {
      if (!fieldSpecMatches(spec, obj)) continue;
      atPath(obj, spec.path.split("/"), (v) => {
        const out = applyImage(v, images);
        if (typeof v === "string") usedImages.add(splitImage(v).name);
        return out;
      });
    }
  }
  for (const e of images) {
    if (!usedImages.has(e.name)) notes.push(`images entry "${e.name}" matches no image field`);
  }

  return { objects, notes, kustomization: k };
}
