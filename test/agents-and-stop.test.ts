import { createRunExecutionData, sleep, type INodeParameters } from 'n8n-workflow';

import { errorOf, sandboxCredential } from './harness/helpers';
import { recordLogs } from './harness/host';
import { useSandbox } from './harness/sandbox';
import { executeNode } from './harness/n8n';

/**
 * An AI agent that asks again for what it already bought gets it back; the Stop button loses
 * nothing a person needs: every order and every unknown outcome is in n8n's log and in the
 * execution's custom data as it happens.
 */
const sandbox = useSandbox();

const order = (options: INodeParameters = {}): INodeParameters => ({
	quantity: '={{ $json.quantity }}',
	productType: '={{ $json.productType }}',
	options,
});

/** One tool call of an agent: the node as its tool, one item with the model's arguments. */
let agentExecutions = 0;
beforeEach(() => agentExecutions++);
const toolCall = (runIndex: number, args: object, options: INodeParameters = {}) =>
	executeNode({
		credential: sandboxCredential(sandbox),
		parameters: order(options),
		items: [{ ...args, toolCallId: `call_${runIndex}` }],
		executionId: `agent-execution-${agentExecutions}`,
		runIndex,
		asTool: true,
	});

describe('As a tool, an order identical to one this execution placed is not bought again', () => {
	test("the agent's own Retry On Fail asks again with a new call id: it gets the earlier order back, said as such", async () => {
		const first = await toolCall(0, { quantity: 5, productType: 'x1' });
		const again = await toolCall(1, { quantity: 5, productType: 'x1' });
		expect(sandbox.orders).toHaveLength(1);
		expect(again[0].json.order_id).toBe(first[0].json.order_id);
		expect(again[0].json.note).toBe(
			`Already ordered in this execution: order_id ${String(first[0].json.order_id)}. This is that order, not bought again (Options > Repeat Identical Orders as a Tool allows a second one).`,
		);
	});

	test('a different order is bought', async () => {
		await toolCall(0, { quantity: 5, productType: 'x1' });
		await toolCall(1, { quantity: 6, productType: 'x1' });
		expect(sandbox.orders).toHaveLength(2);
	});

	test('with Repeat Identical Orders as a Tool on, the identical order is bought again', async () => {
		await toolCall(0, { quantity: 5, productType: 'x1' }, { repeatIdentical: true });
		await toolCall(1, { quantity: 5, productType: 'x1' }, { repeatIdentical: true });
		expect(sandbox.orders).toHaveLength(2);
	});

	test('outside tool mode nothing changes: two runs of a loop ordering the same thing both buy', async () => {
		for (const runIndex of [0, 1]) {
			await executeNode({
				credential: sandboxCredential(sandbox),
				parameters: order(),
				items: [{ quantity: 5, productType: 'x1' }],
				executionId: 'loop-execution',
				runIndex,
			});
		}
		expect(sandbox.orders).toHaveLength(2);
	});
});

describe('The model is never told two opposite things', () => {
	test('after an unknown outcome, an identical call says that it sent nothing and that the earlier one may have been bought, and nothing that contradicts it', async () => {
		sandbox.setFault('reset-after-body', { nth: 1, times: 1 });
		await expect(toolCall(0, { quantity: 5, productType: 'x1' })).rejects.toThrow();
		const error = await toolCall(1, { quantity: 5, productType: 'x1' }).catch((e: Error) => e);
		expect((error as Error).message).toBe(
			'Not ordered: an identical order earlier in this execution ended with an unknown outcome and may already have been bought, so this one was not sent. Do not call this tool again for this order: ask the user to check the StatProxies dashboard first. [item 0]',
		);
		expect((error as Error).message).not.toContain('Nothing was bought');
		expect(sandbox.orderRequests).toHaveLength(1);
	});

	test('with Continue On Fail the same refusal routes like an unknown outcome', async () => {
		sandbox.setFault('reset-after-body', { nth: 1, times: 1 });
		const run = (runIndex: number) =>
			executeNode({
				credential: sandboxCredential(sandbox),
				parameters: order(),
				items: [{ quantity: 5, productType: 'x1', toolCallId: `c${runIndex}` }],
				executionId: 'agent-continue',
				runIndex,
				asTool: true,
				continueOnFail: true,
			});
		await run(0);
		const second = await run(1);
		expect(errorOf(second[0])).toMatchObject({ outcome: 'unknown' });
	});
});

describe('The Stop button', () => {
	test('stopped while item 1 is in flight: item 0 is in the log and the custom data, item 1 is unknown there, item 2 is never sent', async () => {
		const log = recordLogs() as { lines: Array<{ message: string }>; stop: () => void };
		sandbox.setFault('hang', { nth: 2, times: 1 });
		const stop = new AbortController();
		const runData = createRunExecutionData();
		const running = executeNode({
			credential: sandboxCredential(sandbox),
			parameters: order(),
			items: [1, 2, 3].map((quantity) => ({ quantity, productType: 'x1' })),
			executionId: 'stopped-execution',
			runData,
			signal: stop.signal,
			continueOnFail: true,
		});
		let output;
		try {
			await waitFor(() => sandbox.orders.length === 2);
			stop.abort();
			output = await running;
		} finally {
			log.stop();
		}
		const [placed, inFlight] = sandbox.orders.map((sold) => sold.order_id);
		expect(errorOf(output[1])).toMatchObject({ outcome: 'unknown' });
		expect(String(errorOf(output[1]).message)).toContain(
			'The execution was stopped while the order was on its way to StatProxies: the order may have been placed',
		);
		expect(errorOf(output[2])).toMatchObject({ outcome: 'not_sent' });
		expect(sandbox.orderRequests).toHaveLength(2);
		const lines = log.lines.map(({ message }) => message);
		expect(lines).toContain(
			`StatProxies: ordered ${String(placed)} (node "Order Proxies", item 0, execution stopped-execution)`,
		);
		expect(
			lines.some((line) =>
				line.startsWith('StatProxies: outcome unknown, The execution was stopped'),
			),
		).toBe(true);
		expect(lines.join('\n')).not.toContain(sandbox.keys.full);
		expect(runData.resultData.metadata).toMatchObject({
			statproxies_ordered: `Order Proxies item 0: ${String(placed)}`,
			statproxies_unknown: 'Order Proxies item 1: may have been bought',
		});
		expect(inFlight).toBeDefined();
	});
});

/** Waits until the sandbox has seen what the test waits for. */
describe('On n8n 1.x (no this.customData)', () => {
	test("the orders still reach the execution's custom data, through $execution", async () => {
		const runData = createRunExecutionData();
		const output = await executeNode({
			credential: sandboxCredential(sandbox),
			parameters: order(),
			items: [{ quantity: 1, productType: 'x1' }],
			executionId: 'old-n8n-custom-data',
			runData,
			like1x: true,
		});
		expect(runData.resultData.metadata).toMatchObject({
			statproxies_ordered: `Order Proxies item 0: ${String(output[0].json.order_id)}`,
		});
	});
});

async function waitFor(condition: () => boolean) {
	for (let turn = 0; turn < 2_000 && !condition(); turn++) await sleep(5);
	if (!condition()) throw new Error('the sandbox never saw it');
}
