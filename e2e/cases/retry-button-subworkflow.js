'use strict';
// Issue 9, item 4: n8n's Retry button on a parent workflow whose sub-workflow orders. What
// this proves that jest cannot: what n8n 2.41.1 itself does on POST
// /rest/executions/:id/retry (it resumes the failed execution at the node that failed, in
// mode "retry", and runs the sub-workflow again in mode "integrated" with the root's mode
// in additionalData.rootExecutionMode), and that the node reads that and orders nothing.
// jest only fakes additionalData; here the real n8n start builds it.
const { cliOrThrow, runManually, waitForExecution } = require('../../lab/n8n');
const { SANDBOX_CREDENTIAL } = require('../../lab/fixtures');
const { assert } = require('../lib/expect');

const PARENT = 'e2eRetryParent';
const CHILD = 'e2eRetryChild';
const REFUSAL = "this runs in a sub-workflow of an execution that n8n's Retry button started";

const node = (name, type, typeVersion, x, parameters, extra = {}) => ({
	id: `${name}-${x}`.replace(/\W+/g, '-'),
	name,
	type,
	typeVersion,
	position: [x, 0],
	parameters,
	...extra,
});
const link = (to) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
const settings = { executionOrder: 'v1' };

// The parent fails in the node that started the child, so that the Retry button runs that
// node, and with it the child, again: n8n resumes a retried execution at its failed node.
const parent = {
	id: PARENT,
	name: 'e2e retry button: parent',
	active: false,
	nodes: [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, {}),
		node('Run child', 'n8n-nodes-base.executeWorkflow', 1, 200, {
			source: 'database',
			workflowId: CHILD,
		}),
	],
	connections: { Start: link('Run child') },
	settings,
	pinData: {},
};

const child = {
	id: CHILD,
	name: 'e2e retry button: child that orders',
	active: false,
	nodes: [
		node('Called', 'n8n-nodes-base.executeWorkflowTrigger', 1, 0, {}),
		node(
			'Order Proxies',
			'n8n-nodes-statproxies.orderProxies',
			1,
			200,
			{
				quantity: 1,
				productType: 'x1',
				additionalFields: { customer: 'retrybutton' },
				options: {},
			},
			{
				credentials: {
					statProxiesApi: { id: SANDBOX_CREDENTIAL.id, name: SANDBOX_CREDENTIAL.name },
				},
			},
		),
		node('Fail after ordering', 'n8n-nodes-base.code', 2, 400, {
			jsCode: "throw new Error('The next step failed after the order, on purpose');",
		}),
	],
	connections: { Called: link('Order Proxies'), 'Order Proxies': link('Fail after ordering') },
	settings,
	pinData: {},
};

/** See order-key.js: the suite's ctx.server() cannot start a second time (owner setup). */
module.exports = function retryButtonSubworkflow(t, ctx) {
	const { sandbox } = ctx;
	ctx.workflow(parent);
	ctx.workflow(child);

	t.test(
		'Retry button on a parent whose sub-workflow ordered: the retried child orders nothing',
		async () => {
			await ctx.stopServer();
			// Outside manual runs, n8n runs a sub-workflow's published version only.
			await cliOrThrow(ctx.folder, ['publish:workflow', `--id=${CHILD}`]);
			const server = await ctx.server();
			try {
				const { rest } = server;
				const failedId = await runManually(rest, PARENT, 'Start');
				const failed = await waitForExecution(rest, failedId);
				assert.equal(failed.status, 'error');
				assert.match(JSON.stringify(failed), /The next step failed after the order, on purpose/);
				assert.equal(sandbox.orders.length, 1, 'the first run ordered once');

				const { data: retried } = await rest.post(`/rest/executions/${failedId}/retry`, {
					loadWorkflow: false,
				});
				const text = JSON.stringify(retried);
				assert.equal(retried.mode, 'retry');
				assert.equal(retried.retryOf, String(failedId));
				assert.equal(retried.status, 'error', text.slice(0, 1500));
				assert.ok(
					text.includes(REFUSAL),
					`the retried run does not report the refusal: ${text.slice(0, 3000)}`,
				);
				assert.equal(sandbox.orderRequests.length, 1, 'the retried child sent an order');
				assert.equal(sandbox.orders.length, 1, 'sold in all');

				// What n8n stored for the child's runs, for the report.
				const filter = encodeURIComponent(JSON.stringify({ workflowId: CHILD }));
				const { data: list } = await rest.get(`/rest/executions?filter=${filter}`);
				const rows = (list.results || list).map((e) => `${e.id}:${e.mode}:${e.status}`);
				console.log(`       child executions (id:mode:status): ${rows.join(', ')}`);
			} finally {
				await ctx.stopServer();
			}
		},
	);
};
