'use strict';
// Orders that succeed: what n8n returns must be what the sandbox sold.
// Beside test/order.test.ts and test/package.test.ts: only here does the packed tarball go
// through n8n's installer steps and load with n8n's own n8n-workflow and zod, with n8n's
// expression engine and CLI; the jest suites cover every field and edge in seconds.
const fs = require('node:fs');
const path = require('node:path');
const { assert, expectSuccess } = require('../lib/expect');
const { ORDER_NODE, orderWorkflow } = require('../../lab/fixtures');

module.exports = function orders(t, ctx) {
	const { sandbox } = ctx;

	t.test(
		'n8n loads the packed package from its own nodes folder, with its own n8n-workflow and zod',
		() => {
			const dir = ctx.installed.dir;
			assert.equal(
				dir,
				path.join(ctx.folder.path, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-statproxies'),
			);
			const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
			for (const key of ['devDependencies', 'peerDependencies', 'optionalDependencies']) {
				assert.equal(manifest[key], undefined, `${key} left in the installed package.json`);
			}
			for (const shared of ['n8n-workflow', 'zod', 'n8n-core']) {
				assert.ok(
					!fs.existsSync(path.join(dir, 'node_modules', shared)),
					`${shared} installed inside the package`,
				);
			}
			const list = JSON.parse(
				fs.readFileSync(path.join(ctx.folder.path, '.n8n', 'nodes', 'package.json'), 'utf8'),
			);
			assert.equal(list.dependencies['n8n-nodes-statproxies'], manifest.version);
		},
	);

	const single = ctx.workflow(
		orderWorkflow('e2eSingleOrder', {
			parameters: { quantity: 2, productType: 'x1', additionalFields: { customer: 'acme' } },
		}),
	);
	t.test('a single order: n8n returns the order the sandbox sold', async () => {
		const result = await ctx.execute(single);
		expectSuccess(result);
		const [sale] = sandbox.orders;
		assert.equal(sandbox.orders.length, 1);
		const [request] = sandbox.orderRequests;
		assert.equal(request.headers.authorization, `Bearer ${sandbox.keys.full}`);
		assert.deepEqual(request.json, { quantity: 2, product_type: 'x1', customer: 'acme' });
		assert.deepEqual(result.nodeOutput(ORDER_NODE), [
			{
				json: {
					order_id: sale.order_id,
					subscription_id: sale.subscription_id,
					proxy_username: sale.order_id,
					quantity: 2,
					product_type: 'x1',
					customer: 'acme',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	const customers = ['alpha', 'bravo', 'charlie'];
	const several = ctx.workflow(
		orderWorkflow('e2eSeveralItems', {
			items: customers.map((customer) => ({ customer })),
			parameters: {
				quantity: 1,
				productType: 'captcha',
				additionalFields: { customer: '={{ $json.customer }}' },
			},
		}),
	);
	t.test('several items in one run: one order per item, in item order, each paired', async () => {
		const result = await ctx.execute(several);
		expectSuccess(result);
		assert.deepEqual(
			sandbox.orders.map((o) => o.customer),
			customers,
		);
		const output = result.nodeOutput(ORDER_NODE);
		assert.equal(output.length, 3);
		output.forEach((item, index) => {
			assert.deepEqual(item.pairedItem, { item: index });
			assert.equal(item.json.customer, customers[index]);
			assert.equal(item.json.order_id, sandbox.orders[index].order_id);
		});
	});

	const expression = ctx.workflow(
		orderWorkflow('e2eExpressionQty', {
			items: [
				{ count: '5', type: 'level3' },
				{ count: 3, type: 'x1' },
			],
			parameters: { quantity: '={{ $json.count }}', productType: '={{ $json.type }}' },
		}),
	);
	t.test(
		'quantity and product type from expressions (a number given as text is accepted)',
		async () => {
			const result = await ctx.execute(expression);
			expectSuccess(result);
			assert.deepEqual(
				sandbox.orderRequests.map((r) => r.json),
				[
					{ quantity: 5, product_type: 'level3' },
					{ quantity: 3, product_type: 'x1' },
				],
			);
			assert.deepEqual(
				result.nodeOutput(ORDER_NODE).map((i) => i.json.quantity),
				[5, 3],
			);
		},
	);
};
