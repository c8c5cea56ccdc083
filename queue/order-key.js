'use strict';
// Issue 12, item 6 (queue mode): Options > Order Key across a main and two workers that
// share one PostgreSQL database, the place where n8n's deduplication store lives.
//   - bursts of N webhook calls at once, all carrying the same request id: how many orders
//     does one key produce when N executions claim it at the same moment? (n8n's store is
//     a read-modify-write with no lock; the node claims, waits, and checks its claim.)
//   - N calls at once carrying N distinct ids: exactly one order per key.
// The runner imports `workflow()` with the other workflows (and publishes it), then calls
// `orderKeyScenario(ctx, { check, log, measured })` with its cluster context:
// ctx.main.url, ctx.sandbox, ctx.folder, ctx.postgres, ctx.flatted.
const cluster = require('./cluster');

const ORDER_KEY = {
	id: 'qOrderKey',
	path: 'statproxies-queue-order-key',
	name: 'Queue: order key per request id',
};
const DEFAULT_CREDENTIAL = { id: 'qStatProxies', name: 'StatProxies (queue sandbox)' };

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

function fireAll(url, bodies) {
	if (!url.startsWith('http://127.0.0.1:'))
		throw new Error(`refusing to call ${url}: loopback only`);
	return Promise.all(
		bodies.map((body) =>
			fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(60000),
			})
				.then((res) => res.status)
				.catch(() => 0),
		),
	);
}

/** The Order Proxies item of each stored execution of the workflow newer than `afterId`. */
async function outcomes(ctx, afterId) {
	const rows = (await cluster.storedExecutions(ctx.folder, ctx.postgres)).filter(
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
		const outcome = !json ? 'none' : json.order_id ? 'placed' : (json.details?.outcome ?? 'error');
		return { id: String(row.id), status: row.status, outcome, error: json?.error };
	});
}

async function waitForRuns(ctx, afterId, expected, timeoutMs = 180000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const runs = await outcomes(ctx, afterId);
		const done = runs.length >= expected && runs.every((r) => cluster.FINAL_STATUSES.has(r.status));
		if (done || Date.now() > deadline) return { done, runs };
		await new Promise((r) => setTimeout(r, 1000));
	}
}

const tally = (values) => values.reduce((m, v) => ({ ...m, [v]: (m[v] || 0) + 1 }), {});
const ordersOf = (ctx, customer) =>
	ctx.sandbox.orders.filter((o) => o.customer === customer).length;

/** One burst: `bodies` fired at once; resolves the orders per customer and the outcomes. */
async function burst(ctx, bodies, log) {
	const before = await cluster.lastExecutionId(ctx);
	const t0 = Date.now();
	const statuses = await fireAll(`${ctx.main.url}/webhook/${ORDER_KEY.path}`, bodies);
	const { done, runs } = await waitForRuns(ctx, before, bodies.length);
	const seconds = (Date.now() - t0) / 1000;
	const customers = [...new Set(bodies.map((b) => b.customer))];
	const orders = customers.map((c) => ordersOf(ctx, c));
	const result = {
		calls: bodies.length,
		answered200: statuses.filter((s) => s === 200).length,
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

async function orderKeyScenario(
	ctx,
	{ check, log = console.log, measured = {}, bursts = 3, distinctBursts = 1, calls = 20 },
) {
	const run = Date.now().toString(36);
	measured.orderKey = { sameId: [], distinctIds: [] };
	for (let b = 0; b < bursts; b++) {
		const body = { request_id: `req-${run}-same-${b}`, customer: letters('oks', b) };
		log(`Order key, burst ${b + 1}/${bursts}: ${calls} calls at once with one request id`);
		measured.orderKey.sameId.push(await burst(ctx, Array(calls).fill(body), log));
	}
	for (let b = 0; b < distinctBursts; b++) {
		const bodies = Array.from({ length: calls }, (_, i) => ({
			request_id: `req-${run}-distinct-${b}-${i}`,
			customer: letters('okd', b * calls + i),
		}));
		log(
			`Order key, burst ${b + 1}/${distinctBursts}: ${calls} calls at once, ${calls} distinct ids`,
		);
		measured.orderKey.distinctIds.push(await burst(ctx, bodies, log));
	}

	const same = measured.orderKey.sameId;
	const perBurst = same.map((r) => r.ordersPerKey[0]);
	check(
		`order key: ${calls} calls at once with one request id, ${bursts} bursts: at most one order per key`,
		same.every((r) => r.finished && r.executions === calls) && perBurst.every((n) => n <= 1),
		`orders per key in each burst: [${perBurst}]; outcomes ${JSON.stringify(same.map((r) => r.outcomes))}`,
	);
	check(
		'order key: every call with a used request id is reported as a duplicate',
		same.every((r) => (r.outcomes.placed || 0) + (r.outcomes.duplicate || 0) === calls),
		JSON.stringify(same.map((r) => r.outcomes)),
	);
	const distinct = measured.orderKey.distinctIds;
	check(
		`order key: ${calls} calls at once with ${calls} distinct ids, ${distinctBursts} bursts: exactly one order per key`,
		distinct.every((d) => d.finished && d.ordersPerKey.every((n) => n === 1)),
		`orders per key ${JSON.stringify(distinct.map((d) => d.ordersPerKey.join('')))}, outcomes ${JSON.stringify(distinct.map((d) => d.outcomes))}`,
	);
	return measured.orderKey;
}

module.exports = { ORDER_KEY, workflow, orderKeyScenario };
