'use strict';
// Exchange Proxies in a real n8n: the packed package, n8n's own expression engine, HTTP stack,
// Retry On Fail, deduplication store and stored executions. Each exchange replaces every IP of
// an order at once, so what is proven here is what a user relies on before pointing it at a
// live order: the chain from Order Proxies works unchanged, an unknown outcome is never sent
// again, a key exchanges once, and the API key is stored nowhere. What exchanges nothing
// (refusals, order ids that must not reach the URL path) is exchange-refusals.js's.
// Beside test/exchange.test.ts (every rule and answer, through n8n-core): only here are the
// errors seen as n8n stores and prints them, and the key kept in n8n's own database.
const n8n = require('../../lab/n8n');
const { assert, escape, expectFailure, expectSuccess } = require('../lib/expect');
const { EXCHANGE_NODE, ORDER_NODE } = require('../../lab/fixtures');
const { ORDER, KEYED_ORDER, WEEKLY_KEY, exchangeSetup } = require('../exchange-workflows');

const UNKNOWN_OUTCOME =
	/^The connection to StatProxies failed while exchanging the proxies \((E[A-Z]+|no error code)\): the proxies may have been exchanged \(the old IPs may already be gone\); check the StatProxies dashboard before exchanging again \[item 0\]$/;

function exchange(t, ctx) {
	const { sandbox } = ctx;
	const { ids, workflows, execute } = exchangeSetup(ctx);

	t.test(
		'exchange: Order Proxies -> Exchange Proxies ({{ $json.order_id }} unchanged) exchanges the order just bought; the item as documented',
		async () => {
			const result = await execute(workflows.chain);
			expectSuccess(result);
			assert.equal(sandbox.orders.length, 1);
			const [sale] = sandbox.orders;
			assert.equal(result.nodeOutput(ORDER_NODE)[0].json.order_id, sale.order_id);
			assert.equal(sandbox.exchangeRequests.length, 1);
			const [request] = sandbox.exchangeRequests;
			assert.equal(request.method, 'POST');
			assert.equal(request.path, `/api/v2/order/exchange/${sale.order_id}`);
			assert.equal(request.headers.authorization, `Bearer ${sandbox.keys.full}`);
			assert.equal(request.body, '', 'the exchange carries no body');
			assert.deepEqual(
				sandbox.exchanges.map((e) => e.order_id),
				[sale.order_id],
			);
			assert.deepEqual(result.nodeOutput(EXCHANGE_NODE), [
				{
					json: {
						order_id: sale.order_id,
						previous_count: 10,
						new_count: 10,
						requested_count: 10,
						overlapping_ips: 0,
						message: 'Proxies exchanged successfully',
						complete: true,
					},
					pairedItem: { item: 0 },
				},
			]);
		},
	);

	t.test(
		'exchange: a partial exchange with overlapping IPs is said in the item (complete false, warning)',
		async () => {
			sandbox.seedOrders([ORDER]);
			sandbox.setExchangeQuality({ partial: true, overlappingIps: 2 });
			const result = await execute(workflows.one);
			expectSuccess(result);
			const [item] = result.nodeOutput(EXCHANGE_NODE);
			assert.deepEqual(item.json, {
				order_id: ORDER,
				previous_count: 10,
				new_count: 9,
				requested_count: 10,
				overlapping_ips: 2,
				message: 'Proxies exchanged successfully',
				complete: false,
				warning: 'Partial exchange: only 9 of 10 IPs were replaced; 2 IPs are the same as before.',
			});
		},
	);

	t.test(
		'exchange with an unknown outcome (reset-after-body) under Retry On Fail: sent once, the message says the old IPs may be gone',
		async () => {
			sandbox.seedOrders([ORDER]);
			sandbox.setExchangeFault('reset-after-body');
			const result = await execute(workflows.retried);
			const error = expectFailure(result, {
				message: UNKNOWN_OUTCOME,
				name: 'NodeApiError',
				node: EXCHANGE_NODE,
			});
			// The last of three tries: it found the first try's unknown outcome and sent nothing.
			assert.match(
				error.description,
				/^An earlier try of this run already sent this exchange and could not tell whether it went through, so it was not sent again\. The proxies may or may not have been exchanged: the old IPs may already be gone\./,
			);
			assert.equal(sandbox.exchangeRequests.length, 1, 'the exchange was sent again');
			assert.equal(sandbox.exchanges.length, 1, 'the sandbox did exchange (its answer was lost)');
		},
	);

	t.test(
		'exchange key: a second execution (another process) with the same key exchanges nothing',
		async () => {
			sandbox.seedOrders([KEYED_ORDER]);
			const first = await execute(workflows.keyed);
			expectSuccess(first);
			assert.equal(first.nodeOutput(EXCHANGE_NODE)[0].json.order_id, KEYED_ORDER);
			const second = await execute(workflows.keyed);
			const error = expectFailure(second, {
				message: new RegExp(
					`^Not exchanged: exchange key "${escape(WEEKLY_KEY)}" was already used by an earlier execution \\[item 0\\]$`,
				),
				node: EXCHANGE_NODE,
			});
			assert.match(error.description, /give this exchange another key \(Options > Exchange Key\)/);
			assert.equal(sandbox.exchangeRequests.length, 1, 'the second execution sent a request');
			assert.equal(sandbox.exchanges.length, 1);
		},
	);

	// Runs last of the exchange cases (exchange-refusals.js is registered before this file):
	// every exchange execution is stored by now.
	t.test(
		'exchange: no API key in any stored exchange execution (dry run included), nor anywhere in the n8n folder',
		async () => {
			sandbox.seedOrders([ORDER]);
			const dry = await execute(workflows.dryRun);
			expectSuccess(dry);
			const [preview] = dry.nodeOutput(EXCHANGE_NODE);
			assert.equal(preview.json.dry_run, true);
			assert.equal(preview.json.request.url, `${sandbox.url}/api/v2/order/exchange/${ORDER}`);
			assert.deepEqual(sandbox.requests, [], 'the dry run sent a request');
			// A refusal whose answer is quoted in the message: stored as a failed execution.
			expectFailure(await execute(workflows.unknownOrder), { message: /HTTP 404/ });

			const rows = (await n8n.storedExecutions(ctx.folder)).filter((r) =>
				ids.includes(r.workflowId),
			);
			const ran = new Set(rows.map((r) => r.workflowId));
			assert.ok(ran.has(workflows.dryRun), 'the dry run is not stored');
			assert.ok(
				rows.some((r) => r.status === 'error') && rows.some((r) => r.status === 'success'),
				`both failed and successful exchanges are stored: ${rows.map((r) => r.status).join(', ')}`,
			);
			const text = rows.map((r) => `${r.workflowData}\n${r.data}`).join('\n');
			// Proves the search sees execution data: the exchanged order ids are in there.
			assert.ok(text.includes(ORDER), 'the stored executions do not name the exchanged order');
			for (const key of ctx.secrets) {
				const leaks = rows
					.filter((r) => `${r.workflowData}\n${r.data}`.includes(key))
					.map((r) => r.id);
				assert.deepEqual(leaks, [], `key ${key.slice(0, 8)}... found in executions`);
				assert.deepEqual(
					n8n.filesContaining(ctx.folder, key),
					[],
					`key ${key.slice(0, 8)}... found in files`,
				);
			}
		},
	);
}

module.exports = exchange;
// For exchange-refusals.js.
