import type { INodeParameters } from 'n8n-workflow';

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
	RETRY_AT_MAX,
	sandboxCredential,
	sentCustomers,
	timesIn,
} from './harness/helpers';
import { useSandbox } from './harness/sandbox';
import { runWorkflow, type WorkflowRun } from './harness/n8n';

const sandbox = useSandbox();

const ITEMS = 5;
const FIVE = CUSTOMERS.slice(0, ITEMS);
const AT = [0, 2, 4];
const CHECK_DASHBOARD = 'Check the orders in your StatProxies dashboard before running this again';
const NOT_SENT_AGAIN =
	'An earlier try of this run already sent this order and could not tell whether it was placed, so it was not sent again.';

async function runFive(
	settings = RETRY_AT_MAX,
	options: INodeParameters = {},
): Promise<WorkflowRun> {
	return await runWorkflow({
		credential: sandboxCredential(sandbox),
		parameters: { ...ORDER_PER_CUSTOMER, options },
		items: customerItems(ITEMS),
		settings,
	});
}

/** The order the sandbox sold for this customer: there must be exactly one. */
function soldTo(customer: string) {
	const sold = sandbox.orders.filter((order) => order.customer === customer);
	expect(sold).toHaveLength(1);
	return sold[0];
}

function cases<T>(faults: T[], at: number[]) {
	return faults.flatMap((fault) => at.map((k) => ({ fault, k })));
}

describe('Retry On Fail (5 tries) never buys an item twice', () => {
	test.each(cases(['429', '400-customer', '403'], AT))(
		'a refusal ($fault) once at item $k of 5: the item is sent again, every item is bought exactly once, the run succeeds',
		async ({ fault, k }) => {
			sandbox.setFault(fault, { nth: k + 1, times: 1 });
			const result = await runFive();

			expect(result.error).toBeUndefined();
			expect(result.run.status).toBe('success');
			expect(result.output).toHaveLength(ITEMS);
			result.output.forEach((item, index) => {
				expect(item.pairedItem).toEqual({ item: index });
				// Items bought by the first try are replayed with the order they really got.
				expect(item.json.order_id).toBe(soldTo(FIVE[index]).order_id);
			});
			expect(boughtCustomers(sandbox)).toEqual(FIVE);
			// First try: items 0..k (k refused). Second try: item k again, then the rest.
			expect(sentCustomers(sandbox)).toEqual([...FIVE.slice(0, k + 1), ...FIVE.slice(k)]);
			expectNoSecret(result, sandbox.keys.full);
		},
	);

	test.each(
		cases(['reset-after-body', 'malformed-json', '200-no-order-id', '500', '502-html', '503'], AT),
	)(
		'an unknown outcome ($fault) at item $k of 5 is never sent again: the run fails on item $k, sent once; the items before it are bought once',
		async ({ fault, k }) => {
			// Once only: were the item sent again, the sandbox would sell it a second time.
			sandbox.setFault(fault, { nth: k + 1, times: 1 });
			const result = await runFive();

			expect(result.run.status).toBe('error');
			expect(result.error?.context?.itemIndex).toBe(k);
			// The last try says it did not send the item again: proof that n8n did retry.
			expect(result.error?.description).toContain(NOT_SENT_AGAIN);
			expect(result.error?.description).toContain(CHECK_DASHBOARD);
			expect(sentCustomers(sandbox)).toEqual(FIVE.slice(0, k + 1));
			expect(timesIn(sentCustomers(sandbox), FIVE[k])).toBe(1);
			const places = ['reset-after-body', 'malformed-json', '200-no-order-id'].includes(fault);
			expect(boughtCustomers(sandbox)).toEqual(FIVE.slice(0, places ? k + 1 : k));
			expectNoSecret(result, sandbox.keys.full);
		},
	);

	test('a timeout (hang, Timeout 1000 ms) at item 2 of 5 is never sent again; items 0 and 1 are bought once', async () => {
		sandbox.setFault('hang', { nth: 3, times: 1 });
		const result = await runFive(RETRY_AT_MAX, { timeout: 1000 });

		expect(result.run.status).toBe('error');
		expect(result.error?.context?.itemIndex).toBe(2);
		expect(result.error?.message).toBe(
			'StatProxies did not answer within the timeout while placing the order: the order may have been placed; check the StatProxies dashboard before ordering again [item 2]',
		);
		expect(result.error?.description).toContain(NOT_SENT_AGAIN);
		expect(sentCustomers(sandbox)).toEqual(['itema', 'itemb', 'itemc']);
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb', 'itemc']);
		expectNoSecret(result, sandbox.keys.full);
	});

	test('a refusal that lasts (429 on every try) at item 2: sent once per try, never bought; items 0 and 1 bought once', async () => {
		sandbox.setFault('429', { nth: 3, times: 5 });
		const result = await runFive();

		expect(result.run.status).toBe('error');
		expect(result.error?.message).toBe(
			'StatProxies is limiting requests (HTTP 429 Too Many Requests) [item 2]',
		);
		expect(timesIn(sentCustomers(sandbox), 'itemc')).toBe(5);
		expect(timesIn(sentCustomers(sandbox), 'itema')).toBe(1);
		expect(timesIn(sentCustomers(sandbox), 'itemb')).toBe(1);
		expect(sentCustomers(sandbox)).not.toContain('itemd');
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb']);
		expectNoSecret(result, sandbox.keys.full);
	});

	test('refused on the first try, unknown on the second: the item is not sent a third time', async () => {
		sandbox.setFault('429', { nth: 3, times: 1 });
		// The second try replays items 0 and 1, so item 2's second request is the 4th overall.
		sandbox.setFault('malformed-json', { nth: 4, times: 1 });
		const result = await runFive();

		expect(result.run.status).toBe('error');
		expect(result.error?.context?.itemIndex).toBe(2);
		expect(result.error?.description).toContain(NOT_SENT_AGAIN);
		expect(sentCustomers(sandbox)).toEqual(['itema', 'itemb', 'itemc', 'itemc']);
		expect(boughtCustomers(sandbox)).toEqual(['itema', 'itemb', 'itemc']);
		expectNoSecret(result, sandbox.keys.full);
	});

	test('an invalid item 3: every try stops before anything is bought', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: [...customerItems(3), { customer: 'Item D' }, { customer: 'iteme' }],
			settings: RETRY_AT_MAX,
		});

		expect(result.error?.message).toContain('[item 3]');
		expect(sandbox.requests).toEqual([]);
		expectNoSecret(result, sandbox.keys.full);
	});
});

// n8n also re-runs a node with continue-on-fail when the first item of its output carries
// json.error: the items that did succeed are then run again too.
describe('Continue-on-fail with Retry On Fail never buys an item twice', () => {
	test('a refusal (429) once at item 0: the whole node runs again, item 0 is bought on the retry, the others are replayed', async () => {
		sandbox.setFault('429', { nth: 1, times: 1 });
		const result = await runFive({ ...RETRY_AT_MAX, ...CONTINUE });

		expect(result.output).toHaveLength(ITEMS);
		result.output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.error).toBeUndefined();
			expect(item.json.order_id).toBe(soldTo(FIVE[index]).order_id);
		});
		expect(sentCustomers(sandbox)).toEqual([...FIVE, 'itema']);
		expectNoSecret(result, sandbox.keys.full);
	});

	test('an unknown outcome (200 without order id) at item 0: n8n retries, item 0 is not sent again, the others are bought once', async () => {
		sandbox.setFault('200-no-order-id', { nth: 1, times: 1 });
		const result = await runFive({ ...RETRY_AT_MAX, ...CONTINUE });

		expect(result.output).toHaveLength(ITEMS);
		expect(errorOf(result.output[0])).toMatchObject({ outcome: 'unknown', item: 0 });
		expect(errorOf(result.output[0]).description).toContain(NOT_SENT_AGAIN);
		result.output.slice(1).forEach((item, index) => {
			expect(item.json.order_id).toBe(soldTo(FIVE[index + 1]).order_id);
		});
		expect(sentCustomers(sandbox)).toEqual(FIVE);
		expect(boughtCustomers(sandbox)).toEqual(FIVE);
		expectNoSecret(result, sandbox.keys.full);
	});

	test('an invalid item 0: n8n retries the node, and items 1-4 are bought once', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: [{ customer: 'Item A' }, ...customerItems(ITEMS).slice(1)],
			settings: { ...RETRY_AT_MAX, ...CONTINUE },
		});

		expect(errorOf(result.output[0])).toMatchObject({ outcome: 'invalid', field: 'customer' });
		expect(sentCustomers(sandbox)).toEqual(FIVE.slice(1));
		expect(boughtCustomers(sandbox)).toEqual(FIVE.slice(1));
		expectNoSecret(result, sandbox.keys.full);
	});

	test.each(AT)(
		'with the error output, a connection reset at item %i: each item is sent once and bought once',
		async (k) => {
			sandbox.setFault('reset-after-body', { nth: k + 1, times: 1 });
			const result = await runFive({ ...RETRY_AT_MAX, ...ERROR_OUTPUT });

			expect(result.error).toBeUndefined();
			const errors = nodeOutput(result, 1);
			expect(errors.map((item) => item.pairedItem)).toEqual([{ item: k }]);
			expect(errorOf(errors[0]).outcome).toBe('unknown');
			expect(nodeOutput(result, 0)).toHaveLength(ITEMS - 1);
			expect(result.failed).toHaveLength(1);
			expect(sentCustomers(sandbox)).toEqual(FIVE);
			expect(boughtCustomers(sandbox)).toEqual(FIVE);
			expectNoSecret(result, sandbox.keys.full);
		},
	);
});
