'use strict';
// Issue 19: Max Proxies Per Execution holds for the top execution and its sub-workflows. A
// parent (Manual Trigger -> 11 items -> Execute Workflow, "Run once for each item") calls a
// sub-workflow that orders 100 proxies: n8n runs 11 sub-executions, each with its own
// execution id and its parent's id in its execution context, and the node counts them against
// one budget (default 1000): ten are bought, the eleventh is refused before sending and fails
// its sub-execution, which fails the parent (n8n stores the sub-execution's error as the
// parent's). What jest cannot prove: that a real n8n (2.41.1, and 1.123.81) gives every
// sub-execution its parent's id, in one process.
const { parseExecutionData, runManually, waitForExecution } = require('../../lab/n8n');
const {
	SANDBOX_CREDENTIAL,
	codeNode,
	manualTrigger,
	node,
	orderNode,
	workflow,
} = require('../../lab/fixtures');
const { assert } = require('../lib/expect');

const PARENT = 'e2eSubBudgetParent';
const CHILD = 'e2eSubBudgetChild';
const OVER_BUDGET =
	'Not ordered: ordering 100 more proxies would go over Max Proxies Per Execution (1000 per execution; 0 left in this execution) [item 0]';

const parent = workflow(
	PARENT,
	[
		manualTrigger(),
		codeNode('Items', { items: Array.from({ length: 11 }, (_, n) => ({ n })) }),
		node('Run child', 'n8n-nodes-base.executeWorkflow', 1, {
			source: 'database',
			workflowId: CHILD,
			mode: 'each',
			options: {},
		}),
	],
	{ name: 'e2e sub-workflow budget: parent' },
);

const child = workflow(
	CHILD,
	[
		node('Called', 'n8n-nodes-base.executeWorkflowTrigger', 1),
		orderNode({
			credential: SANDBOX_CREDENTIAL,
			parameters: { quantity: 100, productType: 'x1', additionalFields: { customer: 'subbudget' } },
		}),
	],
	{ name: 'e2e sub-workflow budget: child that orders 100' },
);

module.exports = function subworkflowBudget(t, ctx) {
	const { sandbox } = ctx;
	ctx.workflow(parent);
	ctx.workflow(child);

	t.test(
		'sub-workflow: 11 sub-executions of 100 share the parent execution budget (1000): ten bought, the 11th refused',
		async () => {
			// A manual run, as from the editor's "Execute workflow": n8n runs the sub-workflow's
			// saved draft (outside manual runs, 2.x runs its published version only).
			const { rest } = await ctx.server();
			const read = async (id) => {
				const { data } = await rest.get(`/rest/executions/${id}`);
				return { ...data, run: parseExecutionData(ctx.n8n, data.data) };
			};
			const parentId = await runManually(rest, PARENT, 'Start');
			await waitForExecution(rest, parentId);
			const stored = await read(parentId);
			const { error } = stored.run.resultData;
			console.log(
				`       parent ${parentId} (${stored.mode}, ${stored.status}), last node "${stored.run.resultData.lastNodeExecuted}": ${error && error.message}\n         ${error && error.description}`,
			);
			assert.equal(stored.status, 'error');
			assert.equal(stored.run.resultData.lastNodeExecuted, 'Run child');
			assert.equal(error.message, OVER_BUDGET);
			assert.equal(sandbox.orders.length, 10, 'orders sold');
			assert.equal(sandbox.orderRequests.length, 10, 'order requests sent');
			assert.equal(
				sandbox.orders.reduce((sum, o) => sum + o.quantity, 0),
				1000,
				'proxies sold',
			);

			// What n8n stored: one sub-execution per item, ten ordered, the eleventh refused.
			const filter = encodeURIComponent(JSON.stringify({ workflowId: CHILD }));
			const { data: list } = await rest.get(`/rest/executions?filter=${filter}&limit=50`);
			const rows = (list.results || list)
				.filter((e) => Number(e.id) > Number(parentId))
				.sort((a, b) => Number(a.id) - Number(b.id));
			const subs = await Promise.all(rows.map((e) => read(e.id)));
			console.log(
				`       sub-executions (id:mode:status:parentExecutionId): ${subs.map((e) => `${e.id}:${e.mode}:${e.status}:${e.run.executionData?.runtimeData?.parentExecutionId}`).join(', ')}`,
			);
			assert.equal(subs.length, 11, 'sub-executions stored');
			assert.deepEqual(
				subs.map((e) => e.status),
				[...Array(10).fill('success'), 'error'],
			);
			assert.equal(subs[10].run.resultData.error.message, OVER_BUDGET);
			const sold = sandbox.orders.map((o) => o.order_id);
			for (const [n, sub] of subs.slice(0, 10).entries()) {
				const [item] = sub.run.resultData.runData['Order Proxies'][0].data.main[0];
				assert.equal(item.json.order_id, sold[n], `sub-execution ${sub.id}'s order`);
				assert.equal(
					sub.run.executionData.runtimeData.parentExecutionId,
					String(parentId),
					`sub-execution ${sub.id}'s parent`,
				);
				// The order is in the custom data of the sub-execution that placed it, not the
				// parent's. n8n-core 1.x offers nodes no custom data (see the Stop cases).
				if (ctx.n8n.major >= 2) {
					assert.deepEqual(
						sub.customData,
						{ statproxies_ordered: `Order Proxies item 0: ${sold[n]}` },
						`sub-execution ${sub.id}'s custom data`,
					);
				}
			}
			console.log(`       the parent's custom data: ${JSON.stringify(stored.customData)}`);
		},
	);
};
