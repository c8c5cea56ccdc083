import { z } from 'zod';

/**
 * What every node's rules share: the zod pieces for numbers, limits and keys, and how a broken
 * rule is worded. Each node keeps its own rules and messages in its schema file; this file
 * only turns a zod issue into the message the user reads.
 */

/** Each rule: what is wrong (a message an AI agent understands too) and how a builder fixes it. */
export interface Rule<Field extends string = string> {
	field: Field;
	says: string;
	fix: string;
}

/** A broken rule, worded: `message` says what is wrong, `description` how to fix it. */
export interface Problem<Field extends string = string> {
	field: Field;
	message: string;
	description: string;
}

export type Checked<T, Field extends string = string> =
	| { ok: true; value: T }
	| { ok: false; problem: Problem<Field> };

/** Waiting for StatProxies: long enough for Stripe, short enough to notice a hang. */
export const DEFAULT_TIMEOUT_MS = 30_000;
export const MIN_TIMEOUT_MS = 1_000;
export const MAX_TIMEOUT_MS = 300_000;
export const MAX_KEY_LENGTH = 200;

/** StatProxies' order ids: "sub_" and lowercase letters and digits (the Create Order answer). */
export const ORDER_ID = /^sub_[a-z0-9]{1,64}$/;

const WHOLE_NUMBER_TEXT = /^\s*\d+\s*$/;

/** Expressions often return numbers as text ("5"): accept those, and nothing looser. */
export const wholeNumber = (rule: string) =>
	z.preprocess(
		(value) => (typeof value === 'string' && WHOLE_NUMBER_TEXT.test(value) ? Number(value) : value),
		z
			.number({ message: rule })
			.int({ message: rule })
			.positive({ message: rule })
			.max(Number.MAX_SAFE_INTEGER, { message: rule }),
	);

/** An absent optional value: n8n gives '' for an emptied field, expressions give null or undefined. */
export const absent = (value: unknown) => value === undefined || value === null || value === '';

/** A limit: its default when not added; emptied or 0 is refused, never read as "no limit". */
export const limit = (fallback: number, rule: string) =>
	z.preprocess((value) => (value === undefined ? fallback : value), wholeNumber(rule));

/** How a node's option rules name it: its Thing, its budget, what a too-short timeout does. */
export interface SettingWords {
	/** "Order", "Exchange": "Order In Retried Executions", "Repeat Identical Orders as a Tool". */
	Thing: string;
	/** "report orders as unknown that StatProxies is still placing" */
	unknownTooSoon: string;
	/** Max ... Per Execution: its option, what it counts, and its default. */
	budget: { field: string; label: string; counts: string; fallback: number };
	/**
	 * Order Key, Exchange Key: its option, what a lost key could do ("the order could be bought
	 * again by a second delivery"), the verb ("order") and an example of a key.
	 */
	key: { field: string; label: string; lost: string; verb: string; example: string };
}

/**
 * The rules of the options every node has (Dry Run, Timeout, ... In Retried Executions,
 * Repeat Identical ... as a Tool, Max ... Per Execution, ... Key), worded once for each node.
 */
export const settingRules = <Field extends string>(w: SettingWords) => {
	const flag = (field: string, label: string): Rule<Field> => ({
		field: field as Field,
		says: `${label} must be true or false (received {value})`,
		fix: `Turn Options > ${label} on or off, or make its expression return true or false.`,
	});
	const rule = (field: string, says: string, fix: string): Rule<Field> => ({
		field: field as Field,
		says,
		fix,
	});
	return {
		dryRunBoolean: flag('dryRun', 'Dry Run'),
		inRetriesBoolean: flag(`${w.Thing.toLowerCase()}InRetries`, `${w.Thing} In Retried Executions`),
		repeatIdenticalBoolean: flag('repeatIdentical', `Repeat Identical ${w.Thing}s as a Tool`),
		budgetWhole: rule(
			w.budget.field,
			`${w.budget.label} must be a whole number of at least 1 (received {value})`,
			`Set Options > ${w.budget.label} to the most ${w.budget.counts} in one execution, or remove the option to use the default of ${w.budget.fallback}. Empty or 0 never means "no limit".`,
		),
		timeoutWhole: rule(
			'timeout',
			'Timeout must be a whole number of milliseconds (received {value})',
			`Set Options > Timeout (Milliseconds) between ${MIN_TIMEOUT_MS} and ${MAX_TIMEOUT_MS}, or remove the option to use the default of ${DEFAULT_TIMEOUT_MS}.`,
		),
		timeoutShort: rule(
			'timeout',
			`Timeout must be at least ${MIN_TIMEOUT_MS} ms: a shorter one would ${w.unknownTooSoon} (received {value})`,
			`Set Options > Timeout (Milliseconds) to ${MIN_TIMEOUT_MS} or more; the default is ${DEFAULT_TIMEOUT_MS}.`,
		),
		timeoutLong: rule(
			'timeout',
			`Timeout must be at most ${MAX_TIMEOUT_MS} ms (received {value})`,
			`Set Options > Timeout (Milliseconds) to ${MAX_TIMEOUT_MS} or less; the default is ${DEFAULT_TIMEOUT_MS}.`,
		),
		keyEmpty: rule(
			w.key.field,
			`${w.key.label}'s expression gave no key for this item (received {value}): without its key ${w.key.lost}`,
			`Make the expression return a key for every item (check the field it reads). Items that may come without one can get a key of their own: {{ $json.request_id ?? $execution.id + '-' + $itemIndex }}. Or remove Options > ${w.key.label} to ${w.key.verb} without the at-most-once guarantee.`,
		),
		keyText: rule(
			w.key.field,
			`${w.key.label} must be text or a number, of at most ${MAX_KEY_LENGTH} characters (received {value})`,
			`Make Options > ${w.key.label} return a short text such as ${w.key.example}, or leave it empty to ${w.key.verb} without a key.`,
		),
	};
};

/** A yes/no option, false unless set. */
export const flag = (rule: string) => z.boolean({ message: rule }).default(false);

/** Options > Timeout (Milliseconds), the same for every request. */
export const timeout = () =>
	limit(DEFAULT_TIMEOUT_MS, 'timeoutWhole').pipe(
		z
			.number()
			.min(MIN_TIMEOUT_MS, { message: 'timeoutShort' })
			.max(MAX_TIMEOUT_MS, { message: 'timeoutLong' }),
	);

export const dryRun = () => flag('dryRunBoolean');

/**
 * A key option whose expression gave nothing for this item (a missing field, null, ""): the
 * user asked for a key, so the item is refused rather than ordered without one.
 */
export class KeyExpressionEmpty {
	constructor(readonly value: unknown) {}
}

/**
 * A key (Order Key, Exchange Key): compared exactly after trimming. Numbers from an
 * expression ({{ $json.invoice_id }}) are keys as well, but only finite ones: NaN and
 * Infinity would become one shared key "NaN" for every item whose expression failed.
 */
export const key = () =>
	z.preprocess(
		(value, ctx) => {
			if (value instanceof KeyExpressionEmpty) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					message: 'keyEmpty',
					params: { value: value.value },
				});
				return z.NEVER;
			}
			if (absent(value)) return undefined;
			return typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
		},
		z
			.string({ message: 'keyText' })
			.trim()
			.min(1, { message: 'keyText' })
			.max(MAX_KEY_LENGTH, { message: 'keyText' })
			.optional(),
	);

/**
 * A value, as a message quotes it: `hide` is applied before anything is cut, since a secret
 * cut in half would no longer be found.
 */
export function describeValue(
	value: unknown,
	hide: (text: string) => string = (text) => text,
): string {
	if (value === undefined) return 'no value';
	if (typeof value === 'number') return String(value);
	// A URL may carry a user:password part: never echo it.
	const text = hide(JSON.stringify(value) ?? String(value)).replace(/\/\/[^/@\s]*@/g, '//***@');
	return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

/**
 * Runs a schema whose issue messages are rule ids, and words the first broken rule (zod
 * reports issues in the order of the schema's fields, which is the order the UI lists them).
 */
export function checkWith<T, Field extends string>(
	schema: z.ZodType<T, z.ZodTypeDef, unknown>,
	rules: Record<string, Rule<Field>>,
	input: Record<string, unknown>,
	hide?: (text: string) => string,
): Checked<T, Field> {
	const parsed = schema.safeParse(input);
	if (parsed.success) return { ok: true, value: parsed.data };
	const issue = parsed.error.issues[0];
	const rule = rules[issue.message];
	const field = (issue.path[0] as Field | undefined) ?? rule.field;
	// A custom issue carries the values as parsed ("500" from an expression reads as 500).
	const params = issue.code === z.ZodIssueCode.custom ? (issue.params ?? {}) : {};
	const value = 'value' in params ? params.value : input[field];
	const fill = (text: string) =>
		text
			.replace('{value}', () => describeValue(value, hide))
			.replace('{max}', () => describeValue(params.max));
	return { ok: false, problem: { field, message: fill(rule.says), description: fill(rule.fix) } };
}
