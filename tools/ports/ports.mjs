// ports.properties is the one list of the platform's ports. Every other place that names one of them is checked
// against it, or rewritten from it; see tools/ports/check and tools/ports/sync, which run this file.
//
//   node tools/ports/ports.mjs check [root]   one line per place that disagrees (file:line, expected, found); exit 1
//   node tools/ports/ports.mjs sync [root]    rewrites those places, and the README's port table
//   node tools/ports/ports.mjs selftest       moves a port in a copy of the repository: sync, then check passes, and a
//                                             place changed by hand fails it
//
// Where a port is written is known three ways, strongest first:
//   RULES     a place of one port: a YAML/JSON value found by its path (docker-compose, Kubernetes, Prometheus,
//             Postman, application.yml) or a pattern that names the port's part (`/realms/` is Keycloak's, `${REDIS_PORT:`
//             Redis'); it must be exactly that port, and sync writes it.
//   mentions  host:port anywhere else (`http://zipkin:9411`, `localhost:8080` in the docs): the port must be one of that
//             host's (any of ports.properties for localhost); sync moves one that a RULES place moved from.
//   prose     a bare port number in the docs and in comments, a port a RULES place moved from: sync moves it where the
//             line or the file's path names the port's part, and lists the others to look at; not checked.
// The README's port table is generated between its markers; service names are checked across modules, compose,
// Kubernetes and Prometheus.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, isMap, isSeq, isScalar } from 'yaml';

// ---- ports.properties -------------------------------------------------------------------------------------------

export function readPorts(root) {
  const ports = new Map();
  for (const line of fs.readFileSync(path.join(root, 'ports.properties'), 'utf8').split('\n')) {
    const entry = /^([\w.-]+)=(\d+)\s*$/.exec(line);
    if (entry) ports.set(entry[1], Number(entry[2]));
  }
  return ports;
}

const partOf = (key) => key.split('.')[0];
const keysOf = (ports, part) => [...ports.keys()].filter((key) => partOf(key) === part);
// The services (Maven modules of this repository) are the parts with an HTTP and a management port, but for the
// infrastructure that has both too.
const INFRASTRUCTURE_WITH_MANAGEMENT = ['keycloak'];
const servicesOf = (ports) => [...new Set([...ports.keys()].map(partOf))]
  .filter((part) => ports.has(`${part}.http`) && ports.has(`${part}.management`) && !INFRASTRUCTURE_WITH_MANAGEMENT.includes(part));

// Host names of parts other than their name in ports.properties (compose services, Kubernetes Services).
const HOST_PARTS = { postgres: 'postgresql', mailpit: 'mail' };
// Ports of infrastructure that only the containers next to it reach, so ports.properties does not list them.
const INSIDE_NETWORK = {
  kafka: [29092], // compose: the listener the other containers use (kafka:29092)
  mailpit: [1025], // Mailpit's SMTP port (compose, Kubernetes); ./platform's GreenMail is mail.smtp
};
// The ports a compose service publishes on 127.0.0.1, in the order of its `ports:` list, where that is not every
// port of its part but the management ones.
const COMPOSE_PUBLISHED = {
  kafka: ['kafka.broker'],
  mailpit: ['mail.http'],
  rabbitmq: ['rabbitmq.amqp', 'rabbitmq.management'],
};
// Kubernetes port names that are not the listener's name in ports.properties.
const K8S_LISTENERS = { 'kafka.kafka': 'kafka.broker', 'mail.smtp': null /* Mailpit's, INSIDE_NETWORK */ };

/** The key of `part`'s `listener`, the part's only key when it has one, null when it is no port of ports.properties. */
function listenerKey(ports, host, listener) {
  const part = HOST_PARTS[host] ?? host.replace(/-grpc$/, '');
  const named = `${part}.${listener}`;
  if (named in K8S_LISTENERS) return K8S_LISTENERS[named];
  if (ports.has(named)) return named;
  return ports.has(part) ? part : undefined;
}

/** The ports a host name may be reached on, or null for a name that is no part of ports.properties. */
function portsOfHost(ports, host) {
  if (host === 'localhost' || host === '127.0.0.1') return [...ports.values()];
  const grpc = /^(.+)-grpc$/.exec(host);
  if (grpc && ports.has(`${grpc[1]}.grpc`)) return [ports.get(`${grpc[1]}.grpc`)];
  const keys = keysOf(ports, HOST_PARTS[host] ?? host);
  return keys.length === 0 ? null : [...keys.map((key) => ports.get(key)), ...(INSIDE_NETWORK[host] ?? [])];
}

// ---- the places of one port each ---------------------------------------------------------------------------------
// files: a path relative to the repository. path: a YAML/JSON value's path, segments joined by "/": map keys, and for a
// list item its `name`, `key` or `job_name` (else its index); a Kubernetes object's path starts with Kind/name. text: a
// pattern over the whole file instead. value: where the port is in the value (every group). key(groups, ports, object):
// its key in ports.properties; null when the place holds no port of ports.properties.

const PART = '(?<s>[a-z][a-z-]*)';
const COMPOSE = /^docker-compose\.yml$/;
const K8S = /^deploy\/k8s\/.+\.ya?ml$/;
const CONTAINERS = /^(docker-compose\.yml|deploy\/k8s\/.+\.ya?ml)$/;
const ANY = /./;
const SPRING = /^(?<m>[a-z][a-z-]*)\/src\/main\/resources\/application\.yml$/;

const RULES = [
  // docker-compose.yml: the image's ports, the published ports (that only on 127.0.0.1 is tools/compose/check's), health checks
  { files: COMPOSE, path: `^services/${PART}/build/args/HTTP_PORT$`, value: /(\d+)/, key: (g) => `${g.s}.http` },
  { files: COMPOSE, path: `^services/${PART}/build/args/MANAGEMENT_PORT$`, value: /(\d+)/, key: (g) => `${g.s}.management` },
  { files: COMPOSE, path: `^services/${PART}/ports/(?<i>\\d+)$`, value: /^"?(?:[\d.]+:)?(\d+):(\d+)"?$/,
    key: (g, ports) => (COMPOSE_PUBLISHED[g.s] ?? keysOf(ports, HOST_PARTS[g.s] ?? g.s).filter((k) => !k.endsWith('.management')))[g.i] },
  { files: COMPOSE, path: `^services/${PART}/healthcheck/test/\\d+$`, value: /127\.0\.0\.1[:/](\d+)/,
    key: (g, ports) => (g.s === 'keycloak' ? 'keycloak.management' : ports.has(g.s) ? g.s : null) },
  // environment variables of compose and Kubernetes (a Kubernetes env entry's path ends in NAME/value)
  { files: CONTAINERS, path: '(^|/)KC_HTTP_PORT(/value)?$', value: /(\d+)/, key: () => 'keycloak.http' },
  { files: CONTAINERS, path: '(^|/)KC_HTTP_MANAGEMENT_PORT(/value)?$', value: /(\d+)/, key: () => 'keycloak.management' },
  { files: CONTAINERS, path: '(^|/)KC_HOSTNAME(/value)?$', value: /:(\d+)/, key: () => 'keycloak.http' },
  { files: COMPOSE, path: '(^|/)RABBITMQ_PORT$', value: /(\d+)/, key: () => 'rabbitmq.amqp' },
  { files: COMPOSE, path: '(^|/)REDIS_PORT$', value: /(\d+)/, key: () => 'redis' },
  // Kafka's listeners, wherever a broker is configured (compose, Kubernetes, tools/kafka/server.properties)
  { files: ANY, text: /\b(?:HOST|PLAINTEXT):\/\/[\w.]*:(\d+)/g, key: () => 'kafka.broker' },
  { files: ANY, text: /\bCONTROLLER:\/\/[\w.]*:(\d+)/g, key: () => 'kafka.controller' },
  { files: ANY, text: /\b1@[\w.]+:(\d+)/g, key: () => 'kafka.controller' },
  // Kubernetes: the containers' and Services' ports, the probes, the scrape annotation, the NetworkPolicy's egress
  { files: K8S, path: `^(Deployment|StatefulSet)/${PART}/spec/template/spec/containers/[^/]+/ports/(?<l>[^/]+)/containerPort$`,
    value: /(\d+)/, key: (g, ports) => listenerKey(ports, g.s, g.l) },
  { files: K8S, path: `^Service/${PART}/spec/ports/(?<l>[^/]+)/port$`, value: /(\d+)/, key: (g, ports) => listenerKey(ports, g.s, g.l) },
  { files: K8S, path: `^Deployment/${PART}/spec/template/spec/containers/[^/]+/startupProbe/grpc/port$`, value: /(\d+)/,
    key: (g) => `${g.s}.grpc` },
  { files: K8S, path: `^Deployment/${PART}/spec/template/metadata/annotations/prometheus\\.io/port$`, value: /(\d+)/,
    key: (g) => `${g.s}.management` },
  { files: K8S, path: '^NetworkPolicy/[^/]+/spec/egress/(?<i>\\d+)/ports/\\d+/port$', value: /^(\d+)$/,
    host: (g, object) => object.spec.egress[g.i].to?.[0]?.podSelector?.matchLabels?.['app.kubernetes.io/name'] ?? null },
  // Prometheus: one job per service, on its management port; RabbitMQ's own metrics
  { files: /^deploy\/prometheus\/prometheus(-local)?\.yml$/, path: `^scrape_configs/${PART}/(dns_sd_configs/\\d+/port|static_configs/\\d+/targets/\\d+)$`,
    value: /(\d+)'?$/, key: (g, ports) => (servicesOf(ports).includes(g.s) ? `${g.s}.management` : g.s.startsWith('rabbitmq') ? 'rabbitmq.prometheus' : undefined) },
  // Postman's environment: where newman finds the gateway, Keycloak and RabbitMQ's management API
  { files: /^postman\/.+\.postman_environment\.json$/, path: '^values/(?<v>baseUrl|keycloakUrl|rabbitManagementUrl)/value$', value: /:(\d+)/,
    key: (g) => ({ baseUrl: 'api-gateway.http', keycloakUrl: 'keycloak.http', rabbitManagementUrl: 'rabbitmq.management' })[g.v] },
  // each service's application.yml: its own ports, and the defaults for the parts it uses
  { files: SPRING, path: '^server/port$', value: /(\d+)\}?$/, key: (g) => `${g.m}.http` },
  { files: SPRING, path: '^management/server/port$', value: /(\d+)\}?$/, key: (g) => `${g.m}.management` },
  { files: SPRING, path: '^spring/grpc/server/port$', value: /(\d+)\}?$/, key: (g) => `${g.m}.grpc` },
  { files: SPRING, text: /\((?:REST|pages on) (\d{4,5})/g, key: (g) => `${g.m}.http` }, // info.app.description
  { files: SPRING, text: /, gRPC (\d{4,5})\)/g, key: (g) => `${g.m}.grpc` },
  { files: ANY, text: /\$\{REDIS_PORT:(\d+)\}/g, key: () => 'redis' },
  { files: ANY, text: /\$\{RABBITMQ_PORT:(\d+)\}/g, key: () => 'rabbitmq.amqp' },
  { files: ANY, text: /\$\{SMTP_PORT:(\d+)\}/g, key: () => 'mail.smtp' },
  { files: ANY, text: /\$\{KAFKA_BOOTSTRAP_SERVERS:[\w.]+:(\d+)\}/g, key: () => 'kafka.broker' },
  { files: ANY, text: /\$\{EUREKA_ADDRESS:[\w.]+:(\d+)\}/g, key: () => 'discovery-server.http' },
  { files: ANY, text: /\$\{STOREFRONT_GATEWAY_URL:http:\/\/[\w.]+:(\d+)\}/g, key: () => 'api-gateway.http' },
  { files: ANY, text: /jdbc:postgresql:\/\/(?:localhost|127\.0\.0\.1):(\d+)/g, key: () => 'postgresql' },
  // URLs whose path says whose they are, in any file
  { files: ANY, text: /(?:localhost|127\.0\.0\.1):(\d+)\/realms\//g, key: () => 'keycloak.http' },
  { files: ANY, text: /(?:localhost|127\.0\.0\.1):(\d+)\/(?:api\/v2\/spans|zipkin)/g, key: () => 'zipkin' },
  // ./platform reads every other port from ports.properties itself; this one is RabbitMQ's plugin's own.
  { files: /^tools\/platform\/parts\/prometheus\.sh$/, text: /^RABBIT_PROMETHEUS_PORT=(\d+)/gm, key: () => 'rabbitmq.prometheus' },
];

// host:port in any file of the scope: a host of ports.properties, or loopback. Not after "@" (Kafka's 1@host:port, a
// RULES place), not before another ":" (compose's "127.0.0.1:8080:8080", one too), and four or five digits (an
// image's tag, postgres:17, is no port).
const MENTION = /(?<![\w.@-])(localhost|127\.0\.0\.1|[a-z][a-z-]*):(\d{4,5})\b(?!:\d|\.\d)/g;
// Mentions that are no port of the platform's: an example origin of a browser application (the gateway's CORS default).
const NOT_THE_PLATFORMS = /http:\/\/localhost:3000,http:\/\/localhost:5173/g;

// The files that may name a port. README.md is only checked for its generated port table (PORT_TABLE below).
const SCOPE = new RegExp('^(docker-compose[\\w.-]*\\.yml|\\.env\\.example|\\.ci/.+|deploy/.+|postman/.+|docs/.+\\.md'
  + '|tools/(?!ports/|node_modules/|package-lock\\.json).+|(?!README\\.md$)([\\w-]+/)*README\\.md'
  + '|[\\w/-]+/src/main/.+\\.(ya?ml|java|properties)|[\\w-]+/pom\\.xml)$');
// Where a bare port number is prose: the docs, and the comments of configuration files, scripts and Java.
const PROSE = /\.md$/;
const COMMENT = /(?:^|\s)(?:#|\/\/|\*|<!--)\s.*$/gm;

// ---- reading places ------------------------------------------------------------------------------------------------

function filesOf(root) {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!['.git', 'node_modules', 'target', '.platform', '.mvn'].includes(entry.name)) walk(relative);
      } else if (entry.isFile() && SCOPE.test(relative)) {
        found.push(relative);
      }
    }
  };
  walk('');
  return found.sort();
}

// Every scalar of a YAML/JSON document: [path, node] (a Kubernetes object's path starts with Kind/name).
function* scalars(node, segments) {
  if (isMap(node)) {
    for (const pair of node.items) yield* scalars(pair.value, [...segments, String(isScalar(pair.key) ? pair.key.value : '?')]);
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const name = isMap(item) ? item.get('name') ?? item.get('key') ?? item.get('job_name') : undefined;
      yield* scalars(item, [...segments, typeof name === 'string' ? name : String(index)]);
    }
  } else if (isScalar(node) && node.range) {
    yield [segments.join('/'), node];
  }
}

const lineOf = (text, offset) => text.slice(0, offset).split('\n').length;

/**
 * The places of one file: { offset, found, key } for RULES (exact), { offset, found, host } for mentions, and the
 * rules that matched (for the check that every rule still finds its place).
 */
function placesOf(root, file, ports, matchedRules) {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const places = [];
  const add = (rule, offset, digits, groups, object) => {
    const place = { file, offset, found: Number(digits) };
    if (rule.host) place.host = rule.host(groups, object);
    else place.key = rule.key(groups, ports, object);
    matchedRules.add(rule);
    places.push(place); // a place without a port of ports.properties (null) stays, so that no mention takes its spot
  };
  // Every group of a match, with its offset in the file (the d flag's indices).
  const eachPort = (pattern, subject, base, onPort) => {
    const global = new RegExp(pattern.source, `${pattern.flags.replace(/[gd]/g, '')}gd`);
    for (const match of subject.matchAll(global)) {
      match.indices.slice(1).forEach(([start], index) => {
        if (start !== undefined) onPort(base + start, match[index + 1]);
      });
    }
  };
  const rules = RULES.filter((rule) => rule.files.test(file));
  const byPath = rules.filter((rule) => rule.path);
  if (byPath.length > 0) {
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`${file}: not valid YAML/JSON: ${doc.errors[0].message}`);
      const object = doc.toJS() ?? {};
      const prefix = object.kind ? [object.kind, object.metadata?.name ?? '?'] : [];
      for (const [where, node] of scalars(doc.contents, prefix)) {
        for (const rule of byPath) {
          const match = new RegExp(rule.path).exec(where);
          if (!match) continue;
          const groups = { ...rule.files.exec(file).groups, ...match.groups };
          const [start, end] = node.range;
          eachPort(rule.value, text.slice(start, end), start, (offset, digits) => add(rule, offset, digits, groups, object));
        }
      }
    }
  }
  for (const rule of rules.filter((r) => r.text)) {
    eachPort(rule.text, text, 0, (offset, digits) => add(rule, offset, digits, { ...rule.files.exec(file).groups }));
  }
  const ignored = [...text.matchAll(NOT_THE_PLATFORMS)].map((m) => [m.index, m.index + m[0].length]);
  for (const match of text.matchAll(MENTION)) {
    const offset = match.index + match[1].length + 1;
    if (ignored.some(([from, to]) => offset >= from && offset < to)) continue;
    if (portsOfHost(ports, match[1]) !== null) places.push({ file, offset, found: Number(match[2]), host: match[1] });
  }
  // One place per offset: a RULES place wins over the mention at the same spot.
  const seen = new Set();
  const unique = places.filter((p) => !seen.has(p.offset) && seen.add(p.offset));
  return { text, places: unique.filter((p) => p.key !== null && p.host !== null) };
}

// ---- the README's port table ---------------------------------------------------------------------------------------

const PORT_TABLE = { file: 'README.md', begin: '<!-- ports:begin (generated from ports.properties by tools/ports/sync) -->', end: '<!-- ports:end -->' };
const PART_LABELS = {
  'discovery-server': 'discovery-server (Eureka dashboard)',
  storefront: 'storefront (the web shop; the gateway serves it at `/`)',
  keycloak: 'Keycloak (identity provider; `./platform up` and compose; management: health, not published by compose)',
  mail: 'mail server (`./platform up`: GreenMail, SMTP and an HTTP API of the received mails; compose: Mailpit, its web UI and API on HTTP, SMTP inside the network)',
  kafka: 'Kafka',
  postgresql: 'PostgreSQL',
  rabbitmq: 'RabbitMQ (management: UI and HTTP API)',
  redis: 'Redis',
  zipkin: 'Zipkin (tracing UI; `./platform up` and compose)',
  prometheus: 'Prometheus (`./platform up` when installed, and compose)',
  grafana: 'Grafana (compose)',
};
const LISTENER_LABELS = { http: 'HTTP', grpc: 'gRPC', amqp: 'AMQP', smtp: 'SMTP', prometheus: 'metrics (Prometheus)' };

export function portTable(ports) {
  const rows = [];
  for (const part of new Set([...ports.keys()].map(partOf))) {
    const cells = keysOf(ports, part).map((key) => {
      const listener = key.slice(part.length + 1);
      return listener ? `${ports.get(key)} ${LISTENER_LABELS[listener] ?? listener}` : String(ports.get(key));
    });
    rows.push(`| ${PART_LABELS[part] ?? part} | ${cells.join(', ')} |`);
  }
  return [PORT_TABLE.begin, '| part | port |', '|---|---|', ...rows, PORT_TABLE.end].join('\n');
}

function tableProblem(root, ports) { // [problem, fixed text] or []
  const file = path.join(root, PORT_TABLE.file);
  const text = fs.readFileSync(file, 'utf8');
  const from = text.indexOf(PORT_TABLE.begin);
  const to = text.indexOf(PORT_TABLE.end);
  if (from < 0 || to < from) return [`${PORT_TABLE.file}: no port table between "${PORT_TABLE.begin}" and "${PORT_TABLE.end}"`];
  const found = text.slice(from, to + PORT_TABLE.end.length);
  const expected = portTable(ports);
  if (found === expected) return [];
  const foundLines = found.split('\n');
  const index = expected.split('\n').findIndex((line, i) => line !== foundLines[i]);
  return [`${PORT_TABLE.file}:${lineOf(text, from) + index}: port table: expected "${expected.split('\n')[index]}", ` +
    `found "${foundLines[index] ?? ''}"`, text.slice(0, from) + expected + text.slice(to + PORT_TABLE.end.length)];
}

// ---- service names -------------------------------------------------------------------------------------------------

const NOT_IN_KUBERNETES = { 'discovery-server': 'Kubernetes finds services through its own Services (profile kubernetes)' };

function serviceProblems(root, ports) {
  const problems = [];
  const services = servicesOf(ports);
  const read = (file) => fs.readFileSync(path.join(root, file), 'utf8');
  const modules = [...read('pom.xml').matchAll(/<module>([^<]+)<\/module>/g)].map((m) => m[1]);
  const applications = modules.filter((m) => fs.existsSync(path.join(root, m, 'src/main/resources/application.yml')));
  const composeServices = Object.keys(parseAllDocuments(read('docker-compose.yml'))[0].toJS().services ?? {});
  const deployments = fs.readdirSync(path.join(root, 'deploy/k8s/base')).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(read(`deploy/k8s/base/${f}`)).map((d) => d.toJS()))
    .filter((o) => o?.kind === 'Deployment').map((o) => o.metadata.name);
  const jobs = (file) => (parseAllDocuments(read(file))[0].toJS().scrape_configs ?? []).map((c) => c.job_name);
  for (const service of services) {
    const missing = [
      !applications.includes(service) && 'a Spring Boot module of pom.xml',
      !composeServices.includes(service) && 'a service of docker-compose.yml',
      !deployments.includes(service) && !NOT_IN_KUBERNETES[service] && 'a Deployment in deploy/k8s/base',
      !jobs('deploy/prometheus/prometheus.yml').includes(service) && 'a job of deploy/prometheus/prometheus.yml',
      !jobs('deploy/prometheus/prometheus-local.yml').includes(service) && 'a job of deploy/prometheus/prometheus-local.yml',
    ].filter(Boolean);
    if (missing.length > 0) problems.push(`ports.properties: service ${service} is not ${missing.join(', nor ')}`);
  }
  for (const module of applications.filter((m) => !services.includes(m))) {
    problems.push(`ports.properties: the Spring Boot module ${module} has no ports (${module}.http, ${module}.management)`);
  }
  return problems;
}

// ---- check and sync ------------------------------------------------------------------------------------------------

/** Every disagreement with ports.properties, and the files as sync writes them. */
export function examine(root) {
  const ports = readPorts(root);
  const problems = [];
  const matchedRules = new Set();
  const files = filesOf(root).map((file) => ({ file, ...placesOf(root, file, ports, matchedRules) }));
  const expectedOf = (place) => (place.key !== undefined ? [ports.get(place.key)] : portsOfHost(ports, place.host));
  // What the RULES places moved from: a number one of them holds instead of its key's port, unless that number is still
  // another key's port (then it is no move of this one).
  const moved = new Map(); // number -> its key
  for (const place of files.flatMap((f) => f.places).filter((p) => p.key)) {
    const port = ports.get(place.key);
    if (port !== undefined && place.found !== port && ![...ports.values()].includes(place.found)) moved.set(place.found, place.key);
  }
  const prose = [];
  const rewritten = new Map();
  for (const { file, text, places } of files) {
    const edits = [];
    for (const place of places) {
      const expected = expectedOf(place);
      if (expected?.[0] === undefined) {
        const missing = place.key ? `ports.properties has no ${place.key}` : 'this place names no part of ports.properties';
        problems.push(`${file}:${lineOf(text, place.offset)}: ${missing}, found ${place.found}`);
        continue;
      }
      if (expected.includes(place.found)) continue;
      const what = place.key ? `${place.key}: expected ${expected[0]}` : /^(localhost|127\.)/.test(place.host)
        ? `${place.host}: expected a port of ports.properties` : `a port of ${place.host}: expected ${expected.join(' or ')}`;
      problems.push(`${file}:${lineOf(text, place.offset)}: ${what}, found ${place.found}`);
      const to = place.key ? expected[0] : ports.get(moved.get(place.found));
      if (to !== undefined) edits.push([place.offset, String(place.found).length, String(to)]);
    }
    // Prose: a bare number a RULES place moved from, moved where the line or the file's path names its part (a number
    // alone may be anything: 3000 ms, another program's 8080), listed otherwise.
    if (moved.size > 0) {
      const taken = new Set(places.map((p) => p.offset));
      const regions = PROSE.test(file) ? [[0, text.length]] : [...text.matchAll(COMMENT)].map((m) => [m.index, m.index + m[0].length]);
      for (const [from, to] of regions) {
        for (const m of text.slice(from, to).matchAll(/(?<![\w.-]|[A-Za-z.]:)(\d{4,5})(?![\w-])/g)) {
          const offset = from + m.index;
          const key = moved.get(Number(m[1]));
          if (!key || taken.has(offset)) continue;
          const line = text.split('\n')[lineOf(text, offset) - 1];
          const names = [partOf(key), ...Object.keys(HOST_PARTS).filter((host) => HOST_PARTS[host] === partOf(key))];
          if (names.some((name) => line.toLowerCase().includes(name) || file.includes(name))) {
            edits.push([offset, m[1].length, String(ports.get(key))]);
          } else {
            prose.push(`${file}:${lineOf(text, offset)}: ${m[1]} (${key} moved to ${ports.get(key)}?): ${line.trim()}`);
          }
        }
      }
    }
    if (edits.length > 0) {
      let result = text;
      for (const [offset, length, replacement] of edits.sort((a, b) => b[0] - a[0])) {
        result = result.slice(0, offset) + replacement + result.slice(offset + length);
      }
      rewritten.set(file, result);
    }
  }
  for (const [index, rule] of RULES.entries()) {
    if (!matchedRules.has(rule)) {
      problems.push(`tools/ports/ports.mjs: RULES[${index}] (${rule.path ?? rule.text}) finds no place any more: update it`);
    }
  }
  const [tableIssue, table] = tableProblem(root, ports);
  if (tableIssue) problems.push(tableIssue);
  if (table) rewritten.set(PORT_TABLE.file, table);
  problems.push(...serviceProblems(root, ports));
  return { problems: [...new Set(problems)], prose, rewritten, places: files.reduce((n, f) => n + f.places.length, 0), files: files.length };
}

function check(root) {
  const { problems, places, files } = examine(root);
  for (const problem of problems) console.log(`ports check: ${problem}`);
  console.log(`ports check: ${places} places in ${files} files, the README's port table and the service names against ` +
    `ports.properties: ${problems.length === 0 ? 'all agree' : `${problems.length} problem(s); tools/ports/sync fixes the ports`}`);
  return problems.length === 0;
}

function sync(root) {
  const { rewritten, prose } = examine(root);
  for (const [file, text] of rewritten) {
    fs.writeFileSync(path.join(root, file), text);
    console.log(`ports sync: rewrote ${file}`);
  }
  console.log(`ports sync: ${rewritten.size} file(s) rewritten from ports.properties`);
  for (const line of prose) console.log(`ports sync: left as it is, look at it: ${line}`);
}

// ---- selftest: moving a port is one edit plus `sync` ----------------------------------------------------------------

function selftest(root) {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ports-selftest-'));
  const run = (command) => spawnSync(process.execPath, [fileURLToPath(import.meta.url), command, copy], { encoding: 'utf8' });
  const failures = [];
  const expect = (ok, what, output = '') => {
    if (!ok) failures.push(`ports selftest: FAILED: ${what}\n${output}`);
  };
  try {
    for (const file of [...filesOf(root), 'ports.properties', 'pom.xml', 'README.md']) {
      fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      fs.copyFileSync(path.join(root, file), path.join(copy, file));
    }
    const used = new Set(readPorts(root).values());
    let to = 8093;
    while (used.has(to)) to++;
    const properties = path.join(copy, 'ports.properties');
    fs.writeFileSync(properties, fs.readFileSync(properties, 'utf8').replace(/^order-service\.http=\d+$/m, `order-service.http=${to}`));
    let result = run('check');
    expect(result.status === 1 && result.stdout.includes('docker-compose.yml:'), `order-service.http moved to ${to}: check fails`, result.stdout);
    result = run('sync');
    expect(result.status === 0, 'sync rewrites the places', result.stdout + result.stderr);
    result = run('check');
    expect(result.status === 0, 'check passes after sync', result.stdout + result.stderr);
    const compose = fs.readFileSync(path.join(copy, 'docker-compose.yml'), 'utf8');
    expect(compose.includes(`"127.0.0.1:${to}:${to}"`) && fs.readFileSync(path.join(copy, 'README.md'), 'utf8').includes(`| order-service | ${to} HTTP,`),
      `docker-compose.yml publishes ${to}, the README's table lists it`);
    const k8s = path.join(copy, 'deploy/k8s/base/order-service.yaml');
    fs.writeFileSync(k8s, fs.readFileSync(k8s, 'utf8').replace(`containerPort: ${to}`, `containerPort: ${to + 1}`));
    result = run('check');
    expect(result.status === 1 && /deploy\/k8s\/base\/order-service\.yaml:\d+: order-service\.http: expected \d+, found \d+/.test(result.stdout),
      'a containerPort changed by hand: check fails naming it', result.stdout);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
  for (const failure of failures) console.log(failure);
  if (failures.length === 0) {
    console.log('ports selftest: order-service.http moved in a copy of the repository: check fails, sync rewrites, check ' +
      'passes; a containerPort changed by hand then fails it');
  }
  return failures.length === 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, rootArgument] = process.argv.slice(2);
  const root = path.resolve(rootArgument ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../..'));
  const commands = { check: () => check(root), sync: () => (sync(root), true), selftest: () => selftest(root) };
  if (!commands[command]) {
    console.error('usage: node tools/ports/ports.mjs check|sync|selftest [repository root]');
    process.exit(2);
  }
  process.exit(commands[command]() ? 0 : 1);
}
