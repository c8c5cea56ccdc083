import { createRunExecutionData, type INodeParameters, type NodeApiError } from 'n8n-workflow';

import { forgetScopes, scopeCount } from '../nodes/shared/executionScope';
import {
	boughtCustomers,
	CONTINUE,
	customerItems,
	errorOf,
	ORDER_PER_CUSTOMER,
	sandboxCredential,
} from './harness/helpers';
import { useSandbox } from './harness/sandbox';
import { executeNode, runWorkflow } from './harness/n8n';

/**
 * Max Proxies Per Execution and "no identical order after an unknown one" hold for everything
 * one execution started (its sub-workflows and workflow tools), for as long as it runs: a
 * pause of any length, a resume in another worker.
 */
const sandbox = useSandbox();

const order = (quantity: number, options: INodeParameters = {}): INodeParameters => ({
	quantity,
	productType: 'captcha',
	options,
});

async function call(options: Partial<Parameters<typeof executeNode>[0]> & { executionId: string }) {
	try {
		return {
			output: await executeNode({
				credential: sandboxCredential(sandbox),
				parameters: order(100),
				...options,
			}),
		};
	} catch (error) {
		return { error: error as NodeApiError };
	}
}

const HOUR = 60 * 60 * 1000;
let clock: jest.SpyInstance<number, []>;
afterEach(() => clock?.mockRestore());
/** Moves this process's clock: Date.now() is what the memory ages by. */
function later(ms: number) {
	const now = Date.now() + ms;
	clock?.mockRestore();
	clock = jest.spyOn(Date, 'now').mockReturnValue(now);
}

describe("Sub-workflows share their parent execution's budget", () => {
	test('a parent calls a sub-workflow once per item, 11 items, each ordering 100 (default budget 1000): 10 are bought', async () => {
		const results = [];
		for (let i = 0; i < 11; i++) {
			results.push(await call({ executionId: `sub-${i}`, parentExecutionId: 'parent-1' }));
		}
		expect(results.filter((result) => result.error)).toHaveLength(1);
		expect(results[10].error?.message).toBe(
			'Not ordered: ordering 100 more proxies would go over Max Proxies Per Execution (1000 per execution; 0 left in this execution) [item 0]',
		);
		// Running the parent again would buy those 1,000 again: not "safe to run again".
		expect(results[10].error?.description).not.toContain('safe to fix this and run again');
		expect(results[10].error?.description).toContain(
			'Before this run, this execution had already ordered (or may have ordered) 1000 proxies, in other runs of this node or in its sub-workflows: running the workflow again orders those again.',
		);
		expect(sandbox.orders).toHaveLength(10);
	});

	test('another parent execution has a budget of its own', async () => {
		for (let i = 0; i < 10; i++)
			await call({ executionId: `a-${i}`, parentExecutionId: 'parent-a' });
		const other = await call({ executionId: 'b-0', parentExecutionId: 'parent-b' });
		expect(other.error).toBeUndefined();
		expect(sandbox.orders).toHaveLength(11);
	});

	test('a sub-workflow of a sub-workflow counts toward the top execution when the node ran in the middle one', async () => {
		await call({
			executionId: 'middle',
			parentExecutionId: 'top',
			parameters: order(600, { maxQuantity: 1000 }),
		});
		const deeper = await call({
			executionId: 'bottom',
			parentExecutionId: 'middle',
			parameters: order(500, { maxQuantity: 1000 }),
		});
		expect(deeper.error?.message).toContain('400 left in this execution');
	});

	test('an identical order after an unknown one in another sub-workflow of the same parent is not sent, and routes like an unknown outcome', async () => {
		sandbox.setFault('reset-after-body', { nth: 1, times: 1 });
		const first = await call({
			executionId: 'u-0',
			parentExecutionId: 'parent-u',
			parameters: order(5),
		});
		expect(first.error?.message).toContain('may have been placed');
		const again = await call({
			executionId: 'u-1',
			parentExecutionId: 'parent-u',
			parameters: order(5),
			continueOnFail: true,
		});
		expect(errorOf(again.output?.[0] ?? { json: {} })).toMatchObject({ outcome: 'unknown' });
		expect(String(errorOf(again.output?.[0] ?? { json: {} }).message)).toContain(
			'may already have been bought, so this one was not sent',
		);
		expect(sandbox.orderRequests).toHaveLength(1);
	});

	test("Retry On Fail's replay stays with each sub-execution: a loop over different items never replays across them", async () => {
		const sub = (executionId: string, customer: string) =>
			call({
				executionId,
				parentExecutionId: 'loop-parent',
				parameters: ORDER_PER_CUSTOMER,
				items: [{ customer }],
			});
		await sub('loop-0', 'itema');
		const second = await sub('loop-1', 'itemb');
		expect(second.output?.[0].json.customer).toBe('itemb');
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb']);
	});
});

describe('A pause of any length keeps both guards', () => {
	test('the node orders 100 (budget 100), an hour and a minute pass (a Wait, an approval), the node runs again: nothing more is bought', async () => {
		const runData = createRunExecutionData();
		const budget = order(100, { maxProxiesPerExecution: 100 });
		await call({ executionId: 'paused', runData, parameters: budget });
		later(61 * 60 * 1000);
		const after = await call({ executionId: 'paused', runData, runIndex: 1, parameters: budget });
		expect(after.error?.message).toContain('0 left in this execution');
		expect(sandbox.orders).toHaveLength(1);
	});

	test('an order whose outcome was unknown is not sent again after the pause', async () => {
		const runData = createRunExecutionData();
		sandbox.setFault('reset-after-body', { nth: 1, times: 1 });
		await call({ executionId: 'paused-unknown', runData, parameters: order(5) });
		later(61 * 60 * 1000);
		const after = await call({
			executionId: 'paused-unknown',
			runData,
			runIndex: 1,
			parameters: order(5),
		});
		expect(after.error?.message).toContain('ended with an unknown outcome');
		expect(sandbox.orderRequests).toHaveLength(1);
	});

	test('the execution resumes in another worker (a Wait n8n moved to its database): the node context brings the budget and the unknown order along', async () => {
		const runData = createRunExecutionData();
		sandbox.setFault('reset-after-body', { nth: 2, times: 1 });
		const budget = (quantity: number) => order(quantity, { maxProxiesPerExecution: 100 });
		await call({ executionId: 'moved', runData, parameters: budget(60) });
		await call({ executionId: 'moved', runData, runIndex: 1, parameters: budget(5) });
		forgetScopes();
		const overBudget = await call({
			executionId: 'moved',
			runData,
			runIndex: 2,
			parameters: budget(40),
		});
		expect(overBudget.error?.message).toContain('35 left in this execution');
		const unknownAgain = await call({
			executionId: 'moved',
			runData,
			runIndex: 3,
			parameters: budget(5),
		});
		expect(unknownAgain.error?.message).toContain('ended with an unknown outcome');
		expect(sandbox.orderRequests).toHaveLength(2);
	});

	test('on n8n 1.x (no end reported to nodes), a day idle drops the process memory, and the node context still holds', async () => {
		const runData = createRunExecutionData();
		const budget = order(100, { maxProxiesPerExecution: 100 });
		await call({ executionId: 'old-n8n', runData, parameters: budget, like1x: true });
		later(25 * HOUR);
		const after = await call({
			executionId: 'old-n8n',
			runData,
			runIndex: 1,
			parameters: budget,
			like1x: true,
		});
		expect(after.error?.message).toContain('0 left in this execution');
	});
});

describe('No idle expiry where n8n reports the end', () => {
	test('a top execution whose node context is not carried over: a day later its budget still holds (n8n will report its end)', async () => {
		const budget = order(100, { maxProxiesPerExecution: 100 });
		await call({ executionId: 'reported', parameters: budget });
		later(25 * HOUR);
		const after = await call({ executionId: 'reported', runIndex: 1, parameters: budget });
		expect(after.error?.message).toContain('0 left in this execution');
	});

	test('sub-workflows of a parent that waits an hour between them still share its budget', async () => {
		const budget = order(100, { maxProxiesPerExecution: 100 });
		await call({
			executionId: 'waiting-sub-0',
			parentExecutionId: 'waiting-parent',
			parameters: budget,
		});
		later(61 * 60 * 1000);
		const after = await call({
			executionId: 'waiting-sub-1',
			parentExecutionId: 'waiting-parent',
			parameters: budget,
		});
		expect(after.error?.message).toContain('0 left in this execution');
	});

	test('after a resume in a new engine (a Wait moved to the database), the end of the execution still drops its scope', async () => {
		const before = scopeCount();
		const first = {} as { end?: () => Promise<void> };
		const second = {} as { end?: () => Promise<void> };
		await call({
			executionId: 'resumed-engine',
			parameters: order(1),
			engine: first,
			signal: new AbortController().signal,
		});
		// The first engine's hooks never fire: n8n dropped them with the offloaded execution.
		await call({
			executionId: 'resumed-engine',
			runIndex: 1,
			parameters: order(1),
			engine: second,
			signal: new AbortController().signal,
		});
		expect(scopeCount()).toBe(before + 1);
		await second.end?.();
		expect(scopeCount()).toBe(before);
	});
});

describe('Retry On Fail memory belongs to one node', () => {
	test("two Order Proxies nodes in one execution: the second never replays the first's item 0", async () => {
		sandbox.setFault('429', { nth: 2, times: 1 });
		const items = customerItems(2);
		const first = await call({ executionId: 'two-nodes', parameters: ORDER_PER_CUSTOMER, items });
		expect(first.error?.message).toContain('[item 1]');
		const other = await call({
			executionId: 'two-nodes',
			nodeName: 'Order Proxies (backup)',
			parameters: ORDER_PER_CUSTOMER,
			items: [{ customer: 'itemc' }],
		});
		expect(other.output?.[0].json.customer).toBe('itemc');
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemc']);
	});
});

describe('The scope is forgotten when n8n reports the end of the execution', () => {
	test('a workflow run through the engine leaves no scope behind', async () => {
		const before = scopeCount();
		await runWorkflow({ credential: sandboxCredential(sandbox), parameters: order(1) });
		expect(scopeCount()).toBe(before);
	});
});

describe('Retry On Fail: a stop after an unknown item says it may have been bought', () => {
	test('item 0 sold but its answer lost, item 1 invalid on the next try: the stop message does not call it safe to run again', async () => {
		sandbox.setFault('reset-after-body', { nth: 1, times: 1 });
		const items = customerItems(2);
		// Item 1 is valid on the first try, invalid (quantity 0) once item 0 is unknown.
		let tries = 0;
		const quantity = () => (tries++ < 2 ? 1 : 0);
		const parameters = { ...ORDER_PER_CUSTOMER, quantity: '={{ $json.quantity }}' };
		const first = await call({
			executionId: 'retry-stop',
			parameters,
			items: items.map((item) => ({ ...item, quantity: quantity() })),
		});
		expect(first.error?.message).toContain('[item 0]');
		const second = await call({
			executionId: 'retry-stop',
			parameters,
			items: items.map((item) => ({ ...item, quantity: quantity() })),
		});
		expect(second.error?.message).toContain('[item 1]');
		expect(second.error?.description).not.toContain('safe to fix this and run again');
		expect(second.error?.description).toContain('Item 0 may already have been bought');
		expect(sandbox.orders).toHaveLength(1);
	});
});

describe('A run stopped by the refusal after an unknown order', () => {
	test('never says "safe to run again": the earlier identical order may exist', async () => {
		sandbox.setFault('reset-after-body', { nth: 1, times: 1 });
		await call({ executionId: 'stop-refusal', parameters: order(5) });
		const stopped = await call({ executionId: 'stop-refusal', runIndex: 1, parameters: order(5) });
		expect(stopped.error?.message).toContain('ended with an unknown outcome');
		expect(stopped.error?.description).not.toContain('safe to fix this and run again');
	});
});

describe('Keys: NaN and Infinity are refused; a key used earlier in this execution says so', () => {
	test.each([NaN, Infinity])(
		'an Order Key that evaluates to %p is invalid, not a key shared by every such item',
		async (value) => {
			const result = await call({
				executionId: `key-${String(value)}`,
				parameters: order(1, { orderKey: '={{ $json.key }}' }),
				items: [{ key: value }],
			});
			expect(result.error?.message).toMatch(/^Order Key must be text or a number/);
			expect(sandbox.requests).toEqual([]);
		},
	);

	test('a loop that orders with key K, then asks for K again in the same execution: "used earlier in this execution"', async () => {
		const keyed = order(1, { orderKey: 'loop-key' });
		await call({ executionId: 'loop-keys', parameters: keyed });
		const again = await call({ executionId: 'loop-keys', runIndex: 1, parameters: keyed });
		expect(again.error?.message).toBe(
			'Not ordered: order key "loop-key" was already used earlier in this execution [item 0]',
		);
	});
});

describe('With Continue On Fail the guards keep their outcomes', () => {
	test('over budget in a sub-workflow is an error item with outcome over_budget', async () => {
		await call({
			executionId: 'c-0',
			parentExecutionId: 'parent-c',
			parameters: order(100, { maxProxiesPerExecution: 100 }),
		});
		const over = await call({
			executionId: 'c-1',
			parentExecutionId: 'parent-c',
			parameters: order(100, { maxProxiesPerExecution: 100 }),
			settings: CONTINUE,
		});
		expect(errorOf(over.output?.[0] ?? { json: {} })).toMatchObject({
			outcome: 'over_budget',
			field: 'maxProxiesPerExecution',
		});
		expect(sandbox.orders).toHaveLength(1);
	});
});
