'use strict';
// Issue 12, item 6 (single main): Options > Order Key in n8n 2.41.1. What this proves that
// jest cannot (jest registers an in-memory stand-in for the store): n8n's own deduplication
// store, in its SQLite database, is offered to community nodes under `n8n execute` and
// `n8n start`; a key recorded by one process is seen by the next (every `n8n execute` is a
// fresh process on the same database, and `n8n start` is one more), so a key survives
// restarts; refused orders give their key back; dry runs record nothing.
const { runManually, waitForExecution } = require('../../lab/n8n');
const { assert, expectFailure, expectSuccess } = require('../lib/expect');
const { ORDER_NODE, orderWorkflow } = require('../../lab/fixtures');

const USED = (key) =>
	new RegExp(
		`^Not ordered: order key "${key}" was already used by an earlier execution \\[item 0\\]$`,
	);

function keyWorkflow(id, { items, settings = {}, options = {} }) {
	return orderWorkflow(id, {
		items,
		parameters: {
			quantity: 1,
			productType: 'x1',
			additionalFields: { customer: '={{ $json.customer }}' },
			options: { orderKey: '={{ $json.invoice }}', ...options },
		},
		settings,
	});
}

module.exports = function orderKey(t, ctx) {
	const { sandbox } = ctx;
	const twice = ctx.workflow(
		keyWorkflow('e2eKeyTwice', { items: [{ invoice: 'inv-twice', customer: 'keytwice' }] }),
	);
	const refused = ctx.workflow(
		keyWorkflow('e2eKeyRefused', { items: [{ invoice: 'inv-refused', customer: 'keyrefused' }] }),
	);
	const continued = ctx.workflow(
		keyWorkflow('e2eKeyContinue', {
			items: [{ invoice: 'inv-continue', customer: 'keycontinue' }],
			settings: { onError: 'continueRegularOutput' },
		}),
	);
	// Item 0 is a dry run with the key of item 1, which is ordered for real.
	const dry = ctx.workflow(
		keyWorkflow('e2eKeyDryRun', {
			items: [
				{ invoice: 'inv-dry', customer: 'keydry', dry: true },
				{ invoice: 'inv-dry', customer: 'keydry', dry: false },
			],
			options: { dryRun: '={{ $json.dry }}' },
			settings: { onError: 'continueRegularOutput' },
		}),
	);

	t.test(
		'order key: one key, two executions (two processes): ordered once, then "already used"',
		async () => {
			await ctx.stopServer();
			const first = await ctx.execute(twice);
			expectSuccess(first);
			assert.equal(sandbox.orders.length, 1);
			const second = await ctx.execute(twice);
			expectFailure(second, { message: USED('inv-twice'), node: ORDER_NODE });
			assert.match(second.error.description, /give this order another key/);
			assert.equal(sandbox.orderRequests.length, 1, 'the second execution sent nothing');
			assert.equal(sandbox.orders.length, 1);
		},
	);

	t.test(
		'order key: a refused order (400, then 429) gives its key back: the next execution orders',
		async () => {
			await ctx.stopServer();
			sandbox.setFault('400-product', { nth: 1, times: 1 });
			const badType = await ctx.execute(refused);
			expectFailure(badType, {
				message: /^StatProxies refused the order: Invalid product_type \[item 0\]$/,
			});
			sandbox.setFault('429', { nth: 1, times: 1 });
			const limited = await ctx.execute(refused);
			expectFailure(limited, { message: /^StatProxies is limiting requests .*\[item 0\]$/ });
			assert.equal(sandbox.orders.length, 0);
			const ordered = await ctx.execute(refused);
			expectSuccess(ordered);
			assert.equal(sandbox.orders.length, 1);
			assert.equal(sandbox.orderRequests.length, 3);
			const again = await ctx.execute(refused);
			expectFailure(again, { message: USED('inv-refused') });
			assert.equal(sandbox.orderRequests.length, 3);
		},
	);

	t.test(
		'order key: with On Error = Continue, the resent execution yields an item with outcome "duplicate"',
		async () => {
			await ctx.stopServer();
			const first = await ctx.execute(continued);
			expectSuccess(first);
			assert.equal(first.nodeOutput(ORDER_NODE)[0].json.order_id, sandbox.orders[0].order_id);
			const second = await ctx.execute(continued);
			expectSuccess(second);
			const [item] = second.nodeOutput(ORDER_NODE);
			assert.match(item.json.error.message, USED('inv-continue'));
			assert.equal(item.json.error.outcome, 'duplicate');
			assert.equal(item.json.error.field, 'orderKey');
			assert.deepEqual(item.pairedItem, { item: 0 });
			assert.equal(sandbox.orders.length, 1);
			assert.equal(sandbox.orderRequests.length, 1);
		},
	);

	t.test(
		'order key: a dry run records nothing: the real order with its key goes through',
		async () => {
			await ctx.stopServer();
			const first = await ctx.execute(dry);
			expectSuccess(first);
			const [preview, placed] = first.nodeOutput(ORDER_NODE).map((i) => i.json);
			assert.equal(preview.dry_run, true);
			assert.equal(placed.order_id, sandbox.orders[0].order_id, JSON.stringify(placed));
			// The next execution: the dry run still previews, the real one is now a duplicate.
			const second = await ctx.execute(dry);
			expectSuccess(second);
			const [preview2, duplicate] = second.nodeOutput(ORDER_NODE).map((i) => i.json);
			assert.equal(preview2.dry_run, true);
			assert.equal(duplicate.error.outcome, 'duplicate');
			assert.match(
				duplicate.error.message,
				/order key "inv-dry" was already used by an earlier execution \[item 1\]$/,
			);
			assert.equal(sandbox.orders.length, 1);
		},
	);

	t.test(
		'order key: the key survives restarts: two n8n start processes in turn still refuse it',
		async () => {
			// Runs after the CLI cases above: their keys are in the database. Two n8n start
			// processes one after the other: the key survives each restart.
			for (const start of [1, 2]) {
				await ctx.stopServer();
				const server = await ctx.server();
				try {
					const executionId = await runManually(server.rest, twice, 'Start');
					const execution = await waitForExecution(server.rest, executionId);
					assert.equal(execution.status, 'error', `n8n start #${start}`);
					const stored = JSON.stringify(execution);
					// The run data is stored flattened (n8n's `flatted`), its quotes escaped twice.
					assert.match(
						stored,
						/order key \\+"inv-twice\\+" was already used by an earlier execution \[item 0\]/,
						`n8n start #${start}: ${(stored.match(/Not ordered[^\]]{0,300}\]/) || [stored.slice(0, 600)])[0]}`,
					);
					assert.equal(sandbox.orderRequests.length, 0, `n8n start #${start} sent an order`);
				} finally {
					await ctx.stopServer();
				}
			}
		},
	);
};
