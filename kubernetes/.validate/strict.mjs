// Strict field check: every field of every object must be one the Kubernetes API defines.
//
// kubernetes-models validates types, enums and required fields, but its schemas allow any
// additional property, so `replicass: 1` or `imagePullPolicyy: Always` pass it (and the API
// server would drop them silently, or reject them, depending on its field validation). The
// property lists are taken from the TypeScript declarations kubernetes-models ships (generated
// from the same OpenAPI document as its schemas): each interface lists its properties and
// their types, so the whole object tree can be walked.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function packageDir(name) {
  return dirname(require.resolve(`${name}/package.json`));
}

function* dtsFiles(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "_schemas") continue;
    const p = join(dir, entry);
    const st = statSync(p);
    if (st.isDirectory()) yield* dtsFiles(p);
    else if (entry.endsWith(".d.ts") && entry !== "index.d.ts") yield p;
  }
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
function parseMembers(body) {
  const members = [];
  let index = null;
  for (const part of splitTop(body, ";")) {
    const idx = /^\[\s*\w+\s*:\s*string\s*\]\s*:\s*([\s\S]+)$/.exec(part);
    if (idx) {
      index = idx[1].trim();
      continue;
    }
    const m = /^(?:readonly\s+)?(?:"([^"]+)"|'([^']+)'|([A-Za-z_$][\w$]*))(\?)?\s*:\s*([\s\S]+)$/.exec(part);
    if (!m) throw new Error(`cannot parse member: ${part}`);
    members.push({ name: m[1] ?? m[2] ?? m[3], optional: !!m[4], type: m[5].trim() });
  }
  return { members, index };
}

// Parses a type expression into a node: {k:"any"} | {k:"scalar"} | {k:"array", of} |
// {k:"map", of} | {k:"ref", name} | {k:"struct", props}.
function parseType(expr) {
  let t = expr.trim();
  while (t.startsWith("(") && t.endsWith(")")) t = t.slice(1, -1).trim();
  const alts = splitTop(t, "|").filter((a) => a !== "null" && a !== "undefined");
  if (alts.length > 1) {
    const nodes = alts.map(parseType);
    if (nodes.every((n) => n.k === "scalar")) return { k: "scalar" };
    return { k: "any", why: `union ${t}` };
  }
  t = alts[0] ?? "any";
  if (/^(string|number|boolean|bigint)$/.test(t) || /^(["']).*\1$/.test(t) || /^-?\d/.test(t) || /^(true|false)$/.test(t)) {
    return { k: "scalar" };
  }
  if (/^(any|unknown|object|\{\s*\})$/.test(t)) return { k: "any", why: t };
  let m = /^Array<([\s\S]+)>$/.exec(t);
  if (m) return { k: "array", of: parseType(m[1]) };
  m = /^([\s\S]+)\[\]$/.exec(t);
  if (m) return { k: "array", of: parseType(m[1]) };
  if (t.startsWith("{") && t.endsWith("}")) {
    const { members, index } = parseMembers(t.slice(1, -1));
    if (index !== null && members.length === 0) return { k: "map", of: parseType(index) };
    if (index !== null) return { k: "any", why: "object with index signature and members" };
    return { k: "struct", props: Object.fromEntries(members.map((p) => [p.name, parseType(p.type)])) };
  }
  if (/^[A-Za-z_$][\w$]*$/.test(t)) return { k: "ref", name: t };
  return { k: "any", why: t };
}

// Reads the declarations of kubernetes-models and @kubernetes-models/apimachinery into one
// registry keyed by the long exported names (IIoK8sApiAppsV1DeploymentSpec, ...), which are
// unique across both packages.
let cached = null;
export function loadRegistry() {
  cached ??= readRegistry();
  return cached;
}

function readRegistry() {
  const types = new Map(); // long name -> node
  const byFile = new Map(); // kubernetes-models relative file -> local interface name
  const roots = [packageDir("kubernetes-models"), packageDir("@kubernetes-models/apimachinery")];
  for (const root of roots) {
    for (const file of dtsFiles(root)) {
      const text = stripComments(readFileSync(file, "utf8"));
      const local = new Map();
      for (const m of text.matchAll(/export\s+(?:declare\s+)?interface\s+(\w+)(?:\s+extends\s+[^{]+)?\s*\{/g)) {
        const open = m.index + m[0].length - 1;
        const close = matchingBrace(text, open);
        const { members, index } = parseMembers(text.slice(open + 1, close));
        if (members.length === 0 && index === null) {
          local.set(m[1], { k: "any", why: `free-form ${m[1]}` }); // e.g. RawExtension, FieldsV1
        } else if (index !== null && members.length === 0) {
          local.set(m[1], { k: "map", of: parseType(index) });
        } else {
          local.set(m[1], { k: "struct", props: Object.fromEntries(members.map((p) => [p.name, parseType(p.type)])) });
        }
      }
      for (const m of text.matchAll(/export\s+(?:declare\s+)?type\s+(\w+)\s*=\s*([^;]+);/g)) {
        local.set(m[1], parseType(m[2]));
      }
      for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s*;/g)) {
        for (const spec of m[1].split(",")) {
          const a = /^\s*(\w+)\s+as\s+(\w+)\s*$/.exec(spec);
          if (a && local.has(a[1])) types.set(a[2], local.get(a[1]));
        }
      }
      if (root === roots[0]) {
        const rel = file.slice(root.length + 1).replace(/\.d\.ts$/, "");
        const kind = rel.split("/").pop();
        if (local.has(`I${kind}`)) byFile.set(rel, local.get(`I${kind}`));
      }
    }
  }
  return { types, byFile };
}

function resolve(registry, node, seen = new Set()) {
  while (node.k === "ref") {
    if (seen.has(node.name)) return { k: "any", why: `recursive ${node.name}` };
    seen.add(node.name);
    const next = registry.types.get(node.name);
    if (!next) return { k: "any", why: `unknown type ${node.name}` };
    node = next;
  }
  return node;
}

// The declaration of a top-level object: kubernetes-models/<group>/<version>/<Kind>.d.ts
// (core: v1/<Kind>.d.ts).
export function rootType(registry, apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return null;
  return registry.byFile.get(`${apiVersion}/${kind}`) ?? null;
}

// Walks value against node; reports unknown fields (and values of the wrong shape where a
// structure is expected) as {path, message}. Values whose type is free-form are not looked
// into; their paths are returned in `unchecked` so nothing is skipped silently.
export function strictCheck(registry, node, value, path = "", problems = [], unchecked = []) {
  node = resolve(registry, node);
  if (value === null || value === undefined) return { problems, unchecked };
  switch (node.k) {
    case "any":
      if (typeof value === "object") unchecked.push(`${path || "/"} (${node.why})`);
      break;
    case "scalar":
      break; // types of scalars: kubernetes-models' schema check
    case "array":
      if (Array.isArray(value)) value.forEach((v, i) => strictCheck(registry, node.of, v, `${path}/${i}`, problems, unchecked));
      break;
    case "map":
      if (typeof value === "object" && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) strictCheck(registry, node.of, v, `${path}/${k}`, problems, unchecked);
      }
      break;
    case "struct":
      if (typeof value !== "object" || Array.isArray(value)) break; // the schema check reports the type
      for (const [k, v] of Object.entries(value)) {
        if (!(k in node.props)) {
          const near = nearest(k, Object.keys(node.props));
          problems.push({ path: `${path}/${k}`, message: `unknown field "${k}"${near ? ` (did you mean "${near}"?)` : ""}` });
        } else {
          strictCheck(registry, node.props[k], v, `${path}/${k}`, problems, unchecked);
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
