'use strict';
// With "On Error: Continue (using error output)", failed items leave by the second output,
// each paired with its input item, so downstream nodes can still read that item.
// Beside test/validation.test.ts (continue-on-fail): only here do n8n's real Set node and
// `$('Items').item` resolve the pairing, as a user's workflow does.
const { assert, expectSuccess } = require('../lib/expect');
const { ORDER_NODE, orderWorkflow } = require('../../lab/fixtures');

module.exports = function errorOutput(t, ctx) {
	const { sandbox } = ctx;
	const id = ctx.workflow(
		orderWorkflow('e2eErrorOutput', {
			items: [
				{ customer: 'good', type: 'x1' },
				{ customer: 'Bad Name', type: 'x1' },
				{ customer: 'refused', type: 'residential' },
			],
			parameters: {
				quantity: 1,
				productType: '={{ $json.type }}',
				additionalFields: { customer: '={{ $json.customer }}' },
			},
			settings: { onError: 'continueErrorOutput' },
			errorBranch: true,
		}),
	);

	t.test(
		'error output: failed items carry json.error and pairedItem to a downstream node',
		async () => {
			const result = await ctx.execute(id);
			expectSuccess(result);

			const placed = result.nodeOutput(ORDER_NODE, 0);
			assert.equal(placed.length, 1);
			assert.equal(placed[0].json.order_id, sandbox.orders[0].order_id);
			assert.deepEqual(placed[0].pairedItem, { item: 0 });

			const failed = result.nodeOutput(ORDER_NODE, 1);
			assert.deepEqual(
				failed.map((i) => i.pairedItem),
				[{ item: 1 }, { item: 2 }],
			);
			// n8n 1.x routes an item here only if its own JSON has no key but `error`.
			assert.deepEqual(
				failed.map(({ json: { error } }) => [error.outcome, error.field ?? error.http_code]),
				[
					['invalid', 'customer'],
					['refused', '400'],
				],
			);
			assert.match(
				failed[0].json.error.message,
				/^Customer must contain only lowercase.*\[item 1\]$/,
			);
			assert.match(
				failed[1].json.error.message,
				/^StatProxies refused the order: Invalid product_type \[item 2\]$/,
			);

			// "Failures" resolves $('Items').item through the pairing.
			assert.deepEqual(
				result.nodeOutput('Failures').map((i) => i.json),
				[
					{ error: failed[0].json.error.message, input_customer: 'Bad Name' },
					{ error: failed[1].json.error.message, input_customer: 'refused' },
				],
			);
			assert.equal(result.nodeOutput('Orders').length, 1);

			// The invalid item never left n8n; the refused one was sent and bought nothing.
			assert.deepEqual(
				sandbox.orderRequests.map((r) => r.json.customer),
				['good', 'refused'],
			);
			assert.equal(sandbox.orders.length, 1);
		},
	);
};
