import { z } from 'zod';

/**
 * The order rules, and the only place their messages are written. Everything here is checked
 * after n8n has evaluated expressions and before any request is made: a value refused here
 * never reaches StatProxies, so it can never cost money.
 */

/** High enough for ordinary top-ups, low enough to stop a runaway expression or AI agent. */
export const DEFAULT_MAX_QUANTITY = 100;
/** Creating an order charges Stripe first: give it time before calling the outcome unknown. */
export const DEFAULT_TIMEOUT_MS = 30_000;
const MIN_TIMEOUT_MS = 1_000;
const MAX_TIMEOUT_MS = 300_000;

/** The examples StatProxies documents; any other type can be given through an expression. */
export const DOCUMENTED_PRODUCT_TYPES = ['captcha', 'x1', 'level3'] as const;

/**
 * The key may only travel encrypted. Plain http is allowed to loopback hosts alone, where a
 * local sandbox stands in for StatProxies. No user-info part, so "https://a@b" cannot smuggle
 * a host. Kept as one regular expression because the credential test (an n8n expression,
 * which cannot import code) applies the very same rule.
 */
export const SAFE_BASE_URL =
	/^(https:\/\/[^/?#@\s]+|http:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?)(\/[^?#\s]*)?$/i;

export type OrderField =
	| 'quantity'
	| 'productType'
	| 'customer'
	| 'maxQuantity'
	| 'dryRun'
	| 'orderInRetries'
	| 'timeout'
	| 'baseUrl';

/** How to fix each field, shown as the error's description. */
export const FIELD_FIXES: Record<OrderField, string> = {
	quantity:
		'Set Quantity to a whole number such as 1 or 10. If it comes from an expression, make sure the expression returns a number (for example {{ Number($json.count) }}).',
	productType:
		'Pick a product type from the list, or return one from an expression, for example "captcha".',
	customer:
		'Use lowercase letters a-z only, 1 to 50 of them, or leave Customer empty to order without one.',
	maxQuantity: `Set Max Quantity to the largest quantity this node may order in one item, or remove the option to use the default of ${DEFAULT_MAX_QUANTITY}.`,
	dryRun: 'Dry Run must be true or false.',
	orderInRetries: 'Order In Retried Executions must be true or false.',
	timeout: `Set Timeout in milliseconds between ${MIN_TIMEOUT_MS} and ${MAX_TIMEOUT_MS}, or remove the option to use the default of ${DEFAULT_TIMEOUT_MS}.`,
	baseUrl:
		'Open the StatProxies API credential and set Base URL to https://dashboard.statproxies.com, your company gateway over https, or http://127.0.0.1:<port> for a local sandbox.',
};

function isParsableUrl(url: string): boolean {
	try {
		return new URL(url).hostname !== '';
	} catch {
		return false;
	}
}

const WHOLE_NUMBER_TEXT = /^\s*\d+\s*$/;

/** Expressions often return numbers as text ("5"): accept those, and nothing looser. */
const wholeNumber = (message: string) =>
	z.preprocess(
		(value) => (typeof value === 'string' && WHOLE_NUMBER_TEXT.test(value) ? Number(value) : value),
		z
			.number({ message })
			.int({ message })
			.positive({ message })
			.max(Number.MAX_SAFE_INTEGER, { message }),
	);

/** An absent optional value: n8n gives '' for an emptied field, expressions give null or undefined. */
const absent = (value: unknown) => value === undefined || value === null || value === '';

const orderInput = z
	.object({
		quantity: wholeNumber('Quantity must be a whole number greater than 0'),
		productType: z
			.string({ message: 'Product Type must be text' })
			.trim()
			.min(1, { message: 'Product Type must not be empty' }),
		customer: z.preprocess(
			(value) => (absent(value) ? undefined : value),
			z
				.string({ message: 'Customer must be text' })
				.max(50, { message: 'Customer must be at most 50 characters long' })
				.regex(/^[a-z]+$/, {
					message:
						'Customer must contain only lowercase letters a-z (no digits, spaces, capitals or accents)',
				})
				.optional(),
		),
		maxQuantity: z.preprocess(
			(value) => (value === undefined ? DEFAULT_MAX_QUANTITY : value),
			// Empty or 0 is refused rather than read as "no limit": clearing a field must never
			// remove the only guard against an accidental bulk purchase.
			wholeNumber('Max Quantity must be a whole number of at least 1'),
		),
		dryRun: z.boolean({ message: 'Dry Run must be true or false' }).default(false),
		orderInRetries: z
			.boolean({ message: 'Order In Retried Executions must be true or false' })
			.default(false),
		timeout: z.preprocess(
			(value) => (value === undefined ? DEFAULT_TIMEOUT_MS : value),
			wholeNumber(`Timeout must be a whole number of milliseconds`).pipe(
				z
					.number()
					.min(MIN_TIMEOUT_MS, {
						message: `Timeout must be at least ${MIN_TIMEOUT_MS} ms: a shorter one would report orders as unknown that StatProxies is still placing`,
					})
					.max(MAX_TIMEOUT_MS, {
						message: `Timeout must be at most ${MAX_TIMEOUT_MS} ms`,
					}),
			),
		),
		baseUrl: z
			.string({ message: 'Base URL must be set' })
			.trim()
			.regex(/^https?:\/\/\S/i, {
				message: 'Base URL must be a full URL starting with https://',
			})
			.regex(/^[a-z]+:\/\/[^/?#@]*(?:[/?#]|$)/i, {
				message:
					'Base URL must not contain a user name or password: the API key is the only credential StatProxies needs',
			})
			.regex(SAFE_BASE_URL, {
				message:
					'Base URL must use https:// so that the API key is never sent unencrypted (plain http is only allowed to localhost, 127.x.x.x or [::1])',
			})
			.refine(isParsableUrl, {
				message: 'Base URL is not a valid URL (check the host name, and the port: 1 to 65535)',
			})
			.transform((url) => url.replace(/\/+$/, '')),
	})
	.superRefine((input, ctx) => {
		if (input.quantity > input.maxQuantity) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['quantity'],
				message: `Quantity ${input.quantity} is above the Max Quantity of ${input.maxQuantity}; raise Options > Max Quantity if you really mean to order this many`,
			});
		}
	});

/** Raw parameter values, as n8n hands them over after evaluating expressions. */
export type OrderInput = Record<OrderField, unknown>;

/** The body of POST /api/v2/order/newscale, in the API's own field names. */
export interface OrderBody {
	quantity: number;
	product_type: string;
	customer?: string;
}

export interface ValidOrder {
	body: OrderBody;
	baseUrl: string;
	dryRun: boolean;
	/** Whether an execution started by n8n's Retry button may order. */
	orderInRetries: boolean;
	timeout: number;
}

export interface OrderProblem {
	field: OrderField;
	received: unknown;
	rule: string;
}

export type OrderCheck = { ok: true; order: ValidOrder } | { ok: false; problem: OrderProblem };

/** Validates one item's parameters; reports the first problem in the order the UI lists fields. */
export function checkOrder(input: OrderInput): OrderCheck {
	const parsed = orderInput.safeParse(input);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const field = issue.path[0] as OrderField;
		return {
			ok: false,
			problem: { field, received: input[field], rule: issue.message },
		};
	}
	const { quantity, productType, customer, baseUrl, dryRun, orderInRetries, timeout } = parsed.data;
	const body: OrderBody = { quantity, product_type: productType };
	if (customer !== undefined) body.customer = customer;
	return { ok: true, order: { body, baseUrl, dryRun, orderInRetries, timeout } };
}
