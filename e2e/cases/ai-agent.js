'use strict';
// Order Proxies as an AI agent's tool (issue 11): n8n's AI Agent and OpenAI Chat Model nodes,
// the model being a scripted server (../lib/scripted-model.js) that records what n8n told it.
// Each case checks what the sandbox sold and what the model was told by the tool.
const { assert, expectSuccess } = require('../lib/expect');
const {
	TOOL,
	TOOL_NODE,
	MODEL_KEY,
	agentModel,
	agentWorkflow,
	order,
} = require('../agent-workflows');

/** Runs an agent workflow with a script; returns the run and the tool messages, in order. */
async function runAgent(ctx, id, script) {
	const model = ctx.agentModel;
	model.reset();
	model.script(script);
	const result = await ctx.execute(id);
	const tools = model.toolMessages();
	return { result, tools, model };
}

/** The tool message for the n-th call (1-based), as text. */
function told(tools, n) {
	assert.ok(tools.length >= n, `the model got ${tools.length} tool messages, expected ${n}`);
	return tools[n - 1].content;
}

// The customer the model gives, then the run index and the execution id as letters (a
// customer is a-z only): what the node sees of its run, told back through the order.
const PROBE = {
	additionalFields: {
		customer:
			"={{ $fromAI('customer', 'Customer name: lowercase letters a-z only', 'string') + 'run' + String($thisRunIndex).replace(/\\d/g, d => 'abcdefghij'[d]) + 'exec' + String($execution.id).replace(/\\d/g, d => 'abcdefghij'[d]) }}",
	},
};

const digitsAsLetters = (text) => String(text).replace(/\d/g, (d) => 'abcdefghij'[d]);

module.exports = async function aiAgent(t, ctx) {
	const { sandbox } = ctx;
	await agentModel(ctx);
	const credential = ctx.agentModelCredential;
	const workflow = (id, tool) => ctx.workflow(agentWorkflow(id, credential, tool));
	const ids = {
		plain: workflow('e2eAgentOrder'),
		continue: workflow('e2eAgentContinue', { settings: { onError: 'continueRegularOutput' } }),
		budget: workflow('e2eAgentBudget', { options: { maxProxiesPerExecution: 150 } }),
		probe: workflow('e2eAgentProbe', { options: { dryRun: true }, parameters: PROBE }),
		retry: workflow('e2eAgentRetry', {
			parameters: PROBE,
			settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		}),
	};

	t.test('agent: one tool call orders once; the model gets the order id', async () => {
		const { result, tools, model } = await runAgent(ctx, ids.plain, [
			{ toolCalls: [order(5)] },
			{ text: 'Ordered.' },
		]);
		expectSuccess(result);
		assert.equal(sandbox.orders.length, 1);
		assert.deepEqual(sandbox.orderRequests[0].json, {
			quantity: 5,
			product_type: 'x1',
			customer: 'acme',
		});
		const [sale] = sandbox.orders;
		assert.equal(tools.length, 1);
		const content = told(tools, 1);
		assert.ok(content.includes(sale.order_id), `no order_id in: ${content}`);
		assert.ok(content.includes(sale.subscription_id), `no subscription_id in: ${content}`);
		// The tool as the model saw it: its name and the $fromAI arguments, all required.
		const tool = model.chatRequests()[0].json.tools.find((x) => x.function.name === TOOL);
		assert.ok(tool, 'the model was not offered the tool');
		assert.deepEqual(Object.keys(tool.function.parameters.properties).sort(), [
			'customer',
			'productType',
			'quantity',
		]);
		console.log(`       tool offered: ${JSON.stringify(tool.function)}`);
		console.log(`       tool message: ${content}`);
	});

	for (const [title, id] of [
		['thrown', ids.plain],
		['On Error = Continue', ids.continue],
	]) {
		t.test(
			`agent: 500 proxies is refused, nothing sent; the model told why (${title})`,
			async () => {
				const { result, tools } = await runAgent(ctx, id, [
					{ toolCalls: [order(500)] },
					{ text: 'Could not order.' },
				]);
				expectSuccess(result);
				assert.equal(sandbox.orderRequests.length, 0);
				const content = told(tools, 1);
				console.log(`       tool message (${title}): ${content}`);
				assert.match(content, /limit of 100 proxies per order/);
			},
		);
	}

	t.test('agent: unknown outcome, then the same call again: bought once', async () => {
		// The sandbox sells the first order and resets the connection: the answer is lost.
		sandbox.setFault('reset-after-body', { nth: 1 });
		const { result, tools } = await runAgent(ctx, ids.plain, [
			{ toolCalls: [order(5)] },
			{ toolCalls: [order(5)] },
			{ text: 'Stopped.' },
		]);
		expectSuccess(result);
		console.log(`       1st tool message: ${told(tools, 1)}`);
		console.log(`       2nd tool message: ${told(tools, 2)}`);
		assert.equal(sandbox.orders.length, 1, 'orders sold');
		assert.equal(sandbox.orderRequests.length, 1, 'order requests sent');
		assert.match(told(tools, 1), /may have been placed/);
		assert.match(told(tools, 1), /Do not call this tool again/);
		assert.match(told(tools, 2), /may already have been bought/);
	});

	// Eleven customers: identical calls would not be bought again (see the next case).
	const CUSTOMERS = 'abcdefghijk'.split('').map((letter) => `customer${letter}`);

	t.test(
		'agent: eleven calls of 100 for eleven customers stop at Max Proxies Per Execution (1000)',
		async () => {
			const script = CUSTOMERS.map((customer) => ({ toolCalls: [order(100, customer)] }));
			script.push({ text: 'Done.' });
			const { result, tools } = await runAgent(ctx, ids.plain, script);
			expectSuccess(result);
			console.log(`       11th tool message: ${tools[10] && tools[10].content}`);
			assert.equal(tools.length, 11);
			assert.equal(sandbox.orders.length, 10, 'orders sold');
			assert.equal(sandbox.orderRequests.length, 10, 'order requests sent');
			assert.deepEqual(
				sandbox.orders.map((o) => o.customer),
				CUSTOMERS.slice(0, 10),
			);
			assert.match(told(tools, 11), /Max Proxies Per Execution/);
		},
	);

	t.test(
		'agent: eleven identical calls of 100: bought once, the other ten get that order back',
		async () => {
			const script = CUSTOMERS.map(() => ({ toolCalls: [order(100)] }));
			script.push({ text: 'Done.' });
			const { result, tools } = await runAgent(ctx, ids.plain, script);
			expectSuccess(result);
			console.log(`       11th tool message: ${tools[10] && tools[10].content}`);
			assert.equal(tools.length, 11);
			assert.equal(sandbox.orders.length, 1, 'orders sold');
			assert.equal(sandbox.orderRequests.length, 1, 'order requests sent');
			const [sale] = sandbox.orders;
			for (const n of [2, 11]) {
				const [again] = JSON.parse(told(tools, n));
				assert.equal(again.order_id, sale.order_id, `call ${n}`);
				assert.match(again.note, /^Already ordered in this execution: order_id /);
			}
		},
	);

	t.test('agent: two parallel calls are both ordered and count against the budget', async () => {
		const { result, tools } = await runAgent(ctx, ids.budget, [
			{ toolCalls: [order(60, 'alpha'), order(60, 'bravo')] },
			{ toolCalls: [order(60, 'charlie')] },
			{ text: 'Done.' },
		]);
		expectSuccess(result);
		for (const n of [1, 2, 3]) console.log(`       tool message ${n}: ${told(tools, n)}`);
		const runs = result.nodeRuns(TOOL_NODE).map((r) => [r.startTime, r.executionTime]);
		console.log(`       tool runs [startTime, executionTime]: ${JSON.stringify(runs)}`);
		assert.deepEqual(
			sandbox.orders.map((o) => o.customer).sort(),
			['alpha', 'bravo'],
			'orders sold',
		);
		for (const [n, customer] of [
			[1, 'alpha'],
			[2, 'bravo'],
		]) {
			const sale = sandbox.orders.find((o) => o.customer === customer);
			assert.ok(told(tools, n).includes(sale.order_id), `call ${n}: ${told(tools, n)}`);
		}
		assert.equal(sandbox.orderRequests.length, 2, 'order requests sent');
		assert.match(told(tools, 3), /Max Proxies Per Execution/);
	});

	t.test('agent: tool calls of one execution share its id and count up the run index', async () => {
		const { result, tools } = await runAgent(ctx, ids.probe, [
			{ toolCalls: [order(1, 'one'), order(1, 'two'), order(1, 'three')] },
			{ toolCalls: [order(1, 'four')] },
			{ text: 'Done.' },
		]);
		expectSuccess(result);
		assert.equal(sandbox.orderRequests.length, 0, 'a dry run sends nothing');
		const executionId = digitsAsLetters(result.run.id ?? '');
		const seen = tools.map((m) => /"customer":\s*"([a-z]+)"/.exec(m.content)?.[1]);
		console.log(`       customers seen (name + run index + execution id): ${seen.join(' ')}`);
		const runs = result.nodeRuns(TOOL_NODE).map((r) => [r.startTime, r.executionTime]);
		console.log(`       tool runs [startTime, executionTime]: ${JSON.stringify(runs)}`);
		const parsed = seen.map((c) => /^([a-z]+?)run([a-j]+)exec([a-j]+)$/.exec(c ?? ''));
		assert.ok(parsed.every(Boolean), `unexpected customers: ${seen.join(' ')}`);
		assert.deepEqual(
			parsed.map((m) => m[1]),
			['one', 'two', 'three', 'four'],
		);
		assert.deepEqual(
			parsed.map((m) => m[2]),
			['a', 'b', 'c', 'd'],
			'run indexes 0, 1, 2, 3',
		);
		assert.equal(new Set(parsed.map((m) => m[3])).size, 1, 'one execution id');
		if (executionId) assert.equal(parsed[0][3], executionId);
	});

	for (const fault of ['429', 'reset-after-body']) {
		t.test(`agent: Retry On Fail after a ${fault} tries again in the same run`, async () => {
			sandbox.setFault(fault, { nth: 1 });
			const { result, tools } = await runAgent(ctx, ids.retry, [
				{ toolCalls: [order(1, 'retry')] },
				{ text: 'Done.' },
			]);
			expectSuccess(result);
			const customers = sandbox.orderRequests.map((r) => r.json.customer);
			console.log(`       ${fault}: requests ${customers.join(' ')}; told ${told(tools, 1)}`);
			assert.equal(tools.length, 1, 'one tool message');
			assert.equal(new Set(customers).size, 1, 'every try under one run index');
			// After a lost answer the retry memory must not send the order again.
			assert.equal(customers.length, fault === '429' ? 2 : 1, 'order requests sent');
			assert.equal(sandbox.orders.length, 1, 'orders sold');
		});
	}

	// Last, so that it also sees what the cases above sent the model.
	t.test('agent: no API key in anything the model server received', async () => {
		sandbox.setFault('reset-after-body', { nth: 2 });
		const { result } = await runAgent(ctx, ids.continue, [
			{ toolCalls: [order(2), order(3, 'other')] },
			{ toolCalls: [order(500)] },
			{ text: 'Done.' },
		]);
		expectSuccess(result);
		const received = ctx.agentModel.history;
		assert.ok(received.length >= 3, `${received.length} requests recorded`);
		for (const key of ctx.secrets) {
			if (key === MODEL_KEY) continue;
			const leaks = received.filter((r) => JSON.stringify(r).includes(key));
			assert.equal(leaks.length, 0, `key ${key.slice(0, 8)}... sent to the model`);
		}
		// The model's own key reaches it only as its bearer header.
		for (const r of received) {
			const { authorization, ...headers } = r.headers;
			assert.ok(!`${r.body}${r.path}${JSON.stringify(headers)}`.includes(MODEL_KEY));
			assert.equal(authorization, `Bearer ${MODEL_KEY}`);
		}
	});
};
