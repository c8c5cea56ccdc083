'use strict';
// The examples, imported unchanged from examples/: their notifications must reach the
// (local) Mattermost server with the order id in them; the weekly rotation exchanges the
// orders it lists (seeded in the sandbox as the user's existing orders) once a week. No jest
// counterpart: it takes n8n's Mattermost node and the editor's "Execute workflow" endpoint.
const { runManually, waitForExecution } = require('../../lab/n8n');
const { exampleOrderIds } = require('../../lab/instance');
const { assert, expectSuccess } = require('../lib/expect');

function example(ctx, name) {
	const found = ctx.examples.find((w) => w.name === name);
	if (!found) throw new Error(`examples/ has no workflow named "${name}"`);
	return found;
}

function triggerOf(workflow) {
	return workflow.nodes.find((n) => /trigger/i.test(n.type)).name;
}

module.exports = function examples(t, ctx) {
	const { sandbox, mattermost } = ctx;

	t.test('example "order on demand": order placed, the team told the order id', async () => {
		const workflow = example(ctx, 'StatProxies: order on demand');
		const result = await ctx.execute(workflow.id);
		expectSuccess(result);
		assert.equal(sandbox.orders.length, 1);
		const [sale] = sandbox.orders;
		assert.deepEqual(sandbox.orderRequests[0].json, {
			quantity: 5,
			product_type: 'x1',
			customer: 'acme',
		});
		assert.equal(mattermost.posts.length, 1);
		const [post] = mattermost.posts;
		assert.ok(post.message.includes(sale.order_id), `post without the order id: ${post.message}`);
		assert.equal(post.channel_id, 'proxy-orders');
	});

	t.test('example "order on demand": a failed order goes to the failure notification', async () => {
		const workflow = example(ctx, 'StatProxies: order on demand');
		sandbox.setFault('400-quantity');
		const result = await ctx.execute(workflow.id);
		expectSuccess(result);
		assert.equal(sandbox.orders.length, 0);
		assert.equal(mattermost.posts.length, 1);
		const [post] = mattermost.posts;
		assert.match(
			post.message,
			/^Proxy order for acme failed: StatProxies refused the order: Quantity must be greater than 0 \[item 0\]/,
		);
		assert.equal(result.nodeOutput('Announce the order'), null, 'the success notification ran');
	});

	t.test(
		'example "scheduled top-up", run from the editor in n8n start: the team told the order id',
		async () => {
			const workflow = example(ctx, 'StatProxies: scheduled top-up');
			const { rest } = await ctx.server();
			const executionId = await runManually(rest, workflow.id, triggerOf(workflow));
			const execution = await waitForExecution(rest, executionId);
			assert.equal(execution.status, 'success');
			assert.equal(sandbox.orders.length, 1);
			const [sale] = sandbox.orders;
			assert.deepEqual(sandbox.orderRequests[0].json, { quantity: 10, product_type: 'captcha' });
			assert.equal(mattermost.posts.length, 1);
			assert.ok(mattermost.posts[0].message.includes(sale.order_id), mattermost.posts[0].message);
			assert.equal(mattermost.requests[0].headers.authorization, 'Bearer local-listener-token');
		},
	);

	// The Schedule Trigger is not a CLI start node: both run from the editor's endpoint.
	const rotation = () => example(ctx, 'StatProxies: weekly rotation');
	const runRotation = async () => {
		const workflow = rotation();
		const { rest } = await ctx.server();
		const executionId = await runManually(rest, workflow.id, triggerOf(workflow));
		return waitForExecution(rest, executionId);
	};

	// Before the case below, which then proves that a refused exchange gave its weekly key back.
	t.test(
		'example "weekly rotation": an exchange StatProxies refuses (unknown order) goes to the failure notification',
		async () => {
			const orderIds = exampleOrderIds([rotation()]);
			// The sandbox account has none of the listed orders: each is refused with a 404.
			const execution = await runRotation();
			assert.equal(execution.status, 'success');
			assert.deepEqual(
				sandbox.exchangeRequests.map((r) => r.path),
				orderIds.map((id) => `/api/v2/order/exchange/${id}`),
			);
			assert.deepEqual(sandbox.exchanges, []);
			const messages = mattermost.posts.map((p) => p.message);
			assert.deepEqual(
				messages,
				orderIds.map(
					(id, item) =>
						`Weekly rotation of order ${id} failed (refused): StatProxies does not know this order (HTTP 404; got: {"error":"order_not_found"}) [item ${item}]`,
				),
			);
		},
	);

	t.test(
		'example "weekly rotation" exchanges the orders it lists and tells the team; a second run the same week exchanges nothing',
		async () => {
			const orderIds = exampleOrderIds([rotation()]);
			assert.ok(orderIds.length >= 2, `the example lists ${orderIds.length} orders`);
			sandbox.seedOrders(orderIds);
			const first = await runRotation();
			assert.equal(first.status, 'success');
			assert.deepEqual(
				sandbox.exchanges.map((e) => e.order_id),
				orderIds,
			);
			assert.deepEqual(
				mattermost.posts.map((p) => p.message),
				orderIds.map(
					(id) =>
						`Weekly rotation: order ${id} has 10 new IPs (10 replaced); jobs using it need the new ones.`,
				),
			);
			assert.ok(mattermost.posts.every((p) => p.channel_id === 'proxy-orders'));

			// Seconds later: the same ISO week, unless the two runs straddle Monday 00:00 in n8n's
			// timezone (then the second run rotates again, as it should, and this case fails).
			const second = await runRotation();
			assert.equal(second.status, 'success');
			assert.equal(
				sandbox.exchangeRequests.length,
				orderIds.length,
				'the second run sent a request',
			);
			assert.equal(mattermost.posts.length, orderIds.length, 'the second run posted a message');
			// Each order's weekly key was used by the first run: "Nothing to do" took them.
			const stored = JSON.stringify(second);
			for (const id of orderIds) {
				assert.match(
					stored,
					new RegExp(
						`exchange key \\\\+"rotate-${id}-\\d{4}-\\d{2}\\\\+" was already used by an earlier execution`,
					),
					`the second run does not say ${id}'s key was used`,
				);
			}
		},
	);
};
