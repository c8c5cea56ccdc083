import type { INodeParameters, NodeApiError } from 'n8n-workflow';

import { CONTINUE, errorOf, RETRY_AT_MAX, sandboxCredential } from './harness/helpers';
import { deduplicationStore } from './harness/deduplication';
import { useSandbox } from './harness/sandbox';
import { executeNode, runWorkflow, type RunOptions } from './harness/n8n';

/**
 * Exchange Proxies: one exchange (every IP of an order replaced) per input item, with the
 * guards of Order Proxies, through n8n-core's engine against the sandbox.
 */
const sandbox = useSandbox();
beforeEach(() => deduplicationStore.reset());

const exchange = (orderId: string, options: INodeParameters = {}): INodeParameters => ({
	orderId,
	options,
});

async function run(parameters: INodeParameters, extra: Partial<RunOptions> = {}) {
	return await runWorkflow({
		credential: sandboxCredential(sandbox),
		parameters,
		exchange: true,
		...extra,
	});
}

/** An order the sandbox sold, to exchange. */
async function anOrder(): Promise<string> {
	const ordered = await runWorkflow({
		credential: sandboxCredential(sandbox),
		parameters: { quantity: 10, productType: 'captcha' },
	});
	return String(ordered.output[0].json.order_id);
}

describe('An exchange replaces the IPs of an order and says how it went', () => {
	test('Order Proxies -> Exchange Proxies: {{ $json.order_id }} works unchanged; the item has the counts', async () => {
		const orderId = await anOrder();
		const result = await run(exchange('={{ $json.order_id }}'), { items: [{ order_id: orderId }] });
		expect(result.error).toBeUndefined();
		expect(result.output[0].json).toEqual({
			order_id: orderId,
			previous_count: 10,
			new_count: 10,
			requested_count: 10,
			overlapping_ips: 0,
			message: 'Proxies exchanged successfully',
			complete: true,
		});
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
		expect(sandbox.exchangeRequests[0].path).toBe(`/api/v2/order/exchange/${orderId}`);
		expect(sandbox.exchangeRequests[0].headers.authorization).toBe(`Bearer ${sandbox.keys.full}`);
	});

	test('a partial exchange and overlapping IPs are said in the item, not hidden', async () => {
		const orderId = await anOrder();
		sandbox.setExchangeQuality({ partial: true, overlappingIps: 2 });
		const result = await run(exchange(orderId));
		expect(result.output[0].json).toMatchObject({
			new_count: 9,
			requested_count: 10,
			overlapping_ips: 2,
			complete: false,
			warning: 'Partial exchange: only 9 of 10 IPs were replaced; 2 IPs are the same as before.',
		});
	});

	test('a dry run sends nothing and shows the request without the key', async () => {
		const orderId = await anOrder();
		const result = await run(exchange(orderId, { dryRun: true }));
		expect(result.output[0].json).toMatchObject({
			dry_run: true,
			order_id: orderId,
			request: { method: 'POST', url: `${sandbox.url}/api/v2/order/exchange/${orderId}` },
		});
		expect(sandbox.exchangeRequests).toEqual([]);
	});
});

describe('Only what an order id can be reaches the URL path', () => {
	test.each([
		['sub_abc/../../newscale', 'no "/", "..", "?", "#", "%"'],
		['sub_abc?x=1', 'no "/", "..", "?", "#", "%"'],
		['sub_abc#x', 'no "/", "..", "?", "#", "%"'],
		['sub_abc%2F', 'no "/", "..", "?", "#", "%"'],
		['sub_ab c', 'no "/", "..", "?", "#", "%"'],
		['SUB_ABC', 'no "/", "..", "?", "#", "%"'],
		['..', 'no "/", "..", "?", "#", "%"'],
		['', 'must not be empty'],
		[42, 'must be text'],
		[null, 'must be text'],
	])('%p (from an expression) is refused before anything is sent', async (orderId, says) => {
		const result = await run(exchange('={{ $json.orderId }}'), { items: [{ orderId }] });
		expect(result.error?.message).toContain(says);
		expect(result.error?.message).toContain('[item 0]');
		expect(sandbox.requests).toEqual([]);
	});
});

test('a literal empty Order ID: n8n itself refuses the workflow (the parameter is required)', async () => {
	await expect(run(exchange(''))).rejects.toThrow('Parameter "Order ID" is required');
	expect(sandbox.requests).toEqual([]);
});

describe('Answers a refused exchange can get: nothing changed, sending again is safe', () => {
	test.each([
		['feature-disabled', '403', 'proxy_exchange feature'],
		['unknown-order', '404', 'does not know this order'],
		['400-response', '400', 'StatProxies refused the exchange: Invalid order ID'],
		['429', '429', 'limiting requests'],
	])('%s: refused (HTTP %s)', async (fault, httpCode, says) => {
		const orderId = await anOrder();
		sandbox.setExchangeFault(fault);
		const result = await run(exchange(orderId), { settings: CONTINUE });
		const error = errorOf(result.output[0]);
		expect(error).toMatchObject({ outcome: 'refused', http_code: httpCode });
		expect(`${String(error.message)} ${String(error.description)}`).toContain(says);
		expect(String(error.description)).toContain('the old IPs still work');
		expect(sandbox.exchanges).toEqual([]);
	});

	test('an unknown order id (not in the sandbox): 404, refused', async () => {
		const result = await run(exchange('sub_doesnotexist'), { settings: CONTINUE });
		expect(errorOf(result.output[0])).toMatchObject({ outcome: 'refused', http_code: '404' });
	});
});

describe('An exchange whose outcome is unknown is never sent again blindly', () => {
	test.each(['reset-after-body', '500', 'malformed-json'])(
		'%s after exchanging: the message says the old IPs may be gone; Retry On Fail does not exchange again',
		async (fault) => {
			const orderId = await anOrder();
			sandbox.setExchangeFault(fault);
			const result = await run(exchange(orderId), { settings: RETRY_AT_MAX });
			expect(result.error?.message).toContain(
				'the proxies may have been exchanged (the old IPs may already be gone); check the StatProxies dashboard before exchanging again',
			);
			expect(sandbox.exchangeRequests).toHaveLength(1);
		},
	);

	test('a later run of the execution asking to exchange the same order after an unknown outcome is not sent', async () => {
		const orderId = await anOrder();
		sandbox.setExchangeFault('reset-after-body');
		const call = (runIndex: number) =>
			executeNode({
				credential: sandboxCredential(sandbox),
				parameters: exchange(orderId),
				exchange: true,
				executionId: 'exchange-unknown',
				runIndex,
			}).catch((error: NodeApiError) => error);
		await call(0);
		const second = (await call(1)) as NodeApiError;
		expect(second.message).toContain(
			'an exchange of the same order earlier in this execution ended with an unknown outcome and may already have gone through',
		);
		expect(sandbox.exchangeRequests).toHaveLength(1);
	});
});

describe('Max Exchanges Per Execution (default 10)', () => {
	test('eleven exchanges in one execution: ten are made, the eleventh refused before sending', async () => {
		const orderId = await anOrder();
		const items = Array.from({ length: 11 }, () => ({}));
		const result = await run(exchange(orderId), { items, settings: CONTINUE });
		expect(sandbox.exchanges).toHaveLength(10);
		expect(errorOf(result.output[10])).toMatchObject({
			outcome: 'over_budget',
			field: 'maxExchangesPerExecution',
		});
		expect(String(errorOf(result.output[10]).message)).toBe(
			'Not exchanged: one more exchange would go over Max Exchanges Per Execution (10 per execution; 0 left in this execution) [item 10]',
		);
	});

	test.each([0, '', -1])(
		'Max Exchanges Per Execution = %p is refused, never "no limit"',
		async (value) => {
			const result = await run(exchange('sub_abc', { maxExchangesPerExecution: value }));
			expect(result.error?.message).toMatch(/^Max Exchanges Per Execution must be a whole number/);
		},
	);
});

describe('Exchange Key: at most one exchange per key', () => {
	test('a weekly key: the second run of the week exchanges nothing and says the key was used', async () => {
		const orderId = await anOrder();
		const weekly = exchange(orderId, { exchangeKey: `rotate-${orderId}-2026-49` });
		const first = await run(weekly);
		const second = await run(weekly);
		expect(first.error).toBeUndefined();
		expect(second.error?.message).toBe(
			`Not exchanged: exchange key "rotate-${orderId}-2026-49" was already used by an earlier execution [item 0]`,
		);
		expect(sandbox.exchanges).toHaveLength(1);
	});
});

describe("As an AI agent's tool", () => {
	const toolCall = (orderId: string, runIndex: number) =>
		executeNode({
			credential: sandboxCredential(sandbox),
			parameters: exchange(orderId),
			items: [{ toolCallId: `call_${runIndex}` }],
			exchange: true,
			asTool: true,
			executionId: 'agent-exchange',
			runIndex,
		});

	test('asking again to exchange an order exchanged in this execution gets the earlier exchange back', async () => {
		const orderId = await anOrder();
		await toolCall(orderId, 0);
		const again = await toolCall(orderId, 1);
		expect(sandbox.exchanges).toHaveLength(1);
		expect(String(again[0].json.note)).toContain('Already exchanged in this execution');
	});

	test('an invalid order id tells the model what to do next', async () => {
		const error = await toolCall('not-an-id', 0).catch((e: Error) => e);
		expect((error as Error).message).toContain(
			'Nothing was exchanged. Call again only with a corrected order id.',
		);
	});
});
