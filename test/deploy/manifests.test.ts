/**
 * There is no container runtime here, so the deployment files are checked on paper: parsed,
 * then compared with the configuration (src/config.ts), the routes the server really answers
 * and the files the bot really reads. Health-check commands are run against a real server.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { CARDS_DIR } from '../../src/cards';
import { MANIFEST_PATH } from '../../src/bot/manifest';
import {
  CONFIG_VARIABLES,
  DEFAULT_SHUTDOWN_GRACE_SECONDS,
  WEBEX_MODE_REQUIRED,
  loadConfig,
} from '../../src/config';
import { createLogger } from '../../src/log';
import { CHAT_ASSETS_DIR } from '../../src/sandbox/chat/router';
import { ExpressReceiver } from '../../src/server/express-receiver';
import { statusRoutes } from '../../src/server/status-routes';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const readYaml = <T>(file: string): T => parse(read(file), { merge: true }) as T;

/** The values of the Secret and of compose's `${…}` placeholders, made valid for loadConfig. */
const STAND_INS: Record<string, string> = {
  WEBEX_BOT_TOKEN: 'stand-in-bot-token',
  WEBEX_WEBHOOK_SECRET: 'stand-in-webhook-secret-0123456789',
  WEBEX_CLIENT_ID: 'stand-in-client-id',
  WEBEX_CLIENT_SECRET: 'stand-in-client-secret',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  PUBLIC_URL: 'https://audit-bot.example.com',
  POSTGRES_PASSWORD: 'stand-in-password',
};
const SECRETS = [
  'WEBEX_BOT_TOKEN',
  'WEBEX_WEBHOOK_SECRET',
  'WEBEX_CLIENT_SECRET',
  'TOKEN_ENCRYPTION_KEY',
  'DATABASE_URL',
];
const DEFAULT_PORT = loadConfig({}).port;

// ---- Dockerfile ----------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages of instructions (continuations joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [base, , name] = args.split(/\s+/);
      stages.push({ name: name ?? String(stages.length), base, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

const all = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

/** `ENV A=1 B=2` in a stage, as a record. */
function envOf(stage: Stage): Record<string, string> {
  return Object.fromEntries(
    all(stage, 'ENV').flatMap((args) =>
      args.split(/\s+/).map((pair) => pair.split('=') as [string, string]),
    ),
  );
}

interface Copy {
  from?: string;
  sources: string[];
  /** Where each source lands in the image (a directory source: the directory). */
  targets: string[];
}

const dockerStages = parseDockerfile(read('Dockerfile'));
const runtime = dockerStages.at(-1) as Stage;
const stageNamed = (name: string) => dockerStages.find((stage) => stage.name === name);

/** A stage built on another stage starts where that one left off. */
function workdirOf(stage: Stage | undefined): string {
  if (!stage) return '/';
  return all(stage, 'WORKDIR').at(-1) ?? workdirOf(stageNamed(stage.base));
}

function copiesOf(stage: Stage): Copy[] {
  const workdir = workdirOf(stage);
  return all(stage, 'COPY').map((args) => {
    const words = args.split(/\s+/);
    const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
    const paths = words.filter((w) => !w.startsWith('--'));
    const dest = paths.pop() as string;
    const base = path.posix.resolve(workdir, dest);
    const targets = paths.map((source) =>
      source.endsWith('/') || !dest.endsWith('/')
        ? base
        : path.posix.join(base, path.posix.basename(source)),
    );
    return { from, sources: paths, targets };
  });
}

/** The npm commands a stage and the stages it is built on ran. */
function npmRuns(stage: Stage | undefined): string[] {
  if (!stage) return [];
  const runs = all(stage, 'RUN').filter((run) => /\bnpm\b/.test(run));
  return [...npmRuns(stageNamed(stage.base)), ...runs];
}

// ---- docker-compose.yml ----------------------------------------------------------------------

interface ComposeService {
  build?: string;
  image?: string;
  environment?: Record<string, string | number>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  volumes?: string[];
  depends_on?: unknown;
}
const compose = readYaml<{ services: Record<string, ComposeService> }>('docker-compose.yml');
const botServices = Object.entries(compose.services).filter(([, s]) => s.build === '.');

/** Compose's `${NAME}`, `${NAME:?message}` and `${NAME:-default}`, filled from STAND_INS. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_m, name: string, kind, rest) => {
    if (kind === '-') return String(rest);
    const standIn = STAND_INS[name];
    if (standIn === undefined) throw new Error(`no stand-in for \${${name}}`);
    return standIn;
  });
}

const composeEnv = (service: ComposeService) =>
  Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
  );

// ---- Kubernetes ----------------------------------------------------------------------------

interface Labels {
  [name: string]: string;
}
interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  ports: { name?: string; containerPort: number }[];
  envFrom: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe: Probe;
  livenessProbe: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}
interface Deployment {
  spec: {
    replicas: number;
    selector: { matchLabels: Labels };
    template: {
      metadata: { labels: Labels };
      spec: {
        terminationGracePeriodSeconds: number;
        securityContext: { runAsNonRoot: boolean; runAsUser: number };
        containers: Container[];
      };
    };
  };
}
const K8S = 'deploy/k8s';
const deployment = readYaml<Deployment>(`${K8S}/deployment.yaml`);
const configMap = readYaml<{ metadata: { name: string }; data: Record<string, string> }>(
  `${K8S}/configmap.yaml`,
);
const secret = readYaml<{ metadata: { name: string }; stringData: Record<string, string> }>(
  `${K8S}/secret.example.yaml`,
);
const service = readYaml<{
  metadata: { name: string };
  spec: { selector: Labels; ports: { name: string; port: number; targetPort: string | number }[] };
}>(`${K8S}/service.yaml`);
const pdb = readYaml<{ spec: { minAvailable: number; selector: { matchLabels: Labels } } }>(
  `${K8S}/pdb.yaml`,
);
const podSpec = deployment.spec.template.spec;
const container = podSpec.containers[0];
const podLabels = deployment.spec.template.metadata.labels;
const k8sEnv = {
  ...configMap.data,
  ...Object.fromEntries(Object.entries(secret.stringData).map(([k, v]) => [k, STAND_INS[k] ?? v])),
};

const selects = (selector: Labels) =>
  Object.entries(selector).every(([name, value]) => podLabels[name] === value);

/** A probe's port, by number or by the container port's name. */
const portNumber = (port: string | number) =>
  typeof port === 'number' ? port : container.ports.find((p) => p.name === port)?.containerPort;

// ---- a real server for the health checks -----------------------------------------------------

async function serve(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const portOf = (server: Server) => (server.address() as AddressInfo).port;

/** Runs a `node -e` health-check script with PORT set; resolves to its exit status. */
function runNodeCheck(script: string, port: number): Promise<number> {
  return new Promise((resolve) => {
    // The scripts name their port as written (compose) or read PORT (Dockerfile).
    const pointed = script.replaceAll(`:${DEFAULT_PORT}/`, `:${port}/`);
    execFile(
      process.execPath,
      ['-e', pointed],
      { env: { ...process.env, PORT: String(port) }, timeout: 10_000 },
      (err) => resolve(err ? Number((err as { code?: unknown }).code ?? 1) : 0),
    );
  });
}

let ready = true;
/** The bot's own HTTP server, as src/app.ts sets it up, with one readiness check to flip. */
const bot = new ExpressReceiver({ port: 0, host: '127.0.0.1', logger: createLogger('silent') });
let botPort: number;
let unavailable: Server;
beforeAll(async () => {
  botPort = (await bot.start()).port;
  bot.init({
    webhooks: { secret: 'stand-in-webhook-secret-0123456789', accept: async () => undefined },
    routes: [statusRoutes({ readiness: [{ name: 'store', check: async () => ready }] })],
  });
  unavailable = await serve((_req, res) => res.writeHead(503).end());
});
afterAll(async () => {
  await bot.stop();
  await new Promise((resolve) => unavailable.close(resolve));
});

const get = async (urlPath: string) =>
  (await fetch(`http://127.0.0.1:${botPort}${urlPath}`)).status;

// ---- the tests ---------------------------------------------------------------------------------

describe('the list of settings', () => {
  it('is the same in src/config.ts, .env.example and the README table', () => {
    const example = read('.env.example')
      .split('\n')
      .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
      .filter(Boolean);
    const table = read('README.md')
      .split('\n')
      .filter((line) => /^\| `[A-Z]/.test(line))
      .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]));
    const known = [...CONFIG_VARIABLES].sort();
    expect([...new Set(example)].sort()).toEqual(known);
    expect([...new Set(table)].sort()).toEqual(known);
  });
});

describe('Dockerfile', () => {
  it('builds in stages and runs as a non-root user without compilers', () => {
    expect(dockerStages.length).toBeGreaterThanOrEqual(2);
    expect(runtime.base).toBe('node:20-bookworm-slim');
    expect(envOf(runtime).NODE_ENV).toBe('production');
    const user = all(runtime, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(user?.split(':')[0]).not.toMatch(/^(root|0)$/);
    expect(all(runtime, 'RUN').join('\n')).not.toMatch(/apt-get install|g\+\+|python3/);
    expect(all(runtime, 'CMD')).toEqual(['["node", "dist/main.js"]']);
    expect(JSON.parse(read('package.json')).main).toBe('dist/main.js');
  });

  it('ships production dependencies only', () => {
    const nodeModules = copiesOf(runtime).find((c) => c.targets.includes('/app/node_modules'));
    expect(nodeModules?.from).toBeDefined();
    const runs = [...npmRuns(runtime), ...npmRuns(stageNamed(nodeModules?.from ?? ''))];
    const installs = runs.filter((run) => /npm (ci|install|i)\b/.test(run));
    expect(installs.length).toBeGreaterThan(0);
    for (const run of installs) expect(run).toMatch(/--omit=dev/);
  });

  it('builds dist/ with what `npm run build` needs', () => {
    const dist = copiesOf(runtime).find((c) => c.targets.includes('/app/dist'));
    const build = stageNamed(dist?.from ?? '') as Stage;
    expect(build).toBeDefined();
    expect(npmRuns(build)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^npm ci\b/), 'npm run build']),
    );
    const buildScript: string = JSON.parse(read('package.json')).scripts.build;
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'src/main.ts',
      ...[...buildScript.matchAll(/node (\S+)/g)].map((m) => m[1]),
    ];
    const copied = [build, stageNamed(build.base)]
      .flatMap((stage) => (stage ? copiesOf(stage) : []))
      .flatMap((c) => c.targets);
    for (const file of needed) {
      const present = copied.some(
        (t) => `/app/${file}` === t || `/app/${file}`.startsWith(`${t}/`),
      );
      expect([file, present]).toEqual([file, true]);
    }
  });

  it('contains every file `node dist/main.js` reads at run time', () => {
    const targets = copiesOf(runtime).flatMap((c) => c.targets);
    const readAtRunTime = [MANIFEST_PATH, CARDS_DIR, CHAT_ASSETS_DIR, 'dist/main.js'].map(
      (file) => `/app/${path.relative(ROOT, path.resolve(ROOT, file))}`,
    );
    for (const file of readAtRunTime) {
      expect([file, targets.some((t) => file === t || file.startsWith(`${t}/`))]).toEqual([
        file,
        true,
      ]);
    }
    // Files copied from the build context exist and are not excluded from it.
    const ignored = read('.dockerignore')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    for (const copy of dockerStages.flatMap(copiesOf).filter((c) => !c.from)) {
      for (const source of copy.sources) {
        expect([source, existsSync(path.join(ROOT, source))]).toEqual([source, true]);
        expect(ignored).not.toContain(source.replace(/\/$/, ''));
      }
    }
  });

  it('exposes the port the bot listens on, and its health check works', async () => {
    expect(all(runtime, 'EXPOSE')).toEqual([String(DEFAULT_PORT)]);
    expect(envOf(runtime).PORT).toBe(String(DEFAULT_PORT));
    const [healthcheck] = all(runtime, 'HEALTHCHECK');
    const command = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD ') + 4)) as string[];
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    expect(command[2]).toContain('/healthz');
    expect(await runNodeCheck(command[2], botPort)).toBe(0);
    expect(await runNodeCheck(command[2], portOf(unavailable))).not.toBe(0);
  });

  it('imports only production dependencies from the code it runs', () => {
    const pkg = JSON.parse(read('package.json'));
    const production = new Set<string>(Object.keys(pkg.dependencies));
    // A dependency's own dependencies are installed too (the framework's `webex` SDK).
    for (const dep of [...production]) {
      const manifest = JSON.parse(read(`node_modules/${dep}/package.json`));
      for (const inner of Object.keys(manifest.dependencies ?? {})) production.add(inner);
    }
    const builtins = new Set(builtinModules);
    const sources = (dir: string): string[] =>
      readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
        const rel = path.join(dir, entry.name);
        if (entry.isDirectory()) return rel === 'src/sandbox/chat/client' ? [] : sources(rel);
        return rel.endsWith('.ts') ? [rel] : [];
      });
    const strays = sources('src').flatMap((file) =>
      [
        ...read(file)
          .replace(/^import type .*$/gm, '')
          .matchAll(/(?:from |import\(|require(?:\.resolve)?\()\s*'([^'.][^']*)'/g),
      ]
        .map((m) => m[1])
        .map((specifier) => ({
          file,
          name: specifier.startsWith('@')
            ? specifier.split('/').slice(0, 2).join('/')
            : specifier.split('/')[0],
        }))
        .filter(({ name }) => !name.startsWith('node:') && !builtins.has(name))
        .filter(({ name }) => !production.has(name)),
    );
    expect(strays).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  it('runs two replicas with one database and one public URL', () => {
    expect(botServices).toHaveLength(2);
    const [a, b] = botServices.map(([, s]) => s.environment ?? {});
    expect(a.PUBLIC_URL).toBeDefined();
    expect(a.PUBLIC_URL).toBe(b.PUBLIC_URL);
    expect(a.DATABASE_URL).toBe(b.DATABASE_URL);

    const url = new URL(interpolate(String(a.DATABASE_URL)));
    const postgres = compose.services[url.hostname];
    expect(url.protocol).toBe('postgres:');
    expect(postgres.image).toMatch(/^postgres:/);
    const pgEnv = postgres.environment ?? {};
    expect(url.username).toBe(pgEnv.POSTGRES_USER);
    expect(url.pathname).toBe(`/${pgEnv.POSTGRES_DB}`);
    expect(url.password).toBe(interpolate(String(pgEnv.POSTGRES_PASSWORD)));
  });

  it.each(botServices)('gives %s only known settings, enough for Webex mode', (_name, bot) => {
    const env = composeEnv(bot);
    expect(Object.keys(env).filter((name) => !CONFIG_VARIABLES.includes(name as never))).toEqual(
      [],
    );
    for (const name of ['WEBEX_BOT_TOKEN', ...WEBEX_MODE_REQUIRED.webhook, 'DATABASE_URL']) {
      expect([name, name in env]).toEqual([name, true]);
    }
    const config = loadConfig(env);
    expect(config.mode).toBe('webex');
    expect(config.port).toBe(DEFAULT_PORT);
    // Compose kills a container 10 s after SIGTERM unless told otherwise.
    expect(parseInt(bot.stop_grace_period ?? '10s', 10)).toBeGreaterThan(
      config.shutdownGraceSeconds,
    );
  });

  it('puts a round-robin proxy at PUBLIC_URL in front of both replicas, by readiness', () => {
    const [proxyName, proxy] =
      Object.entries(compose.services).find(([, s]) =>
        s.volumes?.some((v) => v.startsWith('./deploy/Caddyfile:')),
      ) ?? [];
    expect(proxyName).toBeDefined();
    expect(proxy?.environment?.PUBLIC_URL).toBe(botServices[0][1].environment?.PUBLIC_URL);
    const caddyfile = read('deploy/Caddyfile').replace(/#.*$/gm, '');
    expect(caddyfile).toMatch(/^\{\$PUBLIC_URL\} \{/m);
    const upstreams = /reverse_proxy ([^{\n]+)\{/.exec(caddyfile)?.[1].trim().split(/\s+/);
    const port = loadConfig(composeEnv(botServices[0][1])).port;
    expect(upstreams?.sort()).toEqual(botServices.map(([name]) => `${name}:${port}`).sort());
    expect(caddyfile).toMatch(/^\s*lb_policy round_robin$/m);
    expect(caddyfile).toMatch(/^\s*health_uri \/readyz$/m);
  });

  it('health-checks every service; the bots with a check that works', async () => {
    for (const [name, s] of Object.entries(compose.services)) {
      expect([name, Array.isArray(s.healthcheck?.test)]).toEqual([name, true]);
    }
    for (const [, bot] of botServices) {
      const test = bot.healthcheck?.test ?? [];
      expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
      expect(test[3]).toContain('/healthz');
      expect(await runNodeCheck(test[3], botPort)).toBe(0);
      expect(await runNodeCheck(test[3], portOf(unavailable))).not.toBe(0);
    }
  });
});

describe('Kubernetes manifests', () => {
  it('run two replicas that the PodDisruptionBudget and the Service select', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(selects(deployment.spec.selector.matchLabels)).toBe(true);
    expect(pdb.spec.minAvailable).toBe(1);
    expect(Object.keys(pdb.spec.selector.matchLabels).length).toBeGreaterThan(0);
    expect(selects(pdb.spec.selector.matchLabels)).toBe(true);
    expect(Object.keys(service.spec.selector).length).toBeGreaterThan(0);
    expect(selects(service.spec.selector)).toBe(true);
  });

  it('take secrets from the Secret, the rest from the ConfigMap, all known settings', () => {
    const refs = container.envFrom;
    expect(refs.map((r) => r.configMapRef?.name).filter(Boolean)).toEqual([
      configMap.metadata.name,
    ]);
    expect(refs.map((r) => r.secretRef?.name).filter(Boolean)).toEqual([secret.metadata.name]);
    expect(Object.keys(secret.stringData).sort()).toEqual([...SECRETS].sort());
    expect(Object.keys(configMap.data).filter((name) => SECRETS.includes(name))).toEqual([]);
    const names = Object.keys(k8sEnv);
    expect(names.filter((name) => !CONFIG_VARIABLES.includes(name as never))).toEqual([]);
    const config = loadConfig(k8sEnv);
    expect(config.mode).toBe('webex');
    expect(config.databaseUrl).toMatch(/^postgres:\/\//);
  });

  it('listen, probe and route on the configured port and the real health paths', () => {
    const port = loadConfig(k8sEnv).port;
    expect(container.ports.map((p) => p.containerPort)).toEqual([port]);
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe])
      if (probe) expect(portNumber(probe.httpGet.port)).toBe(port);
    expect(service.spec.ports.map((p) => portNumber(p.targetPort))).toEqual([port]);

    const ingress = readYaml<{
      spec: {
        rules: {
          host: string;
          http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] };
        }[];
      };
    }>(`${K8S}/ingress.yaml`);
    const [rule] = ingress.spec.rules;
    expect(rule.host).toBe(new URL(configMap.data.PUBLIC_URL).hostname);
    expect(rule.http.paths[0].backend.service).toEqual({
      name: service.metadata.name,
      port: { name: service.spec.ports[0].name },
    });
  });

  it('give the drain its SHUTDOWN_GRACE_SECONDS before the pod is killed', () => {
    const grace = loadConfig(k8sEnv).shutdownGraceSeconds;
    const preStop = container.lifecycle?.preStop?.exec?.command ?? [];
    const preStopSleep = preStop[0] === 'sleep' ? Number(preStop[1]) : 0;
    expect(podSpec.terminationGracePeriodSeconds).toBeGreaterThan(preStopSleep + grace);
    expect(podSpec.terminationGracePeriodSeconds).toBeGreaterThan(DEFAULT_SHUTDOWN_GRACE_SECONDS);
  });

  it('run as the Dockerfile’s non-root user', () => {
    expect(podSpec.securityContext.runAsNonRoot).toBe(true);
    expect(String(podSpec.securityContext.runAsUser)).toBe(
      all(runtime, 'USER').at(-1)?.split(':')[0],
    );
  });

  it('are all applied by kustomization.yaml, except the example Secret', () => {
    const { resources } = readYaml<{ resources: string[] }>(`${K8S}/kustomization.yaml`);
    const files = readdirSync(path.join(ROOT, K8S)).filter(
      (f) => f.endsWith('.yaml') && !['kustomization.yaml', 'secret.example.yaml'].includes(f),
    );
    expect([...resources].sort()).toEqual(files.sort());
  });
});

describe('every health path the deployment files probe', () => {
  const probed = () => {
    const caddy = [...read('deploy/Caddyfile').matchAll(/health_uri (\S+)/g)].map((m) => m[1]);
    const scripts = [
      ...all(runtime, 'HEALTHCHECK'),
      ...botServices.map(([, s]) => (s.healthcheck?.test ?? []).join(' ')),
    ].flatMap((text) => [...text.matchAll(/\d(\/[a-z]+)/g)].map((m) => m[1]));
    const k8s = [container.readinessProbe, container.livenessProbe, container.startupProbe]
      .filter((probe): probe is Probe => Boolean(probe))
      .map((probe) => probe.httpGet.path);
    return [...new Set([...caddy, ...scripts, ...k8s])].sort();
  };

  it('is a route of the server: 200 when ready, /readyz 503 when a check fails', async () => {
    expect(probed()).toEqual(['/healthz', '/readyz']);
    ready = true;
    for (const urlPath of probed()) expect([urlPath, await get(urlPath)]).toEqual([urlPath, 200]);
    ready = false;
    expect(await get('/readyz')).toBe(503);
    expect(await get('/healthz')).toBe(200);
    ready = true;
  });
});
