import { z } from 'zod';

import {
	checkWith,
	ORDER_ID,
	dryRun,
	flag,
	key,
	limit,
	settingRules,
	timeout,
	type Checked,
	type Rule,
} from '../shared/rules';

/**
 * The exchange rules, and the only place their messages are written. Checked after n8n has
 * evaluated expressions and before any request is made: an exchange replaces every IP of an
 * order at once, so a value refused here never breaks a running job.
 */

/**
 * A ceiling for one execution: each exchange cuts every job using that order's IPs at once.
 * A weekly rotation of a few orders, or an agent reacting to blocks, stays under it; a loop
 * or an agent that keeps exchanging stops here.
 */
export const DEFAULT_MAX_EXCHANGES_PER_EXECUTION = 10;

export type ExchangeField =
	| 'orderId'
	| 'maxExchangesPerExecution'
	| 'dryRun'
	| 'exchangeInRetries'
	| 'timeout'
	| 'exchangeKey'
	| 'repeatIdentical';

const ORDER_ID_FIX =
	'Set Order ID to the order_id of a StatProxies order, such as {{ $json.order_id }} after Order Proxies (it looks like sub_1rqjp3jb4g9i6pkhdwmkpjob).';

const RULES = {
	...settingRules<ExchangeField>({
		Thing: 'Exchange',
		unknownTooSoon: 'report exchanges as unknown that StatProxies is still doing',
		budget: {
			field: 'maxExchangesPerExecution',
			label: 'Max Exchanges Per Execution',
			counts: 'exchanges this node may make',
			fallback: DEFAULT_MAX_EXCHANGES_PER_EXECUTION,
		},
		key: {
			field: 'exchangeKey',
			label: 'Exchange Key',
			lost: 'the proxies could be exchanged again by a second run',
			verb: 'exchange',
			example: "rotate-{{ $json.order_id }}-{{ $now.toFormat('kkkk-WW') }}",
		},
	}),
	orderIdText: {
		field: 'orderId',
		says: 'Order ID must be text such as "sub_1rqjp3jb4g9i6pkhdwmkpjob" (received {value})',
		fix: ORDER_ID_FIX,
	},
	orderIdEmpty: {
		field: 'orderId',
		says: 'Order ID must not be empty (received {value})',
		fix: ORDER_ID_FIX,
	},
	orderIdShape: {
		field: 'orderId',
		// It goes into the request's path: "/", "..", "?", "#", "%" or a space would change the address.
		says: 'Order ID must be "sub_" followed by lowercase letters and digits only: no "/", "..", "?", "#", "%", spaces or capitals (received {value})',
		fix: ORDER_ID_FIX,
	},
} as const satisfies Record<string, Rule<ExchangeField>>;

const exchangeInput = z.object({
	orderId: z
		.string({ message: 'orderIdText' })
		.trim()
		.min(1, { message: 'orderIdEmpty' })
		.regex(ORDER_ID, { message: 'orderIdShape' }),
	maxExchangesPerExecution: limit(DEFAULT_MAX_EXCHANGES_PER_EXECUTION, 'budgetWhole'),
	dryRun: dryRun(),
	exchangeInRetries: flag('inRetriesBoolean'),
	timeout: timeout(),
	exchangeKey: key(),
	repeatIdentical: flag('repeatIdenticalBoolean'),
});

/** Raw parameter values, as n8n hands them over after evaluating expressions. */
export type ExchangeInput = Record<ExchangeField, unknown>;
export type ValidExchange = z.infer<typeof exchangeInput>;

/** Validates one item's parameters; reports the first problem in the order the UI lists fields. */
export function checkExchange(input: ExchangeInput): Checked<ValidExchange, ExchangeField> {
	return checkWith(exchangeInput, RULES, input);
}
