#!/usr/bin/env node
'use strict';
// `npm run test:queue`: the package under n8n's queue mode. One n8n main and two `n8n worker`
// processes share a database (PostgreSQL, or SQLite with QUEUE_DB=sqlite) and a Redis; the
// StatProxies sandbox (behind a latency proxy) stands in for the API and a local listener for
// Mattermost. The cases, in queue/cases/, named after the promise each checks, run in order:
// later ones read what earlier ones left in ctx. Ends with "N passed, N failed"; every child
// process (n8n, task runners, Redis, PostgreSQL) is stopped at the end, even on failure.
// PostgreSQL is reached through queue/db-latency-proxy.js (one port per n8n process), whose
// delay the order key case raises phase by phase; the other cases run with none.
// A run where no case failed rewrites the measured tables of docs/scale.md (cases skipped by
// name are listed there with their reason); `--run-skipped` runs those cases too.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8nLib = require('../lab/n8n');
const { stopAll, stopProcess } = require('../lab/processes');
const { startMattermostListener } = require('../lab/mattermost');
const { buildAndPack } = require('../lab/instance');
const { createRunner, finish } = require('../lab/runner');
const { startSandbox } = require('../sandbox');
const services = require('./services');
const { startLatencyProxy } = require('./latency-proxy');
const { startDbLatencyProxy } = require('./db-latency-proxy');
const cluster = require('./cluster');
const wf = require('./workflows');
const orderKey = require('./cases/order-key');
const waitCase = require('./cases/wait-resumes-on-another-worker');
const { writeScaleDoc } = require('./report');

const CASES = [
	'one-order-per-call',
	'retry-on-fail-on-a-worker',
	'order-key',
	// Stops and restarts a worker: before the case that kills one for good.
	'wait-resumes-on-another-worker',
	'worker-killed-mid-order',
	'retry-button',
];
/** Cases that are known to fail today, skipped by name with the reason printed. */
const SKIP = [];
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const clamp = (value, min, max) => Math.min(max, Math.max(min, value));
const SETTINGS = {
	CALLS: clamp(Number(process.env.QUEUE_CALLS) || 24, 20, 100),
	DB: (process.env.QUEUE_DB || 'postgres').toLowerCase(),
	WORKER_CONCURRENCY: 10,
	/**
	 * Connections per n8n process (DB_POSTGRESDB_POOL_SIZE). n8n's default, 2, cannot take a
	 * burst of 20 webhook calls at 150 ms per query: the main's queries wait more than 20 s
	 * for a connection ("timeout exceeded when trying to connect") and the calls fail.
	 */
	DB_POOL_SIZE: Number(process.env.QUEUE_DB_POOL_SIZE) || 10,
	/** How long the latency proxy holds each order's answer during the kill batch. */
	KILL_HOLD_MS: 6 * SECOND,
	/** Ordinary API latency for the other batches: enough for both workers to take jobs. */
	LATENCY_MS: 300,
	/** Bull's defaults in n8n 2.41 (QUEUE_WORKER_LOCK_DURATION, QUEUE_WORKER_STALLED_INTERVAL). */
	LOCK_MS: Number(process.env.QUEUE_WORKER_LOCK_DURATION) || 60 * SECOND,
	STALLED_MS: Number(process.env.QUEUE_WORKER_STALLED_INTERVAL) || 30 * SECOND,
};
const SUITE_TIMEOUT_MS = Number(process.env.QUEUE_TIMEOUT_MS) || 25 * MINUTE;
const started = Date.now();
const log = (message) =>
	console.log(`[queue ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

async function setup(ctx) {
	ctx.n8n = await n8nLib.ensureN8n({ log });
	ctx.flatted = cluster.loadFlatted(ctx.n8n);
	const tarball = await buildAndPack({ log });
	ctx.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'statproxies-queue-'));

	ctx.redis = await services.startRedis(ctx.workDir, { log });
	log(`Redis on 127.0.0.1:${ctx.redis.port} (pid ${ctx.redis.pid})`);
	if (SETTINGS.DB === 'postgres') {
		ctx.postgres = await services.startPostgres(ctx.workDir, { log });
		log(`PostgreSQL on 127.0.0.1:${ctx.postgres.port} (pid ${ctx.postgres.pid})`);
	} else if (SETTINGS.DB !== 'sqlite') {
		throw new Error(`QUEUE_DB must be postgres or sqlite, not ${SETTINGS.DB}`);
	}
	const names = ['main', 'worker-1', 'worker-2'];
	if (ctx.postgres) {
		ctx.dbProxy = await startDbLatencyProxy({ port: ctx.postgres.port, clients: names });
		log(
			`PostgreSQL latency proxy: ${names.map((n) => `${n} on ${ctx.dbProxy.ports[n]}`).join(', ')}`,
		);
	}
	// The CLI (import, publish) goes to the database directly; each server through its port.
	const processEnv = (name) =>
		ctx.dbProxy ? { DB_POSTGRESDB_PORT: String(ctx.dbProxy.ports[name]) } : {};
	ctx.startWorker = (name) =>
		cluster.startWorker(ctx.folder, name, {
			concurrency: SETTINGS.WORKER_CONCURRENCY,
			env: processEnv(name),
		});
	ctx.sandbox = await startSandbox();
	ctx.proxy = await startLatencyProxy(ctx.sandbox.url);
	ctx.proxy.setDelay(SETTINGS.LATENCY_MS);
	ctx.listener = await startMattermostListener();

	const base = await n8nLib.newUserFolder(ctx.n8n, { prefix: 'statproxies-queue-n8n-' });
	ctx.folder = cluster.queueFolder(base, {
		redisPort: ctx.redis.port,
		dbEnv: ctx.postgres
			? { ...ctx.postgres.n8nEnv, DB_POSTGRESDB_POOL_SIZE: String(SETTINGS.DB_POOL_SIZE) }
			: {},
	});
	const installed = await n8nLib.installPackageLikeN8n(tarball, ctx.folder);
	log(`Installed ${installed.name}@${installed.version} like n8n's community package installer`);
	await n8nLib.importCredentials(
		ctx.folder,
		wf.credentials({
			statProxiesUrl: ctx.proxy.url,
			apiKey: ctx.sandbox.keys.full,
			mattermostUrl: ctx.listener.url,
		}),
	);
	await n8nLib.importWorkflows(ctx.folder, [
		...wf.workflows(),
		orderKey.workflow(),
		waitCase.workflow(),
	]);
	for (const { id } of [wf.ORDERS, wf.RETRY, orderKey.ORDER_KEY, waitCase.WAIT]) {
		await n8nLib.cliOrThrow(ctx.folder, ['publish:workflow', `--id=${id}`]);
	}
	log('Credentials and workflows imported, workflows published');

	const t = Date.now();
	ctx.main = await cluster.startMain(ctx.folder, { env: processEnv('main') });
	log(`main up on ${ctx.main.url} (pid ${ctx.main.pid})`);
	ctx.workers = await Promise.all(['worker-1', 'worker-2'].map((name) => ctx.startWorker(name)));
	for (const w of ctx.workers) log(`${w.name} up (pid ${w.pid}, health ${w.url})`);
	ctx.processes = [ctx.main, ...ctx.workers];
	ctx.measured.startupSeconds = Math.round((Date.now() - t) / 1000);
	ctx.measured.database = ctx.postgres ? 'postgresql' : 'sqlite';
	ctx.measured.n8nVersion = ctx.n8n.version;
	log(
		`Queue mode: main + ${ctx.workers.length} workers on ${ctx.measured.database} and Redis, up in ${ctx.measured.startupSeconds} s`,
	);
}

async function cleanup(ctx) {
	await Promise.all((ctx.processes || []).map((proc) => stopProcess(proc.process, 10 * SECOND)));
	if (ctx.dbProxy) await ctx.dbProxy.close();
	if (ctx.redis) await ctx.redis.stop();
	if (ctx.postgres) await ctx.postgres.stop();
	for (const server of [ctx.proxy, ctx.sandbox, ctx.listener]) {
		if (server) await server.close().catch(() => {});
	}
	await stopAll();
}

function printLogTails(ctx) {
	for (const proc of ctx.processes || []) {
		console.error(`--- last lines of ${proc.name} (${proc.logFile})`);
		console.error(n8nLib.readLog(proc.logFile).trim().split('\n').slice(-15).join('\n'));
	}
}

async function main() {
	const ctx = { settings: SETTINGS, measured: {}, log };
	const t = createRunner({
		grep: process.argv.includes('--grep') ? process.argv[process.argv.indexOf('--grep') + 1] : null,
		skip: process.argv.includes('--run-skipped') ? [] : SKIP,
	});
	for (const name of CASES) require(`./cases/${name}`)(t, ctx);
	const watchdog = setTimeout(() => {
		console.error(
			`Queue suite still running after ${SUITE_TIMEOUT_MS / 1000} s: stopping everything.`,
		);
		printLogTails(ctx);
		cleanup(ctx).finally(() => {
			finish({ passed: 0, failed: 1 });
			process.exit(1);
		});
	}, SUITE_TIMEOUT_MS);
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, () => cleanup(ctx).finally(() => process.exit(130)));
	}
	let result;
	try {
		await setup(ctx);
		result = await t.run();
	} catch (error) {
		console.error(`The suite could not set up: ${error.stack || error.message}`);
		result = { passed: 0, failed: 1 };
	}
	clearTimeout(watchdog);
	if (result.failed > 0) printLogTails(ctx);
	await cleanup(ctx);
	ctx.measured.totalSeconds = Math.round((Date.now() - started) / 1000);
	console.log(`measured: ${JSON.stringify(ctx.measured)}`);
	if (result.failed === 0 && !process.argv.includes('--grep')) {
		ctx.measured.skipped = result.skips || [];
		console.log(`Wrote the measured tables of ${writeScaleDoc(ctx.measured)}`);
	}
	const keep = result.failed > 0 || process.env.QUEUE_KEEP === '1';
	if (ctx.workDir) {
		fs.writeFileSync(path.join(ctx.workDir, 'results.json'), JSON.stringify(ctx.measured, null, 2));
	}
	if (keep && ctx.folder) {
		console.log(`Kept for inspection: ${ctx.folder.path} (n8n logs) and ${ctx.workDir}`);
	} else {
		if (ctx.folder) n8nLib.removeUserFolder(ctx.folder);
		if (ctx.workDir) fs.rmSync(ctx.workDir, { recursive: true, force: true });
	}
	finish(result);
	process.exit(process.exitCode);
}

main();
