'use strict';
// Exchange Proxies in a real n8n: the packed package, n8n's own expression engine, HTTP stack,
// Retry On Fail, deduplication store and stored executions. Each exchange replaces every IP of
// an order at once, so what is proven here is what a user relies on before pointing it at a
// live order: the chain from Order Proxies works unchanged, refusals say the old IPs still
// work, an unknown outcome is never sent again, nothing odd reaches the URL path, a key
// exchanges once, and the API key is stored nowhere.
// Beside test/exchange.test.ts (every rule and answer, through n8n-core): only here are the
// errors seen as n8n stores and prints them, and the key kept in n8n's own database.
const n8n = require('../../lab/n8n');
const { assert, expectFailure, expectSuccess } = require('../lib/expect');
const { EXCHANGE_NODE, ORDER_NODE, exchangeWorkflow } = require('../../lab/fixtures');

// Orders the sandbox account already has (seeded before each case that exchanges them).
const ORDER = 'sub_e2eexchangeorder1';
const KEYED_ORDER = 'sub_e2eexchangeorder2';
const UNKNOWN_ORDER = 'sub_e2enosuchorder0';
const WEEKLY_KEY = `rotate-${KEYED_ORDER}-2026-49`;

const UNKNOWN_OUTCOME =
	/^The connection to StatProxies failed while exchanging the proxies \((E[A-Z]+|no error code)\): the proxies may have been exchanged \(the old IPs may already be gone\); check the StatProxies dashboard before exchanging again \[item 0\]$/;
const BAD_ORDER_ID =
	'Order ID must be "sub_" followed by lowercase letters and digits only: no "/", "..", "?", "#", "%", spaces or capitals';
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

module.exports = function exchange(t, ctx) {
	const { sandbox } = ctx;
	const ids = [];
	const define = (workflow) => {
		ids.push(workflow.id);
		return ctx.workflow(workflow);
	};
	const fromItem = { orderId: '={{ $json.order_id }}' };
	const workflows = {
		chain: define(
			exchangeWorkflow('e2eExChain', {
				order: { quantity: 10, productType: 'captcha' },
				parameters: fromItem,
			}),
		),
		one: define(
			exchangeWorkflow('e2eExOne', { items: [{ order_id: ORDER }], parameters: fromItem }),
		),
		unknownOrder: define(
			exchangeWorkflow('e2eExUnknownOrder', {
				items: [{ order_id: UNKNOWN_ORDER }],
				parameters: fromItem,
			}),
		),
		retried: define(
			exchangeWorkflow('e2eExRetried', {
				items: [{ order_id: ORDER }],
				parameters: { ...fromItem, options: { timeout: 1000 } },
				settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 },
			}),
		),
		slash: define(
			exchangeWorkflow('e2eExSlash', {
				items: [{ order_id: `${ORDER}/../../newscale` }],
				parameters: fromItem,
			}),
		),
		paths: define(
			exchangeWorkflow('e2eExPaths', {
				items: [
					{ order_id: '../../order/newscale' },
					{ order_id: 'sub_abc/x' },
					{ order_id: '..' },
				],
				parameters: fromItem,
				settings: { onError: 'continueRegularOutput' },
			}),
		),
		keyed: define(
			exchangeWorkflow('e2eExKeyed', {
				// The key comes from the item, as a weekly key would from $now: n8n evaluates it.
				items: [{ order_id: KEYED_ORDER, key: WEEKLY_KEY }],
				parameters: { ...fromItem, options: { exchangeKey: '={{ $json.key }}' } },
			}),
		),
		dryRun: define(
			exchangeWorkflow('e2eExDryRun', {
				items: [{ order_id: ORDER }],
				parameters: { ...fromItem, options: { dryRun: true } },
			}),
		),
	};
	// Every case runs the CLI: no n8n start may hold the database.
	const execute = async (id) => {
		await ctx.stopServer();
		return ctx.execute(id);
	};

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

	const refusals = [
		{
			title: 'exchange refused, proxy_exchange feature disabled (403)',
			workflow: workflows.one,
			arrange: () => sandbox.setExchangeFeature(false),
			message:
				/^StatProxies refused the exchange with HTTP 403 \(got: \{"error":"feature_not_enabled","response":"Proxy exchange is not enabled for this organization"\}\) \[item 0\]$/,
			httpCode: '403',
			description: /proxy_exchange feature \(ask StatProxies support to enable it\)/,
		},
		{
			title: 'exchange refused, unknown order (404)',
			workflow: workflows.unknownOrder,
			arrange: () => {},
			message:
				/^StatProxies does not know this order \(HTTP 404; got: \{"error":"order_not_found"\}\) \[item 0\]$/,
			httpCode: '404',
			description: /Check Order ID: it must be the order_id of an order of this API key's account/,
		},
	];
	for (const spec of refusals) {
		t.test(
			`${spec.title}: a failed execution saying the old IPs still work; sent once`,
			async () => {
				sandbox.seedOrders([ORDER]);
				spec.arrange();
				const result = await execute(spec.workflow);
				const error = expectFailure(result, {
					message: spec.message,
					name: 'NodeApiError',
					httpCode: spec.httpCode,
					node: EXCHANGE_NODE,
				});
				assert.match(error.description, spec.description);
				assert.match(
					error.description,
					/StatProxies did not exchange these proxies: the old IPs still work\./,
				);
				assert.match(
					error.description,
					/Nothing was exchanged in this run, so it is safe to fix this/,
				);
				assert.equal(sandbox.exchangeRequests.length, 1);
				assert.deepEqual(sandbox.exchanges, []);
			},
		);
	}

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
		'exchange: an order id with "/" and ".." from an expression stops the execution before anything is sent',
		async () => {
			const result = await execute(workflows.slash);
			expectFailure(result, {
				message: new RegExp(
					`^${escape(BAD_ORDER_ID)} \\(received "${escape(ORDER)}/\\.\\./\\.\\./newscale"\\) \\[item 0\\]$`,
				),
				name: 'NodeOperationError',
				node: EXCHANGE_NODE,
			});
			assert.match(result.error.description, /Set Order ID to the order_id of a StatProxies order/);
			assert.deepEqual(sandbox.requests, [], 'requests reached the sandbox');
		},
	);

	t.test(
		'exchange: order ids with "/" or ".." become error items with On Error = Continue; nothing is sent',
		async () => {
			const result = await execute(workflows.paths);
			expectSuccess(result);
			const output = result.nodeOutput(EXCHANGE_NODE);
			const sent = ['../../order/newscale', 'sub_abc/x', '..'];
			assert.equal(output.length, sent.length);
			output.forEach((item, index) => {
				assert.deepEqual(item.pairedItem, { item: index });
				assert.equal(item.json.error.outcome, 'invalid');
				assert.equal(item.json.error.field, 'orderId');
				assert.equal(
					item.json.error.message,
					`${BAD_ORDER_ID} (received ${JSON.stringify(sent[index])}) [item ${index}]`,
				);
			});
			assert.deepEqual(sandbox.requests, [], 'requests reached the sandbox');
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

	// Runs last in this file: every execution above is stored by now.
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
};
