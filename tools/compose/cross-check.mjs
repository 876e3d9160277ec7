// The platform's own checks of docker-compose.yml against the rest of the repository: what a compose
// implementation cannot know. Run by tools/compose/check after the schema validation; exits 1 with one
// line per problem. `check()` is also used by the tests (test/cross-check.test.mjs), which feed it broken
// copies of the files to prove every rule fails when it should.
//
//   node tools/compose/cross-check.mjs [repository root]

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parseDocument } from 'yaml';

// Sum of all memory limits allowed: an 8 GiB laptop keeps 1 GiB for its operating system and Docker's VM.
// (6 GiB until Keycloak joined with its 512 MiB; 6.5 GiB until the storefront joined with its 384 MiB.)
export const MEMORY_BUDGET_MIB = 7 * 1024;

// Environment variables no application.yml names, read by the JVM or by Spring Boot itself.
const JVM_AND_SPRING_VARIABLES = new Set(['JDK_JAVA_OPTIONS', 'JAVA_TOOL_OPTIONS', 'SPRING_PROFILES_ACTIVE']);

// An issuer URI is a name, compared with the `iss` claim of tokens, not an address the container connects to
// (the keys come from the JWK set URI): the realm's one public URL, http://127.0.0.1:8180/realms/shop, is right
// inside a container too.
const ISSUER_NAME = /ISSUER_URI$/;

// Services others may start before these are up: spans are sent in the background and dropped while the
// tracing backend is down, so nobody waits for it.
const OPTIONAL_PEERS = new Set(['zipkin']);

const read = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null);

function parseYaml(text, what, errors) {
  const doc = parseDocument(text, { merge: true });
  if (doc.errors.length > 0) {
    errors.push(`${what}: not valid YAML: ${doc.errors[0].message}`);
    return null;
  }
  return doc.toJS({ maxAliasCount: -1 });
}

// A Spring configuration file may hold several documents (---), e.g. one per profile: [tree, ...]
function parseYamlDocuments(text, what, errors) {
  const docs = parseAllDocuments(text, { merge: true });
  const trees = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      errors.push(`${what}: not valid YAML: ${doc.errors[0].message}`);
      return [];
    }
    trees.push(doc.toJS({ maxAliasCount: -1 }));
  }
  return trees;
}

// "512M", "1g", "300m", 536870912 -> MiB
export function toMiB(value) {
  const match = /^(\d+(?:\.\d+)?)\s*([bkmg]?)i?b?$/i.exec(String(value).trim());
  if (!match) return NaN;
  const factor = { '': 1 / (1024 * 1024), b: 1 / (1024 * 1024), k: 1 / 1024, m: 1, g: 1024 }[match[2].toLowerCase()];
  return Number(match[1]) * factor;
}

// Short and long port syntax -> [{ hostIp, published, target }]
function publishedPorts(service) {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') {
      return { hostIp: port.host_ip ?? '', published: Number(port.published), target: Number(port.target) };
    }
    const parts = String(port).replace(/\/(tcp|udp)$/, '').split(':');
    if (parts.length === 3) return { hostIp: parts[0], published: Number(parts[1]), target: Number(parts[2]) };
    if (parts.length === 2) return { hostIp: '', published: Number(parts[0]), target: Number(parts[1]) };
    return { hostIp: '', published: NaN, target: Number(parts[0]) };
  });
}

function environmentOf(service) {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => {
      const [key, ...rest] = String(entry).split('=');
      return [key, rest.length > 0 ? rest.join('=') : null];
    }));
  }
  return env;
}

// Every `${NAME}` / `${NAME:default}` of upper-case names in a Spring configuration file.
function placeholders(text) {
  const found = [];
  for (const match of text.matchAll(/\$\{([A-Z][A-Z0-9_]*)(:([^}]*))?\}/g)) {
    found.push({ name: match[1], hasDefault: match[2] !== undefined, defaultValue: match[3] });
  }
  return found;
}

// Property paths of a parsed YAML tree, as Spring's relaxed binding spells them in the environment
// (spring.datasource.url -> SPRING_DATASOURCE_URL), including every parent path.
function relaxedNames(tree, prefix = '', names = new Set()) {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) return names;
  for (const [key, value] of Object.entries(tree)) {
    const property = prefix ? `${prefix}.${key}` : key;
    names.add(property.replace(/[.-]/g, '_').replace(/[[\]'"]/g, '').toUpperCase());
    relaxedNames(value, property, names);
  }
  return names;
}

// The modules of the root pom that are Spring Boot applications (their own application.yml).
function applicationModules(root, errors) {
  const pom = read(path.join(root, 'pom.xml'));
  if (pom === null) {
    errors.push('pom.xml: missing at the repository root');
    return [];
  }
  return [...pom.matchAll(/<module>([^<]+)<\/module>/g)]
    .map((match) => match[1].trim())
    .filter((module) => fs.existsSync(path.join(root, module, 'src/main/resources/application.yml')));
}

// The shared configuration of libs/service-defaults (shop/service-defaults*.yml), which every module that depends on
// it reads below its own application*.yml: its properties, profiles and placeholders are the module's too, except a
// placeholder under a key the module sets itself (discovery-server's own defaultZone) or in a part that configures a
// library the module does not have (discovery-server has no tracing): that one is never read.
const SERVICE_DEFAULTS = 'libs/service-defaults/src/main/resources/shop';
const DEFAULTS_PARTS_NEEDING = [{ prefix: 'management.tracing.', artifact: 'spring-boot-starter-zipkin' }];

function dependsOn(root, module, artifact) {
  return (read(path.join(root, module, 'pom.xml')) ?? '').includes(`<artifactId>${artifact}</artifactId>`);
}

// Leaves of a parsed YAML tree: [dotted key, value]
function leaves(tree, prefix = '', found = []) {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) {
    if (prefix) found.push([prefix, tree]);
    return found;
  }
  for (const [key, value] of Object.entries(tree)) leaves(value, prefix ? `${prefix}.${key}` : key, found);
  return found;
}

function springConfiguration(root, module, errors) {
  const dir = path.join(root, module, 'src/main/resources');
  const files = fs.readdirSync(dir).filter((name) => /^application(-[\w-]+)?\.(ya?ml|properties)$/.test(name));
  const result = { placeholders: [], relaxed: new Set(), profiles: new Set() };
  const ownKeys = new Set();
  for (const file of files) {
    const text = read(path.join(dir, file));
    result.placeholders.push(...placeholders(text));
    const profile = /^application-([\w-]+)\./.exec(file);
    if (profile) result.profiles.add(profile[1]);
    if (file.endsWith('.properties')) {
      for (const line of text.split('\n')) {
        const key = /^\s*([\w.[\]-]+)\s*[=:]/.exec(line);
        if (key) {
          relaxedNames({ [key[1]]: null }, '', result.relaxed);
          ownKeys.add(key[1]);
        }
      }
      continue;
    }
    const trees = parseYamlDocuments(text, `${module}/src/main/resources/${file}`, errors);
    for (const tree of trees) {
      relaxedNames(tree, '', result.relaxed);
      for (const [key] of leaves(tree)) ownKeys.add(key);
    }
  }
  const defaults = path.join(root, SERVICE_DEFAULTS);
  if (!dependsOn(root, module, 'service-defaults') || !fs.existsSync(defaults)) return result;
  for (const file of fs.readdirSync(defaults).filter((name) => /^service-defaults(-[\w-]+)?\.ya?ml$/.test(name))) {
    const profile = /^service-defaults-([\w-]+)\./.exec(file);
    if (profile) result.profiles.add(profile[1]);
    for (const tree of parseYamlDocuments(read(path.join(defaults, file)), `${SERVICE_DEFAULTS}/${file}`, errors)) {
      relaxedNames(tree, '', result.relaxed);
      for (const [key, value] of leaves(tree)) {
        if (ownKeys.has(key)) continue;
        if (DEFAULTS_PARTS_NEEDING.some((part) => key.startsWith(part.prefix) && !dependsOn(root, module, part.artifact))) continue;
        result.placeholders.push(...placeholders(String(value ?? '')));
      }
    }
  }
  return result;
}

// "FROM image AS name" stages and the defaults of ARGs used in FROM lines
function dockerfileFacts(text) {
  const args = {};
  const stages = new Set();
  const images = [];
  for (const line of text.split('\n')) {
    const arg = /^\s*ARG\s+(\w+)=(\S+)/i.exec(line);
    if (arg) args[arg[1]] = arg[2];
    const from = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      if (from[2]) stages.add(from[2]);
      const image = from[1].replace(/^\$\{?(\w+)\}?$/, (whole, name) => args[name] ?? whole);
      if (!stages.has(image)) images.push(image);
    }
  }
  return { stages, images };
}

// A pinned tag: a registry image with an explicit tag that is not "latest".
function tagProblem(image) {
  const lastPart = image.split('/').pop();
  if (image.includes('@sha256:')) return null;
  if (!lastPart.includes(':')) return 'has no tag (that means latest)';
  const tag = lastPart.split(':')[1];
  if (tag === 'latest' || tag === '') return `uses the tag "${tag}"`;
  return null;
}

// Hosts named in an environment value: URLs, host:port pairs and *_HOST variables.
function referencedHosts(name, value) {
  const hosts = new Set();
  const text = String(value ?? '');
  for (const match of text.matchAll(/\/\/([a-zA-Z][\w.-]*)(?::\d+)?/g)) hosts.add(match[1]);
  for (const part of text.split(',')) {
    const hostPort = /^([a-zA-Z][\w.-]*):(\d+)$/.exec(part.trim());
    if (hostPort) hosts.add(hostPort[1]);
  }
  if (/_HOST$/.test(name) && /^[a-zA-Z][\w.-]*$/.test(text)) hosts.add(text);
  return hosts;
}

/**
 * @param {string} root the repository root
 * @param {object} [override] texts to use instead of the files (tests): compose, envExample, dockerfile, overlays
 * @returns {{errors: string[], warnings: string[], facts: object}}
 */
export function check(root, override = {}) {
  const errors = [];
  const warnings = [];
  const facts = {};
  const composeText = override.compose ?? read(path.join(root, 'docker-compose.yml'));
  if (composeText === null) return { errors: ['docker-compose.yml: missing'], warnings, facts };
  const compose = parseYaml(composeText, 'docker-compose.yml', errors);
  if (!compose) return { errors, warnings, facts };
  const services = compose.services ?? {};
  const names = Object.keys(services);

  // The Compose Specification has no version; Compose v2 warns about it, and it invites old syntax.
  if ('version' in compose) errors.push('docker-compose.yml: remove the obsolete top-level "version:" key');

  // Images pinned
  for (const [name, service] of Object.entries(services)) {
    if (service.image && !service.build) {
      const problem = tagProblem(service.image);
      if (problem) errors.push(`${name}: image ${service.image} ${problem}; pin a version`);
    }
  }

  // Health checks on every container, conditions on every dependency
  for (const [name, service] of Object.entries(services)) {
    const test = service.healthcheck?.test;
    if (!test || service.healthcheck.disable || (Array.isArray(test) && test[0] === 'NONE')) {
      errors.push(`${name}: no healthcheck (every container needs one, so depends_on can wait for it)`);
    }
    const dependsOn = service.depends_on ?? {};
    if (Array.isArray(dependsOn)) {
      errors.push(`${name}: depends_on is a list; use the long form with "condition:" for every dependency`);
      continue;
    }
    for (const [dependency, how] of Object.entries(dependsOn)) {
      if (!services[dependency]) errors.push(`${name}: depends_on ${dependency}, which is not a service`);
      if (!how?.condition) errors.push(`${name}: depends_on ${dependency} without a condition`);
      else if (how.condition === 'service_healthy' && services[dependency] && !services[dependency].healthcheck) {
        errors.push(`${name}: waits for ${dependency} to be healthy, but ${dependency} has no healthcheck`);
      }
    }
  }

  // Memory limits on every container, within the budget
  let totalMiB = 0;
  for (const [name, service] of Object.entries(services)) {
    const limit = service.deploy?.resources?.limits?.memory ?? service.mem_limit;
    if (limit === undefined) {
      errors.push(`${name}: no memory limit (deploy.resources.limits.memory)`);
      continue;
    }
    const mib = toMiB(limit);
    if (Number.isNaN(mib)) errors.push(`${name}: memory limit "${limit}" is not a size`);
    else totalMiB += mib * (service.deploy?.replicas ?? 1);
  }
  facts.totalMemoryMiB = Math.round(totalMiB);
  if (totalMiB > MEMORY_BUDGET_MIB) {
    errors.push(`memory limits add up to ${Math.round(totalMiB)} MiB, more than the ${MEMORY_BUDGET_MIB} MiB budget ` +
      '(an 8 GiB laptop keeps 1 GiB for itself)');
  }

  // Published ports: loopback only, once each. Which port is whose is ports.properties' (tools/ports/check).
  const usedHostPorts = new Map();
  for (const [name, service] of Object.entries(services)) {
    const ports = publishedPorts(service);
    for (const port of ports) {
      if (port.hostIp !== '127.0.0.1') {
        errors.push(`${name}: port ${port.published}:${port.target} is published on ${port.hostIp || 'every interface'}; ` +
          'publish on 127.0.0.1 only');
      }
      if (usedHostPorts.has(port.published)) {
        errors.push(`${name}: host port ${port.published} is also published by ${usedHostPorts.get(port.published)}`);
      }
      usedHostPorts.set(port.published, name);
    }
  }

  // Bind mounts exist
  for (const [name, service] of Object.entries(services)) {
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === 'object' ? (volume.type === 'bind' ? volume.source : null) : String(volume).split(':')[0];
      if (!source || !/^[./]/.test(source)) continue;
      if (!fs.existsSync(path.join(root, path.normalize(source)))) errors.push(`${name}: mounts ${source}, which does not exist`);
    }
  }

  // Databases the services use are created by the init script
  const initDir = path.join(root, 'deploy/postgres/init');
  const created = new Set();
  if (fs.existsSync(initDir)) {
    for (const file of fs.readdirSync(initDir).filter((f) => f.endsWith('.sql'))) {
      for (const match of read(path.join(initDir, file)).matchAll(/CREATE DATABASE\s+"?(\w+)"?/gi)) created.add(match[1]);
    }
  }

  // Variables compose needs from .env: documented in .env.example, and nothing else there
  const envExample = override.envExample ?? read(path.join(root, '.env.example'));
  const composeVariables = new Map();
  for (const match of composeText.matchAll(/(?<!\$)\$\{(\w+)(?:(:?[-?])([^}]*))?\}/g)) {
    composeVariables.set(match[1], { required: (match[2] ?? '').endsWith('?') || match[2] === undefined });
  }
  if (envExample === null) {
    errors.push('.env.example: missing (it documents the variables docker-compose.yml reads from .env)');
  } else {
    const documented = new Set([...envExample.matchAll(/^\s*([A-Z_][A-Z0-9_]*)=/gm)].map((match) => match[1]));
    for (const [variable, how] of composeVariables) {
      if (how.required && !documented.has(variable)) {
        errors.push(`.env.example: docker-compose.yml requires ${variable}, which .env.example does not set`);
      }
    }
    for (const variable of documented) {
      if (!composeVariables.has(variable)) errors.push(`.env.example: sets ${variable}, which docker-compose.yml never reads`);
    }
  }

  // The Dockerfile(s): they exist, the targets exist, base images are pinned, Maven matches the wrapper
  const dockerfiles = new Map();
  const modules = applicationModules(root, errors);
  const builtModules = new Set();
  for (const [name, service] of Object.entries(services)) {
    if (!service.build) continue;
    const build = typeof service.build === 'string' ? { context: service.build } : service.build;
    const context = path.join(root, build.context ?? '.');
    const dockerfilePath = path.join(context, build.dockerfile ?? 'Dockerfile');
    const relativeDockerfile = path.relative(root, dockerfilePath);
    if (!fs.existsSync(context)) {
      errors.push(`${name}: build context ${build.context} does not exist`);
      continue;
    }
    const dockerfileText = override.dockerfile ?? read(dockerfilePath);
    if (dockerfileText === null) {
      errors.push(`${name}: ${relativeDockerfile} does not exist`);
      continue;
    }
    if (!dockerfiles.has(relativeDockerfile)) dockerfiles.set(relativeDockerfile, dockerfileFacts(dockerfileText));
    const facts = dockerfiles.get(relativeDockerfile);
    if (build.target && !facts.stages.has(build.target)) {
      errors.push(`${name}: build target "${build.target}" is no stage of ${relativeDockerfile} (${[...facts.stages].join(', ')})`);
    }
    if (service.image && /:latest$|^[^:]+$/.test(service.image.split('/').pop())) {
      errors.push(`${name}: built image ${service.image} is tagged latest; name a tag`);
    }
    const args = build.args ?? {};
    const module = args.SERVICE;
    if (!module) {
      errors.push(`${name}: build.args.SERVICE (the module directory to package) is missing`);
      continue;
    }
    if (!modules.includes(module)) {
      errors.push(`${name}: build.args.SERVICE=${module} is no Spring Boot module of the root pom (${modules.join(', ')})`);
      continue;
    }
    builtModules.add(module);
    checkSpringService(name, service, module);
  }
  for (const [file, facts] of dockerfiles) {
    for (const image of facts.images) {
      const problem = tagProblem(image);
      if (problem) errors.push(`${file}: base image ${image} ${problem}; pin a version`);
    }
    const wrapper = read(path.join(root, '.mvn/wrapper/maven-wrapper.properties')) ?? '';
    const wrapperMaven = /apache-maven\/([\d.]+)\//.exec(wrapper)?.[1];
    for (const image of facts.images.filter((i) => /^maven:/.test(i))) {
      const imageMaven = /^maven:([\d.]+)-/.exec(image)?.[1];
      if (wrapperMaven && imageMaven !== wrapperMaven) {
        errors.push(`${file}: builds with Maven ${imageMaven} (${image}) but ./mvnw uses Maven ${wrapperMaven}`);
      }
    }
  }
  for (const module of modules) {
    if (!builtModules.has(module)) errors.push(`${module}: a Spring Boot module of the root pom that docker-compose.yml does not run`);
  }

  function checkSpringService(name, service, module) {
    const config = springConfiguration(root, module, errors);
    const env = environmentOf(service);
    const reads = new Set(config.placeholders.map((p) => p.name));

    // Every variable set is one the service reads
    for (const variable of Object.keys(env)) {
      if (reads.has(variable) || JVM_AND_SPRING_VARIABLES.has(variable)) continue;
      if (config.relaxed.has(variable)) continue;
      errors.push(`${name}: sets ${variable}, which ${module} never reads (no \${${variable}} placeholder and no property of that name in its application*.yml)`);
    }
    // Every placeholder without a default is set
    for (const placeholder of config.placeholders) {
      if (!placeholder.hasDefault && !(placeholder.name in env) && placeholder.name !== 'SERVER_PORT') {
        errors.push(`${name}: ${module} needs \${${placeholder.name}} (no default) and docker-compose.yml does not set it`);
      }
    }
    // Inside a container 127.0.0.1 is the container itself: listen everywhere, reach others by name
    if (reads.has('SERVER_ADDRESS') && env.SERVER_ADDRESS !== '0.0.0.0') {
      errors.push(`${name}: SERVER_ADDRESS must be 0.0.0.0 in a container (is ${env.SERVER_ADDRESS ?? 'unset: 127.0.0.1'})`);
    }
    if (reads.has('GRPC_HOST') && env.GRPC_HOST !== '0.0.0.0') {
      errors.push(`${name}: GRPC_HOST must be 0.0.0.0 in a container (is ${env.GRPC_HOST ?? 'unset: 127.0.0.1'})`);
    }
    if (reads.has('EUREKA_INSTANCE_HOSTNAME') && !env.EUREKA_INSTANCE_HOSTNAME) {
      errors.push(`${name}: EUREKA_INSTANCE_HOSTNAME unset: it would register "localhost", unreachable from other containers`);
    }
    // Any other address left at its loopback default would point at the container itself. Not counted:
    // SERVER_ADDRESS and GRPC_HOST (their own messages above), CORS origins (addresses of the browser,
    // not of the container), issuer URIs (names, ISSUER_NAME).
    const ownMessage = new Set(['SERVER_ADDRESS', 'GRPC_HOST']);
    for (const placeholder of config.placeholders) {
      if (ownMessage.has(placeholder.name) || /ORIGINS$/.test(placeholder.name) || ISSUER_NAME.test(placeholder.name)) continue;
      const effective = placeholder.defaultValue ?? '';
      if (!(placeholder.name in env) && /127\.0\.0\.1|localhost/.test(effective)) {
        errors.push(`${name}: ${placeholder.name} is not set, so ${module} uses its default ${effective}, the container itself`);
      }
    }
    // Hosts named in the environment are services of this file, waited for, unless the host waits for this service
    // itself: Compose cannot start a cycle, so one of two services that call each other (the storefront and the
    // gateway, which routes its pages to it) starts without the other and must be ready without it.
    const waitsForThis = (host) => Boolean((services[host]?.depends_on ?? {})[name]);
    for (const [variable, value] of Object.entries(env)) {
      if (/127\.0\.0\.1|localhost/.test(String(value)) && !ISSUER_NAME.test(variable)) {
        errors.push(`${name}: ${variable}=${value} points at the container itself; use the service name`);
      }
      for (const host of referencedHosts(variable, value)) {
        if (host === '0.0.0.0') continue;
        if (!services[host]) {
          errors.push(`${name}: ${variable}=${value} names host "${host}", which is no service of docker-compose.yml`);
        } else if (!OPTIONAL_PEERS.has(host) && !(service.depends_on ?? {})[host] && !waitsForThis(host)) {
          errors.push(`${name}: uses ${host} (${variable}) but does not depend_on it`);
        }
      }
      const database = /^jdbc:postgresql:\/\/[^/]+\/(\w+)/.exec(String(value))?.[1];
      if (database && !created.has(database)) {
        errors.push(`${name}: ${variable} uses database "${database}", which deploy/postgres/init does not create`);
      }
    }
    // Profiles named literally exist (a ${...:-default} value is the default profile, always there)
    const profiles = String(env.SPRING_PROFILES_ACTIVE ?? '').replace(/^\$\{\w+:-([^}]*)\}$/, '$1');
    for (const profile of profiles.split(',').map((p) => p.trim()).filter(Boolean)) {
      if (profile !== 'default' && !config.profiles.has(profile)) {
        warnings.push(`${name}: profile ${profile} is activated, but ${module} has no application-${profile}.yml`);
      }
    }
  }

  // Override files (docker-compose.<name>.yml) apply to services of the main file; a service with more than
  // one replica must drop the host ports it publishes (`ports: !reset []`), or the second replica cannot start.
  const overlays = override.overlays ?? Object.fromEntries(fs.readdirSync(root)
    .filter((file) => /^docker-compose\.[\w-]+\.ya?ml$/.test(file))
    .map((file) => [file, read(path.join(root, file))]));
  facts.overlays = {};
  for (const [file, text] of Object.entries(overlays)) {
    const doc = parseDocument(text, { merge: true });
    if (doc.errors.length > 0) {
      errors.push(`${file}: not valid YAML: ${doc.errors[0].message}`);
      continue;
    }
    let overlayMiB = totalMiB;
    for (const [name, overlay] of Object.entries(doc.toJS().services ?? {})) {
      if (!services[name]) {
        errors.push(`${file}: ${name} is no service of docker-compose.yml`);
        continue;
      }
      const replicas = overlay?.deploy?.replicas ?? 1;
      const portsNode = doc.getIn(['services', name, 'ports'], true);
      const resetsPorts = portsNode?.tag === '!reset' || (services[name].ports ?? []).length === 0;
      if (replicas > 1 && !resetsPorts) {
        errors.push(`${file}: ${name} runs ${replicas} replicas but keeps the host ports of docker-compose.yml; add \`ports: !reset []\``);
      }
      const limit = overlay?.deploy?.resources?.limits?.memory ?? services[name].deploy?.resources?.limits?.memory;
      overlayMiB += toMiB(limit) * replicas - toMiB(services[name].deploy?.resources?.limits?.memory ?? 0);
    }
    facts.overlays[file] = Math.round(overlayMiB);
  }

  facts.services = names.length;
  facts.springServices = builtModules.size;
  facts.publishedPorts = usedHostPorts.size;
  return { errors, warnings, facts };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../..'));
  const { errors, warnings, facts } = check(root);
  for (const warning of warnings) console.log(`compose check: warning: ${warning}`);
  for (const error of errors) console.log(`compose check: ERROR: ${error}`);
  console.log(`compose check: ${facts.services ?? 0} services (${facts.springServices ?? 0} built from this repository), ` +
    `${facts.publishedPorts ?? 0} published ports, memory limits ${facts.totalMemoryMiB ?? '?'} MiB of ${MEMORY_BUDGET_MIB}: ` +
    `${errors.length} errors, ${warnings.length} warnings`);
  for (const [file, mib] of Object.entries(facts.overlays ?? {})) {
    console.log(`compose check: with ${file}: memory limits ${mib} MiB`);
  }
  process.exit(errors.length > 0 ? 1 : 0);
}
