#!/usr/bin/env node
'use strict';
// Runs queue/order-key.js on its own, until the queue runner (queue/run.js) calls it:
// PostgreSQL + Redis + one n8n main + two workers (concurrency 10), the sandbox behind the
// runner's latency proxy. `node queue/order-key-adhoc.js [bursts] [calls] [distinct bursts]`.
// Prints "N passed, N failed" and a `measured:` line; stops every process it started.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const n8nLib = require('../e2e/lib/n8n');
const { stopAll, stopProcess } = require('../e2e/lib/processes');
const { startSandbox } = require('../sandbox');
const { buildAndPack } = require('./package');
const services = require('./services');
const cluster = require('./cluster');
const { ORDER_KEY, workflow, orderKeyScenario } = require('./order-key');

const BURSTS = Number(process.argv[2]) || 3;
const CALLS = Number(process.argv[3]) || 20;
const DISTINCT_BURSTS = Number(process.argv[4]) || 1;
const CREDENTIAL = { id: 'qStatProxies', name: 'StatProxies (queue sandbox)' };
const started = Date.now();
const log = (m) => console.log(`[order-key ${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);
const results = [];
const check = (name, ok, detail = '') => {
	results.push(Boolean(ok));
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
};

async function main(ctx) {
	ctx.n8n = await n8nLib.ensureN8n({ log });
	ctx.flatted = cluster.loadFlatted(ctx.n8n);
	const tarball = await buildAndPack({ log });
	ctx.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'statproxies-orderkey-'));
	ctx.redis = await services.startRedis(ctx.workDir, { log });
	ctx.postgres = await services.startPostgres(ctx.workDir, { log });
	ctx.sandbox = await startSandbox();
	ctx.proxy = await services.startLatencyProxy(ctx.sandbox.url);
	ctx.proxy.setDelay(300);
	const base = await n8nLib.newUserFolder(ctx.n8n, { prefix: 'statproxies-orderkey-n8n-' });
	ctx.folder = cluster.queueFolder(base, {
		redisPort: ctx.redis.port,
		dbEnv: ctx.postgres.n8nEnv,
	});
	await n8nLib.installPackageLikeN8n(tarball, ctx.folder);
	await n8nLib.importCredentials(ctx.folder, [
		{
			...CREDENTIAL,
			type: 'statProxiesApi',
			data: { apiKey: ctx.sandbox.keys.full, baseUrl: ctx.proxy.url },
		},
	]);
	await n8nLib.importWorkflows(ctx.folder, [workflow({ credential: CREDENTIAL })]);
	await n8nLib.cliOrThrow(ctx.folder, ['publish:workflow', `--id=${ORDER_KEY.id}`]);
	ctx.main = await cluster.startMain(ctx.folder);
	ctx.workers = await Promise.all(
		['worker-1', 'worker-2'].map((name) =>
			cluster.startWorker(ctx.folder, name, { concurrency: 10 }),
		),
	);
	ctx.processes = [ctx.main, ...ctx.workers];
	log(`main + 2 workers on PostgreSQL and Redis up`);
	const measured = {};
	await orderKeyScenario(ctx, {
		check,
		log,
		measured,
		bursts: BURSTS,
		distinctBursts: DISTINCT_BURSTS,
		calls: CALLS,
	});
	const seen = cluster.executionsByProcess(ctx.processes);
	measured.executionsPerProcess = Object.fromEntries(
		Object.entries(seen).map(([name, s]) => [name, s.started.size]),
	);
	console.log(`measured: ${JSON.stringify(measured)}`);
}

async function cleanup(ctx) {
	await Promise.all((ctx.processes || []).map((p) => stopProcess(p.process, 10000)));
	if (ctx.redis) await ctx.redis.stop();
	if (ctx.postgres) await ctx.postgres.stop();
	for (const server of [ctx.proxy, ctx.sandbox]) if (server) await server.close().catch(() => {});
	await stopAll();
	if (ctx.folder) n8nLib.removeUserFolder(ctx.folder);
	if (ctx.workDir) fs.rmSync(ctx.workDir, { recursive: true, force: true });
}

const ctx = {};
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => cleanup(ctx).finally(() => process.exit(130)));
}
main(ctx)
	.catch((error) => {
		results.push(false);
		console.error(error.stack || error);
		for (const p of ctx.processes || []) {
			const text = fs.existsSync(p.logFile) ? fs.readFileSync(p.logFile, 'utf8') : '';
			console.error(`--- ${p.name}\n${text.trim().split('\n').slice(-10).join('\n')}`);
		}
	})
	.finally(async () => {
		await cleanup(ctx);
		const failed = results.filter((ok) => !ok).length;
		console.log(
			`${results.length - failed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`,
		);
		process.exit(failed ? 1 : 0);
	});
