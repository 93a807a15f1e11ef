// Strict field check: every field of every object must be one its API defines.
//
// kubernetes-models validates types, enums and required fields, but its schemas allow any
// additional property, so `replicass: 1` or `imagePullPolicyy: Always` pass it (and the API
// server would drop them silently, or reject them, depending on its field validation). The
// property lists are taken from the TypeScript declarations kubernetes-models (and the
// @kubernetes-models packages of the CRDs used here) ship, generated from the same OpenAPI
// documents as their schemas: each interface lists its properties and their types, so the whole
// object tree can be walked.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function packageDir(name) {
  return dirname(require.resolve(`${name}/package.json`));
}

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

// Splits text at `sep` characters that are not nested in (), [], {}, <> or a string literal.
function splitTop(text, sep) {
  const parts = [];
  let depth = 0;
  let quote = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if ("([{<".includes(c)) depth++;
    else if (")]}>".includes(c)) depth--;
    else if (c === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

function matchingBrace(text, open) {
  let depth = 0;
  let quote = null;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  throw new Error("unbalanced braces");
}

// Members of an interface body or an inline object type: [{name, optional, type}] or, for an
// index signature ({ [key: string]: T }), {index: T}.
function parseMembers(body, file) {
  const members = [];
  let index = null;
  for (const part of splitTop(body, ";")) {
    const idx = /^\[\s*\w+\s*:\s*string\s*\]\s*:\s*([\s\S]+)$/.exec(part);
    if (idx) {
      index = parseType(idx[1], file);
      continue;
    }
    const m = /^(?:readonly\s+)?(?:"([^"]+)"|'([^']+)'|([A-Za-z_$][\w$]*))(\?)?\s*:\s*([\s\S]+)$/.exec(part);
    if (!m) throw new Error(`cannot parse member: ${part}`);
    members.push({ name: m[1] ?? m[2] ?? m[3], optional: !!m[4], type: parseType(m[5], file) });
  }
  return { members, index };
}

// Parses a type expression into a node: {k:"any"} | {k:"scalar"} | {k:"array", of} |
// {k:"map", of} | {k:"ref", name, file} | {k:"struct", props, bases}. A ref is resolved later,
// in the file it was written in.
function parseType(expr, file) {
  let t = expr.trim();
  while (t.startsWith("(") && t.endsWith(")")) t = t.slice(1, -1).trim();
  const alts = splitTop(t, "|").filter((a) => a !== "null" && a !== "undefined");
  if (alts.length > 1) {
    const nodes = alts.map((a) => parseType(a, file));
    if (nodes.every((n) => n.k === "scalar")) return { k: "scalar" };
    return { k: "any", why: `union ${t}` };
  }
  t = alts[0] ?? "any";
  if (/^(string|number|boolean|bigint)$/.test(t) || /^(["']).*\1$/.test(t) || /^-?\d/.test(t) || /^(true|false)$/.test(t)) {
    return { k: "scalar" };
  }
  if (/^(any|unknown|object|\{\s*\})$/.test(t)) return { k: "any", why: t };
  let m = /^Array<([\s\S]+)>$/.exec(t);
  if (m) return { k: "array", of: parseType(m[1], file) };
  m = /^([\s\S]+)\[\]$/.exec(t);
  if (m) return { k: "array", of: parseType(m[1], file) };
  if (t.startsWith("{") && t.endsWith("}")) {
    const { members, index } = parseMembers(t.slice(1, -1), file);
    if (index !== null && members.length === 0) return { k: "map", of: index };
    if (index !== null) return { k: "any", why: "object with index signature and members" };
    return { k: "struct", props: Object.fromEntries(members.map((p) => [p.name, p.type])), bases: [] };
  }
  if (/^[A-Za-z_$][\w$]*$/.test(t)) return { k: "ref", name: t, file };
  return { k: "any", why: t };
}

// Declarations are read file by file, as an object's fields reach them, following each file's
// imports as TypeScript would. That matters for the CRD packages: @kubernetes-models/cert-manager
// and prometheus-operator bring their own kubernetes-models and apimachinery (5.x, 3.x), so a
// ServiceMonitor's SecretKeySelector is the one its package was generated with, not 4.5.1's, and
// only the few files an object needs are parsed.
const files = new Map(); // .d.ts path -> {file, types, imports, reexports}

function declarationsOf(file) {
  if (!files.has(file)) files.set(file, readDeclarations(file));
  return files.get(file);
}

function readDeclarations(file) {
  const text = stripComments(readFileSync(file, "utf8"));
  const types = new Map(); // name -> node
  const imports = new Map(); // local name -> {from, name}
  const reexports = []; // {from, names: Map(exported -> imported) | null (export *)}
  for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*["']([^"']+)["']/g)) {
    for (const [local, name] of specifiers(m[1])) imports.set(local, { from: m[2], name });
  }
  for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s*from\s*["']([^"']+)["']/g)) {
    reexports.push({ from: m[2], names: new Map(specifiers(m[1])) });
  }
  for (const m of text.matchAll(/export\s+\*\s+from\s*["']([^"']+)["']/g)) reexports.push({ from: m[1], names: null });
  for (const m of text.matchAll(/export\s+(?:declare\s+)?interface\s+(\w+)(?:\s+extends\s+([^{]+))?\s*\{/g)) {
    const open = m.index + m[0].length - 1;
    const { members, index } = parseMembers(text.slice(open + 1, matchingBrace(text, open)), file);
    const bases = m[2] ? splitTop(m[2], ",").map((b) => parseType(b, file)) : [];
    if (members.length === 0 && index === null && bases.length === 0) {
      types.set(m[1], { k: "any", why: `free-form ${m[1]}` }); // e.g. RawExtension, FieldsV1
    } else if (index !== null && members.length === 0 && bases.length === 0) {
      types.set(m[1], { k: "map", of: index });
    } else if (index !== null) {
      types.set(m[1], { k: "any", why: `${m[1]}: index signature and members` });
    } else {
      types.set(m[1], { k: "struct", props: Object.fromEntries(members.map((p) => [p.name, p.type])), bases });
    }
  }
  for (const m of text.matchAll(/export\s+(?:declare\s+)?type\s+(\w+)\s*=\s*([^;]+);/g)) types.set(m[1], parseType(m[2], file));
  // export { IDeployment as IIoK8sApiAppsV1Deployment }: the long names other files import.
  for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s*;/g)) {
    for (const [alias, name] of specifiers(m[1])) if (alias !== name && !types.has(alias)) types.set(alias, { k: "ref", name, file });
  }
  return { file, types, imports, reexports };
}

// "A, type B as C" -> [["A", "A"], ["C", "B"]] (local or exported name, original name).
function specifiers(list) {
  const out = [];
  for (const spec of list.split(",")) {
    const a = /^\s*(?:type\s+)?(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(spec);
    if (a) out.push([a[2] ?? a[1], a[1]]);
  }
  return out;
}

// The declaration file a module specifier names, seen from `from` (a .d.ts path): relative
// ("./Endpoint.js", "../../v1/PodTemplateSpec"), or a package with or without a subpath,
// found in the node_modules folders above `from` as Node would.
function moduleFile(spec, from) {
  const strip = (p) => p.replace(/\.(m?js)$/, "");
  const candidates = (p) => [`${strip(p)}.d.ts`, join(p, "index.d.ts")];
  if (spec.startsWith(".")) return candidates(join(dirname(from), spec)).find(existsSync) ?? null;
  const parts = spec.split("/");
  const name = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  const sub = parts.slice(name.split("/").length).join("/");
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const pkg = join(dir, "node_modules", name);
    if (existsSync(join(pkg, "package.json"))) {
      if (sub) return candidates(join(pkg, sub)).find(existsSync) ?? null;
      const json = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
      const types = json.exports?.types ?? json.exports?.["."]?.types ?? json.types ?? "index.d.ts";
      return join(pkg, types);
    }
    if (dirname(dir) === dir) return null;
  }
}

// The node a name stands for in a file: declared there, imported, or re-exported.
function lookup(file, name, seen = new Set()) {
  const key = `${file}#${name}`;
  if (seen.has(key)) return null;
  seen.add(key);
  const d = declarationsOf(file);
  if (d.types.has(name)) return d.types.get(name);
  const imp = d.imports.get(name);
  if (imp) {
    const target = moduleFile(imp.from, file);
    return target ? lookup(target, imp.name, seen) : null;
  }
  for (const r of d.reexports) {
    const original = r.names ? r.names.get(name) : name;
    if (!original) continue;
    const target = moduleFile(r.from, file);
    const found = target && lookup(target, original, seen);
    if (found) return found;
  }
  return null;
}

// Which package declares an API group's kinds. A group not listed here has no schema, and every
// object of it is a problem (validate never passes a kind it cannot check).
export const MODEL_PACKAGES = [
  { test: (group) => !group.includes(".") || group.endsWith(".k8s.io"), pkg: "kubernetes-models" },
  { test: (group) => group === "cert-manager.io" || group.endsWith(".cert-manager.io"), pkg: "@kubernetes-models/cert-manager" },
  { test: (group) => group === "monitoring.coreos.com", pkg: "@kubernetes-models/prometheus-operator" },
];

export function modelPackage(apiVersion) {
  if (typeof apiVersion !== "string" || !/^([a-z0-9][a-z0-9.-]*\/)?v[0-9][a-z0-9]*$/.test(apiVersion)) return null;
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.lastIndexOf("/")) : "";
  return MODEL_PACKAGES.find((p) => p.test(group))?.pkg ?? null;
}

// The declaration of a top-level object: <package>/<group>/<version>/<Kind>.d.ts (core:
// kubernetes-models/v1/<Kind>.d.ts), interface I<Kind>; null when there is none.
export function rootType(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^\w+$/.test(kind)) return null;
  const pkg = modelPackage(apiVersion);
  if (!pkg) return null;
  const file = join(packageDir(pkg), apiVersion, `${kind}.d.ts`);
  if (!existsSync(file)) return null;
  return declarationsOf(file).types.has(`I${kind}`) ? { k: "ref", name: `I${kind}`, file } : null;
}

function resolve(node, seen = new Set()) {
  while (node.k === "ref") {
    const key = `${node.file}#${node.name}`;
    if (seen.has(key)) return { k: "any", why: `recursive ${node.name}` };
    seen.add(key);
    const next = lookup(node.file, node.name);
    if (!next) return { k: "unknown", why: `no declaration of ${node.name} (${node.file})` };
    node = next;
  }
  if (node.k === "struct" && node.bases.length > 0) return inherit(node);
  return node;
}

// An interface with its bases' members (IServiceMonitorSpec extends NativeHistogramConfig).
function inherit(node) {
  if (!node.all) {
    const props = {};
    for (const b of node.bases) {
      const base = resolve(b);
      if (base.k !== "struct") return { k: base.k === "unknown" ? "unknown" : "any", why: `base ${b.name}: ${base.why ?? base.k}` };
      Object.assign(props, base.props);
    }
    node.all = { k: "struct", props: Object.assign(props, node.props), bases: [] };
  }
  return node.all;
}

// Walks value against node; reports unknown fields (and values of the wrong shape where a
// structure is expected) as {path, message}. Values whose type is free-form are not looked
// into; their paths are returned in `unchecked` so nothing is skipped silently. A type whose
// declaration cannot be found is a problem: that field could not be checked.
export function strictCheck(node, value, path = "", problems = [], unchecked = []) {
  node = resolve(node);
  if (value === null || value === undefined) return { problems, unchecked };
  switch (node.k) {
    case "any":
      if (typeof value === "object") unchecked.push(`${path || "/"} (${node.why})`);
      break;
    case "unknown":
      problems.push({ path: path || "/", message: `cannot be checked: ${node.why}` });
      break;
    case "scalar":
      break; // types of scalars: kubernetes-models' schema check
    case "array":
      if (Array.isArray(value)) value.forEach((v, i) => strictCheck(node.of, v, `${path}/${i}`, problems, unchecked));
      break;
    case "map":
      if (typeof value === "object" && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) strictCheck(node.of, v, `${path}/${k}`, problems, unchecked);
      }
      break;
    case "struct":
      if (typeof value !== "object" || Array.isArray(value)) break; // the schema check reports the type
      for (const [k, v] of Object.entries(value)) {
        if (!(k in node.props)) {
          const near = nearest(k, Object.keys(node.props));
          problems.push({ path: `${path}/${k}`, message: `unknown field "${k}"${near ? ` (did you mean "${near}"?)` : ""}` });
        } else {
          strictCheck(node.props[k], v, `${path}/${k}`, problems, unchecked);
        }
      }
      break;
    default:
      throw new Error(`unexpected node ${node.k}`);
  }
  return { problems, unchecked };
}

function nearest(word, candidates) {
  let best = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 4)) ? best : null;
}

function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
