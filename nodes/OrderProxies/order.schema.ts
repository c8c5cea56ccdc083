import { z } from 'zod';

/**
 * The order rules, and the only place their messages are written. Everything here is checked
 * after n8n has evaluated expressions and before any request is made: a value refused here
 * never reaches StatProxies, so it can never cost money.
 */

/** High enough for ordinary top-ups, low enough to stop a runaway expression or AI agent. */
export const DEFAULT_MAX_QUANTITY = 100;
/** A ceiling for one execution: a loop or an agent that keeps calling stops here. */
export const DEFAULT_MAX_PROXIES_PER_EXECUTION = 1000;
/** Creating an order charges Stripe first: give it time before calling the outcome unknown. */
export const DEFAULT_TIMEOUT_MS = 30_000;
const MIN_TIMEOUT_MS = 1_000;
const MAX_TIMEOUT_MS = 300_000;
const MAX_ORDER_KEY_LENGTH = 200;

/** The examples StatProxies documents; any other type can be given as text. */
export const DOCUMENTED_PRODUCT_TYPES = ['captcha', 'x1', 'level3'] as const;

/**
 * The key travels encrypted only; plain http to loopback alone (a local sandbox). No user-info
 * part, so "https://a@b" cannot smuggle a host. One regular expression, because the credential
 * (an n8n expression, which cannot import code) applies the very same rule.
 */
export const SAFE_BASE_URL =
	/^(https:\/\/[^/?#@\s]+|http:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?)(\/[^?#\s]*)?$/i;

export type OrderField =
	| 'quantity'
	| 'productType'
	| 'customer'
	| 'maxQuantity'
	| 'maxProxiesPerExecution'
	| 'dryRun'
	| 'orderInRetries'
	| 'timeout'
	| 'orderKey'
	| 'baseUrl';

const PRODUCT_TYPE_FIX =
	'Set Product Type to one of captcha, x1 or level3, or to a type listed in your StatProxies dashboard.';

/** Each rule: what is wrong (a message an AI agent understands too) and how a builder fixes it. */
const RULES = {
	quantityWhole: {
		field: 'quantity',
		says: 'Quantity must be a whole number greater than 0 (received {value})',
		fix: 'Set Quantity to a whole number such as 1 or 10. If it comes from an expression, make sure it returns a number, for example {{ Number($json.count) }}.',
	},
	quantityOverCap: {
		field: 'quantity',
		says: 'Quantity {value} is above the limit of {max} proxies per order set on this node',
		fix: 'Lower Quantity, or raise Options > Max Quantity if you really mean to order this many in one order.',
	},
	productTypeText: {
		field: 'productType',
		says: 'Product Type must be text such as "captcha", "x1" or "level3" (received {value})',
		fix: PRODUCT_TYPE_FIX,
	},
	productTypeEmpty: {
		field: 'productType',
		says: 'Product Type must not be empty (received {value})',
		fix: PRODUCT_TYPE_FIX,
	},
	customerText: {
		field: 'customer',
		says: 'Customer must be text (received {value})',
		fix: 'Give Customer as lowercase letters a-z, or leave it empty to order without one.',
	},
	customerLength: {
		field: 'customer',
		says: 'Customer must be at most 50 characters long (received {value})',
		fix: 'Shorten Customer to 50 lowercase letters at most, or leave it empty.',
	},
	customerLetters: {
		field: 'customer',
		says: 'Customer must contain only lowercase letters a-z, no digits, spaces, capitals or accents (received {value})',
		fix: 'Use lowercase letters a-z only in Customer (for example {{ $json.name.toLowerCase().replace(/[^a-z]/g, "") }}), or leave it empty.',
	},
	maxQuantityWhole: {
		field: 'maxQuantity',
		says: 'Max Quantity must be a whole number of at least 1 (received {value})',
		fix: `Set Options > Max Quantity to the largest quantity one order may have, or remove the option to use the default of ${DEFAULT_MAX_QUANTITY}. Empty or 0 never means "no limit".`,
	},
	budgetWhole: {
		field: 'maxProxiesPerExecution',
		says: 'Max Proxies Per Execution must be a whole number of at least 1 (received {value})',
		fix: `Set Options > Max Proxies Per Execution to the most proxies this node may order in one execution, or remove the option to use the default of ${DEFAULT_MAX_PROXIES_PER_EXECUTION}. Empty or 0 never means "no limit".`,
	},
	dryRunBoolean: {
		field: 'dryRun',
		says: 'Dry Run must be true or false (received {value})',
		fix: 'Turn Options > Dry Run on or off, or make its expression return true or false.',
	},
	orderInRetriesBoolean: {
		field: 'orderInRetries',
		says: 'Order In Retried Executions must be true or false (received {value})',
		fix: 'Turn Options > Order In Retried Executions on or off, or make its expression return true or false.',
	},
	timeoutWhole: {
		field: 'timeout',
		says: 'Timeout must be a whole number of milliseconds (received {value})',
		fix: `Set Options > Timeout (Milliseconds) between ${MIN_TIMEOUT_MS} and ${MAX_TIMEOUT_MS}, or remove the option to use the default of ${DEFAULT_TIMEOUT_MS}.`,
	},
	timeoutShort: {
		field: 'timeout',
		says: `Timeout must be at least ${MIN_TIMEOUT_MS} ms: a shorter one would report orders as unknown that StatProxies is still placing (received {value})`,
		fix: `Set Options > Timeout (Milliseconds) to ${MIN_TIMEOUT_MS} or more; the default is ${DEFAULT_TIMEOUT_MS}.`,
	},
	timeoutLong: {
		field: 'timeout',
		says: `Timeout must be at most ${MAX_TIMEOUT_MS} ms (received {value})`,
		fix: `Set Options > Timeout (Milliseconds) to ${MAX_TIMEOUT_MS} or less; the default is ${DEFAULT_TIMEOUT_MS}.`,
	},
	orderKeyText: {
		field: 'orderKey',
		says: `Order Key must be text of at most ${MAX_ORDER_KEY_LENGTH} characters (received {value})`,
		fix: 'Make Options > Order Key return a short text such as an invoice id or a date, or leave it empty to order without a key.',
	},
	baseUrlMissing: {
		field: 'baseUrl',
		says: "The credential's Base URL must be a full URL starting with https:// (received {value})",
		fix: 'Open the StatProxies API credential and set Base URL to https://dashboard.statproxies.com (or your company gateway over https).',
	},
	baseUrlUserInfo: {
		field: 'baseUrl',
		says: "The credential's Base URL must not contain a user name or password: the API key is the only credential StatProxies needs (received {value})",
		fix: 'Open the StatProxies API credential and remove the user:password@ part of Base URL.',
	},
	baseUrlPlainHttp: {
		field: 'baseUrl',
		says: "The credential's Base URL must use https:// so that the API key is never sent unencrypted (plain http is only allowed to localhost, 127.x.x.x or [::1]) (received {value})",
		fix: 'Open the StatProxies API credential and set Base URL to https://dashboard.statproxies.com, your company gateway over https, or a local sandbox such as http://127.0.0.1:4010.',
	},
	baseUrlInvalid: {
		field: 'baseUrl',
		says: "The credential's Base URL is not a valid URL: check the host name, and the port (1 to 65535) (received {value})",
		fix: 'Open the StatProxies API credential and correct Base URL, for example https://dashboard.statproxies.com.',
	},
} as const satisfies Record<string, { field: OrderField; says: string; fix: string }>;

type RuleId = keyof typeof RULES;

function isParsableUrl(url: string): boolean {
	try {
		return new URL(url).hostname !== '';
	} catch {
		return false;
	}
}

const WHOLE_NUMBER_TEXT = /^\s*\d+\s*$/;

/** Expressions often return numbers as text ("5"): accept those, and nothing looser. */
const wholeNumber = (rule: RuleId) =>
	z.preprocess(
		(value) => (typeof value === 'string' && WHOLE_NUMBER_TEXT.test(value) ? Number(value) : value),
		z
			.number({ message: rule })
			.int({ message: rule })
			.positive({ message: rule })
			.max(Number.MAX_SAFE_INTEGER, { message: rule }),
	);

/** An absent optional value: n8n gives '' for an emptied field, expressions give null or undefined. */
const absent = (value: unknown) => value === undefined || value === null || value === '';

/** A limit: its default when not added; emptied or 0 is refused, never read as "no limit". */
const limit = (fallback: number, rule: RuleId) =>
	z.preprocess((value) => (value === undefined ? fallback : value), wholeNumber(rule));

const orderInput = z
	.object({
		quantity: wholeNumber('quantityWhole'),
		productType: z
			.string({ message: 'productTypeText' })
			.trim()
			.min(1, { message: 'productTypeEmpty' }),
		customer: z.preprocess(
			(value) => (absent(value) ? undefined : value),
			z
				.string({ message: 'customerText' })
				.max(50, { message: 'customerLength' })
				.regex(/^[a-z]+$/, { message: 'customerLetters' })
				.optional(),
		),
		maxQuantity: limit(DEFAULT_MAX_QUANTITY, 'maxQuantityWhole'),
		maxProxiesPerExecution: limit(DEFAULT_MAX_PROXIES_PER_EXECUTION, 'budgetWhole'),
		dryRun: z.boolean({ message: 'dryRunBoolean' }).default(false),
		orderInRetries: z.boolean({ message: 'orderInRetriesBoolean' }).default(false),
		timeout: limit(DEFAULT_TIMEOUT_MS, 'timeoutWhole').pipe(
			z
				.number()
				.min(MIN_TIMEOUT_MS, { message: 'timeoutShort' })
				.max(MAX_TIMEOUT_MS, { message: 'timeoutLong' }),
		),
		// Numbers from an expression ({{ $json.invoice_id }}) are keys as well.
		orderKey: z.preprocess(
			(value) => (absent(value) ? undefined : typeof value === 'number' ? String(value) : value),
			z
				.string({ message: 'orderKeyText' })
				.trim()
				.min(1, { message: 'orderKeyText' })
				.max(MAX_ORDER_KEY_LENGTH, { message: 'orderKeyText' })
				.optional(),
		),
	})
	.superRefine((input, ctx) => {
		if (input.quantity > input.maxQuantity) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['quantity'],
				message: 'quantityOverCap',
				params: { value: input.quantity, max: input.maxQuantity },
			});
		}
	});

const baseUrlRule = z
	.string({ message: 'baseUrlMissing' })
	.trim()
	.regex(/^https?:\/\/\S/i, { message: 'baseUrlMissing' })
	.regex(/^[a-z]+:\/\/[^/?#@]*(?:[/?#]|$)/i, { message: 'baseUrlUserInfo' })
	.regex(SAFE_BASE_URL, { message: 'baseUrlPlainHttp' })
	.refine(isParsableUrl, { message: 'baseUrlInvalid' })
	.transform((url) => url.replace(/\/+$/, ''));

/** Raw parameter values, as n8n hands them over after evaluating expressions. */
export type OrderInput = Record<Exclude<OrderField, 'baseUrl'>, unknown>;

/** The body of POST /api/v2/order/newscale, in the API's own field names. */
export interface OrderBody {
	quantity: number;
	product_type: string;
	customer?: string;
}

export interface ValidOrder {
	body: OrderBody;
	dryRun: boolean;
	/** Whether an execution started by n8n's Retry button may order. */
	orderInRetries: boolean;
	timeout: number;
	maxQuantity: number;
	maxProxiesPerExecution: number;
	orderKey?: string;
}

/** A broken rule, worded: `message` says what is wrong, `description` how to fix it. */
export interface Problem {
	field: OrderField;
	message: string;
	description: string;
}

function describeValue(value: unknown): string {
	if (value === undefined) return 'no value';
	if (typeof value === 'number') return String(value);
	// A URL may carry a user:password part: never echo it.
	const text = (JSON.stringify(value) ?? String(value)).replace(/\/\/[^/@\s]*@/g, '//***@');
	return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

function problem(issue: z.ZodIssue, input: Record<string, unknown>): Problem {
	const rule = RULES[issue.message as RuleId];
	const field = (issue.path[0] as OrderField | undefined) ?? rule.field;
	// A custom issue carries the values as parsed ("500" from an expression reads as 500).
	const params = issue.code === z.ZodIssueCode.custom ? (issue.params ?? {}) : {};
	const value = 'value' in params ? params.value : input[field];
	const fill = (text: string) =>
		text
			.replace('{value}', () => describeValue(value))
			.replace('{max}', () => describeValue(params.max));
	return { field, message: fill(rule.says), description: fill(rule.fix) };
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/** Validates one item's parameters; reports the first problem in the order the UI lists fields. */
export function checkOrder(input: OrderInput): Checked<ValidOrder> {
	const parsed = orderInput.safeParse(input);
	if (!parsed.success) return { ok: false, problem: problem(parsed.error.issues[0], input) };
	const { quantity, productType, customer, ...settings } = parsed.data;
	const body: OrderBody = { quantity, product_type: productType };
	if (customer !== undefined) body.customer = customer;
	return { ok: true, value: { body, ...settings } };
}

/** The credential's base URL: checked once per run, since every item shares it. */
export function checkBaseUrl(baseUrl: unknown): Checked<string> {
	const parsed = baseUrlRule.safeParse(baseUrl);
	if (!parsed.success) return { ok: false, problem: problem(parsed.error.issues[0], { baseUrl }) };
	return { ok: true, value: parsed.data };
}
