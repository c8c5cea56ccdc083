import type { INodeParameters, NodeApiError } from 'n8n-workflow';

import {
	boughtCustomers,
	CONTINUE,
	customerItems,
	errorOf,
	RETRY_AT_MAX,
	sandboxCredential,
	sentCustomers,
} from './harness/helpers';
import { useSandbox } from './harness/sandbox';
import { executeNode, runWorkflow, type RunOptions } from './harness/n8n';

const sandbox = useSandbox();

function order(quantity: number | string, options: INodeParameters = {}): INodeParameters {
	return {
		quantity,
		productType: 'captcha',
		additionalFields: { customer: '={{ $json.customer }}' },
		options,
	};
}

/** One run of the node in an execution: an AI agent's tool call, or a loop's pass. */
async function call(executionId: string, runIndex: number, extra: Partial<RunOptions> = {}) {
	try {
		return {
			output: await executeNode({
				credential: sandboxCredential(sandbox),
				parameters: order(100),
				items: [{}],
				executionId,
				runIndex,
				...extra,
			}),
		};
	} catch (error) {
		return { error: error as NodeApiError };
	}
}

describe('Max Proxies Per Execution caps what the node orders in one execution', () => {
	test('eleven calls of 100 in one execution (default budget 1000): ten are bought, the eleventh is refused before sending', async () => {
		const results = [];
		for (let runIndex = 0; runIndex < 11; runIndex++)
			results.push(await call('eleven-calls', runIndex));

		expect(sandbox.orders).toHaveLength(10);
		expect(sandbox.orderRequests).toHaveLength(10);
		expect(results[10].error?.message).toBe(
			'Not ordered: ordering 100 more proxies would go over Max Proxies Per Execution (1000 per execution; 0 left in this execution) [item 0]',
		);
		expect(results[10].error?.description).toContain('Nothing was sent to StatProxies.');
	});

	test('another execution has a budget of its own', async () => {
		for (let runIndex = 0; runIndex < 3; runIndex++)
			await call('budget-a', runIndex, { parameters: order(100, { maxProxiesPerExecution: 300 }) });
		const other = await call('budget-b', 0, {
			parameters: order(100, { maxProxiesPerExecution: 300 }),
		});
		expect(other.error).toBeUndefined();
		expect(sandbox.orders).toHaveLength(4);
	});

	test('items of one run that would go over it: without Continue On Fail nothing at all is sent', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: order(40, { maxProxiesPerExecution: 100 }),
			items: customerItems(3),
		});

		expect(result.error?.message).toMatch(
			/^Not ordered: ordering 40 more proxies would go over Max Proxies Per Execution \(100 per execution; 20 left/,
		);
		expect(result.error?.message).toMatch(/\[item 2\]$/);
		expect(sandbox.requests).toEqual([]);
	});

	test('with Continue On Fail, the items within the budget are bought and the rest become over_budget error items', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: order(40, { maxProxiesPerExecution: 100 }),
			items: customerItems(3),
			settings: CONTINUE,
		});

		expect(result.output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(errorOf(result.output[2])).toMatchObject({
			outcome: 'over_budget',
			field: 'maxProxiesPerExecution',
		});
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb']);
	});

	test('a refused order gives its share back: a 429 retried by Retry On Fail fits a budget of exactly the run', async () => {
		sandbox.setFault('429', { nth: 2, times: 1 });
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: order(10, { maxProxiesPerExecution: 30 }),
			items: customerItems(3),
			settings: RETRY_AT_MAX,
		});

		expect(result.error).toBeUndefined();
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb', 'itemc']);
	});

	test('two calls running side by side cannot both spend the same remainder', async () => {
		const parameters = order(100, { maxProxiesPerExecution: 150 });
		const [a, b] = await Promise.all([
			call('side-by-side', 0, { parameters }),
			call('side-by-side', 1, { parameters }),
		]);
		expect([a.error, b.error].filter(Boolean)).toHaveLength(1);
		expect(sandbox.orderRequests).toHaveLength(1);
	});

	test('an unknown outcome counts against it (the order may exist)', async () => {
		sandbox.setFault('500', { nth: 1, times: 1 });
		const first = await call('unknown-counts', 0, {
			parameters: order(60, { maxProxiesPerExecution: 100 }),
		});
		expect(first.error?.message).toContain('may have been placed');
		const second = await call('unknown-counts', 1, {
			parameters: order(50, { maxProxiesPerExecution: 100 }),
		});
		expect(second.error?.message).toContain(
			'Max Proxies Per Execution (100 per execution; 40 left',
		);
		expect(sandbox.orderRequests).toHaveLength(1);
	});

	test.each([0, -5, '', 1.5, 'all'])(
		'Max Proxies Per Execution = %p is refused, never read as "no limit"',
		async (value) => {
			const result = await runWorkflow({
				credential: sandboxCredential(sandbox),
				parameters: order(1, { maxProxiesPerExecution: value }),
			});
			expect(result.error?.message).toMatch(
				/^Max Proxies Per Execution must be a whole number of at least 1/,
			);
			expect(sandbox.requests).toEqual([]);
		},
	);
});

describe('No identical order after an unknown one, within the execution', () => {
	test('a later run asking for the same order is not sent; a different order is', async () => {
		sandbox.setFault('reset-after-body', { nth: 1, times: 1 });
		const first = await call('repeat-unknown', 0, { parameters: order(5) });
		expect(first.error?.message).toContain('may have been placed');

		const same = await call('repeat-unknown', 1, { parameters: order(5) });
		expect(same.error?.message).toBe(
			'Not ordered: an identical order earlier in this execution ended with an unknown outcome and may already have been bought, so this one was not sent [item 0]',
		);
		const other = await call('repeat-unknown', 2, { parameters: order(6) });
		expect(other.error).toBeUndefined();
		expect(sandbox.orderRequests.map((request) => request.json?.quantity)).toEqual([5, 6]);
		// Another execution may order it: that is how a user orders the same thing on purpose.
		const elsewhere = await call('repeat-unknown-other', 0, { parameters: order(5) });
		expect(elsewhere.error).toBeUndefined();
		expect(sentCustomers(sandbox)).toHaveLength(3);
	});
});

describe('As an AI agent tool, every error tells the model what it may do next', () => {
	test.each([
		{
			name: 'above the cap',
			fault: null,
			quantity: 500,
			says: /limit of 100 proxies per order.*Nothing was bought\. Call again only with corrected arguments\./,
		},
		{
			name: 'an unknown outcome',
			fault: '500',
			quantity: 1,
			says: /may have been placed.*Do not call this tool again for this order/,
		},
		{
			name: 'a refusal',
			fault: '429',
			quantity: 1,
			says: /Nothing was bought\. Do not call again with the same arguments/,
		},
	])('$name', async ({ fault, quantity, says }) => {
		if (fault) sandbox.setFault(fault, { nth: 1, times: 1 });
		const result = await call(`tool-${quantity}-${fault}`, 0, {
			parameters: order(quantity),
			asTool: true,
		});
		expect(result.error?.message).toMatch(says);
	});

	test('the same errors outside an agent carry no advice for a model', async () => {
		const result = await call('not-a-tool', 0, { parameters: order(500) });
		expect(result.error?.message).toBe(
			'Quantity 500 is above the limit of 100 proxies per order set on this node [item 0]',
		);
	});
});
