import { expectNoSecret, sandboxCredential } from './harness/helpers';
import { runWorkflow } from './harness/n8n';
import { useSandbox } from './harness/sandbox';

const sandbox = useSandbox();

const DRY_RUN = { options: { dryRun: true } };

describe('Dry Run shows the request each item would send, and buys nothing', () => {
	test('10,000 items: 10,000 previews, each paired with its item, none carrying the key; StatProxies receives nothing', async () => {
		const count = 10_000;
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: {
				quantity: '={{ $json.quantity }}',
				productType: 'captcha',
				additionalFields: { customer: 'acme' },
				...DRY_RUN,
			},
			items: Array.from({ length: count }, (_, index) => ({ quantity: (index % 100) + 1 })),
		});

		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(count);
		const url = `${sandbox.url}/api/v2/order/newscale`;
		result.output.forEach((item, index) => {
			const body = { quantity: (index % 100) + 1, product_type: 'captcha', customer: 'acme' };
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toEqual({
				dry_run: true,
				request: {
					method: 'POST',
					url,
					headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
					body,
				},
				...body,
			});
		});
		const everything = JSON.stringify(result.run);
		expect(everything).not.toMatch(/authorization/i);
		expect(everything).not.toContain('Bearer');
		expectNoSecret(result, sandbox.keys.full);
		expect(result.succeeded).toHaveLength(count);
		expect(sandbox.requests).toEqual([]);
		expect(sandbox.orders).toEqual([]);
	});

	test('the preview is exactly the request a real run then sends', async () => {
		const parameters = {
			quantity: '={{ "7" }}',
			productType: ' level3 ',
			additionalFields: { customer: 'acme' },
		};
		const preview = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { ...parameters, ...DRY_RUN },
		});
		expect(sandbox.requests).toEqual([]);

		await runWorkflow({ credential: sandboxCredential(sandbox), parameters });

		const [sent] = sandbox.orderRequests;
		const request = preview.output[0].json.request as {
			method: string;
			url: string;
			body: unknown;
		};
		expect(sent.method).toBe(request.method);
		expect(`${sandbox.url}${sent.path}`).toBe(request.url);
		expect(sent.body).toBe(JSON.stringify(request.body));
		expect(request.body).toEqual({ quantity: 7, product_type: 'level3', customer: 'acme' });
	});

	test('bad input is refused in a dry run just as in a real run', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { quantity: 500, productType: 'captcha', ...DRY_RUN },
		});

		expect(result.error?.message).toBe(
			'Quantity 500 is above the limit of 100 proxies per order set on this node [item 0]',
		);
		expect(sandbox.requests).toEqual([]);
	});

	test('a dry run never previews a request to a base URL the key may not travel to', async () => {
		const result = await runWorkflow({
			credential: { ...sandboxCredential(sandbox), baseUrl: 'http://example.com' },
			parameters: { quantity: 1, productType: 'captcha', ...DRY_RUN },
		});

		expect(result.error?.message).toMatch(/^The credential's Base URL must use https:\/\//);
		expect(result.output).toEqual([]);
	});

	test('Dry Run can be decided per item by an expression: previewed items are not bought, the others are', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: {
				quantity: 1,
				productType: 'captcha',
				additionalFields: { customer: '={{ $json.customer }}' },
				options: { dryRun: '={{ $json.test }}' },
			},
			items: [
				{ customer: 'itema', test: true },
				{ customer: 'itemb', test: false },
				{ customer: 'itemc', test: true },
			],
		});

		expect(result.output.map((item) => item.json.dry_run ?? false)).toEqual([true, false, true]);
		expect(result.output[1].json.order_id).toEqual(expect.any(String));
		expect(sandbox.orders.map((order) => order.customer)).toEqual(['itemb']);
	});
});
