'use strict';
// Promise: Options > Order Key orders once per key across a main and two workers that share
// one PostgreSQL database, where n8n's deduplication store lives. n8n's store is a
// read-modify-write with no lock: the node claims, waits and checks its claim. Measured:
// bursts of calls at once carrying one request id (how many orders does one key make?), and
// calls at once carrying distinct ids (all of a node's keys share one database row).
// (test/order-key.test.ts proves the claim logic against an in-memory store with a forced
// gap; only a real database under real concurrency shows the window.)
const assert = require('node:assert/strict');
const { once } = require('../../lab/runner');
const { storedExecutions } = require('../../lab/n8n');
const cluster = require('../cluster');
const calls = require('../calls');

const ORDER_KEY = {
	id: 'qOrderKey',
	path: 'statproxies-queue-order-key',
	name: 'Queue: order key per request id',
};
const { STATPROXIES_CREDENTIAL: DEFAULT_CREDENTIAL } = require('../workflows');

/** Webhook -> Order Proxies with the caller's request id as the order key. */
function workflow({ credential = DEFAULT_CREDENTIAL } = {}) {
	return {
		id: ORDER_KEY.id,
		name: ORDER_KEY.name,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [
			{
				id: '7a2e1d63-4b8f-4d2f-8b62-1d1b6f2f1001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: '7a2e1d63-4b8f-4d2f-8b62-1d1b6f2f0001',
				parameters: {
					httpMethod: 'POST',
					path: ORDER_KEY.path,
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				id: '7a2e1d63-4b8f-4d2f-8b62-1d1b6f2f2001',
				name: 'Order Proxies',
				type: 'n8n-nodes-statproxies.orderProxies',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					quantity: 1,
					productType: 'captcha',
					additionalFields: { customer: '={{ $json.body.customer }}' },
					options: { orderKey: '={{ $json.body.request_id }}' },
				},
				credentials: { statProxiesApi: credential },
				// A duplicate is an answer, not an incident: it leaves as an error item.
				onError: 'continueRegularOutput',
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Order Proxies', type: 'main', index: 0 }]] },
		},
	};
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
			error: json?.error?.message ?? json?.error,
		};
	});
}

async function waitForRuns(ctx, afterId, expected, timeoutMs = 180000) {
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

/** One burst: `bodies` fired at once; resolves the orders per customer and the outcomes. */
async function burst(ctx, bodies, log) {
	const before = await cluster.lastExecutionId(ctx);
	const t0 = Date.now();
	const answers = await calls.fire(`${ctx.main.url}/webhook/${ORDER_KEY.path}`, bodies);
	const { done, runs } = await waitForRuns(ctx, before, bodies.length);
	const seconds = (Date.now() - t0) / 1000;
	const customers = [...new Set(bodies.map((b) => b.customer))];
	const orders = customers.map((c) => ordersOf(ctx, c));
	const result = {
		calls: bodies.length,
		answered200: answers.filter((a) => a.status === 200).length,
		finished: done,
		executions: runs.length,
		outcomes: tally(runs.map((r) => r.outcome)),
		ordersPerKey: orders,
		seconds,
	};
	log(`  ${JSON.stringify(result)}`);
	const odd = runs.find((r) => !['placed', 'duplicate'].includes(r.outcome));
	if (odd) log(`  e.g. execution ${odd.id}: ${odd.status}, ${odd.outcome}: ${odd.error}`);
	return result;
}

const BURSTS = 3;
const CALLS = 20;

module.exports = function orderKey(t, ctx) {
	const run = Date.now().toString(36);
	const sameId = once(async () => {
		const results = [];
		for (let b = 0; b < BURSTS; b++) {
			const body = { request_id: `req-${run}-same-${b}`, customer: letters('oks', b) };
			ctx.log(`Order key, burst ${b + 1}/${BURSTS}: ${CALLS} calls at once with one request id`);
			results.push(await burst(ctx, Array(CALLS).fill(body), ctx.log));
		}
		return results;
	});
	const distinctIds = once(async () => {
		const bodies = Array.from({ length: CALLS }, (_, i) => ({
			request_id: `req-${run}-distinct-${i}`,
			customer: letters('okd', i),
		}));
		ctx.log(`Order key: ${CALLS} calls at once, ${CALLS} distinct ids`);
		return await burst(ctx, bodies, ctx.log);
	});

	t.test(
		`order key: ${CALLS} calls at once with one request id, ${BURSTS} bursts: one order per key`,
		async () => {
			const same = await sameId();
			ctx.measured.orderKeySameId = same.map((r) => ({
				orders: r.ordersPerKey[0],
				...r.outcomes,
				seconds: r.seconds,
			}));
			for (const r of same) {
				assert.ok(
					r.finished && r.executions === CALLS,
					`not every execution finished: ${JSON.stringify(r)}`,
				);
				assert.equal(r.ordersPerKey[0], 1, `orders for one key: ${JSON.stringify(r)}`);
				// Every other call is told its key was used: an answer a workflow can route.
				assert.equal(r.outcomes.duplicate, CALLS - 1, JSON.stringify(r.outcomes));
			}
		},
	);

	t.test(
		`order key: ${CALLS} calls at once with ${CALLS} distinct ids: one order each`,
		async () => {
			const distinct = await distinctIds();
			ctx.measured.orderKeyDistinctIds = {
				outcomes: distinct.outcomes,
				orders: distinct.ordersPerKey.reduce((a, b) => a + b, 0),
				twice: distinct.ordersPerKey.filter((n) => n > 1).length,
				seconds: distinct.seconds,
			};
			assert.ok(distinct.finished, JSON.stringify(distinct));
			assert.deepEqual(
				distinct.ordersPerKey,
				Array(CALLS).fill(1),
				JSON.stringify(distinct.outcomes),
			);
		},
	);
};

module.exports.ORDER_KEY = ORDER_KEY;
module.exports.workflow = workflow;
