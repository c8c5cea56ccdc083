import { memorySize } from '../nodes/shared/itemMemory';
import {
	boughtCustomers,
	customerItems,
	errorOf,
	CUSTOMERS,
	ORDER_PER_CUSTOMER,
	RETRY_AT_MAX,
	sandboxCredential,
	sentCustomers,
	timesIn,
} from './harness/helpers';
import { useSandbox } from './harness/sandbox';
import { executeNode, runWorkflow } from './harness/n8n';

const sandbox = useSandbox();

const FIVE = CUSTOMERS.slice(0, 5);
/** A quantity that (almost always) evaluates differently on every try, like $now or a counter. */
const RANDOM_QUANTITY = {
	...ORDER_PER_CUSTOMER,
	quantity: '={{ 1 + Math.floor(Math.random() * 90) }}',
};

afterEach(() => {
	jest.restoreAllMocks();
});

describe('Retry On Fail remembers each item, whatever its parameters evaluate to on the next try', () => {
	test('a quantity that changes between tries, a 429 at item 2: items 0 and 1 are replayed, never bought again', async () => {
		sandbox.setFault('429', { nth: 3, times: 1 });
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: RANDOM_QUANTITY,
			items: customerItems(5),
			settings: RETRY_AT_MAX,
		});

		expect(result.error).toBeUndefined();
		expect(boughtCustomers(sandbox)).toEqual(FIVE);
		for (const customer of FIVE) expect(timesIn(boughtCustomers(sandbox), customer)).toBe(1);
		// The replayed items report the order as it was bought, and say when it differs.
		result.output.forEach((item, index) => {
			const sold = sandbox.orders.find((order) => order.customer === FIVE[index]);
			expect(item.json).toMatchObject({ order_id: sold?.order_id, quantity: sold?.quantity });
			if (item.json.note !== undefined) {
				expect(index).toBeLessThan(2);
				expect(item.json.note).toMatch(/parameters changed since .* not ordered again/);
			}
		});
	});

	test('a quantity that changes between tries, an unknown outcome at item 1: item 1 is never sent again', async () => {
		sandbox.setFault('reset-after-body', { nth: 2, times: 1 });
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: RANDOM_QUANTITY,
			items: customerItems(3),
			settings: RETRY_AT_MAX,
		});

		expect(result.error?.message).toMatch(/may have been placed.*\[item 1\]$/);
		expect(sentCustomers(sandbox)).toEqual(['itema', 'itemb']);
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb']);
	});

	test('a first try longer than an hour (an order every 20 minutes), then a retry: nothing is bought twice', async () => {
		// The clock moves 20 minutes with every order StatProxies receives: the first try spans
		// 100 minutes, and each remembered outcome refreshes the run's memory.
		const start = Date.now();
		const realNow = Date.now.bind(Date);
		jest
			.spyOn(Date, 'now')
			.mockImplementation(() => realNow() + sandbox.orderRequests.length * 20 * 60 * 1000);
		expect(Date.now()).toBeGreaterThanOrEqual(start);
		sandbox.setFault('429', { nth: 5, times: 1 });
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(5),
			settings: RETRY_AT_MAX,
		});

		expect(result.error).toBeUndefined();
		expect(sentCustomers(sandbox)).toEqual([...FIVE, 'iteme']);
		expect(boughtCustomers(sandbox)).toEqual(FIVE);
	});
});

describe('What the memory holds', () => {
	test('a run refused before sending anything (an invalid item) leaves nothing behind', async () => {
		const before = memorySize();
		await expect(
			executeNode({
				credential: sandboxCredential(sandbox),
				parameters: ORDER_PER_CUSTOMER,
				items: [{ customer: 'ok' }, { customer: 'Not OK' }],
			}),
		).rejects.toThrow('[item 1]');
		expect(sandbox.requests).toEqual([]);
		expect(memorySize().entries).toBe(before.entries);
	});

	test('it counts the items it holds, and a clean run of the same node gives them back', async () => {
		const before = memorySize().entries;
		sandbox.setFault('429', { nth: 3, times: 1 });
		const options = {
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(3),
			executionId: 'memory-count',
		};
		await expect(executeNode(options)).rejects.toThrow('[item 2]');
		// Items 0 and 1 were placed and are remembered; the refused item 2 is not.
		expect(memorySize().entries - before).toBe(2);

		// The same run again (as Retry On Fail does), now clean: replayed, then forgotten.
		const output = await executeNode(options);
		expect(output.map((item) => item.json.customer)).toEqual(['itema', 'itemb', 'itemc']);
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb', 'itemc']);
		expect(memorySize().entries).toBe(before);
	});

	test('an execution is forgotten when n8n reports its end', async () => {
		sandbox.setFault('429', { nth: 2, times: 5 });
		const before = memorySize();
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(2),
			settings: RETRY_AT_MAX,
		});
		expect(result.error?.message).toContain('[item 1]');
		expect(memorySize()).toEqual(before);
	});

	test('two executions that both fail, then run again: neither replays the order of the other', async () => {
		const run = (executionId: string) =>
			executeNode({
				credential: sandboxCredential(sandbox),
				parameters: ORDER_PER_CUSTOMER,
				items: customerItems(2),
				executionId,
			});
		// Both fail at item 1 after buying item 0, and each keeps its memory (no end reported).
		sandbox.setFault('429', { nth: 2, times: 1 });
		await expect(run('first-of-two')).rejects.toThrow('[item 1]');
		sandbox.setFault('429', { nth: 2, times: 1 });
		await expect(run('second-of-two')).rejects.toThrow('[item 1]');
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itema']);

		// Each runs again (its own Retry On Fail): each replays its own item 0, buys its item 1.
		const first = await run('first-of-two');
		const second = await run('second-of-two');
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itema', 'itemb', 'itemb']);
		expect(first[0].json.order_id).toBe(sandbox.orders[0].order_id);
		expect(second[0].json.order_id).toBe(sandbox.orders[1].order_id);
	});
});

describe('What an earlier try of the run did wins over what the item asks for now', () => {
	const credential = () => sandboxCredential(sandbox);
	async function twoTries(executionId: string, secondTry: typeof ORDER_PER_CUSTOMER) {
		sandbox.setFault('429', { nth: 2, times: 1 });
		const items = customerItems(2);
		await expect(
			executeNode({ credential: credential(), parameters: ORDER_PER_CUSTOMER, items, executionId }),
		).rejects.toThrow('[item 1]');
		return await executeNode({
			credential: credential(),
			parameters: secondTry,
			items,
			executionId,
			continueOnFail: true,
		});
	}

	test('placed on the first try, invalid on the second: the item still reports its order', async () => {
		const output = await twoTries('then-invalid', {
			...ORDER_PER_CUSTOMER,
			quantity: "={{ $json.customer === 'itema' ? 500 : 1 }}",
		});
		expect(output[0].json).toMatchObject({ order_id: sandbox.orders[0].order_id, quantity: 1 });
		expect(output[0].json.note).toMatch(/now no valid order, or a dry run/);
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb']);
	});

	test('placed on the first try, a dry run on the second: the item reports its order, not a preview', async () => {
		const output = await twoTries('then-dry', {
			...ORDER_PER_CUSTOMER,
			options: { dryRun: "={{ $json.customer === 'itema' }}" },
		});
		expect(output[0].json.order_id).toBe(sandbox.orders[0].order_id);
		expect(output[0].json.dry_run).toBeUndefined();
	});

	test('two tool calls with the same run index but their own call ids never share a memory', async () => {
		sandbox.setFault('reset-after-body', { nth: 1, times: 1 });
		const call = (toolCallId: string) =>
			executeNode({
				credential: credential(),
				parameters: ORDER_PER_CUSTOMER,
				items: [{ customer: 'itema', toolCallId }],
				executionId: 'tool-calls',
				asTool: true,
				continueOnFail: true,
			});
		const first = await call('call_1');
		expect(String(errorOf(first[0]).message)).toContain('may have been placed');
		// A second call (another customer) at the same run index is not given the first's outcome.
		const second = await executeNode({
			credential: credential(),
			parameters: ORDER_PER_CUSTOMER,
			items: [{ customer: 'itemb', toolCallId: 'call_2' }],
			executionId: 'tool-calls',
			asTool: true,
		});
		expect(second[0].json.order_id).toBe(sandbox.orders[1].order_id);
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb']);
	});
});
