'use strict';
// The examples, imported unchanged from examples/: their notifications must reach the
// (local) Mattermost server with the order id in them. No jest counterpart: it takes n8n's
// Mattermost node and the editor's "Execute workflow" endpoint.
const { runManually, waitForExecution } = require('../../lab/n8n');
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
};
