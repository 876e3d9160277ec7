// Validates the objects of one rendered overlay (the output of `kubectl kustomize`), see tools/k8s/check.
//
//   node validate.mjs <overlay-name> <rendered.yaml> [<external-objects.txt> [<rabbitmq permissions file>]]
//
// The RabbitMQ permissions file (deploy/rabbitmq/permissions) is the single source of the services' RabbitMQ
// permissions; the overlays must state exactly the same (house rule below).
//
// 1. Schema: every object of a Kubernetes kind against the official OpenAPI schema (npm kubernetes-models,
//    ajv-compiled), ServiceMonitor against the Prometheus Operator's CRD schema (@kubernetes-models/
//    prometheus-operator), and the operators' resources against operator-schemas.mjs. The Kubernetes schemas do
//    not forbid unknown fields (the API server prunes or rejects them), so unknown fields are found here: each
//    object is validated through a proxy that records which fields the schema looked at, and any field the
//    schema never looked at is an error (a typo such as `readinesProbe` or a field at the wrong level).
// 2. House rules across the objects (see rules() below).
//
// Prints one line per problem and a summary; exits 1 when there is any problem.

import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";
import { operatorSchemas, embeddedCoreTypes } from "./operator-schemas.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const [overlay, renderedFile, externalFile, permissionsFile] = process.argv.slice(2);
if (!overlay || !renderedFile) {
  console.error("usage: node validate.mjs <overlay-name> <rendered.yaml> [<external-objects.txt> [<rabbitmq permissions file>]]");
  process.exit(2);
}

const problems = [];
const problem = (object, message) => problems.push(`${overlay}: ${describe(object)}: ${message}`);
const describe = (o) => (o ? `${o.kind ?? "?"}/${o.metadata?.name ?? "?"}` : "(file)");

// ---- reading ------------------------------------------------------------------------------------------------
const objects = [];
for (const doc of parseAllDocuments(readFileSync(renderedFile, "utf8"))) {
  if (doc.errors.length > 0) {
    problems.push(`${overlay}: YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const value = doc.toJS();
  if (value != null) objects.push(value);
}

// ---- 1. schemas ---------------------------------------------------------------------------------------------
// apiVersion + kind -> the module of its model; the model's module names its compiled validator.
const modelModules = {
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};
function modelModule(apiVersion) {
  if (modelModules[apiVersion]) return modelModules[apiVersion];
  // "v1" is the core group; "apps/v1", "policy/v1", "autoscaling/v2" are groups of kubernetes-models.
  return `kubernetes-models/${apiVersion}`;
}

const validatorCache = new Map();
async function coreValidator(apiVersion, kind) {
  const key = `${apiVersion} ${kind}`;
  if (validatorCache.has(key)) return validatorCache.get(key);
  let validator = null;
  try {
    // By file: the packages' "exports" do not list the compiled validators.
    const modelFile = join(here, "..", "node_modules", modelModule(apiVersion), `${kind}.js`);
    // The model module imports its validator from ../_schemas/<Definition>.js; use that validator directly.
    const match = /from"([^"]*_schemas\/[A-Za-z0-9]+\.js)"/.exec(readFileSync(modelFile, "utf8"));
    if (match) {
      validator = (await import(pathToFileURL(join(dirname(modelFile), match[1])).href)).validate;
    }
  } catch {
    validator = null;
  }
  validatorCache.set(key, validator);
  return validator;
}

async function definitionValidator(definition) {
  const file = join(here, "..", "node_modules", "kubernetes-models", "_schemas", `${definition}.js`);
  return (await import(pathToFileURL(file).href)).validate;
}

// The compiled validators carry no messages; say what the keyword means.
function explain(e) {
  if (e.message) return e.message;
  const p = e.params ?? {};
  switch (e.keyword) {
    case "type": return `must be ${p.type}`;
    case "required": return `must have the required field '${p.missingProperty}'`;
    case "enum": return `must be one of ${(p.allowedValues ?? []).join(", ")}`;
    case "format": return `must match the format "${p.format}"`;
    default: return `fails ${e.keyword} ${JSON.stringify(p)}`;
  }
}

// Runs an ajv-compiled validator over a proxy of `data` that records which fields the validator read. Returns
// [schema errors, unknown fields]: a field no part of the schema read is unknown to it.
function validateStrictly(validate, data) {
  const seen = new WeakMap();
  const track = (value) => {
    if (value === null || typeof value !== "object") return value;
    if (!seen.has(value)) seen.set(value, new Set());
    return new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === "string" && Object.hasOwn(target, key)) seen.get(target).add(key);
        return track(Reflect.get(target, key, receiver));
      },
    });
  };
  const valid = validate(track(data));
  const errors = valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${explain(e)}`);
  const unknown = [];
  const walk = (value, path) => {
    if (value === null || typeof value !== "object") return;
    const read = seen.get(value) ?? new Set();
    for (const key of Object.keys(value)) {
      const child = `${path}/${key}`;
      if (!Array.isArray(value) && !read.has(key)) unknown.push(child);
      else walk(value[key], child);
    }
  };
  walk(data, "");
  return [errors, unknown];
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const operatorValidators = Object.fromEntries(Object.entries(operatorSchemas).map(([k, s]) => [k, ajv.compile(s)]));

const counts = { kubernetes: 0, crd: 0, operator: 0 };
for (const object of objects) {
  const key = `${object.apiVersion} ${object.kind}`;
  if (operatorValidators[key]) {
    const validate = operatorValidators[key];
    if (!validate(object)) {
      for (const e of validate.errors) {
        const extra = e.keyword === "additionalProperties" ? ` '${e.params.additionalProperty}'` : "";
        problem(object, `${e.instancePath || "/"} ${e.message}${extra} (subset schema, tools/k8s/operator-schemas.mjs)`);
      }
    }
    for (const [path, definition] of embeddedCoreTypes[key] ?? []) {
      const part = path.reduce((o, k) => (o == null ? undefined : o[k]), object);
      if (part === undefined) continue;
      const [errors, unknown] = validateStrictly(await definitionValidator(definition), part);
      errors.forEach((e) => problem(object, `/${path.join("/")}${e} (${definition})`));
      unknown.forEach((u) => problem(object, `unknown field /${path.join("/")}${u} (${definition})`));
    }
    counts.operator++;
    continue;
  }
  const validate = await coreValidator(object.apiVersion, object.kind);
  if (!validate) {
    problem(object, `no schema for ${key}: not a Kubernetes kind this check knows (typo in apiVersion or kind?)`);
    continue;
  }
  const [errors, unknown] = validateStrictly(validate, object);
  errors.forEach((e) => problem(object, e));
  unknown.forEach((u) => problem(object, `unknown field ${u}`));
  if (object.apiVersion.includes(".coreos.com")) counts.crd++;
  else counts.kubernetes++;
}

// ---- 2. house rules -----------------------------------------------------------------------------------------
const byKind = (kind) => objects.filter((o) => o.kind === kind);
const workloads = [...byKind("Deployment"), ...byKind("StatefulSet")];
const matches = (selector, labels) =>
  selector != null && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const podLabels = (w) => w.spec?.template?.metadata?.labels ?? {};
const containersOf = (w) => [...(w.spec?.template?.spec?.initContainers ?? []), ...(w.spec?.template?.spec?.containers ?? [])];

// Objects that exist in the cluster but are not in the render (created by an operator or by hand), declared
// with the reason in the overlay's external-objects.txt: "Kind/name  why".
const external = new Set();
if (externalFile && existsSync(externalFile)) {
  for (const line of readFileSync(externalFile, "utf8").split("\n")) {
    const entry = line.replace(/#.*/, "").trim().split(/\s+/)[0];
    if (entry) external.add(entry);
  }
}
const exists = (kind, name) => external.has(`${kind}/${name}`) || objects.some((o) => o.kind === kind && o.metadata?.name === name);

for (const w of workloads) {
  const spec = w.spec?.template?.spec ?? {};
  for (const c of containersOf(w)) {
    const where = `container ${c.name}`;
    if (!c.livenessProbe) problem(w, `${where} has no livenessProbe`);
    if (!c.readinessProbe) problem(w, `${where} has no readinessProbe`);
    for (const r of ["cpu", "memory"]) {
      if (!c.resources?.requests?.[r]) problem(w, `${where} has no resources.requests.${r}`);
    }
    if (!c.resources?.limits?.memory) problem(w, `${where} has no resources.limits.memory`);
    const image = c.image ?? "";
    const digest = image.includes("@sha256:");
    const tag = /:([^/:@]+)$/.exec(image)?.[1];
    if (!digest && !tag) problem(w, `${where} image '${image}' has no tag (implicitly latest)`);
    if (tag === "latest") problem(w, `${where} image '${image}' uses the tag latest`);
    for (const p of c.ports ?? []) {
      if (!p.name) problem(w, `${where} port ${p.containerPort} has no name`);
    }
    const sleep = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
    const grace = spec.terminationGracePeriodSeconds ?? 30;
    if (sleep >= grace) problem(w, `${where} preStop sleeps ${sleep}s, not less than terminationGracePeriodSeconds ${grace}`);
    for (const ref of c.envFrom ?? []) {
      if (ref.configMapRef && !exists("ConfigMap", ref.configMapRef.name)) problem(w, `${where} envFrom ConfigMap ${ref.configMapRef.name} does not exist`);
      if (ref.secretRef && !exists("Secret", ref.secretRef.name)) problem(w, `${where} envFrom Secret ${ref.secretRef.name} does not exist`);
    }
    for (const e of c.env ?? []) {
      const s = e.valueFrom?.secretKeyRef;
      const m = e.valueFrom?.configMapKeyRef;
      if (s && !exists("Secret", s.name)) problem(w, `${where} env ${e.name} refers to Secret ${s.name}, which does not exist`);
      if (m && !exists("ConfigMap", m.name)) problem(w, `${where} env ${e.name} refers to ConfigMap ${m.name}, which does not exist`);
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.configMap && !exists("ConfigMap", v.configMap.name)) problem(w, `volume ${v.name} refers to ConfigMap ${v.configMap.name}, which does not exist`);
    if (v.secret && !exists("Secret", v.secret.secretName)) problem(w, `volume ${v.name} refers to Secret ${v.secret.secretName}, which does not exist`);
    for (const source of v.projected?.sources ?? []) {
      if (source.configMap && !exists("ConfigMap", source.configMap.name)) problem(w, `volume ${v.name} projects ConfigMap ${source.configMap.name}, which does not exist`);
      if (source.secret && !exists("Secret", source.secret.name)) problem(w, `volume ${v.name} projects Secret ${source.secret.name}, which does not exist`);
    }
  }
  if (!matches(w.spec?.selector?.matchLabels, podLabels(w))) problem(w, "spec.selector does not match the pod template's labels");
}

// The platform's own services (label app.kubernetes.io/part-of=shop): graceful shutdown and the Spring profile.
const platformConfig = objects.find((o) => o.kind === "ConfigMap" && o.metadata?.name?.startsWith("shop-platform"));
for (const w of byKind("Deployment").filter((d) => d.metadata?.labels?.["app.kubernetes.io/part-of"] === "shop")) {
  for (const c of w.spec?.template?.spec?.containers ?? []) {
    if (!c.lifecycle?.preStop) problem(w, `container ${c.name} has no preStop hook (endpoints must drain before shutdown)`);
    if (!c.startupProbe) problem(w, `container ${c.name} has no startupProbe`);
  }
}
if (byKind("Deployment").some((d) => d.metadata?.labels?.["app.kubernetes.io/part-of"] === "shop")) {
  const profiles = platformConfig?.data?.SPRING_PROFILES_ACTIVE ?? "";
  if (!profiles.split(",").includes("kubernetes")) {
    problems.push(`${overlay}: ConfigMap shop-platform: SPRING_PROFILES_ACTIVE '${profiles}' lacks the profile kubernetes (Eureka would be used)`);
  }
}

for (const s of byKind("Service")) {
  if (s.spec?.type === "ExternalName") continue;
  const selector = s.spec?.selector;
  const targets = workloads.filter((w) => w.metadata?.namespace === s.metadata?.namespace && matches(selector, podLabels(w)));
  if (targets.length === 0) {
    problem(s, `selector ${JSON.stringify(selector ?? {})} matches no Deployment's or StatefulSet's pods`);
    continue;
  }
  for (const p of s.spec?.ports ?? []) {
    if (!p.name) problem(s, `port ${p.port} has no name`);
    const target = p.targetPort ?? p.port;
    const served = targets.some((w) =>
      containersOf(w).some((c) => (c.ports ?? []).some((cp) => (typeof target === "string" ? cp.name === target : cp.containerPort === target))),
    );
    if (!served) problem(s, `port ${p.name ?? p.port} targets ${target}, which no container of ${targets.map(describe).join(", ")} declares`);
  }
}

for (const pdb of byKind("PodDisruptionBudget")) {
  const selector = pdb.spec?.selector?.matchLabels;
  if (!workloads.some((w) => w.metadata?.namespace === pdb.metadata?.namespace && matches(selector, podLabels(w)))) {
    problem(pdb, `selector ${JSON.stringify(selector ?? {})} matches no workload's pods`);
  }
}

// A NetworkPolicy whose selector matches no pod protects nothing, silently (an empty selector would mean every pod of
// the namespace; none of ours is written that way).
for (const policy of byKind("NetworkPolicy")) {
  const selector = policy.spec?.podSelector?.matchLabels;
  if (!workloads.some((w) => w.metadata?.namespace === policy.metadata?.namespace && matches(selector, podLabels(w)))) {
    problem(policy, `podSelector ${JSON.stringify(selector ?? {})} matches no workload's pods`);
  }
}

for (const hpa of byKind("HorizontalPodAutoscaler")) {
  const ref = hpa.spec?.scaleTargetRef ?? {};
  const target = workloads.find((w) => w.kind === ref.kind && w.metadata?.name === ref.name && w.metadata?.namespace === hpa.metadata?.namespace);
  if (!target) {
    problem(hpa, `scaleTargetRef ${ref.kind}/${ref.name} does not exist`);
    continue;
  }
  if (target.spec?.replicas !== undefined) problem(hpa, `its target ${describe(target)} sets spec.replicas, which every apply would reset`);
  if ((hpa.spec?.minReplicas ?? 1) > hpa.spec?.maxReplicas) problem(hpa, "minReplicas is above maxReplicas");
  const containers = target.spec?.template?.spec?.containers ?? [];
  if (containers.some((c) => !c.resources?.requests?.cpu)) problem(hpa, `scales on CPU but ${describe(target)} has a container without a CPU request`);
}

// Broker identities. RabbitMQ: the services' permissions are those of deploy/rabbitmq/permissions, whichever way an
// overlay states them: the Messaging Topology Operator's Permission resources (one per user of the file, on "/",
// naming a User of the render that imports an existing Secret), or the ConfigMap rabbitmq-users (key permissions,
// the local RabbitMQ's postStart hook reads it), whose lines must be the file's. An overlay with a RabbitmqCluster
// must have the Permissions. Kafka: every KafkaUser belongs to a Kafka of the render, and every topic it is granted
// by name is a KafkaTopic of the render (a misspelt topic would be an ACL for nothing).
function parsePermissions(text) {
  // "user configure write read" per line; lines starting with # are comments. Returns [entries by user, errors].
  const entries = new Map();
  const errors = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const columns = line.split(/\s+/);
    if (columns.length !== 4) errors.push(`line ${i + 1} has ${columns.length} columns, not 4 (user configure write read)`);
    else if (entries.has(columns[0])) errors.push(`line ${i + 1}: user ${columns[0]} twice`);
    else entries.set(columns[0], { configure: columns[1], write: columns[2], read: columns[3] });
  });
  return [entries, errors];
}
const permissionObjects = byKind("Permission").filter((o) => o.apiVersion === "rabbitmq.com/v1beta1");
const permissionsConfigMaps = byKind("ConfigMap").filter((o) => /^rabbitmq-users(-[a-z0-9]+)?$/.test(o.metadata?.name ?? ""));
const clusters = byKind("RabbitmqCluster");
if (permissionObjects.length > 0 || permissionsConfigMaps.length > 0 || clusters.length > 0) {
  let source = null;
  if (!permissionsFile || !existsSync(permissionsFile)) {
    problems.push(`${overlay}: the RabbitMQ permissions file ${permissionsFile ?? "(not given)"} cannot be read, so the RabbitMQ permissions are not checked`);
  } else {
    const [entries, errors] = parsePermissions(readFileSync(permissionsFile, "utf8"));
    errors.forEach((e) => problems.push(`${overlay}: ${permissionsFile}: ${e}`));
    source = entries;
  }
  const fields = ["configure", "write", "read"];
  if (source) {
    const stated = new Set();
    for (const p of permissionObjects) {
      const spec = p.spec ?? {};
      const user = spec.userReference?.name ?? spec.user;
      const expected = source.get(user);
      if (spec.vhost !== "/") problem(p, `vhost '${spec.vhost}': deploy/rabbitmq/permissions is for the virtual host "/"`);
      if (!expected) {
        problem(p, `user ${user} has no line in deploy/rabbitmq/permissions`);
        continue;
      }
      if (stated.has(user)) problem(p, `a second Permission for user ${user}`);
      stated.add(user);
      for (const f of fields) {
        const actual = spec.permissions?.[f];
        if (actual !== expected[f]) problem(p, `${f} '${actual ?? ""}' differs from deploy/rabbitmq/permissions (user ${user}): '${expected[f]}'`);
      }
      if (spec.userReference && !objects.some((o) => o.kind === "User" && o.apiVersion === p.apiVersion && o.metadata?.name === spec.userReference.name)) {
        problem(p, `userReference ${spec.userReference.name}: no User of that name`);
      }
      const cluster = spec.rabbitmqClusterReference?.name;
      if (cluster && !clusters.some((c) => c.metadata?.name === cluster)) problem(p, `rabbitmqClusterReference ${cluster}: no RabbitmqCluster of that name`);
    }
    if (clusters.length > 0) {
      for (const user of source.keys()) {
        if (!stated.has(user)) problems.push(`${overlay}: RabbitMQ user ${user} of deploy/rabbitmq/permissions has no Permission resource`);
      }
    }
    for (const cm of permissionsConfigMaps) {
      const [entries, errors] = parsePermissions(cm.data?.permissions ?? "");
      errors.forEach((e) => problem(cm, `permissions: ${e}`));
      for (const [user, expected] of source) {
        const actual = entries.get(user);
        if (!actual) problem(cm, `permissions: user ${user} of deploy/rabbitmq/permissions is missing`);
        else for (const f of fields) {
          if (actual[f] !== expected[f]) problem(cm, `permissions: ${f} of ${user} '${actual[f]}' differs from deploy/rabbitmq/permissions: '${expected[f]}'`);
        }
      }
      for (const user of entries.keys()) {
        if (!source.has(user)) problem(cm, `permissions: user ${user} is not in deploy/rabbitmq/permissions`);
      }
    }
  }
  for (const u of byKind("User").filter((o) => o.apiVersion === "rabbitmq.com/v1beta1")) {
    const secret = u.spec?.importCredentialsSecret?.name;
    if (secret && !exists("Secret", secret)) problem(u, `importCredentialsSecret ${secret} does not exist`);
    const cluster = u.spec?.rabbitmqClusterReference?.name;
    if (cluster && !clusters.some((c) => c.metadata?.name === cluster)) problem(u, `rabbitmqClusterReference ${cluster}: no RabbitmqCluster of that name`);
  }
}
const kafkaTopicNames = new Set(byKind("KafkaTopic").map((t) => t.spec?.topicName ?? t.metadata?.name));
for (const u of byKind("KafkaUser")) {
  const cluster = u.metadata?.labels?.["strimzi.io/cluster"];
  if (!byKind("Kafka").some((k) => k.metadata?.name === cluster)) problem(u, `label strimzi.io/cluster '${cluster ?? ""}' names no Kafka of the render`);
  for (const acl of u.spec?.authorization?.acls ?? []) {
    const r = acl.resource ?? {};
    if (r.type === "topic" && (r.patternType ?? "literal") === "literal" && r.name !== "*" && !kafkaTopicNames.has(r.name)) {
      problem(u, `ACL for topic ${r.name}, which is no KafkaTopic of the render`);
    }
  }
}

const seenNames = new Set();
for (const o of objects) {
  const id = `${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name}`;
  if (seenNames.has(id)) problem(o, "defined twice");
  seenNames.add(id);
}

// ---- summary ------------------------------------------------------------------------------------------------
for (const p of problems) console.log(`PROBLEM ${p}`);
console.log(
  `${overlay}: ${objects.length} objects: ${counts.kubernetes} against the Kubernetes schemas, ${counts.crd} against ` +
    `CRD schemas, ${counts.operator} against the operator subset schemas; house rules over ${workloads.length} workloads, ` +
    `${byKind("Service").length} Services, ${byKind("PodDisruptionBudget").length} PDBs, ${byKind("NetworkPolicy").length} NetworkPolicies, ` +
    `${byKind("HorizontalPodAutoscaler").length} HPAs: ${problems.length} problem(s)`,
);
process.exit(problems.length > 0 ? 1 : 0);
