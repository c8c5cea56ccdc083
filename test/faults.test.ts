import type { INodeParameters, NodeApiError } from 'n8n-workflow';

import {
	boughtCustomers,
	CONTINUE,
	customerItems,
	CUSTOMERS,
	errorOf,
	ERROR_OUTPUT,
	expectNoSecret,
	nodeOutput,
	ORDER_PER_CUSTOMER,
	sandboxCredential,
	sentCustomers,
} from './harness/helpers';
import { startSandbox, useSandbox } from './harness/sandbox';
import { runWorkflow } from './harness/n8n';

const sandbox = useSandbox();

// Said of the item itself, and, when the whole run stops, of the run.
const NOTHING_ORDERED = 'StatProxies did not create this order.';
const SAFE_TO_RUN_AGAIN =
	'Nothing was ordered in this run, so it is safe to fix this and run again.';
const CHECK_DASHBOARD =
	'Check the orders in your StatProxies dashboard before running this again: running it again could buy a second time.';
// An unknown outcome says so in the message itself: agents, alerts and {{ $json.error.message }} see
// only the message.
const MAY_EXIST =
	'the order may have been placed; check the StatProxies dashboard before ordering again';
const said = (message: string, outcome: string) =>
	outcome === 'unknown' ? `${message}: ${MAY_EXIST}` : message;

interface FaultCase {
	fault: string;
	outcome: 'refused' | 'unknown';
	message: string;
	/** A sentence the description must contain: what to do. */
	todo: string;
	httpCode?: string;
	/** The sandbox sells the order, then loses the answer. */
	places: boolean;
	options?: INodeParameters;
}

const FAULTS: FaultCase[] = [
	{
		fault: '400-missing',
		outcome: 'refused',
		message: 'StatProxies refused the order: Missing required fields',
		todo: 'Quantity and Product Type are both required.',
		httpCode: '400',
		places: false,
	},
	{
		fault: '400-product',
		outcome: 'refused',
		message: 'StatProxies refused the order: Invalid product_type',
		todo: 'Pick captcha, x1 or level3',
		httpCode: '400',
		places: false,
	},
	{
		fault: '400-quantity',
		outcome: 'refused',
		message: 'StatProxies refused the order: Quantity must be greater than 0',
		todo: 'Set Quantity to a whole number greater than 0.',
		httpCode: '400',
		places: false,
	},
	{
		fault: '400-customer',
		outcome: 'refused',
		message: 'StatProxies refused the order: Customer ID must contain only lowercase letters (a-z)',
		todo: 'Use lowercase letters a-z only in Customer',
		httpCode: '400',
		places: false,
	},
	{
		fault: '401',
		outcome: 'refused',
		message: 'StatProxies rejected the API key (invalid_api_key)',
		todo: 'Check the API key in the StatProxies API credential',
		httpCode: '401',
		places: false,
	},
	{
		fault: '403',
		outcome: 'refused',
		message: 'The API key is not allowed to create orders (insufficient_permissions)',
		todo: 'Enable the "order" service for this key',
		httpCode: '403',
		places: false,
	},
	{
		fault: '404',
		outcome: 'refused',
		message: 'StatProxies refused the order with HTTP 404 (got: {"error":"not_found"})',
		todo: 'Check the Base URL in the StatProxies API credential',
		httpCode: '404',
		places: false,
	},
	{
		fault: '429',
		outcome: 'refused',
		message: 'StatProxies is limiting requests (HTTP 429 Too Many Requests)',
		todo: 'Wait a little and run again',
		httpCode: '429',
		places: false,
	},
	{
		fault: '500',
		outcome: 'unknown',
		message:
			'StatProxies failed with HTTP 500 while placing the order (got: {"error":"internal_error"})',
		todo: CHECK_DASHBOARD,
		httpCode: '500',
		places: false,
	},
	{
		fault: '502-html',
		outcome: 'unknown',
		message:
			'StatProxies failed with HTTP 502 while placing the order (got: 502 Bad Gateway Bad Gateway)',
		todo: CHECK_DASHBOARD,
		httpCode: '502',
		places: false,
	},
	{
		fault: '503',
		outcome: 'unknown',
		message:
			'StatProxies failed with HTTP 503 while placing the order (got: {"error":"service_unavailable"})',
		todo: CHECK_DASHBOARD,
		httpCode: '503',
		places: false,
	},
	{
		fault: 'hang',
		outcome: 'unknown',
		message: 'StatProxies did not answer within the timeout while placing the order',
		todo: 'raise Options > Timeout',
		places: true,
		options: { timeout: 1000 },
	},
	{
		fault: 'reset-after-body',
		outcome: 'unknown',
		message: 'The connection to StatProxies failed while placing the order (ECONNRESET)',
		todo: CHECK_DASHBOARD,
		places: true,
	},
	{
		fault: 'malformed-json',
		outcome: 'unknown',
		message:
			'StatProxies answered HTTP 200 without a confirmed order (got: {"response":"success","order_id":)',
		todo: CHECK_DASHBOARD,
		httpCode: '200',
		places: true,
	},
	{
		fault: '200-no-order-id',
		outcome: 'unknown',
		message:
			'StatProxies answered HTTP 200 without a confirmed order (got: {"response":"success"})',
		todo: CHECK_DASHBOARD,
		httpCode: '200',
		places: true,
	},
	{
		fault: '200-response-error',
		outcome: 'unknown',
		message: 'StatProxies answered HTTP 200 without a confirmed order (got: {"response":"error"})',
		todo: CHECK_DASHBOARD,
		httpCode: '200',
		places: false,
	},
];

/** A base URL on 127.0.0.1 where nothing listens: a sandbox that was started and closed. */
async function closedPortUrl(): Promise<string> {
	const gone = await startSandbox();
	await gone.close();
	return gone.url;
}

describe('Every answer, or lack of one, fails the item with the right outcome and a clear message', () => {
	test.each(FAULTS)(
		'$fault stops the run as "$outcome": "$message"',
		async ({ fault, outcome, message, todo, httpCode, places, options }) => {
			sandbox.setFault(fault);
			const result = await runWorkflow({
				credential: sandboxCredential(sandbox),
				parameters: { ...ORDER_PER_CUSTOMER, options: options ?? {} },
				items: customerItems(2),
			});

			const error = result.error as NodeApiError | undefined;
			expect(result.run.status).toBe('error');
			expect(error?.name).toBe('NodeApiError');
			expect(error?.description).toContain(todo);
			expect(error?.description).toContain(
				outcome === 'refused' ? NOTHING_ORDERED : CHECK_DASHBOARD,
			);
			// Only a refusal makes the whole run safe to repeat; an unknown outcome never does.
			if (outcome === 'refused') expect(error?.description).toContain(SAFE_TO_RUN_AGAIN);
			else expect(error?.description).not.toContain('safe to');
			expect(error?.httpCode ?? undefined).toBe(httpCode);
			expect(error?.context?.itemIndex).toBe(0);
			// The second item is never sent once the first has failed.
			expect(sentCustomers(sandbox)).toEqual(['itema']);
			expect(boughtCustomers(sandbox)).toEqual(places ? ['itema'] : []);
			expectNoSecret(result, sandbox.keys.full);
			// The message last: the node's own words, naming StatProxies and the item. An unknown
			// outcome must never invite an immediate retry, which could buy a second time.
			if (outcome === 'unknown') expect(error?.message).not.toMatch(/retry/i);
			expect(error?.message).toBe(`${said(message, outcome)} [item 0]`);
			if (outcome === 'refused') expect(error?.message).not.toContain('may have been placed');
		},
	);

	test.each(FAULTS)(
		'with continue-on-fail, $fault at item 1 of 3 becomes an error item ($outcome) and items 0 and 2 are still bought, all paired',
		async ({ fault, outcome, message, todo, httpCode, places, options }) => {
			sandbox.setFault(fault, { nth: 2 });
			const result = await runWorkflow({
				credential: sandboxCredential(sandbox),
				parameters: { ...ORDER_PER_CUSTOMER, options: options ?? {} },
				items: customerItems(3),
				settings: CONTINUE,
			});

			expect(result.error).toBeUndefined();
			expect(result.run.status).toBe('success');
			expect(result.output.map((item) => item.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
				{ item: 2 },
			]);
			expect(result.output[1].json).toEqual({
				error: {
					message: `${said(message, outcome)} [item 1]`,
					outcome,
					description: expect.stringContaining(todo),
					item: 1,
					...(httpCode ? { http_code: httpCode } : {}),
				},
			});
			expect(errorOf(result.output[1]).description).toContain(
				outcome === 'refused' ? NOTHING_ORDERED : CHECK_DASHBOARD,
			);
			for (const index of [0, 2]) {
				expect(result.output[index].json).toMatchObject({
					order_id: expect.any(String),
					customer: CUSTOMERS[index],
				});
			}
			expect(sentCustomers(sandbox)).toEqual(['itema', 'itemb', 'itemc']);
			expect(boughtCustomers(sandbox)).toEqual(
				places ? ['itema', 'itemb', 'itemc'] : ['itema', 'itemc'],
			);
			expectNoSecret(result, sandbox.keys.full);
		},
	);

	test.each([
		{ fault: '429', outcome: 'refused', k: 0 },
		{ fault: '500', outcome: 'unknown', k: 2 },
		{ fault: '200-no-order-id', outcome: 'unknown', k: 3 },
	])(
		'with the error output, $fault at item $k of 4 goes to the error output, paired with its input; the rest go on',
		async ({ fault, outcome, k }) => {
			sandbox.setFault(fault, { nth: k + 1 });
			const result = await runWorkflow({
				credential: sandboxCredential(sandbox),
				parameters: ORDER_PER_CUSTOMER,
				items: customerItems(4),
				settings: ERROR_OUTPUT,
			});

			expect(result.error).toBeUndefined();
			const others = [0, 1, 2, 3].filter((index) => index !== k);
			const success = nodeOutput(result, 0);
			const errors = nodeOutput(result, 1);
			expect(success.map((item) => item.pairedItem)).toEqual(
				others.map((index) => ({ item: index })),
			);
			expect(success.map((item) => item.json.customer)).toEqual(
				others.map((index) => CUSTOMERS[index]),
			);
			expect(errors).toHaveLength(1);
			expect(errors[0].pairedItem).toEqual({ item: k });
			expect(errorOf(errors[0])).toMatchObject({ outcome, item: k });
			// n8n delivered them to the next nodes on their own outputs.
			expect(result.succeeded).toHaveLength(3);
			expect(result.failed.map((item) => errorOf(item).message)).toEqual([
				errorOf(errors[0]).message,
			]);
			expect(sentCustomers(sandbox)).toEqual(CUSTOMERS.slice(0, 4));
			expectNoSecret(result, sandbox.keys.full);
		},
	);

	test('connection refused with continue-on-fail: every item is "not_sent", nothing is bought, all paired', async () => {
		const result = await runWorkflow({
			credential: { ...sandboxCredential(sandbox), baseUrl: await closedPortUrl() },
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(2),
			settings: CONTINUE,
		});

		expect(result.output).toHaveLength(2);
		result.output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toEqual({
				error: {
					message: `Could not reach StatProxies (ECONNREFUSED) [item ${index}]`,
					outcome: 'not_sent',
					description: expect.stringContaining(
						'The request did not reach StatProxies, so nothing was ordered.',
					),
					item: index,
				},
			});
		});
		expect(sandbox.requests).toEqual([]);
		expectNoSecret(result, sandbox.keys.full);
	});

	test('connection refused stops the run with "Could not reach StatProxies (ECONNREFUSED) [item 0]" and says nothing was ordered', async () => {
		const result = await runWorkflow({
			credential: { ...sandboxCredential(sandbox), baseUrl: await closedPortUrl() },
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(2),
		});

		const error = result.error as NodeApiError | undefined;
		expect(result.run.status).toBe('error');
		expect(error?.name).toBe('NodeApiError');
		expect(error?.description).toContain(
			'The request did not reach StatProxies, so nothing was ordered.',
		);
		expect(error?.context?.itemIndex).toBe(0);
		expectNoSecret(result, sandbox.keys.full);
		expect(error?.message).toBe('Could not reach StatProxies (ECONNREFUSED) [item 0]');
	});

	test('refused at item 2 after items 0 and 1 were bought: the error says they were bought, not "Nothing was ordered"', async () => {
		sandbox.setFault('400-customer', { nth: 3 });
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(3),
		});

		expect(result.error?.message).toContain('[item 2]');
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb']);
		expectNoSecret(result, sandbox.keys.full);
		// The node stopped, so its output (with these two orders) is gone: the error is all the
		// user sees. "Safe to fix this and run again" would buy items 0 and 1 a second time.
		const told = `${result.error?.message}\n${result.error?.description}`;
		expect(told).not.toContain('Nothing was ordered');
		expect(told).not.toContain('safe to fix this and run again');
		const ids = sandbox.orders.map((order) => order.order_id);
		expect(told).toMatch(
			new RegExp(
				`${ids.join('|')}|items? 0|earlier (items|orders)|already (bought|ordered|placed)`,
				'i',
			),
		);
	});

	test('a base URL with an impossible port (127.0.0.1:99999) is never reported as "may have been placed": nothing could be sent', async () => {
		const result = await runWorkflow({
			credential: { ...sandboxCredential(sandbox), baseUrl: 'http://127.0.0.1:99999' },
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(1),
			settings: CONTINUE,
		});

		expect(sandbox.requests).toEqual([]);
		expectNoSecret(result, sandbox.keys.full);
		expect(errorOf(result.output[0])).toMatchObject({ outcome: 'invalid', field: 'baseUrl' });
		expect(errorOf(result.output[0]).message).toMatch(
			/^The credential's Base URL is not a valid URL/,
		);
		expect(JSON.stringify(result.output)).not.toContain('may have been placed');
	});
});
