'use strict';
// Issue 22: Order Proxies as an AI agent's tool when the agent asks again. n8n's AI Agent 3.1
// with its own Retry On Fail (2 tries) and a scripted model that fails once (HTTP 500) after
// the tool placed an order: n8n runs the agent again in the same execution, and the model
// asks for the same order with a new tool-call id. The node gives the earlier order back,
// with a note, instead of buying it again, unless Options > Repeat Identical Orders as a
// Tool is on. And after an unknown outcome an identical call sends nothing and tells the
// model exactly what the node promises. Each case checks what the sandbox sold and what the
// model was sent.
const { assert, expectSuccess } = require('../lib/expect');
const { TOOL_NODE, agentModel, agentWorkflow, order } = require('../agent-workflows');

/** The agent's own Retry On Fail: 2 tries (n8n waits 1 s between them: 0 means 1000 ms). */
const AGENT_RETRY = { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 };
/** Without it the OpenAI SDK retries a 500 itself, and n8n never sees the failure. */
const MODEL = { maxRetries: 0 };
const CONTINUE = { onError: 'continueRegularOutput' };

// nodes/shared/outcomes.ts repeatAfterUnknown().message, then the advice for an unknown
// outcome (nodes/OrderProxies/order.ts forTheModel.unknown), then the item (nodeErrors.ts).
const REPEAT_AFTER_UNKNOWN =
	'Not ordered: an identical order earlier in this execution ended with an unknown outcome and may already have been bought, so this one was not sent. Do not call this tool again for this order: ask the user to check the StatProxies dashboard first. [item 0]';

// An order id is lowercase; a subscription id (sub_NfLW...) is not, and is not matched.
const ORDER_IDS = /\bsub_[a-z0-9]+\b/g;

/** The model's final answer: every order id the tool messages it was sent carry, once each. */
function nameTheOrders(json) {
	const ids = new Set();
	for (const m of json.messages || []) {
		if (m.role === 'tool') for (const id of String(m.content).match(ORDER_IDS) || []) ids.add(id);
	}
	return { text: `Orders: ${[...ids].join(', ') || 'none'}.` };
}

/** A request's messages in short: "system, user, assistant(call_1), tool(call_1)". */
function outline(request) {
	return (request.json.messages || [])
		.map((m) => {
			const calls = (m.tool_calls || []).map((c) => c.id).join(' ');
			if (m.role === 'assistant' && calls) return `assistant(${calls})`;
			if (m.role === 'tool') return `tool(${m.tool_call_id})`;
			return m.role;
		})
		.join(', ');
}

/** Tool call 1, then the model fails once (500), then the same call again, then its answer. */
const RETRY_SCRIPT = () => [
	{ toolCalls: [order(5)] },
	{ status: 500, error: 'The scripted model fails once' },
	{ toolCalls: [order(5)] },
	nameTheOrders,
];

module.exports = async function agentRetry(t, ctx) {
	const { sandbox } = ctx;
	await agentModel(ctx);
	const credential = ctx.agentModelCredential;
	const workflow = (id, tool, more) => ctx.workflow(agentWorkflow(id, credential, tool, more));
	const ids = {
		retryContinue: workflow(
			'e2eAgentRetryCont',
			{},
			{ agent: { ...AGENT_RETRY, ...CONTINUE }, model: MODEL },
		),
		retryRepeat: workflow(
			'e2eAgentRetryRepeat',
			{ options: { repeatIdentical: true } },
			{ agent: { ...AGENT_RETRY, ...CONTINUE }, model: MODEL },
		),
		retryThrown: workflow('e2eAgentRetryThrown', {}, { agent: AGENT_RETRY, model: MODEL }),
		refusal: workflow('e2eAgentRefusal'),
	};

	/** Runs the retry script; reports what the model was sent and what the agent answered. */
	async function runRetry(id, title) {
		const model = ctx.agentModel;
		model.reset();
		model.script(RETRY_SCRIPT());
		const result = await ctx.execute(id);
		expectSuccess(result);
		const requests = model.chatRequests();
		const tools = model.toolMessages();
		const answer = result.nodeOutput('AI Agent');
		console.log(`       ${title}: ${requests.length} model requests:`);
		for (const [n, request] of requests.entries()) {
			console.log(`         ${n + 1}. ${outline(request)}`);
		}
		for (const tool of tools) console.log(`       ${tool.tool_call_id}: ${tool.content}`);
		console.log(`       agent output: ${JSON.stringify(answer && answer.map((i) => i.json))}`);
		console.log(
			`       sold ${sandbox.orders.length} (${sandbox.orders.map((o) => o.order_id).join(', ')}); tool runs ${result.nodeRuns(TOOL_NODE).length}`,
		);
		assert.equal(model.remaining, 0, 'the whole script was used: the model failed once');
		assert.equal(requests.length, 4, 'model requests');
		return { result, requests, tools, answer };
	}

	t.test(
		'agent: its own Retry On Fail (On Error = Continue) after the model fails: one order; the repeated call gets it back with a note',
		async () => {
			const { requests, tools, answer } = await runRetry(ids.retryContinue, 'On Error = Continue');
			// n8n turns the failed try into an error item and runs the agent again from the prompt
			// alone: the earlier call and its order are not in the conversation any more.
			assert.equal(outline(requests[2]), outline(requests[0]), 'the retried try starts afresh');
			assert.equal(sandbox.orders.length, 1, 'orders sold');
			assert.equal(sandbox.orderRequests.length, 1, 'order requests sent');
			const [sale] = sandbox.orders;
			assert.deepEqual(
				tools.map((m) => m.tool_call_id),
				['call_1', 'call_2'],
				'two tool calls, each with its own id',
			);
			assert.equal(JSON.parse(tools[0].content)[0].order_id, sale.order_id);
			const [again] = JSON.parse(tools[1].content);
			assert.equal(again.order_id, sale.order_id, 'the repeated call got the earlier order');
			assert.equal(
				again.note,
				`Already ordered in this execution: order_id ${sale.order_id}. This is that order, not bought again (Options > Repeat Identical Orders as a Tool allows a second one).`,
			);
			assert.equal(answer.length, 1);
			assert.equal(answer[0].json.output, `Orders: ${sale.order_id}.`);
		},
	);

	t.test(
		'agent: its own Retry On Fail with Repeat Identical Orders as a Tool on: the repeated call buys again (two orders)',
		async () => {
			const { tools, answer } = await runRetry(ids.retryRepeat, 'Repeat Identical Orders on');
			assert.equal(sandbox.orders.length, 2, 'orders sold');
			assert.equal(sandbox.orderRequests.length, 2, 'order requests sent');
			const sold = sandbox.orders.map((o) => o.order_id);
			assert.deepEqual(
				tools.map((m) => JSON.parse(m.content)[0].order_id),
				sold,
				'each call got its own order',
			);
			assert.ok(!tools[1].content.includes('Already ordered'), tools[1].content);
			// With On Error = Continue the retried try starts from the prompt alone: the model is
			// never sent the first order, and can name only the second.
			assert.equal(answer[0].json.output, `Orders: ${sold[1]}.`);
		},
	);

	t.test(
		'agent: its own Retry On Fail without On Error = Continue: one order; measured what the model is sent',
		async () => {
			const { requests, tools, answer } = await runRetry(ids.retryThrown, 'thrown');
			assert.equal(sandbox.orders.length, 1, 'orders sold');
			assert.equal(sandbox.orderRequests.length, 1, 'order requests sent');
			const [sale] = sandbox.orders;
			// The retried try's first request carries the earlier call and its result twice, under
			// the same id: n8n collects the tool's earlier run again for the new try.
			const retried = requests[2].json.messages.filter((m) => m.role === 'tool');
			console.log(
				`       the retried try's first request carries ${retried.length} tool message(s): ${retried.map((m) => m.tool_call_id).join(', ')}`,
			);
			assert.deepEqual(
				retried.map((m) => m.tool_call_id),
				['call_1', 'call_1'],
			);
			for (const m of retried) assert.equal(JSON.parse(m.content)[0].order_id, sale.order_id);
			const last = tools[tools.length - 1];
			assert.equal(last.tool_call_id, 'call_2');
			const [again] = JSON.parse(last.content);
			assert.equal(again.order_id, sale.order_id);
			assert.match(again.note, /^Already ordered in this execution: order_id /);
			assert.equal(answer[0].json.output, `Orders: ${sale.order_id}.`);
		},
	);

	t.test(
		'agent: an identical call after an unknown outcome sends nothing; the model gets exactly the promised message',
		async () => {
			const model = ctx.agentModel;
			model.reset();
			// The sandbox sells the first order and resets the connection: the answer is lost.
			sandbox.setFault('reset-after-body', { nth: 1 });
			model.script([{ toolCalls: [order(5)] }, { toolCalls: [order(5)] }, { text: 'Stopped.' }]);
			const result = await ctx.execute(ids.refusal);
			expectSuccess(result);
			const tools = model.toolMessages();
			for (const tool of tools) console.log(`       ${tool.tool_call_id}: ${tool.content}`);
			assert.equal(sandbox.orderRequests.length, 1, 'order requests sent');
			assert.equal(sandbox.orders.length, 1, 'orders sold (the answer was lost)');
			assert.equal(tools.length, 2);
			const [first] = JSON.parse(tools[0].content);
			assert.match(
				first.error,
				/: the order may have been placed; check the StatProxies dashboard/,
			);
			assert.deepEqual(JSON.parse(tools[1].content), [{ error: REPEAT_AFTER_UNKNOWN }]);
			assert.ok(!tools[1].content.includes('Nothing was bought'), tools[1].content);
		},
	);
};
