import { ExecuteContext } from 'n8n-core';
import { ExpressionError, type NodeApiError } from 'n8n-workflow';

import { keyClaims } from '../nodes/shared/keyClaim';
import { nodeKeyStore } from '../nodes/shared/keyStore';
import { orderAction } from '../nodes/OrderProxies/order';
import { outcomesFor } from '../nodes/shared/outcomes';
import { classifyError as classifyWith } from '../nodes/shared/transport';
import {
	boughtCustomers,
	CONTINUE,
	ERROR_OUTPUT,
	customerItems,
	errorOf,
	expectNoSecret,
	RETRY_AT_MAX,
	sandboxCredential,
	sentCustomers,
	ORDER_PER_CUSTOMER,
} from './harness/helpers';
import { useSandbox } from './harness/sandbox';
import { executeNode, NODE_NAME, runWorkflow } from './harness/n8n';
import { useRawServer } from './harness/raw';

const orderOutcomes = outcomesFor(orderAction.words);
const classifyError = (error: unknown) => classifyWith(orderOutcomes.said, error);

/**
 * Guards that no other suite pins down: each test here was written because removing the
 * guard it names left every other test passing (scripts/mutations.js).
 */

const sandbox = useSandbox();
const raw = useRawServer();
// A key only the raw server's tests use (built, so that it reads as no literal secret).
const RAW_KEY = ['sk', 'test', 'raw', 'server', '0123456789'].join('_');

afterEach(() => {
	jest.restoreAllMocks();
});

async function attempt<T>(run: Promise<T>): Promise<{ output?: T; error?: NodeApiError }> {
	try {
		return { output: await run };
	} catch (error) {
		return { error: error as NodeApiError };
	}
}

describe('Retry On Fail replays say when the parameters changed', () => {
	test('an item replayed with other parameters carries a note naming both; an unchanged one carries none', async () => {
		sandbox.setFault('429', { nth: 3, times: 1 });
		const credential = sandboxCredential(sandbox);
		const items = customerItems(3);
		// Two tries of one run, as n8n's Retry On Fail makes them: same execution, node and run.
		const first = await attempt(
			executeNode({ credential, parameters: ORDER_PER_CUSTOMER, items, executionId: 'note' }),
		);
		expect(first.error?.message).toContain('HTTP 429');
		const second = await executeNode({
			credential,
			parameters: { ...ORDER_PER_CUSTOMER, quantity: "={{ $json.customer === 'itema' ? 2 : 1 }}" },
			items,
			executionId: 'note',
		});
		expect(second[0].json).toMatchObject({ order_id: sandbox.orders[0].order_id, quantity: 1 });
		expect(second[0].json.note).toBe(
			'An earlier try of this run ordered this item as 1 × captcha for itema; its parameters changed since (now 2 × captcha for itema), and it was not ordered again.',
		);
		expect(second[1].json).toMatchObject({ order_id: sandbox.orders[1].order_id });
		expect(second[1].json.note).toBeUndefined();
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb', 'itemc']);
	});
});

describe('Max Proxies Per Execution', () => {
	test('an order refused for its order key gives its share of the budget back', async () => {
		const credential = sandboxCredential(sandbox);
		const keyed = (orderKey: string) => ({
			...ORDER_PER_CUSTOMER,
			quantity: 100,
			options: { maxProxiesPerExecution: 150, orderKey },
		});
		await executeNode({
			credential,
			parameters: keyed('budget-key-1'),
			items: [{ customer: 'itema' }],
		});
		// Another execution: the same key is refused (nothing bought), then a new key fits the budget.
		const duplicate = await attempt(
			executeNode({
				credential,
				parameters: keyed('budget-key-1'),
				items: [{ customer: 'itemb' }],
				executionId: 'key-budget',
				runIndex: 0,
			}),
		);
		expect(duplicate.error?.message).toContain('was already used by an earlier execution');
		const next = await attempt(
			executeNode({
				credential,
				parameters: keyed('budget-key-2'),
				items: [{ customer: 'itemc' }],
				executionId: 'key-budget',
				runIndex: 1,
			}),
		);
		expect(next.error).toBeUndefined();
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemc']);
	});

	test('each node has a budget of its own: two Order Proxies nodes in one execution', async () => {
		const credential = sandboxCredential(sandbox);
		const parameters = {
			...ORDER_PER_CUSTOMER,
			quantity: 100,
			options: { maxProxiesPerExecution: 150 },
		};
		await executeNode({
			credential,
			parameters,
			items: [{ customer: 'itema' }],
			executionId: 'two-nodes',
		});
		const getNode = ExecuteContext.prototype.getNode;
		jest.spyOn(ExecuteContext.prototype, 'getNode').mockImplementation(function (
			this: ExecuteContext,
		) {
			return { ...getNode.call(this), name: `${NODE_NAME} 2` };
		});
		const other = await attempt(
			executeNode({
				credential,
				parameters,
				items: [{ customer: 'itemb' }],
				executionId: 'two-nodes',
			}),
		);
		expect(other.error).toBeUndefined();
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb']);
	});
});

describe('A stopped execution starts no purchase', () => {
	test('when n8n has already cancelled the execution, nothing is sent and the item says so', async () => {
		jest
			.spyOn(ExecuteContext.prototype, 'getExecutionCancelSignal')
			.mockReturnValue({ aborted: true } as AbortSignal);
		const output = await executeNode({
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(2),
			continueOnFail: true,
		});
		expect(sandbox.orderRequests).toHaveLength(0);
		expect(output.map((item) => errorOf(item).outcome)).toEqual(['not_sent', 'not_sent']);
		expect(errorOf(output[0]).message).toBe(
			'The order was not sent: the execution was stopped [item 0]',
		);
	});
});

describe('Order Key without a deduplication store', () => {
	test('an n8n that offers no store to nodes: the claim fails, so the keyed order is never sent', async () => {
		const store = nodeKeyStore({ helpers: {} } as never);
		expect(store).toBeUndefined();
		const claims = await keyClaims(store, orderOutcomes.guard, 'orderKey').claim(['invoice-1']);
		const claim = claims.get('invoice-1') as object;
		expect(claim).toMatchObject({ kind: 'not_sent', field: 'orderKey' });
		expect('message' in claim ? claim.message : '').toContain("needs n8n's deduplication store");
	});
});

describe('What an answer means, beyond the sandbox', () => {
	test('HTTP 500 with an insufficient_permissions body: the status decides, the order may exist, and it is not sent again', async () => {
		raw.answer({
			status: 500,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ error: 'insufficient_permissions' }),
		});
		const result = await runWorkflow({
			credential: { apiKey: RAW_KEY, baseUrl: raw.url },
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(1),
			settings: RETRY_AT_MAX,
		});
		expect(result.error?.message).toContain('HTTP 500');
		expect(result.error?.message).toContain('the order may have been placed');
		expect(raw.requests).toHaveLength(1);
	});

	test('HTTP 200 with a subscription id but no order id: not a confirmed order (unknown), not sent again', async () => {
		raw.answer({
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ response: 'success', subscription_id: 'sub_ABC' }),
		});
		const result = await runWorkflow({
			credential: { apiKey: RAW_KEY, baseUrl: raw.url },
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(1),
			settings: RETRY_AT_MAX,
		});
		expect(result.error?.message).toContain('without a confirmed order');
		expect(raw.requests).toHaveLength(1);
	});

	test('HTTP 200 with an order id but no subscription id: not a confirmed order (unknown), not sent again', async () => {
		raw.answer({
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ response: 'success', order_id: 'sub_abc' }),
		});
		const result = await runWorkflow({
			credential: { apiKey: RAW_KEY, baseUrl: raw.url },
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(1),
			settings: RETRY_AT_MAX,
		});
		expect(result.error?.message).toContain('without a confirmed order');
		expect(raw.requests).toHaveLength(1);
	});

	test('an exchange answered 200 with details but a response that is not "success": unknown, not sent again', async () => {
		raw.answer({
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				response: 'error',
				message: 'Exchange failed halfway',
				details: { order_id: 'sub_abc', previous_count: 10, new_count: 4, requested_count: 10 },
			}),
		});
		const result = await runWorkflow({
			credential: { apiKey: RAW_KEY, baseUrl: raw.url },
			parameters: { orderId: 'sub_abc' },
			exchange: true,
			settings: RETRY_AT_MAX,
		});
		expect(result.error?.message).toContain('without a confirmed exchange');
		expect(result.error?.message).toContain('the old IPs may already be gone');
		expect(raw.requests).toHaveLength(1);
	});

	test('HTTP 303 without a Location header: unknown, sent once', async () => {
		raw.answer({ status: 303, headers: {}, body: '' });
		const result = await runWorkflow({
			credential: { apiKey: RAW_KEY, baseUrl: raw.url },
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(1),
			settings: RETRY_AT_MAX,
		});
		expect(result.error?.message).toContain('HTTP 303');
		expect(result.error?.message).toContain('the order may have been placed');
		expect(raw.requests).toHaveLength(1);
	});
});

describe('The key stays out of what the node shows', () => {
	test('an answer that echoes the key: the message shows *** instead', async () => {
		raw.answer({
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ response: 'error', auth: `Bearer ${RAW_KEY}` }),
		});
		const result = await runWorkflow({
			credential: { apiKey: RAW_KEY, baseUrl: raw.url },
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(1),
		});
		expect(result.error?.message).toContain('Bearer ***');
		expectNoSecret(result, RAW_KEY);
	});

	test.each([
		['JSON-escaped, "/" as "\\/" (PHP\'s default)', (key: string) => key.replace(/\//g, '\\/')],
		['URL-encoded', (key: string) => encodeURIComponent(key)],
	])(
		'a key with a "/" echoed %s: hidden in the message and the stored execution',
		async (_form, echo) => {
			const key = ['sk', 'test', 'slash/in/the/key', '0123456789'].join('_');
			raw.answer({
				status: 500,
				headers: { 'content-type': 'application/json' },
				body: `{"error":"denied for ${echo(key)}"}`,
			});
			const result = await runWorkflow({
				credential: { apiKey: key, baseUrl: raw.url },
				parameters: ORDER_PER_CUSTOMER,
				items: customerItems(1),
			});
			expect(result.error?.message).toContain('denied for ***');
			const stored = JSON.stringify(result.run);
			for (const form of [key, echo(key), 'slash\\/in']) expect(stored).not.toContain(form);
		},
	);

	test('a dry run whose base URL path carries the key previews *** in its place', async () => {
		const output = await executeNode({
			credential: { apiKey: sandbox.keys.full, baseUrl: `${sandbox.url}/${sandbox.keys.full}` },
			parameters: { ...ORDER_PER_CUSTOMER, options: { dryRun: true } },
			items: customerItems(1),
		});
		expect((output[0].json.request as { url: string }).url).toBe(
			`${sandbox.url}/***/api/v2/order/newscale`,
		);
		expect(JSON.stringify(output)).not.toContain(sandbox.keys.full);
	});
});

describe('An unsafe base URL is one problem of the run', () => {
	test('without Continue On Fail: one error that names no item, nothing sent', async () => {
		const result = await runWorkflow({
			credential: { apiKey: sandbox.keys.full, baseUrl: 'http://example.com' },
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(3),
		});
		expect(result.error?.message).toContain('must use https://');
		expect(result.error?.message).not.toMatch(/\[item \d+\]/);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('with Continue On Fail: an error item for every item, none passed through as if ordered', async () => {
		const result = await runWorkflow({
			credential: { apiKey: sandbox.keys.full, baseUrl: 'http://example.com' },
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(3),
			settings: CONTINUE,
		});
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => errorOf(item).field)).toEqual([
			'baseUrl',
			'baseUrl',
			'baseUrl',
		]);
		expect(result.output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(sentCustomers(sandbox)).toEqual([]);
	});
});

describe('A credential that cannot be read is one problem of the run', () => {
	test("without Continue On Fail: n8n's error, nothing sent", async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(2),
			noCredential: true,
		});
		expect(result.error?.message).toMatch(/credential/i);
		expect(sandbox.requests).toHaveLength(0);
	});

	test.each([
		['Continue (regular output)', CONTINUE],
		['Continue (error output)', ERROR_OUTPUT],
	])('%s: an error item for every item, none passed through as if ordered', async (_, settings) => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(2),
			settings,
			noCredential: true,
		});
		expect(result.error).toBeUndefined();
		// Regular output: the error items are what goes on; error output: nothing goes on.
		const failed = settings === CONTINUE ? result.succeeded : result.failed;
		expect(result.succeeded).toHaveLength(settings === CONTINUE ? 2 : 0);
		expect(failed.map((item) => errorOf(item))).toEqual(
			[0, 1].map((item) => ({
				message: expect.stringMatching(
					/^Not ordered: the StatProxies credential could not be read \(.+\)$/,
				),
				description: expect.stringContaining('Nothing was sent to StatProxies.'),
				outcome: 'invalid',
				field: 'credential',
				item,
			})),
		);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('An error from the HTTP client is never read as "not started"', () => {
	test('an HTTP client error without a code, whatever it wraps: unknown (the request may have left)', () => {
		const httpClientError = Object.assign(new Error('request failed'), {
			isAxiosError: true,
			cause: new ExpressionError('invalid syntax'),
		});
		expect(classifyError(httpClientError)).toMatchObject({ kind: 'unknown' });
	});
});
