'use strict';
// Issue 19: Max Proxies Per Execution holds across an AI agent's workflow tool. The agent's
// tool is n8n's "Call n8n Workflow Tool", whose workflow orders 100 proxies with Order
// Proxies (a plain node there, not a tool): n8n runs every tool call as an execution of its
// own, with the agent's execution as its parent, and the node counts them all against the
// agent execution's budget (default 1000). The model calls it 11 times: ten are bought.
// Needs `n8n start`: the tool runs its workflow's published version only (toolWorkflow 2.2
// passes no execution mode, so even a manual run does), published here through the editor's
// own endpoint.
const { runManually, waitForExecution, parseExecutionData } = require('../../lab/n8n');
const { SANDBOX_CREDENTIAL, node, orderNode, workflow } = require('../../lab/fixtures');
const { assert } = require('../lib/expect');
const { agentModel, agentWorkflow, workflowToolNode } = require('../agent-workflows');

const AGENT = 'e2eAgentWfTool';
const CHILD = 'e2eAgentWfToolChild';
const TOOL_NODE = 'Order via workflow';
const TOOL = 'Order_via_workflow'; // n8n's tool name for the node name

const child = workflow(
	CHILD,
	[
		node('Called', 'n8n-nodes-base.executeWorkflowTrigger', 1),
		orderNode({
			credential: SANDBOX_CREDENTIAL,
			parameters: { quantity: 100, productType: 'x1', additionalFields: { customer: 'wftool' } },
		}),
	],
	{ name: 'e2e workflow tool: orders 100' },
);

/** Publishes a workflow as the editor's Publish button does; once per n8n start. */
async function publish(rest, id) {
	const { data: saved } = await rest.get(`/rest/workflows/${id}`);
	await rest.post(`/rest/workflows/${id}/activate`, { versionId: saved.versionId });
}

module.exports = async function agentWorkflowTool(t, ctx) {
	const { sandbox } = ctx;
	await agentModel(ctx);
	ctx.workflow(child);
	ctx.workflow(
		agentWorkflow(
			AGENT,
			ctx.agentModelCredential,
			{},
			{
				toolNode: workflowToolNode(
					TOOL_NODE,
					CHILD,
					'Orders 100 x1 proxies for the customer. Every call is a paid order.',
				),
			},
		),
	);

	t.test(
		'agent: a workflow tool that orders 100, called 11 times: ten bought (Max Proxies Per Execution holds across its executions)',
		async () => {
			const { rest } = await ctx.server();
			await publish(rest, CHILD);
			const model = ctx.agentModel;
			model.reset();
			const script = [];
			for (let n = 0; n < 11; n++) {
				script.push({ toolCalls: [{ name: TOOL, args: { input: `order number ${n + 1}` } }] });
			}
			script.push({ text: 'Done.' });
			model.script(script);

			const agentId = await runManually(rest, AGENT, 'Start');
			const stored = await waitForExecution(rest, agentId, { timeoutMs: 120000 });
			const tools = model.toolMessages();
			for (const [n, m] of tools.entries()) {
				if (n === 0 || n >= 9) console.log(`       tool message ${n + 1}: ${m.content}`);
			}
			assert.equal(stored.status, 'success');
			assert.equal(model.remaining, 0, 'the whole script was used');
			assert.equal(sandbox.orders.length, 10, 'orders sold');
			assert.equal(sandbox.orderRequests.length, 10, 'order requests sent');
			assert.equal(tools.length, 11, 'tool messages');
			for (const [n, sale] of sandbox.orders.entries()) {
				assert.equal(JSON.parse(tools[n].content)[0].order_id, sale.order_id, `call ${n + 1}`);
			}
			// The node in the tool's workflow is not itself a tool: its message has no advice for
			// the model, only what happened.
			assert.deepEqual(JSON.parse(tools[10].content), [
				{
					error:
						'Not ordered: ordering 100 more proxies would go over Max Proxies Per Execution (1000 per execution; 0 left in this execution) [item 0]',
				},
			]);

			// One execution per tool call, each with the agent's execution as its parent.
			const filter = encodeURIComponent(JSON.stringify({ workflowId: CHILD }));
			const { data: list } = await rest.get(`/rest/executions?filter=${filter}&limit=50`);
			const rows = (list.results || list)
				.filter((e) => Number(e.id) > Number(agentId))
				.sort((a, b) => Number(a.id) - Number(b.id));
			const subs = await Promise.all(
				rows.map(async (e) => {
					const { data } = await rest.get(`/rest/executions/${e.id}`);
					return { ...data, run: parseExecutionData(ctx.n8n, data.data) };
				}),
			);
			console.log(
				`       agent execution ${agentId}; tool executions (id:mode:status:parentExecutionId): ${subs.map((e) => `${e.id}:${e.mode}:${e.status}:${e.run.executionData?.runtimeData?.parentExecutionId}`).join(', ')}`,
			);
			assert.deepEqual(
				subs.map((e) => e.status),
				[...Array(10).fill('success'), 'error'],
			);
			for (const sub of subs) {
				assert.equal(sub.run.executionData.runtimeData.parentExecutionId, String(agentId));
			}
		},
	);
};
