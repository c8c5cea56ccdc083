'use strict';
// Promise: Options > Order Key orders once per key across a main and two workers that share
// one PostgreSQL database, where n8n's deduplication store lives, however slow each query
// round trip is. n8n's store is a read-modify-write with no lock, so the claim rests on a
// bound on the store's read-to-write time: this case measures it at several database
// latencies (queue/db-latency-proxy.js delays every query n8n sends; the delay changes
// between phases while n8n runs) and checks the promise at each:
//   one at a time   keys sent alone: the store call with no contention
//   one key         bursts of calls at once with one request id, across both workers
//   distinct keys   calls at once, each with its own id (all of a node's keys share one row)
//   again           every key of the phase sent again: all duplicates, no new order
// The webhook answers when the run ends (Respond: When Last Node Finishes), with the node's
// item: the answer's time is the keyed order's time as a caller sees it.
// (test/order-key.test.ts proves the claim logic against an in-memory store with a forced
// gap; only a real database under real concurrency shows the window.)
const assert = require('node:assert/strict');
const { once } = require('../../lab/runner');
const { storedExecutions } = require('../../lab/n8n');
const fixtures = require('../../lab/fixtures');
const cluster = require('../cluster');
const calls = require('../calls');
const { summarizeStore, median, max } = require('../store-calls');
const { STATPROXIES_CREDENTIAL } = require('../workflows');

const ORDER_KEY = {
	id: 'qOrderKey',
	path: 'statproxies-queue-order-key',
	name: 'Queue: order key per request id',
};
/** Database latency per query, in ms, one phase each (QUEUE_DB_LATENCIES=0,50,150). */
const LATENCIES = (process.env.QUEUE_DB_LATENCIES || '0,50,150')
	.split(',')
	.map(Number)
	.filter((n) => Number.isFinite(n) && n >= 0);
const SOLO = 3;
const BURSTS = 3;
const CALLS = 20;
const DISTINCT = 20;

/** Webhook -> Order Proxies with the caller's request id as the order key. */
function workflow({ credential = STATPROXIES_CREDENTIAL } = {}) {
	return fixtures.workflow(
		ORDER_KEY.id,
		[
			fixtures.webhookNode(ORDER_KEY.path, { responseMode: 'lastNode' }),
			fixtures.orderNode({
				parameters: {
					quantity: 1,
					productType: 'captcha',
					additionalFields: { customer: '={{ $json.body.customer }}' },
					options: { orderKey: '={{ $json.body.request_id }}' },
				},
				credential,
				// A duplicate is an answer, not an incident: it leaves as an item with `error`.
				settings: { onError: 'continueRegularOutput' },
			}),
		],
		{ name: ORDER_KEY.name },
	);
}

/** a-z only (the Customer rule): `prefix` + `n` written in letters. */
function letters(prefix, n) {
	let text = '';
	do {
		text = String.fromCharCode(97 + (n % 26)) + text;
		n = Math.floor(n / 26);
	} while (n > 0);
	return `${prefix}${text.padStart(3, 'a')}`;
}

/** The Order Proxies item of each stored execution of the workflow newer than `afterId`. */
async function outcomes(ctx, afterId) {
	const rows = (await storedExecutions(ctx.folder, { postgres: ctx.postgres })).filter(
		(r) => r.workflowId === ORDER_KEY.id && Number(r.id) > Number(afterId),
	);
	return rows.map((row) => {
		let json = null;
		try {
			const runs = ctx.flatted.parse(row.data).resultData.runData['Order Proxies'];
			json = runs[runs.length - 1].data.main[0][0].json;
		} catch {
			json = null;
		}
		const outcome = !json ? 'none' : json.order_id ? 'placed' : (json.error?.outcome ?? 'error');
		return {
			id: String(row.id),
			status: row.status,
			outcome,
			message: json?.error?.message ?? (json ? null : `execution ${row.status}, no item`),
		};
	});
}

async function waitForRuns(ctx, afterId, expected, timeoutMs = 5 * calls.MINUTE) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const runs = await outcomes(ctx, afterId);
		const done = runs.length >= expected && runs.every((r) => cluster.FINAL_STATUSES.has(r.status));
		if (done || Date.now() > deadline) return { done, runs };
		await calls.sleep(1000);
	}
}

const tally = (values) => values.reduce((m, v) => ({ ...m, [v]: (m[v] || 0) + 1 }), {});
const ordersOf = (ctx, customer) =>
	ctx.sandbox.orders.filter((o) => o.customer === customer).length;
const round = (s) => (s === null ? null : Math.round(s * 100) / 100);

/**
 * How long a caller may still wait for its answer once every execution has ended. n8n 2.41's
 * main waits for a job with Bull's `job.finished()`, which never resolves when the job ended
 * and was removed (n8n keeps no finished job: N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED=0)
 * before the main asked: a fast run's caller can wait forever. Counted, not waited for.
 */
const ANSWER_GRACE_MS = 20 * calls.SECOND;

/** Fires `bodies` at once; resolves the answers and the executions. */
async function fireAll(ctx, bodies) {
	const before = await cluster.lastExecutionId(ctx);
	const giveUp = new AbortController();
	const answering = calls.fire(`${ctx.main.url}/webhook/${ORDER_KEY.path}`, bodies, {
		timeoutMs: 5 * calls.MINUTE,
		signal: giveUp.signal,
	});
	const { done, runs } = await waitForRuns(ctx, before, bodies.length);
	const grace = setTimeout(() => giveUp.abort(), done ? ANSWER_GRACE_MS : 0);
	const answers = await answering;
	clearTimeout(grace);
	return { answers, done, runs };
}

/**
 * One set of a phase: `groups` of bodies, each group fired at once, one group after another.
 * `ordersBefore` (customer -> orders) lets "again" count new orders only.
 */
async function measureSet(ctx, groups) {
	const customers = [...new Set(groups.flat().map((b) => b.customer))];
	const ordersBefore = new Map(customers.map((c) => [c, ordersOf(ctx, c)]));
	if (ctx.dbProxy) ctx.dbProxy.take();
	const fired = [];
	const t0 = Date.now();
	for (const bodies of groups) fired.push(await fireAll(ctx, bodies));
	const seconds = (Date.now() - t0) / 1000;
	const taken = ctx.dbProxy ? ctx.dbProxy.take() : null;
	const seen = cluster.executionsByProcess(ctx.processes);
	const answers = fired.flatMap((f) => f.answers);
	const runs = fired.flatMap((f) => f.runs);
	const perWorker = {};
	for (const run of runs) {
		const name = cluster.runnersOf(seen, run.id).join('+') || 'none';
		perWorker[name] ??= { executions: 0, placed: 0 };
		perWorker[name].executions++;
		if (run.outcome === 'placed') perWorker[name].placed++;
	}
	const times = answers.filter((a) => a.status === 200).map((a) => a.seconds);
	return {
		calls: answers.length,
		keys: customers.length,
		answered200: answers.filter((a) => a.status === 200).length,
		// Calls n8n never answered although their execution ended (see ANSWER_GRACE_MS).
		unanswered: answers.filter((a) => a.status === 0).length,
		otherAnswers: answers.filter((a) => a.status !== 200 && a.status !== 0).length,
		finished: fired.every((f) => f.done) && runs.length === answers.length,
		// Per group (one key per burst, or the distinct keys): new orders per key.
		ordersPerKey: customers.map((c) => ordersOf(ctx, c) - ordersBefore.get(c)),
		outcomes: tally(runs.map((r) => r.outcome)),
		messages: tally(
			runs.filter((r) => !['placed', 'duplicate'].includes(r.outcome)).map((r) => r.message),
		),
		answerSeconds: { median: round(median(times)), max: round(max(times)) },
		perWorker,
		store: taken
			? summarizeStore(taken, { keys: [...new Set(groups.flat().map((b) => b.request_id))] })
			: null,
		statementsPerExecution: taken
			? round(Object.values(taken.statements).reduce((a, b) => a + b, 0) / Math.max(1, runs.length))
			: null,
		seconds: round(seconds),
		bursts: fired.map((f) => ({
			outcomes: tally(f.runs.map((r) => r.outcome)),
			orders: [...new Set(f.answers.map((a) => a.body.customer))].map(
				(c) => ordersOf(ctx, c) - ordersBefore.get(c),
			),
		})),
	};
}

/** The four sets of one latency. */
async function measurePhase(ctx, latencyMs, index, run) {
	const tag = String.fromCharCode(97 + index);
	const key = (set, n) => ({
		request_id: `req-${run}-${latencyMs}ms-${set}-${n}`,
		customer: letters(`ok${tag}${set[0]}`, n),
	});
	if (ctx.dbProxy) ctx.dbProxy.setDelay(latencyMs);
	const solo = Array.from({ length: SOLO }, (_, i) => [key('one', i)]);
	const same = Array.from({ length: BURSTS }, (_, b) => Array(CALLS).fill(key('same', b)));
	const distinct = [Array.from({ length: DISTINCT }, (_, i) => key('distinct', i))];
	const phase = { latencyMs };
	ctx.log(`Order key at ${latencyMs} ms per query: ${SOLO} keys one at a time`);
	phase.solo = await measureSet(ctx, solo);
	ctx.log(`  ${JSON.stringify(phase.solo)}`);
	ctx.log(
		`Order key at ${latencyMs} ms per query: ${BURSTS} bursts of ${CALLS} calls, one key each`,
	);
	phase.same = await measureSet(ctx, same);
	ctx.log(`  ${JSON.stringify(phase.same)}`);
	ctx.log(`Order key at ${latencyMs} ms per query: ${DISTINCT} calls at once, distinct keys`);
	phase.distinct = await measureSet(ctx, distinct);
	ctx.log(`  ${JSON.stringify(phase.distinct)}`);
	const again = [[...solo.flat(), ...same.map((g) => g[0]), ...distinct.flat()]];
	ctx.log(`Order key at ${latencyMs} ms per query: the ${again[0].length} keys again, at once`);
	phase.again = await measureSet(ctx, again);
	ctx.log(`  ${JSON.stringify(phase.again)}`);
	return phase;
}

module.exports = function orderKey(t, ctx) {
	const run = Date.now().toString(36);
	// On SQLite (QUEUE_DB=sqlite) there is no database to delay: one phase, as it is.
	const latencies = ctx.settings.DB === 'postgres' ? LATENCIES : [0];
	const measureAll = once(async () => {
		const phases = [];
		try {
			for (const [i, latencyMs] of latencies.entries())
				phases.push(await measurePhase(ctx, latencyMs, i, run));
		} finally {
			if (ctx.dbProxy) ctx.dbProxy.setDelay(0);
		}
		ctx.measured.orderKey = {
			poolSize: ctx.settings.DB_POOL_SIZE,
			sizes: { solo: SOLO, bursts: BURSTS, calls: CALLS, distinct: DISTINCT },
			phases,
		};
		return phases;
	});
	const phaseAt = async (latencyMs) => {
		const phase = (await measureAll()).find((p) => p.latencyMs === latencyMs);
		assert.ok(phase, `no phase at ${latencyMs} ms (no PostgreSQL, no latency proxy)`);
		return phase;
	};

	t.test(
		`order key under database latency (${latencies.join(', ')} ms per query): one execution per call, every execution ended, no call answered with an error, keys sent alone order once`,
		async () => {
			for (const phase of await measureAll()) {
				for (const set of ['solo', 'same', 'distinct', 'again']) {
					const r = phase[set];
					const where = `${phase.latencyMs} ms, ${set}: ${JSON.stringify(r)}`;
					assert.ok(r.finished, `not every call made an execution that ended: ${where}`);
					assert.equal(r.otherAnswers, 0, `calls answered with an error: ${where}`);
				}
				assert.deepEqual(phase.solo.ordersPerKey, Array(SOLO).fill(1), JSON.stringify(phase.solo));
			}
		},
	);

	for (const latencyMs of latencies) {
		const at = `order key at ${latencyMs} ms per query`;
		t.test(
			`${at}: ${BURSTS} bursts of ${CALLS} calls at once with one request id: one order per key, the others duplicate`,
			async () => {
				const { same } = await phaseAt(latencyMs);
				for (const burst of same.bursts) {
					assert.deepEqual(burst.orders, [1], `orders for one key: ${JSON.stringify(same)}`);
					// Every other call is told its key was used: an answer a workflow can route.
					assert.equal(burst.outcomes.duplicate, CALLS - 1, JSON.stringify(burst.outcomes));
				}
			},
		);
		t.test(
			`${at}: ${DISTINCT} calls at once with ${DISTINCT} distinct ids: one order each`,
			async () => {
				const { distinct } = await phaseAt(latencyMs);
				assert.deepEqual(
					distinct.ordersPerKey,
					Array(DISTINCT).fill(1),
					JSON.stringify(distinct.outcomes),
				);
			},
		);
		t.test(`${at}: every key sent again: all duplicate, no new order`, async () => {
			const { again } = await phaseAt(latencyMs);
			assert.equal(
				again.ordersPerKey.reduce((a, b) => a + b, 0),
				0,
				JSON.stringify(again),
			);
			assert.equal(again.outcomes.duplicate, again.calls, JSON.stringify(again.outcomes));
		});
	}
};

module.exports.ORDER_KEY = ORDER_KEY;
module.exports.workflow = workflow;
module.exports.LATENCIES = LATENCIES;
