import { z } from 'zod';

import {
	checkWith,
	DEFAULT_TIMEOUT_MS,
	dryRun,
	flag,
	key,
	limit,
	settingRules,
	timeout,
	wholeNumber,
	absent,
	type Checked,
	type Rule,
} from '../shared/rules';

/**
 * The order rules, and the only place their messages are written. Everything here is checked
 * after n8n has evaluated expressions and before any request is made: a value refused here
 * never reaches StatProxies, so it can never cost money.
 */

/** High enough for ordinary top-ups, low enough to stop a runaway expression or AI agent. */
export const DEFAULT_MAX_QUANTITY = 100;
/** A ceiling for one execution: a loop or an agent that keeps calling stops here. */
export const DEFAULT_MAX_PROXIES_PER_EXECUTION = 1000;
/** Creating an order charges Stripe first: the shared default (30 s) gives it time. */
export { DEFAULT_TIMEOUT_MS };

/** The examples StatProxies documents; any other type can be given as text. */
export const DOCUMENTED_PRODUCT_TYPES = ['captcha', 'x1', 'level3'] as const;

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
	| 'repeatIdentical';

const PRODUCT_TYPE_FIX =
	'Set Product Type to one of captcha, x1 or level3, or to a type listed in your StatProxies dashboard.';

/** Each rule: what is wrong (a message an AI agent understands too) and how a builder fixes it. */
const RULES = {
	...settingRules<OrderField>({
		Thing: 'Order',
		unknownTooSoon: 'report orders as unknown that StatProxies is still placing',
		budget: {
			field: 'maxProxiesPerExecution',
			label: 'Max Proxies Per Execution',
			counts: 'proxies this node may order',
			fallback: DEFAULT_MAX_PROXIES_PER_EXECUTION,
		},
		key: {
			field: 'orderKey',
			label: 'Order Key',
			lost: 'the order could be bought again by a second delivery',
			verb: 'order',
			example: 'an invoice id or a date',
		},
	}),
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
} as const satisfies Record<string, Rule<OrderField>>;

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
		dryRun: dryRun(),
		orderInRetries: flag('inRetriesBoolean'),
		timeout: timeout(),
		orderKey: key(),
		repeatIdentical: flag('repeatIdenticalBoolean'),
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
	dryRun: boolean;
	/** Whether an execution started by n8n's Retry button may order. */
	orderInRetries: boolean;
	timeout: number;
	maxQuantity: number;
	maxProxiesPerExecution: number;
	orderKey?: string;
	/** As an AI agent's tool: whether an order identical to one placed in this execution is bought again. */
	repeatIdentical: boolean;
}

/** Validates one item's parameters; reports the first problem in the order the UI lists fields. */
export function checkOrder(input: OrderInput): Checked<ValidOrder, OrderField> {
	const checked = checkWith(orderInput, RULES, input);
	if (!checked.ok) return checked;
	const { quantity, productType, customer, ...settings } = checked.value;
	const body: OrderBody = { quantity, product_type: productType };
	if (customer !== undefined) body.customer = customer;
	return { ok: true, value: { body, ...settings } };
}
