#!/usr/bin/env node
'use strict';
// `npm run test:queue`: the package under n8n's queue mode (issue 6). One n8n main and two
// `n8n worker` processes share a database and a Redis; the StatProxies sandbox stands in
// for the API and a local Mattermost listener for the notification server. Checks:
//   1. N webhook calls at once: one order per call, every execution on a worker, every
//      order_id notified, none lost or duplicated.
//   2. Retry On Fail on a worker (the unit suite's cases): no order is ever bought twice.
//   3. A worker SIGKILLed while it holds executions: what n8n does with them, and whether
//      any order was placed twice. Then what a user's "Retry" of those executions does.
// Prints "N passed, N failed" alone on a line; exits non-zero on failure; every child
// process (n8n, task runners, Redis, PostgreSQL) is stopped at the end, even on failure.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8nLib = require('../e2e/lib/n8n');
const { stopAll, stopProcess } = require('../e2e/lib/processes');
const { startMattermostListener } = require('../e2e/lib/mattermost-listener');
const { startSandbox } = require('../sandbox');
const { buildAndPack } = require('./package');
const services = require('./services');
const cluster = require('./cluster');
const wf = require('./workflows');

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const clamp = (value, min, max) => Math.min(max, Math.max(min, value));
const CALLS = clamp(Number(process.env.QUEUE_CALLS) || 24, 20, 100);
const DB = (process.env.QUEUE_DB || 'postgres').toLowerCase();
const WORKER_CONCURRENCY = 10;
/** How long the latency proxy holds each order's answer during the kill batch. */
const KILL_HOLD_MS = 6 * SECOND;
/** Ordinary API latency for the other batches: enough for both workers to take jobs. */
const LATENCY_MS = 300;
/** Bull's defaults in n8n 2.41 (QUEUE_WORKER_LOCK_DURATION, QUEUE_WORKER_STALLED_INTERVAL). */
const LOCK_MS = Number(process.env.QUEUE_WORKER_LOCK_DURATION) || 60 * SECOND;
const STALLED_MS = Number(process.env.QUEUE_WORKER_STALLED_INTERVAL) || 30 * SECOND;
const SUITE_TIMEOUT_MS = Number(process.env.QUEUE_TIMEOUT_MS) || 25 * MINUTE;

const results = [];
const measured = {};
const started = Date.now();
const log = (message) =>
	console.log(`[queue ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

function check(name, ok, detail = '') {
	results.push({ name, ok: Boolean(ok), detail });
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
	return Boolean(ok);
}

function countBy(values) {
	const map = new Map();
	for (const v of values) map.set(v, (map.get(v) || 0) + 1);
	return map;
}

const range = (n) => Array.from({ length: n }, (_, i) => i);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Fires all calls at once, on loopback only; resolves every answer (never rejects). */
function fire(url, bodies, { timeoutMs = 2 * MINUTE } = {}) {
	if (!url.startsWith('http://127.0.0.1:'))
		throw new Error(`refusing to call ${url}: loopback only`);
	const t0 = Date.now();
	return Promise.all(
		bodies.map((body) =>
			fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(timeoutMs),
			})
				.then(async (res) => ({ status: res.status, text: await res.text() }))
				.catch((error) => ({ status: 0, text: error.message }))
				.then((answer) => ({ ...answer, body, seconds: (Date.now() - t0) / 1000 })),
		),
	);
}

/** The order id a caller got back (the workflow answers with the notification it posted). */
function orderIdIn(answer) {
	const match = /order (sub_[a-z0-9]+) for ([a-z]+)/.exec(answer.text || '');
	return match && match[2] === answer.body.customer ? match[1] : null;
}

function ordersFor(ctx, prefix) {
	return ctx.sandbox.orders.filter(
		(o) => typeof o.customer === 'string' && o.customer.startsWith(`${prefix}x`),
	);
}

function requestsFor(ctx, prefix) {
	return ctx.sandbox.orderRequests.filter(
		(r) => r.json && String(r.json.customer || '').startsWith(`${prefix}x`),
	);
}

function postsMentioning(ctx, orderIds) {
	const ids = new Set(orderIds);
	const found = new Map();
	for (const post of ctx.listener.posts) {
		const match = /order (sub_[a-z0-9]+)/.exec(post.message);
		if (match && ids.has(match[1])) found.set(match[1], (found.get(match[1]) || 0) + 1);
	}
	return found;
}

// ---------------------------------------------------------------------------------------
// Setup

async function setup(ctx) {
	ctx.n8n = await n8nLib.ensureN8n({ log });
	ctx.flatted = cluster.loadFlatted(ctx.n8n);
	const tarball = await buildAndPack({ log });
	ctx.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'statproxies-queue-'));

	ctx.redis = await services.startRedis(ctx.workDir, { log });
	log(`Redis on 127.0.0.1:${ctx.redis.port} (pid ${ctx.redis.pid})`);
	if (DB === 'postgres') {
		ctx.postgres = await services.startPostgres(ctx.workDir, { log });
		log(`PostgreSQL on 127.0.0.1:${ctx.postgres.port} (pid ${ctx.postgres.pid})`);
	} else if (DB !== 'sqlite') {
		throw new Error(`QUEUE_DB must be postgres or sqlite, not ${DB}`);
	}
	ctx.sandbox = await startSandbox();
	ctx.proxy = await services.startLatencyProxy(ctx.sandbox.url);
	ctx.proxy.setDelay(LATENCY_MS);
	ctx.listener = await startMattermostListener();

	const base = await n8nLib.newUserFolder(ctx.n8n, { prefix: 'statproxies-queue-n8n-' });
	ctx.folder = cluster.queueFolder(base, {
		redisPort: ctx.redis.port,
		dbEnv: ctx.postgres ? ctx.postgres.n8nEnv : {},
	});
	const installed = await n8nLib.installPackageLikeN8n(tarball, ctx.folder);
	if (!process.env.QUEUE_TARBALL)
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	log(`Installed ${installed.name}@${installed.version} like n8n's community package installer`);
	await n8nLib.importCredentials(
		ctx.folder,
		wf.credentials({
			statProxiesUrl: ctx.proxy.url,
			apiKey: ctx.sandbox.keys.full,
			mattermostUrl: ctx.listener.url,
		}),
	);
	await n8nLib.importWorkflows(ctx.folder, wf.workflows());
	for (const { id } of [wf.ORDERS, wf.RETRY]) {
		await n8nLib.cliOrThrow(ctx.folder, ['publish:workflow', `--id=${id}`]);
	}
	log('Credentials and workflows imported, workflows published');

	const t = Date.now();
	ctx.main = await cluster.startMain(ctx.folder);
	log(`main up on ${ctx.main.url} (pid ${ctx.main.pid})`);
	ctx.workers = await Promise.all(
		['worker-1', 'worker-2'].map((name) =>
			cluster.startWorker(ctx.folder, name, { concurrency: WORKER_CONCURRENCY }),
		),
	);
	for (const w of ctx.workers) log(`${w.name} up (pid ${w.pid}, health ${w.url})`);
	measured.startupSeconds = Math.round((Date.now() - t) / 1000);
	ctx.processes = [ctx.main, ...ctx.workers];
	measured.database = ctx.postgres ? 'postgresql' : 'sqlite';
	log(
		`Queue mode: main + ${ctx.workers.length} workers on ${measured.database} and Redis, up in ${measured.startupSeconds} s`,
	);
}

const webhookUrl = (ctx, { path: p }) => `${ctx.main.url}/webhook/${p}`;

// ---------------------------------------------------------------------------------------
// 1. N calls at once

async function concurrentBatch(ctx) {
	const prefix = 'qa';
	const tags = range(CALLS).map((i) => wf.tag(prefix, i));
	const before = await cluster.lastExecutionId(ctx);
	const postsBefore = ctx.listener.posts.length;
	const t0 = Date.now();
	log(`Batch 1: ${CALLS} webhook calls at once`);
	const answers = await fire(
		webhookUrl(ctx, wf.ORDERS),
		tags.map((customer) => ({ customer })),
	);
	check(
		`all ${CALLS} webhook calls answered 200 once their run finished`,
		answers.every((a) => a.status === 200),
		`statuses ${[...countBy(answers.map((a) => a.status))].map(([s, n]) => `${n}x${s}`).join(', ')}`,
	);
	const { done, executions } = await cluster.waitForExecutions(ctx, {
		workflowId: wf.ORDERS.id,
		afterId: before,
		expected: CALLS,
		timeoutMs: 3 * MINUTE,
	});
	const seconds = (Date.now() - t0) / 1000;
	const seen = cluster.executionsByProcess(ctx.processes);
	const statuses = countBy(executions.map((e) => e.status));
	check(
		`${CALLS} executions, all finished with success`,
		done && executions.length === CALLS && statuses.get('success') === CALLS,
		`${executions.length} executions: ${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')}`,
	);

	const placement = executions.map((e) => ({
		id: e.id,
		runners: cluster.runnersOf(seen, e.id),
		reportedBy: seen.main.reportedBy.get(e.id),
	}));
	const onOneWorker = placement.filter(
		(p) =>
			p.runners.length === 1 &&
			p.runners[0] !== 'main' &&
			seen[p.runners[0]].finished.has(p.id) &&
			seen.main.enqueued.has(p.id),
	);
	const perWorker = countBy(placement.map((p) => p.runners.join('+') || 'none'));
	check(
		'every execution was enqueued by the main and started and finished by exactly one worker, none on the main',
		onOneWorker.length === executions.length &&
			executions.length === CALLS &&
			seen.main.started.size === 0,
		[...perWorker].map(([w, n]) => `${w}: ${n}`).join(', '),
	);
	// The main's own record: each job's "finished" message came from a worker through Redis.
	// It names the worker's host id, `worker-<hostname>` in containers: the same for both
	// workers here, so the per-process logs above are what tells them apart.
	const reporters = countBy(placement.map((p) => p.reportedBy || 'none'));
	check(
		"the main received every execution's result from a worker through the queue",
		placement.every((p) => p.reportedBy && p.reportedBy.startsWith('worker-')),
		[...reporters].map(([w, n]) => `${n} from ${w}`).join(', '),
	);

	const orders = ordersFor(ctx, prefix);
	const perTag = countBy(orders.map((o) => o.customer));
	check(
		'every call produced exactly one order at the sandbox',
		orders.length === CALLS && tags.every((t) => perTag.get(t) === 1),
		`${orders.length} orders for ${CALLS} calls`,
	);
	const soldByTag = new Map(orders.map((o) => [o.customer, o.order_id]));
	const matched = executions.filter(
		(e) =>
			e.orders.length === 1 &&
			e.tags.length === 1 &&
			soldByTag.get(e.tags[0]) === e.orders[0].order_id,
	);
	check(
		"each execution's Order Proxies output is the order the sandbox sold for its call",
		matched.length === CALLS,
		`${matched.length}/${CALLS} match`,
	);
	check(
		'every caller got back the order the sandbox sold for its own call',
		answers.every((a) => orderIdIn(a) && orderIdIn(a) === soldByTag.get(a.body.customer)),
	);
	const posted = postsMentioning(
		ctx,
		orders.map((o) => o.order_id),
	);
	const newPosts = ctx.listener.posts.length - postsBefore;
	check(
		'the notification server got every order_id, each once',
		orders.every((o) => posted.get(o.order_id) === 1) && newPosts === CALLS,
		`${newPosts} posts, ${posted.size} distinct order_ids`,
	);
	const executionIds = new Set(executions.flatMap((e) => e.orders.map((o) => o.order_id)));
	check(
		'no execution lost or duplicated an order (executions, sandbox and notifications agree)',
		executionIds.size === CALLS &&
			orders.every((o) => executionIds.has(o.order_id) && posted.has(o.order_id)) &&
			executions.reduce((n, e) => n + e.orders.length, 0) === CALLS,
	);
	measured.batch1 = {
		calls: CALLS,
		executions: executions.length,
		orders: orders.length,
		duplicates: [...perTag.values()].filter((n) => n > 1).length,
		notified: newPosts,
		perWorker: Object.fromEntries(perWorker),
		seconds: Math.round(seconds * 10) / 10,
	};
	log(`Batch 1 done in ${seconds.toFixed(1)} s`);
}

// ---------------------------------------------------------------------------------------
// 2. Retry On Fail, on a worker

const RETRY_ITEMS = 5;
const NOT_SENT_AGAIN =
	'An earlier try of this run already sent this order and could not tell whether it was placed, so it was not sent again.';

/**
 * One call with 5 items to the Retry On Fail workflow, faults set on the sandbox's
 * Create Order requests (1-based, counted from now), as test/retry.test.ts does in-process.
 * `sent` and `bought` are item indexes in the order StatProxies saw them.
 */
async function retryScenario(ctx, { title, prefix, faults, expect }) {
	const tags = range(RETRY_ITEMS).map((i) => wf.tag(prefix, i));
	const before = await cluster.lastExecutionId(ctx);
	ctx.sandbox.setFault(null);
	for (const [fault, nth] of faults) ctx.sandbox.setFault(fault, { nth, times: 1 });
	const [answer] = await fire(webhookUrl(ctx, wf.RETRY), [
		{ items: tags.map((customer) => ({ customer })) },
	]);
	const { done, executions } = await cluster.waitForExecutions(ctx, {
		workflowId: wf.RETRY.id,
		afterId: before,
		expected: 1,
		timeoutMs: 2 * MINUTE,
	});
	ctx.sandbox.setFault(null);
	const execution = executions[0];
	const seen = cluster.executionsByProcess(ctx.processes);
	const runners = execution ? cluster.runnersOf(seen, execution.id) : [];
	const index = (customer) => tags.indexOf(customer);
	const sent = requestsFor(ctx, prefix).map((r) => index(r.json.customer));
	const bought = ordersFor(ctx, prefix).map((o) => index(o.customer));
	const soldIds = new Set(ordersFor(ctx, prefix).map((o) => o.order_id));
	const detail = `status ${execution?.status}, on ${runners.join('+') || 'nothing'}, sent items [${sent}], bought items [${bought}]`;
	const ok =
		answer.status === 200 &&
		done &&
		execution &&
		execution.status === expect.status &&
		runners.length === 1 &&
		runners[0].startsWith('worker') &&
		sent.join() === expect.sent.join() &&
		bought.join() === expect.bought.join() &&
		(!expect.errorIncludes ||
			String(execution.error?.description).includes(expect.errorIncludes)) &&
		// n8n drops a stopped node's output: its error must name the orders already bought.
		(expect.errorNamesBought || []).every((i) =>
			ordersFor(ctx, prefix)
				.filter((o) => o.customer === tags[i])
				.every((o) => String(execution.error?.description).includes(o.order_id)),
		) &&
		(expect.status !== 'success' ||
			(execution.orders.length === RETRY_ITEMS &&
				execution.orders.every((o) => soldIds.has(o.order_id))));
	check(`Retry On Fail on a worker, ${title}`, ok, detail);
	if (!ok && execution?.error)
		log(`  error: ${execution.error.message} / ${execution.error.description}`);
	return {
		title,
		executionId: execution?.id,
		prefix,
		tags,
		status: execution?.status,
		worker: runners.join('+'),
		sent,
		bought,
	};
}

async function retryOnFail(ctx) {
	log(`Retry On Fail on a worker (${RETRY_ITEMS} items, maxTries 5), the unit suite's cases`);
	measured.retryOnFail = [
		await retryScenario(ctx, {
			title:
				'a refusal (429) once at item 2 of 5: item 2 is sent again, every item bought exactly once',
			prefix: 'qr',
			faults: [['429', 3]],
			expect: { status: 'success', sent: [0, 1, 2, 2, 3, 4], bought: [0, 1, 2, 3, 4] },
		}),
		await retryScenario(ctx, {
			title:
				'an unknown outcome (malformed-json, order sold) at item 2 of 5: never sent again, items 0-2 bought once, the error names the orders of items 0 and 1',
			prefix: 'qs',
			faults: [['malformed-json', 3]],
			expect: {
				status: 'error',
				sent: [0, 1, 2],
				bought: [0, 1, 2],
				errorIncludes: NOT_SENT_AGAIN,
				errorNamesBought: [0, 1],
			},
		}),
		await retryScenario(ctx, {
			title: 'refused on the first try, unknown on the second: item 2 is not sent a third time',
			prefix: 'qt',
			faults: [
				['429', 3],
				['malformed-json', 4],
			],
			expect: {
				status: 'error',
				sent: [0, 1, 2, 2],
				bought: [0, 1, 2],
				errorIncludes: NOT_SENT_AGAIN,
				errorNamesBought: [0, 1],
			},
		}),
	];
}

// ---------------------------------------------------------------------------------------
// 3. SIGKILL a worker in the middle of a batch

async function killBatch(ctx) {
	const prefix = 'qk';
	const tags = range(CALLS).map((i) => wf.tag(prefix, i));
	const before = await cluster.lastExecutionId(ctx);
	const batchIds = (map) => [...map.keys()].filter((id) => Number(id) > before);
	ctx.proxy.setDelay(KILL_HOLD_MS);
	log(
		`Batch 2: ${CALLS} calls at once, answers held ${KILL_HOLD_MS / 1000} s; one worker will be SIGKILLed`,
	);
	const t0 = Date.now();
	const firing = fire(
		webhookUrl(ctx, wf.ORDERS),
		tags.map((customer) => ({ customer })),
		{ timeoutMs: LOCK_MS + 2 * STALLED_MS + 2 * MINUTE },
	);

	// Kill once every worker slot is busy (or the batch is all started) and orders are in flight.
	let inFlight;
	for (;;) {
		const seen = cluster.executionsByProcess(ctx.workers);
		inFlight = Object.fromEntries(
			ctx.workers.map((w) => [
				w.name,
				batchIds(seen[w.name].started).filter((id) => !seen[w.name].finished.has(id)),
			]),
		);
		const startedCount = Object.values(inFlight).reduce((n, ids) => n + ids.length, 0);
		const enough =
			startedCount >= Math.min(CALLS, WORKER_CONCURRENCY * ctx.workers.length) &&
			ordersFor(ctx, prefix).length >= startedCount;
		if (enough || Date.now() - t0 > 30 * SECOND) break;
		await sleep(100);
	}
	const victim = ctx.workers.reduce((a, b) =>
		inFlight[b.name].length > inFlight[a.name].length ? b : a,
	);
	const survivor = ctx.workers.find((w) => w !== victim);
	const soldBeforeKill = new Set(ordersFor(ctx, prefix).map((o) => o.customer));
	process.kill(victim.pid, 'SIGKILL');
	const killedAt = Date.now();
	ctx.proxy.setDelay(LATENCY_MS);
	// The dead worker's log is final now: what it started and never finished is what it held.
	await new Promise((resolve) =>
		victim.process.exitCode !== null || victim.process.signalCode
			? resolve()
			: victim.process.once('exit', resolve),
	);
	const victimLog = cluster.executionsByProcess([victim])[victim.name];
	const held = batchIds(victimLog.started).filter((id) => !victimLog.finished.has(id));
	log(
		`SIGKILL ${victim.name} (pid ${victim.pid}) ${((killedAt - t0) / 1000).toFixed(1)} s into the batch; it held executions ${held.join(', ')}`,
	);
	const answers = await firing;

	// n8n 2.41 runs Bull with maxStalledCount 0: once the dead worker's job lock expires
	// (lock duration) and the surviving worker's stalled-job check runs, the job fails.
	const finalAt = new Map();
	const { done, executions } = await cluster.waitForExecutions(ctx, {
		workflowId: wf.ORDERS.id,
		afterId: before,
		expected: CALLS,
		timeoutMs: LOCK_MS + STALLED_MS + 2 * MINUTE,
		onPoll: (rows) => {
			for (const r of rows) {
				if (cluster.FINAL_STATUSES.has(r.status) && !finalAt.has(String(r.id)))
					finalAt.set(String(r.id), Date.now());
			}
		},
	});
	await sleep(2 * SECOND);
	const seen = cluster.executionsByProcess(ctx.processes);
	const byId = new Map(executions.map((e) => [e.id, e]));
	const heldExecutions = held.map((id) => byId.get(id)).filter(Boolean);
	const rerun = held.filter((id) =>
		cluster.runnersOf(seen, id).some((name) => name !== victim.name),
	);
	const orders = ordersFor(ctx, prefix);
	const perTag = countBy(orders.map((o) => o.customer));
	const duplicates = [...perTag.values()].filter((n) => n > 1).length;
	const posted = postsMentioning(
		ctx,
		orders.map((o) => o.order_id),
	);
	// n8n replaces a failed job's stored run (webhook input included) with the error, so a
	// held execution's call is found the other way round: the calls no successful execution
	// answered. Each call made exactly one execution.
	const delivered = new Set(
		executions
			.filter((e) => e.status === 'success')
			.flatMap((e) => e.orders.map((o) => o.order_id)),
	);
	const undeliveredTags = tags.filter(
		(t) => !executions.some((e) => e.status === 'success' && e.tags.includes(t)),
	);
	const paidNotDelivered = orders.filter((o) => !delivered.has(o.order_id));
	const others = executions.filter((e) => !held.includes(e.id));
	const heldStatuses = countBy(heldExecutions.map((e) => e.status));
	const failSeconds = heldExecutions.map((e) =>
		finalAt.get(e.id) ? (finalAt.get(e.id) - killedAt) / 1000 : null,
	);
	const reached = failSeconds.filter((s) => s !== null);

	const heldAnswers = answers.filter((a) => undeliveredTags.includes(a.body.customer));
	const okAnswers = answers.filter((a) => !undeliveredTags.includes(a.body.customer));
	check(
		'every caller whose execution survived got its order back',
		okAnswers.length === CALLS - held.length &&
			okAnswers.every((a) => a.status === 200 && orderIdIn(a)),
	);
	check(
		'the killed worker held executions whose orders were already sold (answer still in flight)',
		held.length > 0 &&
			undeliveredTags.length === held.length &&
			undeliveredTags.some((t) => soldBeforeKill.has(t)),
		`${held.length} held, ${undeliveredTags.filter((t) => soldBeforeKill.has(t)).length} of their orders sold before the kill`,
	);
	check(
		`every execution the killed worker did not hold finished with success on ${survivor.name} or before the kill`,
		others.length === CALLS - held.length &&
			others.every((e) => e.status === 'success' && e.orders.length === 1),
		`${others.length} executions: ${[...countBy(others.map((e) => e.status))].map(([s, n]) => `${n} ${s}`).join(', ')}`,
	);
	check(
		"n8n did not run the killed worker's executions again on another worker",
		rerun.length === 0,
		`${rerun.length} of ${held.length} started again`,
	);
	check(
		'no order was placed twice in the kill batch',
		duplicates === 0,
		`${orders.length} orders for ${CALLS} calls, ${duplicates} calls with more than one order`,
	);
	check(
		'n8n ended every execution the killed worker held (none left running)',
		done &&
			heldExecutions.length === held.length &&
			heldExecutions.every((e) => cluster.FINAL_STATUSES.has(e.status)),
		`${[...heldStatuses].map(([s, n]) => `${n} ${s}`).join(', ')}${reached.length ? `, ${Math.min(...reached).toFixed(0)}-${Math.max(...reached).toFixed(0)} s after the kill` : ''}`,
	);
	check(
		'every order of the kill batch that reached a surviving execution was notified once',
		others.every((e) => e.orders.every((o) => posted.get(o.order_id) === 1)),
	);
	measured.killBatch = {
		calls: CALLS,
		executions: executions.length,
		victim: victim.name,
		killedAfterSeconds: Math.round((killedAt - t0) / 100) / 10,
		heldByVictim: held.length,
		heldStatuses: Object.fromEntries(heldStatuses),
		heldErrors: [...countBy(heldExecutions.map((e) => e.error?.message || '(none)'))],
		heldCallersGot: [...countBy(heldAnswers.map((a) => `${a.status} ${a.text.slice(0, 80)}`))],
		heldCallersWaitedSeconds: heldAnswers.length
			? [
					Math.min(...heldAnswers.map((a) => a.seconds)),
					Math.max(...heldAnswers.map((a) => a.seconds)),
				].map(Math.round)
			: null,
		secondsFromKillToFailed: reached.length
			? [Math.min(...reached), Math.max(...reached)].map((s) => Math.round(s))
			: null,
		rerunOnAnotherWorker: rerun.length,
		orders: orders.length,
		duplicates,
		paidButNotInAnyExecution: paidNotDelivered.length,
		notified: posted.size,
		survivorCompleted: others.length,
		seconds: Math.round((Date.now() - t0) / 100) / 10,
	};
	ctx.killed = { victim, survivor, held, heldExecutions, prefix, undeliveredTags };
	log(`Kill batch: ${JSON.stringify(measured.killBatch)}`);
}

// ---------------------------------------------------------------------------------------
// 4. What a user's "Retry" (the executions list's button, POST /rest/executions/:id/retry)
//    does with failed executions: n8n starts a new execution (mode "retry", new id), which
//    no process's retry memory knows. Measured for the killed worker's executions; asserted
//    for the failed order run, where the node must refuse to order again.

async function retryAsUser(session, executionId) {
	const timeout = new Promise((resolve) =>
		setTimeout(() => resolve({ ok: false, error: 'no answer within 60 s' }), 60 * SECOND).unref(),
	);
	const attempt = session
		.post(`/rest/executions/${executionId}/retry`, { loadWorkflow: false })
		.then(({ data }) => ({ ok: true, status: data?.status }))
		.catch((error) => ({ ok: false, error: error.message.slice(0, 200) }));
	const t = Date.now();
	const result = await Promise.race([attempt, timeout]);
	return { ...result, seconds: Math.round((Date.now() - t) / 100) / 10 };
}

async function userRetry(ctx) {
	const rest = require('../e2e/lib/n8n-rest');
	const session = await rest.setupOwnerAndLogin(ctx.main.url);
	ctx.proxy.setDelay(0);
	measured.userRetry = {};

	if (ctx.killed && ctx.killed.heldExecutions.length > 0) {
		const { heldExecutions, prefix, undeliveredTags } = ctx.killed;
		const ordersBefore = ordersFor(ctx, prefix).length;
		const retried = [];
		for (const execution of heldExecutions.filter((e) => e.status !== 'success')) {
			retried.push(await retryAsUser(session, execution.id));
		}
		await sleep(3 * SECOND);
		const perTag = countBy(ordersFor(ctx, prefix).map((o) => o.customer));
		const heldIds = new Set(heldExecutions.map((e) => e.id));
		const stored = (await cluster.storedExecutions(ctx.folder, ctx.postgres)).map((r) =>
			cluster.summarize(r, ctx.flatted),
		);
		const retries = stored.filter((e) => heldIds.has(e.retryOf));
		measured.userRetry.killedExecutions = {
			retried: retried.length,
			restAnswers: Object.fromEntries(
				countBy(retried.map((r) => (r.ok ? `200 (${r.status})` : r.error))),
			),
			slowestAnswerSeconds: Math.max(...retried.map((r) => r.seconds)),
			retryExecutions: Object.fromEntries(
				countBy(retries.map((e) => `${e.status}${e.orderRuns ? '' : ', ran nothing'}`)),
			),
			originalsMarkedRetried: stored.filter((e) => heldIds.has(e.id) && e.retrySuccessId).length,
			newOrders: ordersFor(ctx, prefix).length - ordersBefore,
			callsNowWithTwoOrders: undeliveredTags.filter((t) => (perTag.get(t) || 0) > 1).length,
		};
	}

	const failed = (measured.retryOnFail || []).find((r) => r.status === 'error' && r.executionId);
	if (failed) {
		const before = failed.tags.map(
			(t) => ordersFor(ctx, failed.prefix).filter((o) => o.customer === t).length,
		);
		const result = await retryAsUser(session, failed.executionId);
		await sleep(2 * SECOND);
		const after = failed.tags.map(
			(t) => ordersFor(ctx, failed.prefix).filter((o) => o.customer === t).length,
		);
		measured.userRetry.failedOrderExecution = {
			execution: failed.executionId,
			result: result.status || result.error,
			ordersPerItemBefore: before,
			ordersPerItemAfter: after,
			itemsBoughtTwice: after.filter((n) => n > 1).length,
		};
		// The node refuses to order in an execution started by the Retry button (unless the
		// user allows it), since no memory knows what the failed execution bought.
		check(
			"the Retry button on a failed order run buys nothing twice",
			measured.userRetry.failedOrderExecution.itemsBoughtTwice === 0,
			`orders per item before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`,
		);
	}
	log(`measured: user "Retry" of failed executions: ${JSON.stringify(measured.userRetry)}`);
}

// ---------------------------------------------------------------------------------------

async function cleanup(ctx) {
	const stops = [];
	for (const proc of ctx.processes || []) stops.push(stopProcess(proc.process, 10 * SECOND));
	await Promise.all(stops);
	if (ctx.redis) await ctx.redis.stop();
	if (ctx.postgres) await ctx.postgres.stop();
	for (const server of [ctx.proxy, ctx.sandbox, ctx.listener]) {
		if (server) await server.close().catch(() => {});
	}
	await stopAll();
}

async function main() {
	const ctx = {};
	let crashed = null;
	const watchdog = setTimeout(() => {
		console.error(
			`Queue suite still running after ${SUITE_TIMEOUT_MS / 1000} s: stopping everything.`,
		);
		check('the suite finished within its time limit', false);
		cleanup(ctx).finally(() => finish(ctx, true));
	}, SUITE_TIMEOUT_MS);
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, () => cleanup(ctx).finally(() => process.exit(130)));
	}
	try {
		await setup(ctx);
		await concurrentBatch(ctx);
		await retryOnFail(ctx);
		await killBatch(ctx);
		await userRetry(ctx);
	} catch (error) {
		crashed = error;
		check('the suite ran to its end', false, error.stack || error.message);
	}
	clearTimeout(watchdog);
	if (crashed && ctx.processes) {
		for (const proc of ctx.processes) {
			console.error(`--- last lines of ${proc.name} (${proc.logFile})`);
			console.error(fs.readFileSync(proc.logFile, 'utf8').trim().split('\n').slice(-15).join('\n'));
		}
	}
	await cleanup(ctx);
	finish(ctx, false);
}

function finish(ctx, timedOut) {
	measured.totalSeconds = Math.round((Date.now() - started) / 1000);
	const failed = results.filter((r) => !r.ok).length;
	if (ctx.workDir) {
		fs.writeFileSync(
			path.join(ctx.workDir, 'results.json'),
			JSON.stringify({ results, measured }, null, 2),
		);
	}
	console.log(`measured: ${JSON.stringify(measured)}`);
	const keep = failed > 0 || process.env.QUEUE_KEEP === '1';
	if (ctx.folder && !keep) n8nLib.removeUserFolder(ctx.folder);
	if (ctx.workDir && !keep) fs.rmSync(ctx.workDir, { recursive: true, force: true });
	if (keep && ctx.folder)
		console.log(`Kept for inspection: ${ctx.folder.path} (n8n logs) and ${ctx.workDir}`);
	console.log(`${results.length - failed} passed, ${failed} failed`);
	process.exit(failed > 0 || timedOut ? 1 : 0);
}

main();
