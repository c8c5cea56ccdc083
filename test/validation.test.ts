import fc from 'fast-check';
import type { IDataObject, INodeParameters, NodeOperationError } from 'n8n-workflow';

import {
	CONTINUE,
	customerItems,
	errorOf,
	ERROR_OUTPUT,
	nodeOutput,
	ORDER_PER_CUSTOMER,
	sandboxCredential,
	sentCustomers,
} from './harness/helpers';
import { SANDBOX_PRODUCT_TYPES, useSandbox } from './harness/sandbox';
import { runWorkflow, type StatProxiesCredential } from './harness/n8n';

const sandbox = useSandbox();

/** The rules as the README states them, word for word as the node reports them. */
const RULE = {
	quantity: 'Quantity must be a whole number greater than 0',
	cap: (quantity: number, max: number) =>
		`Quantity ${quantity} is above the limit of ${max} proxies per order set on this node`,
	maxQuantity: 'Max Quantity must be a whole number of at least 1',
	productTypeText: 'Product Type must be text such as "captcha", "x1" or "level3"',
	productTypeEmpty: 'Product Type must not be empty',
	customerText: 'Customer must be text',
	customerLong: 'Customer must be at most 50 characters long',
	customerLetters:
		'Customer must contain only lowercase letters a-z, no digits, spaces, capitals or accents',
	timeoutWhole: 'Timeout must be a whole number of milliseconds',
	timeoutMin:
		'Timeout must be at least 1000 ms: a shorter one would report orders as unknown that StatProxies is still placing',
	timeoutMax: 'Timeout must be at most 300000 ms',
	dryRun: 'Dry Run must be true or false',
	baseUrlSet: "The credential's Base URL must be a full URL starting with https://",
	baseUrlFull: "The credential's Base URL must be a full URL starting with https://",
	baseUrlUserInfo:
		"The credential's Base URL must not contain a user name or password: the API key is the only credential StatProxies needs",
	baseUrlInvalid:
		"The credential's Base URL is not a valid URL: check the host name, and the port (1 to 65535)",
	baseUrlHttps:
		"The credential's Base URL must use https:// so that the API key is never sent unencrypted (plain http is only allowed to localhost, 127.x.x.x or [::1])",
};

type Field = 'quantity' | 'productType' | 'customer' | 'maxQuantity' | 'timeout' | 'dryRun';

/** What the description tells the user to do, per field. */
const FIX: Record<Field | 'baseUrl', string> = {
	quantity: 'Set Quantity to a whole number',
	productType: 'Set Product Type to one of captcha, x1 or level3',
	customer: 'Customer',
	maxQuantity: 'Set Options > Max Quantity to the largest quantity',
	timeout: 'Set Options > Timeout (Milliseconds)',
	dryRun: 'Turn Options > Dry Run on or off',
	baseUrl: 'Open the StatProxies API credential',
};

/** A valid value per field, for the items before the bad one. */
const GOOD: Record<Field, unknown> = {
	quantity: 1,
	productType: 'captcha',
	customer: 'abc',
	maxQuantity: 100,
	timeout: 30000,
	dryRun: false,
};

function parametersWith(field: Field, value: unknown, extraOptions: INodeParameters = {}) {
	const options: INodeParameters = { ...extraOptions };
	const additionalFields: INodeParameters = {};
	const parameters: INodeParameters = {
		quantity: 1,
		productType: 'captcha',
		additionalFields,
		options,
	};
	if (field === 'quantity' || field === 'productType') parameters[field] = value as string;
	else if (field === 'customer') additionalFields.customer = value as string;
	else options[field] = value as string;
	return parameters;
}

interface BadParameter {
	field: Field;
	value: unknown;
	rule: string;
	/** How the message echoes the value. */
	received: string;
	/** The item that carries the bad value (through an expression); earlier items are valid. */
	item?: number;
	/** Typed into the field as is, rather than returned by an expression (applies to every item). */
	typed?: boolean;
	options?: INodeParameters;
	label?: string;
}

const BAD_PARAMETERS: BadParameter[] = [
	// Quantity
	{ field: 'quantity', value: 0, typed: true, rule: RULE.quantity, received: '0' },
	{ field: 'quantity', value: -1, typed: true, rule: RULE.quantity, received: '-1' },
	{ field: 'quantity', value: 1.5, typed: true, rule: RULE.quantity, received: '1.5' },
	{ field: 'quantity', value: '', typed: true, rule: RULE.quantity, received: '""' },
	{ field: 'quantity', value: 'abc', item: 1, rule: RULE.quantity, received: '"abc"' },
	{ field: 'quantity', value: null, rule: RULE.quantity, received: 'null' },
	{ field: 'quantity', value: undefined, item: 2, rule: RULE.quantity, received: 'no value' },
	{ field: 'quantity', value: NaN, rule: RULE.quantity, received: 'NaN' },
	{ field: 'quantity', value: Infinity, item: 1, rule: RULE.quantity, received: 'Infinity' },
	{ field: 'quantity', value: -Infinity, rule: RULE.quantity, received: '-Infinity' },
	{ field: 'quantity', value: '1e3', rule: RULE.quantity, received: '"1e3"' },
	{ field: 'quantity', value: ' ', item: 3, rule: RULE.quantity, received: '" "' },
	{ field: 'quantity', value: '5.0', rule: RULE.quantity, received: '"5.0"' },
	{ field: 'quantity', value: '0', rule: RULE.quantity, received: '"0"' },
	{ field: 'quantity', value: '-3', rule: RULE.quantity, received: '"-3"' },
	{ field: 'quantity', value: '0x10', rule: RULE.quantity, received: '"0x10"' },
	{ field: 'quantity', value: '５', rule: RULE.quantity, received: '"５"', label: 'full-width 5' },
	{ field: 'quantity', value: true, item: 1, rule: RULE.quantity, received: 'true' },
	{ field: 'quantity', value: [], rule: RULE.quantity, received: '[]' },
	{ field: 'quantity', value: [5], rule: RULE.quantity, received: '[5]' },
	{ field: 'quantity', value: {}, rule: RULE.quantity, received: '{}' },
	{ field: 'quantity', value: 2 ** 53, rule: RULE.quantity, received: '9007199254740992' },
	{ field: 'quantity', value: 1e21, rule: RULE.quantity, received: '1e+21' },
	{
		field: 'quantity',
		value: '99999999999999999999',
		rule: RULE.quantity,
		received: '"99999999999999999999"',
	},
	// Max Quantity: the cap, and the cap itself
	{ field: 'quantity', value: 101, typed: true, rule: RULE.cap(101, 100), received: '101' },
	{ field: 'quantity', value: '250', item: 2, rule: RULE.cap(250, 100), received: '"250"' },
	{
		field: 'quantity',
		value: 11,
		typed: true,
		options: { maxQuantity: 10 },
		rule: RULE.cap(11, 10),
		received: '11',
	},
	{
		field: 'quantity',
		value: 1000,
		item: 1,
		options: { maxQuantity: '999' },
		rule: RULE.cap(1000, 999),
		received: '1000',
	},
	{ field: 'maxQuantity', value: 0, typed: true, rule: RULE.maxQuantity, received: '0' },
	{ field: 'maxQuantity', value: '', typed: true, rule: RULE.maxQuantity, received: '""' },
	{ field: 'maxQuantity', value: -5, typed: true, rule: RULE.maxQuantity, received: '-5' },
	{ field: 'maxQuantity', value: 1.5, typed: true, rule: RULE.maxQuantity, received: '1.5' },
	{ field: 'maxQuantity', value: null, item: 1, rule: RULE.maxQuantity, received: 'null' },
	{ field: 'maxQuantity', value: 'all', rule: RULE.maxQuantity, received: '"all"' },
	// Product Type
	{ field: 'productType', value: '', rule: RULE.productTypeEmpty, received: '""' },
	{ field: 'productType', value: '   ', item: 1, rule: RULE.productTypeEmpty, received: '"   "' },
	{ field: 'productType', value: 5, rule: RULE.productTypeText, received: '5' },
	{ field: 'productType', value: null, rule: RULE.productTypeText, received: 'null' },
	{
		field: 'productType',
		value: undefined,
		item: 2,
		rule: RULE.productTypeText,
		received: 'no value',
	},
	{ field: 'productType', value: ['captcha'], rule: RULE.productTypeText, received: '["captcha"]' },
	// Customer
	{ field: 'customer', value: 'ABC', typed: true, rule: RULE.customerLetters, received: '"ABC"' },
	{ field: 'customer', value: 'Abc', item: 1, rule: RULE.customerLetters, received: '"Abc"' },
	{ field: 'customer', value: 'abc1', rule: RULE.customerLetters, received: '"abc1"' },
	{ field: 'customer', value: 'a b', item: 2, rule: RULE.customerLetters, received: '"a b"' },
	{ field: 'customer', value: ' abc', rule: RULE.customerLetters, received: '" abc"' },
	{ field: 'customer', value: 'abc\n', rule: RULE.customerLetters, received: '"abc\\n"' },
	{ field: 'customer', value: 'café', rule: RULE.customerLetters, received: '"café"' },
	{ field: 'customer', value: 'a-b', item: 1, rule: RULE.customerLetters, received: '"a-b"' },
	{ field: 'customer', value: 'a_b', rule: RULE.customerLetters, received: '"a_b"' },
	{ field: 'customer', value: '   ', rule: RULE.customerLetters, received: '"   "' },
	{
		field: 'customer',
		value: 'a'.repeat(51),
		item: 1,
		rule: RULE.customerLong,
		received: `"${'a'.repeat(51)}"`,
		label: '51 letters',
	},
	{ field: 'customer', value: 7, rule: RULE.customerText, received: '7' },
	{ field: 'customer', value: ['abc'], rule: RULE.customerText, received: '["abc"]' },
	// Timeout
	{ field: 'timeout', value: 0, typed: true, rule: RULE.timeoutWhole, received: '0' },
	{ field: 'timeout', value: 999, typed: true, rule: RULE.timeoutMin, received: '999' },
	{ field: 'timeout', value: 300001, typed: true, rule: RULE.timeoutMax, received: '300001' },
	{ field: 'timeout', value: 'abc', item: 1, rule: RULE.timeoutWhole, received: '"abc"' },
	{ field: 'timeout', value: 1500.5, rule: RULE.timeoutWhole, received: '1500.5' },
	{ field: 'timeout', value: -1000, rule: RULE.timeoutWhole, received: '-1000' },
	{ field: 'timeout', value: '', typed: true, rule: RULE.timeoutWhole, received: '""' },
	// Dry Run
	{ field: 'dryRun', value: 'true', rule: RULE.dryRun, received: '"true"' },
	{ field: 'dryRun', value: 'false', item: 1, rule: RULE.dryRun, received: '"false"' },
	{ field: 'dryRun', value: 1, rule: RULE.dryRun, received: '1' },
	{ field: 'dryRun', value: 'yes', rule: RULE.dryRun, received: '"yes"' },
	{ field: 'dryRun', value: null, rule: RULE.dryRun, received: 'null' },
];

interface BadBaseUrl {
	baseUrl: string | undefined;
	rule: string;
	received: string;
}

const BAD_BASE_URLS: BadBaseUrl[] = [
	{ baseUrl: 'http://example.com', rule: RULE.baseUrlHttps, received: '"http://example.com"' },
	{
		baseUrl: 'http://dashboard.statproxies.com',
		rule: RULE.baseUrlHttps,
		received: '"http://dashboard.statproxies.com"',
	},
	{
		baseUrl: 'ftp://dashboard.statproxies.com',
		rule: RULE.baseUrlFull,
		received: '"ftp://dashboard.statproxies.com"',
	},
	{ baseUrl: '', rule: RULE.baseUrlFull, received: '""' },
	{ baseUrl: '   ', rule: RULE.baseUrlFull, received: '"   "' },
	{ baseUrl: 'not a url', rule: RULE.baseUrlFull, received: '"not a url"' },
	{
		baseUrl: 'dashboard.statproxies.com',
		rule: RULE.baseUrlFull,
		received: '"dashboard.statproxies.com"',
	},
	{ baseUrl: 'https://', rule: RULE.baseUrlFull, received: '"https://"' },
	{ baseUrl: 'javascript:alert(1)', rule: RULE.baseUrlFull, received: '"javascript:alert(1)"' },
	{
		baseUrl: 'http://localhost.evil.com',
		rule: RULE.baseUrlHttps,
		received: '"http://localhost.evil.com"',
	},
	{
		baseUrl: 'http://127.0.0.1.nip.io',
		rule: RULE.baseUrlHttps,
		received: '"http://127.0.0.1.nip.io"',
	},
	{
		baseUrl: 'http://127.0.0.1@evil.com',
		rule: RULE.baseUrlUserInfo,
		received: '"http://***@evil.com"',
	},
	{
		baseUrl: 'http://localhost:80@evil.com',
		rule: RULE.baseUrlUserInfo,
		received: '"http://***@evil.com"',
	},
	{
		baseUrl: 'https://user:pw@dashboard.statproxies.com',
		rule: RULE.baseUrlUserInfo,
		received: '"https://***@dashboard.statproxies.com"',
	},
	{
		baseUrl: 'https://dashboard.statproxies.com/?key=1',
		rule: RULE.baseUrlHttps,
		received: '"https://dashboard.statproxies.com/?key=1"',
	},
	{
		baseUrl: 'https://dashboard.statproxies.com#x',
		rule: RULE.baseUrlHttps,
		received: '"https://dashboard.statproxies.com#x"',
	},
	{
		baseUrl: 'http://127.0.0.1:99999',
		rule: RULE.baseUrlInvalid,
		received: '"http://127.0.0.1:99999"',
	},
	{
		baseUrl: 'https://exa%mple.com',
		rule: RULE.baseUrlInvalid,
		received: '"https://exa%mple.com"',
	},
	{ baseUrl: undefined, rule: RULE.baseUrlSet, received: 'no value' },
];

function describeBad(row: BadParameter): string {
	const shown = row.label ?? row.received;
	const extra = row.options ? ` with ${JSON.stringify(row.options)}` : '';
	return `${row.field} = ${shown}${extra} ${row.typed ? 'typed in' : 'from an expression'} at [item ${row.item ?? 0}]`;
}

async function runBad(row: BadParameter) {
	const at = row.item ?? 0;
	if (row.typed) {
		return await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: parametersWith(row.field, row.value, row.options),
			items: [{}, {}],
		});
	}
	const items = Array.from(
		{ length: at + 2 },
		(_, index) => ({ value: index === at ? row.value : GOOD[row.field] }) as IDataObject,
	);
	return await runWorkflow({
		credential: sandboxCredential(sandbox),
		parameters: parametersWith(row.field, '={{ $json.value }}', row.options),
		items,
	});
}

describe('Bad input is refused before anything is sent', () => {
	test.each(BAD_PARAMETERS.map((row) => [describeBad(row), row] as const))(
		'%s: refused, naming the field, the rule and the item',
		async (_name, row) => {
			const at = row.item ?? 0;
			const result = await runBad(row);

			const error = result.error as NodeOperationError | undefined;
			expect(result.run.status).toBe('error');
			expect(error?.name).toBe('NodeOperationError');
			// The cap's message names the value itself and has a fix of its own; every other rule
			// echoes what it received.
			const overCap = row.rule.includes('above the limit');
			const said = overCap ? row.rule : `${row.rule} (received ${row.received})`;
			expect(error?.message).toBe(`${said} [item ${at}]`);
			expect(error?.description).toContain(
				overCap ? 'Lower Quantity, or raise Options > Max Quantity' : FIX[row.field],
			);
			if (overCap) expect(error?.description).not.toContain(FIX.quantity);
			expect(error?.description).toContain('Nothing was sent to StatProxies.');
			expect(error?.context?.itemIndex).toBe(at);
			expect(result.output).toEqual([]);
			// Nothing at all, not even for the valid items before the bad one.
			expect(sandbox.requests).toEqual([]);
		},
	);

	test.each(BAD_BASE_URLS.map((row) => [JSON.stringify(row.baseUrl ?? null), row] as const))(
		'base URL %s: refused before the key is sent anywhere',
		async (_name, row) => {
			const result = await runWorkflow({
				credential: {
					...sandboxCredential(sandbox),
					baseUrl: row.baseUrl,
				} as unknown as StatProxiesCredential,
				parameters: { quantity: 1, productType: 'captcha' },
				items: [{}, {}],
			});

			const error = result.error as NodeOperationError | undefined;
			expect(error?.name).toBe('NodeOperationError');
			// A credential problem is the run's, not an item's: one error, no item named.
			expect(error?.message).toBe(`${row.rule} (received ${row.received})`);
			expect(error?.description).toContain(FIX.baseUrl);
			expect(error?.description).toContain('Nothing was sent to StatProxies.');
			expect(error?.context?.itemIndex).toBeUndefined();
			expect(sandbox.requests).toEqual([]);
		},
	);

	test('an emptied Product Type field is refused by n8n itself (required parameter) before the node runs', async () => {
		await expect(
			runWorkflow({
				credential: sandboxCredential(sandbox),
				parameters: { quantity: 1, productType: '' },
			}),
		).rejects.toThrow('Parameter "Product Type" is required');
		expect(sandbox.requests).toEqual([]);
	});

	test.each(['http://0.0.0.0:PORT', 'http://[::ffff:127.0.0.1]:PORT', 'http://2130706433:PORT'])(
		'base URL %s reaches this machine but is not on the loopback allow-list: refused, and the sandbox listening there gets nothing',
		async (template) => {
			const baseUrl = template.replace('PORT', String(sandbox.port));
			const result = await runWorkflow({
				credential: { ...sandboxCredential(sandbox), baseUrl },
				parameters: { quantity: 1, productType: 'captcha' },
			});

			expect(result.error?.message).toBe(
				`${RULE.baseUrlHttps} (received ${JSON.stringify(baseUrl)})`,
			);
			expect(sandbox.requests).toEqual([]);
		},
	);

	test.each(['http://localhost:PORT', 'http://127.0.0.1:PORT/', 'HTTP://127.0.0.1:PORT'])(
		'base URL %s (loopback over http) is allowed',
		async (template) => {
			const result = await runWorkflow({
				credential: {
					...sandboxCredential(sandbox),
					baseUrl: template.replace('PORT', String(sandbox.port)),
				},
				parameters: { quantity: 1, productType: 'captcha' },
			});

			expect(result.error).toBeUndefined();
			expect(sandbox.orders).toHaveLength(1);
		},
	);

	test('a base URL with a user name and password is refused without echoing the password', async () => {
		const result = await runWorkflow({
			credential: {
				...sandboxCredential(sandbox),
				baseUrl: 'https://admin:hunter2secret@dashboard.statproxies.com',
			},
			parameters: { quantity: 1, productType: 'captcha' },
		});

		expect(result.error?.message).toContain('(received "https://***@dashboard.statproxies.com")');
		expect(JSON.stringify(result.run)).not.toContain('hunter2secret');
		expect(sandbox.requests).toEqual([]);
	});

	test('a base URL refused for its user:password part says so, rather than asking to use the https:// it already uses', async () => {
		const result = await runWorkflow({
			credential: {
				...sandboxCredential(sandbox),
				baseUrl: 'https://user:pw@dashboard.statproxies.com',
			},
			parameters: { quantity: 1, productType: 'captcha' },
		});

		const rule = String(result.error?.message).split(' (received ')[0];
		expect(sandbox.requests).toEqual([]);
		expect(rule).toMatch(/user|password|credentials in the URL|@/i);
		expect(rule).not.toMatch(/must use https:\/\//);
	});
});

describe('Values at the edge of each rule are accepted', () => {
	test.each([
		{ name: 'Quantity 100 under the default Max Quantity of 100', quantity: 100, options: {} },
		{
			name: 'Quantity 500 under a Max Quantity of 500',
			quantity: 500,
			options: { maxQuantity: 500 },
		},
		{ name: 'Quantity " 7 " (digits with spaces, from text)', quantity: ' 7 ', options: {} },
		{ name: 'Timeout 1000 (the minimum)', quantity: 1, options: { timeout: 1000 } },
		{ name: 'Timeout 300000 (the maximum)', quantity: 1, options: { timeout: 300000 } },
		{ name: 'Dry Run false', quantity: 1, options: { dryRun: false } },
	])('$name: ordered', async ({ quantity, options }) => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { quantity, productType: 'captcha', options },
		});

		expect(result.error).toBeUndefined();
		expect(sandbox.orders).toHaveLength(1);
		expect(sandbox.orders[0].quantity).toBe(Number(quantity));
	});

	test.each([
		['50 lowercase letters', 'z'.repeat(50)],
		['one letter', 'a'],
	])('Customer of %s: ordered for that customer', async (_name, customer) => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { quantity: 1, productType: 'captcha', additionalFields: { customer } },
		});

		expect(result.error).toBeUndefined();
		expect(sandbox.orders.map((order) => order.customer)).toEqual([customer]);
	});

	test.each([
		['empty', ''],
		['null from an expression', '={{ null }}'],
	])('Customer %s: ordered without a customer', async (_name, customer) => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { quantity: 1, productType: 'captcha', additionalFields: { customer } },
		});

		expect(result.error).toBeUndefined();
		expect(sandbox.orderRequests.map((request) => request.json)).toEqual([
			{ quantity: 1, product_type: 'captcha' },
		]);
	});
});

describe('A bad item part-way through a run', () => {
	test('an invalid item 2 stops the run before items 0 and 1 are bought', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { ...ORDER_PER_CUSTOMER, quantity: '={{ $json.count }}' },
			items: [
				{ customer: 'itema', count: 1 },
				{ customer: 'itemb', count: 1 },
				{ customer: 'itemc', count: 0 },
			],
		});

		expect(result.error?.message).toBe(`${RULE.quantity} (received 0) [item 2]`);
		expect(result.error?.description).toContain('Nothing was sent to StatProxies.');
		// "Nothing was sent" must be true of the run: the failed execution shows no order,
		// so a user who fixes item 2 and runs again would otherwise buy items 0 and 1 twice.
		expect(sentCustomers(sandbox)).toEqual([]);
	});
});

describe('An expression n8n cannot evaluate is refused like any bad input', () => {
	// Only item 1 references a node that does not exist: n8n itself raises the error.
	const parameters = {
		...ORDER_PER_CUSTOMER,
		quantity: '={{ $json.broken ? $("No Such Node").item.json.count : 1 }}',
	};
	const items = [{ customer: 'itema' }, { customer: 'itemb', broken: true }, { customer: 'itemc' }];

	test('it stops the run before anything is bought, naming the item', async () => {
		const result = await runWorkflow({ credential: sandboxCredential(sandbox), parameters, items });

		expect(result.run.status).toBe('error');
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(sandbox.requests).toEqual([]);
		expect(result.error?.message).toContain('[item 1]');
	});

	test('with continue-on-fail it becomes an error item shaped like the others: "[item 1]", error.outcome "invalid"', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters,
			items,
			settings: CONTINUE,
		});

		expect(result.output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(sentCustomers(sandbox)).toEqual(['itema', 'itemc']);
		expect(errorOf(result.output[1]).message).toEqual(expect.stringContaining('[item 1]'));
		expect(errorOf(result.output[1])).toMatchObject({
			outcome: 'invalid',
			item: 1,
			description: expect.stringContaining('Nothing was sent to StatProxies.'),
		});
	});
});

describe('With continue-on-fail, a bad item becomes an error item and the others go on', () => {
	test('regular output: the bad item is an error item naming the field, paired with its input; the rest are bought', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: ORDER_PER_CUSTOMER,
			items: [{ customer: 'itema' }, { customer: 'Item B' }, { customer: 'itemc' }],
			settings: CONTINUE,
		});

		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(result.output[1].json).toEqual({
			error: {
				message: `${RULE.customerLetters} (received "Item B") [item 1]`,
				outcome: 'invalid',
				field: 'customer',
				item: 1,
				description: expect.stringContaining('Nothing was sent to StatProxies.'),
			},
		});
		expect(result.output[0].json.customer).toBe('itema');
		expect(result.output[2].json.customer).toBe('itemc');
		expect(sentCustomers(sandbox)).toEqual(['itema', 'itemc']);
	});

	test('error output: the bad item goes to the error output, paired with its input', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { ...ORDER_PER_CUSTOMER, quantity: '={{ $json.count }}' },
			items: [
				{ customer: 'itema', count: 1 },
				{ customer: 'itemb', count: 1 },
				{ customer: 'itemc', count: 'many' },
			],
			settings: ERROR_OUTPUT,
		});

		expect(result.error).toBeUndefined();
		expect(nodeOutput(result, 0).map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
		]);
		const errors = nodeOutput(result, 1);
		expect(errors.map((item) => item.pairedItem)).toEqual([{ item: 2 }]);
		expect(errorOf(errors[0])).toMatchObject({ outcome: 'invalid', field: 'quantity', item: 2 });
		expect(result.succeeded).toHaveLength(2);
		expect(result.failed).toHaveLength(1);
		expect(sentCustomers(sandbox)).toEqual(['itema', 'itemb']);
	});

	test('every item bad: one error item each, each naming its own index, and nothing sent', async () => {
		const result = await runWorkflow({
			credential: sandboxCredential(sandbox),
			parameters: { ...ORDER_PER_CUSTOMER, quantity: 0 },
			items: customerItems(3),
			settings: CONTINUE,
		});

		expect(result.output.map((item) => errorOf(item).message)).toEqual(
			[0, 1, 2].map((index) => `${RULE.quantity} (received 0) [item ${index}]`),
		);
		expect(result.output.map((item) => errorOf(item).item)).toEqual([0, 1, 2]);
		expect(sandbox.requests).toEqual([]);
	});
});

/**
 * The documented rules, written independently of the node: Quantity a whole number > 0 (or
 * its digits as text) and at most Max Quantity (default 100); Product Type non-empty text;
 * Customer empty, or 1-50 lowercase letters a-z.
 */
function wholeNumber(value: unknown): number | undefined {
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\s*[0-9]+\s*$/.test(value)
				? Number(value)
				: undefined;
	return number !== undefined && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

function firstBrokenRule(input: { quantity: unknown; productType: unknown; customer: unknown }) {
	const quantity = wholeNumber(input.quantity);
	if (quantity === undefined) return 'quantity';
	if (typeof input.productType !== 'string' || input.productType.trim() === '')
		return 'productType';
	const { customer } = input;
	const noCustomer = customer === undefined || customer === null || customer === '';
	if (!noCustomer && (typeof customer !== 'string' || !/^[a-z]{1,50}$/.test(customer)))
		return 'customer';
	if (quantity > 100) return 'quantity';
	return undefined;
}

const anyQuantity = fc.oneof(
	fc.integer({ min: -3, max: 120 }),
	fc.integer({ min: -3, max: 120 }).map((n) => String(n)),
	fc.integer({ min: 0, max: 120 }).map((n) => ` ${n} `),
	fc.double(),
	fc.string({ maxLength: 4 }),
	fc.constantFrom<unknown>(null, undefined, true, false, [], {}, '1e3', '5.0', '', 2 ** 53, 1e21),
);
const anyProductType = fc.oneof(
	fc.constantFrom<unknown>('captcha', 'x1', 'level3', ' captcha ', 'isp', '', '   ', null, 5),
	fc.string({ maxLength: 8 }),
);
const anyCustomer = fc.oneof(
	fc.string({ unit: fc.constantFrom('a', 'q', 'z', 'A', '1', ' ', '-', 'é', '_'), maxLength: 8 }),
	fc.string({ unit: fc.constantFrom('a', 'b', 'y'), minLength: 48, maxLength: 53 }),
	fc.constantFrom<unknown>(undefined, null, '', 7),
);

describe('Any value: refused exactly when it breaks a documented rule (property-based)', () => {
	test('refused values send nothing; accepted values send exactly one request with the normalised body', async () => {
		await fc.assert(
			fc.asyncProperty(
				anyQuantity,
				anyProductType,
				anyCustomer,
				async (quantity, productType, customer) => {
					sandbox.reset();
					const input = { quantity, productType, customer };
					const result = await runWorkflow({
						credential: sandboxCredential(sandbox),
						parameters: {
							quantity: '={{ $json.quantity }}',
							productType: '={{ $json.productType }}',
							additionalFields: { customer: '={{ $json.customer }}' },
						},
						items: [input as IDataObject],
						settings: CONTINUE,
					});
					const [item] = result.output;
					const broken = firstBrokenRule(input);

					if (broken) {
						expect(errorOf(item)).toMatchObject({ outcome: 'invalid', field: broken });
						expect(sandbox.requests).toEqual([]);
						return;
					}
					const product = (productType as string).trim();
					const body: IDataObject = { quantity: wholeNumber(quantity), product_type: product };
					if (typeof customer === 'string' && customer !== '') body.customer = customer;
					expect(sandbox.orderRequests.map((request) => request.json)).toEqual([body]);
					if (SANDBOX_PRODUCT_TYPES.includes(product)) {
						expect(item.json).toMatchObject({ ...body, order_id: sandbox.orders[0].order_id });
					} else {
						expect(errorOf(item)).toMatchObject({ outcome: 'refused', http_code: '400' });
					}
				},
			),
			{ numRuns: 100 },
		);
	});
});
