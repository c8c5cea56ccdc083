'use strict';
// Exchange Proxies in a real n8n when it exchanges nothing: a refusal must say, as n8n stores
// and prints it, that the old IPs still work, and an order id with "/" or ".." must stop before
// anything is sent, so nothing odd reaches the URL path. The workflows are
// exchange-workflows.js's; the search of their stored executions for the API key, exchange.js's.
const { assert, escape, expectFailure, expectSuccess } = require('../lib/expect');
const { EXCHANGE_NODE } = require('../../lab/fixtures');
const { ORDER, exchangeSetup } = require('../exchange-workflows');

const BAD_ORDER_ID =
	'Order ID must be "sub_" followed by lowercase letters and digits only: no "/", "..", "?", "#", "%", spaces or capitals';

module.exports = function exchangeRefusals(t, ctx) {
	const { sandbox } = ctx;
	const { workflows, execute } = exchangeSetup(ctx);

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
};
