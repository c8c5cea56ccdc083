'use strict';
// The example "AI agent orders from a chat" (examples/agent-orders.json), imported as it is
// and chatted with the way the editor's chat panel does it in n8n 2.41: the run request
// (POST /rest/workflows/:id/run with the Chat Trigger and a chat session id) registers a test
// chat webhook, `/webhook-test/<workflow id>/<session id>`, to which the chat posts the
// message. Needs `n8n start`: it runs after the cases that use the n8n CLI.
const { randomUUID } = require('node:crypto');
const { assert } = require('../lib/expect');
const { agentModel, order } = require('../agent-workflows');

const EXAMPLE = 'StatProxies: AI agent orders from a chat';

function triggerName(workflow) {
	return workflow.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.chatTrigger').name;
}

/** Sends one chat message; resolves n8n's answer to the chat (the agent's last output). */
async function chat(ctx, workflow, chatInput) {
	const { rest, url } = await ctx.server();
	const sessionId = randomUUID().replace(/-/g, '');
	const { data } = await rest.post(`/rest/workflows/${workflow.id}/run`, {
		triggerToStartFrom: { name: triggerName(workflow) },
		chatSessionId: sessionId,
	});
	assert.equal(data && data.waitingForWebhook, true, `run answered ${JSON.stringify(data)}`);
	const res = await fetch(`${url}/webhook-test/${workflow.id}/${sessionId}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ action: 'sendMessage', sessionId, chatInput }),
	});
	const text = await res.text();
	assert.equal(res.status, 200, `chat webhook answered ${res.status}: ${text.slice(0, 300)}`);
	return text;
}

module.exports = async function aiAgentChat(t, ctx) {
	const { sandbox } = ctx;
	const model = await agentModel(ctx);
	const example = () => {
		const found = ctx.examples.find((w) => w.name === EXAMPLE);
		if (!found) throw new Error(`examples/ has no workflow named "${EXAMPLE}"`);
		return found;
	};

	t.test('agent: example chat "order 5 x1 proxies for acme" orders once', async () => {
		model.reset();
		model.script([{ toolCalls: [order(5, 'acme')] }, { text: 'Ordered 5 x1 proxies for acme.' }]);
		const answer = await chat(ctx, example(), 'Please order 5 x1 proxies for acme');
		assert.match(answer, /Ordered 5 x1 proxies for acme\./);
		assert.equal(sandbox.orders.length, 1);
		assert.deepEqual(sandbox.orderRequests[0].json, {
			quantity: 5,
			product_type: 'x1',
			customer: 'acme',
		});
		const [first] = model.chatRequests();
		const messages = first.json.messages;
		assert.equal(messages[0].role, 'system');
		assert.match(messages[0].content, /billed at once/);
		assert.equal(messages[messages.length - 1].content, 'Please order 5 x1 proxies for acme');
		const [toolMessage] = model.toolMessages();
		assert.ok(toolMessage.content.includes(sandbox.orders[0].order_id), toolMessage.content);
	});

	t.test('agent: example chat stops at its budget of 20 proxies per message', async () => {
		model.reset();
		model.script([
			{ toolCalls: [order(10, 'alpha'), order(10, 'bravo')] },
			{ toolCalls: [order(10, 'charlie')] },
			{ text: 'Done.' },
		]);
		await chat(ctx, example(), 'Order 10 x1 proxies each for alpha, bravo and charlie');
		const tools = model.toolMessages();
		console.log(`       3rd tool message: ${tools[2] && tools[2].content}`);
		assert.deepEqual(sandbox.orders.map((o) => o.customer).sort(), ['alpha', 'bravo']);
		assert.match(tools[2].content, /Max Proxies Per Execution/);
	});
};
