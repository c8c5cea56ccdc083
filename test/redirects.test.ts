import type { NodeApiError } from 'n8n-workflow';

import {
	boughtCustomers,
	customerItems,
	errorOf,
	CONTINUE,
	expectNoSecret,
	ORDER_PER_CUSTOMER,
	RETRY_AT_MAX,
	sandboxCredential,
	sentCustomers,
} from './harness/helpers';
import { startSandbox, useSandbox, type Sandbox } from './harness/sandbox';
import { runWorkflow } from './harness/n8n';

const sandbox = useSandbox();
/** Where the redirects point: it must never receive anything, the key least of all. */
let elsewhere: Sandbox;

beforeAll(async () => {
	elsewhere = await startSandbox();
});
afterAll(async () => {
	await elsewhere.close();
});
beforeEach(() => {
	elsewhere.reset();
});

const location = () => `${elsewhere.url}/api/v2/order/newscale`;

describe('A redirect is never followed, and is classed by what it means for an order', () => {
	test.each([
		{ fault: '303-after-order', status: '303' },
		{ fault: '302-after-order', status: '302' },
		{ fault: '301', status: '301' },
	])(
		'$status at item 1 of 3 with Retry On Fail: unknown, never sent again, the redirect not followed',
		async ({ fault, status }) => {
			sandbox.setFault(fault, { nth: 2, times: 1, location: location() });
			const result = await runWorkflow({
				credential: sandboxCredential(sandbox),
				parameters: ORDER_PER_CUSTOMER,
				items: customerItems(3),
				settings: RETRY_AT_MAX,
			});

			expect(result.error?.message).toMatch(
				/: the order may have been placed; check the StatProxies dashboard before ordering again \[item 1\]$/,
			);
			expect((result.error as NodeApiError | undefined)?.httpCode).toBe(status);
			// Sent once: n8n retried (5 tries) and the node replayed item 0 and held item 1 back.
			expect(sentCustomers(sandbox)).toEqual(['itema', 'itemb']);
			expect(elsewhere.requests).toEqual([]);
			expectNoSecret(result, sandbox.keys.full);
		},
	);

	test.each(['307', '308'])(
		'%s (repeat the request elsewhere) with Continue On Fail: refused, nothing bought, nothing sent elsewhere',
		async (status) => {
			sandbox.setFault(status, { nth: 1, times: 1, location: location() });
			const result = await runWorkflow({
				credential: sandboxCredential(sandbox),
				parameters: ORDER_PER_CUSTOMER,
				items: customerItems(2),
				settings: CONTINUE,
			});

			expect(errorOf(result.output[0])).toMatchObject({ outcome: 'refused', http_code: status });
			expect(String(errorOf(result.output[0]).message)).toContain('nothing was bought');
			expect(result.output[1].json.order_id).toBe(sandbox.orders[0].order_id);
			expect(boughtCustomers(sandbox)).toEqual(['itemb']);
			expect(elsewhere.requests).toEqual([]);
		},
	);
});
