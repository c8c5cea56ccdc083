import type { NodeApiError } from 'n8n-workflow';

import { expectNoSecret, sandboxCredential } from './harness/helpers';
import { useSandbox } from './harness/sandbox';
import { runWorkflow, type WorkflowRun } from './harness/n8n';

const sandbox = useSandbox();

// Said of the item itself, and, when the whole run stops, of the run.
const NOTHING_ORDERED = 'StatProxies did not create this order.';
const SAFE_TO_RUN_AGAIN =
	'Nothing was ordered in this run, so it is safe to fix this and run again.';

function expectApiError(
	result: WorkflowRun,
	expected: { message: string; help: string; httpCode: string },
) {
	const error = result.error as NodeApiError | undefined;
	expect(result.run.status).toBe('error');
	expect(error?.name).toBe('NodeApiError');
	expect(error?.message).toBe(`${expected.message} [item 0]`);
	expect(error?.description).toContain(expected.help);
	expect(error?.description).toContain(NOTHING_ORDERED);
	expect(error?.description).toContain(SAFE_TO_RUN_AGAIN);
	expect(error?.httpCode).toBe(expected.httpCode);
	expect(error?.context?.itemIndex).toBe(0);
	expect(result.output).toEqual([]);
	expect(sandbox.orders).toEqual([]);
	expectNoSecret(result, sandbox.keys.full);
}

describe('Each documented StatProxies error reaches the user as a NodeApiError that says what to do', () => {
	test.each([
		{
			fault: '400-missing',
			message: 'StatProxies refused the order: Missing required fields',
			help: 'Quantity and Product Type are both required.',
			httpCode: '400',
		},
		{
			fault: '400-product',
			message: 'StatProxies refused the order: Invalid product_type',
			help: 'Pick captcha, x1 or level3, or a type listed in your StatProxies dashboard.',
			httpCode: '400',
		},
		{
			fault: '400-quantity',
			message: 'StatProxies refused the order: Quantity must be greater than 0',
			help: 'Set Quantity to a whole number greater than 0.',
			httpCode: '400',
		},
		{
			fault: '400-customer',
			message:
				'StatProxies refused the order: Customer ID must contain only lowercase letters (a-z)',
			help: 'Use lowercase letters a-z only in Customer, or leave it empty.',
			httpCode: '400',
		},
		{
			fault: '401',
			message: 'StatProxies rejected the API key (invalid_api_key)',
			help: 'Check the API key in the StatProxies API credential',
			httpCode: '401',
		},
		{
			fault: '403',
			message: 'The API key is not allowed to create orders (insufficient_permissions)',
			help: 'Enable the "order" service for this key in the StatProxies dashboard',
			httpCode: '403',
		},
	])('$fault: "$message"', async ({ fault, ...expected }) => {
		sandbox.setFault(fault);
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { quantity: 1, productType: 'captcha' },
		});

		expectApiError(result, expected);
		expect(sandbox.orderRequests).toHaveLength(1);
	});

	test('a product type StatProxies does not sell, returned by an expression, is refused by StatProxies itself (Invalid product_type)', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { quantity: 1, productType: '={{ "socks" }}' },
		});

		expectApiError(result, {
			message: 'StatProxies refused the order: Invalid product_type',
			help: 'Pick captcha, x1 or level3',
			httpCode: '400',
		});
		expect(sandbox.orderRequests.map((request) => request.json)).toEqual([
			{ quantity: 1, product_type: 'socks' },
		]);
	});

	test('a wrong API key is reported as invalid_api_key (HTTP 401)', async () => {
		const result = await runWorkflow({
			credential: { ...sandboxCredential(sandbox), apiKey: 'sk_live_not_a_real_key' },
			parameters: { quantity: 1, productType: 'captcha' },
		});

		expectApiError(result, {
			message: 'StatProxies rejected the API key (invalid_api_key)',
			help: 'it may be mistyped, revoked or expired',
			httpCode: '401',
		});
		expect(sandbox.orderRequests[0].headers.authorization).toBe('Bearer sk_live_not_a_real_key');
	});

	test('a key without the order service is reported as insufficient_permissions (HTTP 403)', async () => {
		const result = await runWorkflow({
			credential: { ...sandboxCredential(sandbox), apiKey: sandbox.keys.noOrder },
			parameters: { quantity: 1, productType: 'captcha' },
		});

		expectApiError(result, {
			message: 'The API key is not allowed to create orders (insufficient_permissions)',
			help: 'Enable the "order" service for this key',
			httpCode: '403',
		});
		expectNoSecret(result, sandbox.keys.noOrder);
	});
});
