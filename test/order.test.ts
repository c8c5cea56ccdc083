import { customerItems, CUSTOMERS, ORDER_PER_CUSTOMER, sandboxCredential } from './harness/helpers';
import { useSandbox } from './harness/sandbox';
import { runWorkflow } from './harness/n8n';

const sandbox = useSandbox();

describe('Order Proxies places one paid order per input item', () => {
	test('outputs order_id, subscription_id, proxy_username, quantity, product_type and customer for every item, paired with it', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { ...ORDER_PER_CUSTOMER, quantity: 2, productType: 'x1' },
			items: customerItems(3),
		});

		expect(result.error).toBeUndefined();
		expect(result.run.status).toBe('success');
		expect(result.output).toHaveLength(3);
		expect(sandbox.orders).toHaveLength(3);
		result.output.forEach((item, index) => {
			const sold = sandbox.orders[index];
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toEqual({
				order_id: sold.order_id,
				subscription_id: sold.subscription_id,
				proxy_username: sold.order_id,
				quantity: 2,
				product_type: 'x1',
				customer: CUSTOMERS[index],
			});
			expect(item.json.order_id).toBe(String(item.json.subscription_id).toLowerCase());
		});
		const orderIds = result.output.map((item) => item.json.order_id);
		expect(new Set(orderIds).size).toBe(3);
		// What reached the next node is the same, in the same order.
		expect(result.succeeded.map((item) => item.json.order_id)).toEqual(orderIds);
	});

	test('sends StatProxies exactly the documented JSON body, with Authorization: Bearer <key>, one request per item in item order', async () => {
		await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { ...ORDER_PER_CUSTOMER, quantity: 3, productType: 'level3' },
			items: customerItems(3),
		});

		expect(sandbox.requests).toHaveLength(3);
		sandbox.requests.forEach((request, index) => {
			expect(request.method).toBe('POST');
			expect(request.path).toBe('/api/v2/order/newscale');
			expect(request.headers.authorization).toBe(`Bearer ${sandbox.keys.full}`);
			expect(request.headers['content-type']).toMatch(/^application\/json/);
			expect(JSON.parse(request.body)).toEqual({
				quantity: 3,
				product_type: 'level3',
				customer: CUSTOMERS[index],
			});
		});
	});

	test('leaves customer out of the request and the output when none is given', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { quantity: 1, productType: 'captcha', additionalFields: { customer: '' } },
			items: [{}, {}],
		});

		expect(sandbox.orderRequests.map((request) => JSON.parse(request.body))).toEqual([
			{ quantity: 1, product_type: 'captcha' },
			{ quantity: 1, product_type: 'captcha' },
		]);
		for (const item of result.output) {
			expect(item.json).not.toHaveProperty('customer');
			expect(item.json.order_id).toEqual(expect.any(String));
		}
	});

	test('reads Quantity from an expression, item by item', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { quantity: '={{ $json.count }}', productType: 'captcha' },
			items: [{ count: 3 }, { count: 1 }, { count: 7 }],
		});

		expect(result.error).toBeUndefined();
		expect(sandbox.orderRequests.map((request) => request.json?.quantity)).toEqual([3, 1, 7]);
		expect(result.output.map((item) => item.json.quantity)).toEqual([3, 1, 7]);
	});

	test('accepts a whole number that an expression returns as text ("5") and sends it as a number', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { quantity: '={{ "5" }}', productType: 'captcha' },
		});

		expect(result.error).toBeUndefined();
		expect(sandbox.orderRequests).toHaveLength(1);
		expect(sandbox.orderRequests[0].body).toBe('{"quantity":5,"product_type":"captcha"}');
		expect(result.output[0].json.quantity).toBe(5);
	});

	test('orders a product type missing from the list when an expression returns it', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { quantity: 1, productType: '={{ "isp" }}' },
		});

		expect(result.error).toBeUndefined();
		expect(sandbox.orders.map((order) => order.product_type)).toEqual(['isp']);
		expect(result.output[0].json.product_type).toBe('isp');
	});

	test('accepts a base URL that ends with a slash', async () => {
		const result = await runWorkflow({
			credential: { ...sandboxCredential(sandbox), baseUrl: `${sandbox.url}/` },
			parameters: { quantity: 1, productType: 'captcha' },
		});

		expect(result.error).toBeUndefined();
		expect(sandbox.orderRequests.map((request) => request.path)).toEqual([
			'/api/v2/order/newscale',
		]);
	});

	test('two executions are two purchases: an execution never replays the order of another', async () => {
		const options = {
			credential: sandboxCredential(sandbox),
			parameters: { quantity: 1, productType: 'captcha' },
		};
		const first = await runWorkflow(options);
		const second = await runWorkflow(options);

		expect(sandbox.orders).toHaveLength(2);
		expect(first.output[0].json.order_id).toBe(sandbox.orders[0].order_id);
		expect(second.output[0].json.order_id).toBe(sandbox.orders[1].order_id);
		expect(first.output[0].json.order_id).not.toBe(second.output[0].json.order_id);
	});
});
