import {
	boughtCustomers,
	CONTINUE,
	CUSTOMERS,
	customerItems,
	errorOf,
	RETRY_AT_MAX,
	sandboxCredential,
	sentCustomers,
	timesIn,
	ORDER_PER_CUSTOMER,
} from './harness/helpers';
import { useSandbox } from './harness/sandbox';
import { runWorkflow } from './harness/n8n';

/**
 * Guards used together, as a reviewer tried to break them: each holds (written when the
 * mutation check's reviewer looked for a way to buy twice and found none here).
 */
const sandbox = useSandbox();

describe('Guards used together', () => {
	const THREE = CUSTOMERS.slice(0, 3);

	test('Continue On Fail + Retry On Fail + Order Key, an unknown outcome at item 1: each item sent once; a second execution sends nothing', async () => {
		sandbox.setFault('reset-after-body', { nth: 2, times: 1 });
		const parameters = { ...ORDER_PER_CUSTOMER, options: { orderKey: '={{ $json.customer }}' } };
		const run = async () =>
			await runWorkflow({
				credential: sandboxCredential(sandbox),
				parameters,
				items: customerItems(3),
				settings: { ...RETRY_AT_MAX, ...CONTINUE },
			});
		const first = await run();
		expect(first.output.map((item) => errorOf(item).outcome)).toEqual([
			undefined,
			'unknown',
			undefined,
		]);
		expect(sentCustomers(sandbox)).toEqual(THREE);
		const second = await run();
		expect(second.output.map((item) => errorOf(item).outcome)).toEqual([
			'duplicate',
			'duplicate',
			'duplicate',
		]);
		expect(sentCustomers(sandbox)).toEqual(THREE);
	});

	test('an Order Key that changes between tries (random suffix), 429 at item 2: items 0 and 1 are replayed, not bought again', async () => {
		sandbox.setFault('429', { nth: 3, times: 1 });
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: {
				...ORDER_PER_CUSTOMER,
				options: { orderKey: '={{ $json.customer + Math.random() }}' },
			},
			items: customerItems(3),
			settings: RETRY_AT_MAX,
		});
		expect(result.error).toBeUndefined();
		expect(boughtCustomers(sandbox)).toEqual(THREE);
		expect(timesIn(sentCustomers(sandbox), 'itemc')).toBe(2);
	});

	test('a base URL with surrounding spaces and an upper-case scheme and host: trimmed, used, the key sent', async () => {
		const result = await runWorkflow({
			credential: { apiKey: sandbox.keys.full, baseUrl: `  HTTP://LOCALHOST:${sandbox.port}/  ` },
			parameters: ORDER_PER_CUSTOMER,
			items: customerItems(1),
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.orderRequests[0].headers.authorization).toBe(`Bearer ${sandbox.keys.full}`);
	});
});
