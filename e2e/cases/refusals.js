'use strict';
// Orders that must not happen: each validation failure stops the execution before anything
// is sent; each refusal by the API surfaces with the node's own message.
// Beside test/validation.test.ts and test/api-errors.test.ts (every rule, edge and answer):
// only here is the error seen as n8n stores and prints it after a failed execution (class,
// httpCode and message surviving n8n's serialization), and with n8n's own HTTP stack.
const { assert, expectFailure } = require('../lib/expect');
const { ORDER_NODE, orderWorkflow, statProxiesCredential } = require('../../lab/fixtures');

const VALIDATION = [
	{
		id: 'e2eBadQtyZero',
		title: 'quantity 0',
		parameters: { quantity: 0, productType: 'x1' },
		message: /^Quantity must be a whole number greater than 0 \(received 0\) \[item 0\]$/,
	},
	{
		id: 'e2eBadQtyFraction',
		title: 'quantity 2.5 from an expression',
		parameters: { quantity: '={{ 2.5 }}', productType: 'x1' },
		message: /^Quantity must be a whole number greater than 0 \(received 2\.5\) \[item 0\]$/,
	},
	{
		id: 'e2eBadQtyAboveMax',
		title: 'quantity above Max Quantity',
		parameters: { quantity: 150, productType: 'x1' },
		message:
			/^Quantity 150 is above the limit of 100 proxies per order set on this node \[item 0\]$/,
	},
	{
		id: 'e2eBadMaxQty',
		title: 'Max Quantity 0',
		parameters: { quantity: 1, productType: 'x1', options: { maxQuantity: 0 } },
		message: /^Max Quantity must be a whole number of at least 1 \(received 0\) \[item 0\]$/,
	},
	{
		id: 'e2eBadProductEmpty',
		title: 'empty product type from an expression',
		parameters: { quantity: 1, productType: '={{ "" }}' },
		message: /^Product Type must not be empty \(received ""\) \[item 0\]$/,
	},
	{
		id: 'e2eBadCustomerCase',
		title: 'customer with capitals',
		parameters: { quantity: 1, productType: 'x1', additionalFields: { customer: 'Acme' } },
		message: /^Customer must contain only lowercase letters a-z.*\(received "Acme"\) \[item 0\]$/,
	},
	{
		id: 'e2eBadCustomerLong',
		title: 'customer of 51 letters',
		parameters: { quantity: 1, productType: 'x1', additionalFields: { customer: 'a'.repeat(51) } },
		message: /^Customer must be at most 50 characters long \(received "a{51}"\) \[item 0\]$/,
	},
	{
		id: 'e2eBadTimeout',
		title: 'timeout of 10 ms',
		parameters: { quantity: 1, productType: 'x1', options: { timeout: 10 } },
		message: /^Timeout must be at least 1000 ms.*\(received 10\) \[item 0\]$/,
	},
	{
		id: 'e2eBadBaseUrl',
		title: 'plain http base URL to a remote host',
		credential: 'remoteHttp',
		parameters: { quantity: 1, productType: 'x1' },
		// The credential's problem, named once for the run: no item.
		message:
			/^The credential's Base URL must use https:\/\/.*\(received "http:\/\/statproxies\.invalid"\)$/,
	},
];

module.exports = function refusals(t, ctx) {
	const { sandbox } = ctx;
	const credential = (id, name, data) => ctx.credential(statProxiesCredential({ id, name }, data));
	// .invalid never resolves: even a bug could not send the key anywhere.
	const remoteHttp = credential('e2eRemoteHttpCred', 'e2e remote http', {
		apiKey: sandbox.keys.full,
		baseUrl: 'http://statproxies.invalid',
	});
	const wrongKey = credential('e2eWrongKeyCred', 'e2e wrong key', {
		apiKey: 'sk_test_e2e_wrong_key_0123456789',
		baseUrl: sandbox.url,
	});
	// Nothing listens on loopback port 1: the connection is refused before anything is sent.
	const unreachable = credential('e2eUnreachableCred', 'e2e unreachable', {
		apiKey: sandbox.keys.full,
		baseUrl: 'http://127.0.0.1:1',
	});
	const noOrderKey = credential('e2eNoOrderCred', 'e2e key without order', {
		apiKey: sandbox.keys.noOrder,
		baseUrl: sandbox.url,
	});

	for (const spec of VALIDATION) {
		const id = ctx.workflow(
			orderWorkflow(spec.id, {
				parameters: spec.parameters,
				credential: spec.credential === 'remoteHttp' ? remoteHttp : undefined,
			}),
		);
		t.test(
			`validation, ${spec.title}: a failed execution naming field, value and item; nothing sent`,
			async () => {
				const result = await ctx.execute(id);
				expectFailure(result, {
					message: spec.message,
					name: 'NodeOperationError',
					node: ORDER_NODE,
				});
				assert.ok(result.error.description, 'the error says how to fix it');
				assert.equal(sandbox.requests.length, 0, 'requests reached the sandbox');
			},
		);
	}

	const secondItem = ctx.workflow(
		orderWorkflow('e2eBadSecondItem', {
			items: [{ customer: 'fine' }, { customer: 'Not Fine' }],
			parameters: {
				quantity: 1,
				productType: 'x1',
				additionalFields: { customer: '={{ $json.customer }}' },
			},
		}),
	);
	t.test('an invalid 2nd item stops the run before the 1st is bought, naming item 1', async () => {
		const result = await ctx.execute(secondItem);
		expectFailure(result, {
			message: /^Customer must contain only lowercase.*\(received "Not Fine"\) \[item 1\]$/,
		});
		assert.equal(sandbox.requests.length, 0, 'requests reached the sandbox');
	});

	const apiCases = [
		{
			title: 'a 401 (wrong API key) fails with the node message and buys nothing',
			workflow: orderWorkflow('e2eApi401', {
				credential: wrongKey,
				parameters: { quantity: 1, productType: 'x1' },
			}),
			message: /^StatProxies rejected the API key \(invalid_api_key\) \[item 0\]$/,
			httpCode: '401',
		},
		{
			title: 'a 400 (product type StatProxies refuses) fails with the API reason and buys nothing',
			workflow: orderWorkflow('e2eApi400', {
				parameters: { quantity: 1, productType: '={{ "residential" }}' },
			}),
			message: /^StatProxies refused the order: Invalid product_type \[item 0\]$/,
			httpCode: '400',
		},
		{
			title: 'a 403 (key without the order service) fails with the node message and buys nothing',
			workflow: orderWorkflow('e2eApi403', {
				credential: noOrderKey,
				parameters: { quantity: 1, productType: 'x1' },
			}),
			message:
				/^The API key is not allowed to create orders \(insufficient_permissions\) \[item 0\]$/,
			httpCode: '403',
		},
	];
	for (const spec of apiCases) {
		const id = ctx.workflow(spec.workflow);
		t.test(spec.title, async () => {
			const result = await ctx.execute(id);
			expectFailure(result, {
				message: spec.message,
				name: 'NodeApiError',
				httpCode: spec.httpCode,
				node: ORDER_NODE,
			});
			assert.equal(sandbox.orderRequests.length, 1);
			assert.equal(sandbox.orders.length, 0);
		});
	}

	const unreachableId = ctx.workflow(
		orderWorkflow('e2eUnreachable', {
			credential: unreachable,
			parameters: { quantity: 1, productType: 'x1' },
		}),
	);
	t.test('StatProxies unreachable: fails with the node message naming the item', async () => {
		const result = await ctx.execute(unreachableId);
		expectFailure(result, { message: /StatProxies.*\[item 0\]$/, node: ORDER_NODE });
		assert.match(result.error.description, /nothing was ordered/);
	});
};
