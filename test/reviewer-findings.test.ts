/**
 * What a reviewer found by trying to break the guards the README promises. Each case failed on
 * the code it was written against; the fix is in the commit that brought the case here.
 * Two findings are limits the README states instead (a claim's markers take room among the
 * 20,000 keys kept; more than 10,000 live executions in one process push out the oldest budget).
 */
import type { INodeParameters } from 'n8n-workflow';

import { deduplicationStore } from './harness/deduplication';
import {
	boughtCustomers,
	CONTINUE,
	errorOf,
	ORDER_PER_CUSTOMER,
	sandboxCredential,
	timesIn,
} from './harness/helpers';
import { executeNode, runWorkflow } from './harness/n8n';
import { useRawServer } from './harness/raw';
import { useSandbox } from './harness/sandbox';

const sandbox = useSandbox();
const raw = useRawServer();

beforeEach(() => deduplicationStore.reset());

describe('F1 Order Key: an item whose key evaluates to nothing is never ordered without its key', () => {
	test.each([
		['the field is missing (undefined)', '={{ $json.invoice }}'],
		['the expression returns null', '={{ $json.invoice ?? null }}'],
		['the expression returns ""', "={{ $json.invoice ?? '' }}"],
	])(
		'Order Key set, %s for one item: that item is refused as invalid (field orderKey) and a resent webhook never buys it twice',
		async (_name, orderKey) => {
			const parameters: INodeParameters = { ...ORDER_PER_CUSTOMER, options: { orderKey } };
			// The same webhook payload delivered twice: item 1 has no invoice id.
			const items = [{ customer: 'itema', invoice: 'inv-1' }, { customer: 'itemb' }];
			const first = await runWorkflow({
				credential: sandboxCredential(sandbox),
				parameters,
				items,
				settings: CONTINUE,
			});
			await runWorkflow({
				credential: sandboxCredential(sandbox),
				parameters,
				items,
				settings: CONTINUE,
			});
			expect(timesIn(boughtCustomers(sandbox), 'itema')).toBe(1);
			expect(timesIn(boughtCustomers(sandbox), 'itemb')).toBeLessThanOrEqual(1);
			expect(errorOf(first.output[1])).toMatchObject({ outcome: 'invalid', field: 'orderKey' });
		},
	);

	test("the fallback the refusal suggests, a key of the item's own: both items are ordered, once each", async () => {
		const orderKey = "={{ $json.invoice ?? $execution.id + '-' + $itemIndex }}";
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { ...ORDER_PER_CUSTOMER, options: { orderKey } },
			items: [{ customer: 'itema', invoice: 'inv-1' }, { customer: 'itemb' }],
		});
		expect(result.error).toBeUndefined();
		expect(boughtCustomers(sandbox).sort()).toEqual(['itema', 'itemb']);
	});
});

/** One AI agent tool call of one execution: the node as its tool, the model's arguments as the item. */
async function toolCall(
	executionId: string,
	runIndex: number,
	args: object,
	extra: Partial<Parameters<typeof executeNode>[0]> = {},
) {
	try {
		return {
			output: await executeNode({
				credential: sandboxCredential(sandbox),
				parameters: {
					quantity: '={{ $json.quantity }}',
					productType: '={{ $json.productType }}',
				},
				items: [{ ...args, toolCallId: `call_${runIndex}` }],
				executionId,
				runIndex,
				asTool: true,
				...extra,
			}),
		};
	} catch (error) {
		return { error: error as Error };
	}
}

describe('F2 As a tool, identical calls running side by side buy once', () => {
	test('two identical tool calls of one execution in parallel (Promise.all, different run indexes and call ids): one order is bought, the other call gets it back', async () => {
		const args = { quantity: 5, productType: 'x1' };
		const [a, b] = await Promise.all([
			toolCall('parallel-agent', 0, args),
			toolCall('parallel-agent', 1, args),
		]);
		expect(sandbox.orders).toHaveLength(1);
		expect(a.output?.[0].json.order_id).toBe(b.output?.[0].json.order_id);
	});

	test('two identical tool calls in parallel while the first ends unknown: the second is never sent', async () => {
		sandbox.setFault('hang', { nth: 1, times: 1 });
		const args = { quantity: 5, productType: 'x1' };
		const [a, b] = await Promise.all([
			toolCall('parallel-unknown', 0, args, {
				parameters: {
					quantity: '={{ $json.quantity }}',
					productType: '={{ $json.productType }}',
					options: { timeout: 1500 },
				},
			}),
			toolCall('parallel-unknown', 1, args),
		]);
		expect(a.error?.message).toContain('may have been placed');
		expect(b.error).toBeDefined();
		expect(sandbox.orderRequests).toHaveLength(1);
	});
});

describe('F3 The API key never appears, not even in part, in a Base URL refusal', () => {
	// A realistic live key (Stripe-style length) pasted with the URL it was copied from.
	const key = `sk_live_${'51HqLyjWDarjtT1zdp7dc'}${'Kd9fZ0aQb3XyWvU2tRsPq'}`;
	test.each([
		['plain http', `http://gateway.example.com/statproxies/api/v2?api_key=${key}`],
		['a query string on https', `https://dashboard.statproxies.com/api/v2?api_key=${key}`],
		['no scheme', `dashboard.statproxies.com/api/v2/order/list?api_key=${key}`],
	])(
		'a Base URL with the key pasted in (%s): no 12 characters of the key in the error message, the error item or the stored execution',
		async (_name, baseUrl) => {
			const result = await runWorkflow({
				credential: { apiKey: key, baseUrl },
				parameters: { quantity: 1, productType: 'captcha' },
				settings: CONTINUE,
			});
			const stored = JSON.stringify(result.run) + JSON.stringify(result.output);
			expect(String(errorOf(result.output[0]).message)).toContain('Base URL');
			const pieces = Array.from({ length: key.length - 11 }, (_, at) => key.slice(at, at + 12));
			expect(pieces.filter((piece) => stored.includes(piece))).toEqual([]);
		},
	);
});

describe('F4 An answer whose body confirms an order is never reported as "nothing was bought"', () => {
	const confirmed = JSON.stringify({
		response: 'success',
		order_id: 'sub_1rqjp3jb4g9i6pkhdwmkpjob',
		subscription_id: 'sub_1RqJP3JB4G9i6PKHDwmKPJOb',
	});
	test.each([400, 409, 422, 429, 307])(
		'HTTP %p whose body is a confirmed order (order_id, subscription_id, response "success"): outcome unknown (or done), never "refused"',
		async (status) => {
			raw.answer({
				status,
				headers: { 'content-type': 'application/json', location: 'https://example.com/' },
				body: confirmed,
			});
			const result = await runWorkflow({
				credential: { apiKey: sandbox.keys.full, baseUrl: raw.url },
				parameters: { quantity: 1, productType: 'captcha' },
				settings: CONTINUE,
			});
			const error = errorOf(result.output[0]);
			expect(error.outcome).not.toBe('refused');
			expect(`${String(error.message)} ${String(error.description)}`).not.toMatch(
				/nothing was bought|did not create this order/i,
			);
		},
	);
});

describe('F4b The Order Key is kept when a "refusal" carried a confirmed order', () => {
	test('HTTP 409 whose body confirms the order: the key is kept, so a second run with the same Order Key sends nothing', async () => {
		raw.answer({
			status: 409,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				response: 'success',
				order_id: 'sub_1rqjp3jb4g9i6pkhdwmkpjob',
				subscription_id: 'sub_1RqJP3JB4G9i6PKHDwmKPJOb',
			}),
		});
		const parameters = { quantity: 1, productType: 'captcha', options: { orderKey: 'inv-409' } };
		const credential = { apiKey: sandbox.keys.full, baseUrl: raw.url };
		await runWorkflow({ credential, parameters, settings: CONTINUE });
		await runWorkflow({ credential, parameters, settings: CONTINUE });
		expect(raw.requests).toHaveLength(1);
	});
});

describe('F5 A 2xx "success" is done only when it confirms what was asked', () => {
	test('Exchange Proxies: a 200 success whose details name ANOTHER order is not reported as a done exchange of the asked order', async () => {
		raw.answer({
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				response: 'success',
				message: 'Proxies exchanged',
				details: {
					order_id: 'sub_someoneelsesorder',
					previous_count: 10,
					new_count: 10,
					requested_count: 10,
					overlapping_ips: 0,
				},
			}),
		});
		const result = await runWorkflow({
			credential: { apiKey: sandbox.keys.full, baseUrl: raw.url },
			parameters: { orderId: 'sub_myorder1' },
			exchange: true,
			settings: CONTINUE,
		});
		const out = result.output[0].json;
		// Either an unknown outcome, or a result about the order that was asked for.
		expect(out.order_id === 'sub_myorder1' || errorOf(result.output[0]).outcome === 'unknown').toBe(
			true,
		);
	});

	test.each([
		['whitespace', '   ', '   '],
		['a newline', '\n', '\n'],
		[
			'not an order id (it names the orders that exist: sub_ and lowercase)',
			'Order created',
			'sub_1RqJP3JB4G9i6PKHDwmKPJOb',
		],
	])(
		'Order Proxies: a 200 success whose order_id is %s is not a done order with that id (outcome unknown)',
		async (_name, orderId, subscriptionId) => {
			raw.answer({
				status: 200,
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					response: 'success',
					order_id: orderId,
					subscription_id: subscriptionId,
				}),
			});
			const result = await runWorkflow({
				credential: { apiKey: sandbox.keys.full, baseUrl: raw.url },
				parameters: { quantity: 1, productType: 'captcha' },
				settings: CONTINUE,
			});
			expect(errorOf(result.output[0]).outcome).toBe('unknown');
		},
	);
});

describe('F6 A run-wide refusal says in its message that nothing was bought', () => {
	test('no credential selected, without Continue On Fail: the message is the documented "Not ordered: the StatProxies credential could not be read (...)"', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { quantity: 1, productType: 'captcha' },
			noCredential: true,
		});
		expect(result.error?.message).toMatch(
			/^Not ordered: the StatProxies credential could not be read \(.+\)/,
		);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('as an AI agent tool, an unsafe Base URL: the model is told that nothing was bought and what to do next', async () => {
		const result = await toolCall(
			'tool-unsafe-url',
			0,
			{ quantity: 1, productType: 'captcha' },
			{
				credential: { apiKey: sandbox.keys.full, baseUrl: 'http://example.com' },
			},
		);
		expect(result.error?.message).toMatch(/Nothing was bought/);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('F4c Exchange: a "refusal" that carried a confirmed exchange never says the old IPs still work', () => {
	test('HTTP 409 whose body confirms the exchange of the asked order: not outcome "refused", not "the old IPs still work"', async () => {
		raw.answer({
			status: 409,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				response: 'success',
				details: {
					order_id: 'sub_myorder1',
					previous_count: 10,
					new_count: 10,
					requested_count: 10,
				},
			}),
		});
		const result = await runWorkflow({
			credential: { apiKey: sandbox.keys.full, baseUrl: raw.url },
			parameters: { orderId: 'sub_myorder1' },
			exchange: true,
			settings: CONTINUE,
		});
		const error = errorOf(result.output[0]);
		expect(error.outcome).not.toBe('refused');
		expect(String(error.description)).not.toContain('the old IPs still work');
	});
});

describe('F9 Retry On Fail of the node that calls a sub-workflow never buys twice', () => {
	/** One try of the Execute Workflow node (or a workflow tool): n8n starts a new sub-execution each time. */
	async function subTry(executionId: string, parentExecutionId: string) {
		try {
			return await executeNode({
				credential: sandboxCredential(sandbox),
				parameters: ORDER_PER_CUSTOMER,
				items: [{ customer: 'itema' }, { customer: 'itemb' }],
				executionId,
				parentExecutionId,
			});
		} catch (error) {
			return error as Error;
		}
	}

	test("item 1 refused (429) fails the sub-workflow, the parent's Execute Workflow node (Retry On Fail) runs it again: item 0, already bought, is not bought a second time", async () => {
		sandbox.setFault('429', { nth: 2, times: 1 });
		const first = await subTry('retry-429-try-1', 'retry-429-parent');
		expect(first).toBeInstanceOf(Error);
		expect((first as Error).message).toContain('limiting requests');
		// n8n's Retry On Fail on the Execute Workflow node (or an agent retrying a workflow
		// tool) starts a new sub-execution of the same parent with the same items.
		await subTry('retry-429-try-2', 'retry-429-parent');
		expect(timesIn(boughtCustomers(sandbox), 'itema')).toBe(1);
	});
});

describe('F10 A key StatProxies (or a gateway before it) echoes back is hidden in every encoding', () => {
	// A key with characters that encoders escape (base64-alphabet keys have "/", "+", "=").
	const key = ['sk', 'live', '0123456789abcdefghijKLMN/+='].join('_');
	test.each([
		[
			'URL-encoded with lowercase hex (%2f, as many encoders write it)',
			encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
		],
		['base64 of the Authorization header value', Buffer.from(`Bearer ${key}`).toString('base64')],
		['base64 of the key', Buffer.from(key).toString('base64')],
	])('echoed %s in a 500 answer: not in the error message', async (_name, echoed) => {
		raw.answer({
			status: 500,
			headers: { 'content-type': 'text/plain' },
			body: `bad request from ${echoed}`,
		});
		const result = await runWorkflow({
			credential: { apiKey: key, baseUrl: raw.url },
			parameters: { quantity: 1, productType: 'captcha' },
			settings: CONTINUE,
		});
		const message = String(errorOf(result.output[0]).message);
		expect(message).toContain('may have been placed');
		expect(message).not.toContain(echoed);
	});
});
