/**
 * Every outcome message of the node, in one place (validation messages live with their
 * rules, in order.schema.ts). A message must stand alone: AI agents, Slack alerts, the
 * executions list and {{ $json.error.message }} see the message and never the description, so
 * whether anything may have been bought is said in the message itself.
 */
import type { OrderBody } from './order.schema';

/** Why an item ended without an order; `over_budget` and `duplicate` were never sent. */
export type FailureKind =
	| 'invalid'
	| 'refused'
	| 'not_sent'
	| 'unknown'
	| 'over_budget'
	| 'duplicate';

export interface Failure {
	kind: FailureKind;
	message: string;
	description: string;
	httpCode?: string;
	field?: string;
}

function describeOrder({ quantity, product_type, customer }: OrderBody) {
	return `${quantity} × ${product_type}${customer ? ` for ${customer}` : ''}`;
}

const NOTHING_BOUGHT = 'StatProxies did not create this order.';
const NOTHING_SENT = 'Nothing was sent to StatProxies.';
const MAY_EXIST =
	'the order may have been placed; check the StatProxies dashboard before ordering again';
const CHECK_DASHBOARD =
	'The order may or may not have been placed. Check the orders in your StatProxies dashboard before running this again: running it again could buy a second time.';

const unknown = (what: string, httpCode?: string, more = ''): Failure => ({
	kind: 'unknown',
	message: `${what}: ${MAY_EXIST}`,
	description: `${CHECK_DASHBOARD}${more}`,
	httpCode,
});

const refused = (message: string, fix: string, httpCode?: string): Failure => ({
	kind: 'refused',
	message,
	description: `${fix} ${NOTHING_BOUGHT}`,
	httpCode,
});

const notSent = (
	message: string,
	description: string,
	kind: FailureKind = 'not_sent',
): Failure => ({
	kind,
	message: `Not ordered: ${message}`,
	description: `${description} ${NOTHING_SENT}`,
});

/** The documented 400 messages, each with what the user can do about it. */
const BAD_REQUEST_HELP: Record<string, string> = {
	'Missing required fields': 'Quantity and Product Type are both required.',
	'Invalid product_type':
		'StatProxies does not sell this product type to this account. Pick captcha, x1 or level3, or a type listed in your StatProxies dashboard.',
	'Quantity must be greater than 0': 'Set Quantity to a whole number greater than 0.',
	'Customer ID must contain only lowercase letters (a-z)':
		'Use lowercase letters a-z only in Customer, or leave it empty.',
};

const CHECK_BASE_URL =
	'Check the Base URL in the StatProxies API credential (it should be https://dashboard.statproxies.com).';

/** What StatProxies' answers and the network's failures mean, in words. */
export const said = {
	noConfirmation: (status: number, got: string) =>
		unknown(
			`StatProxies answered HTTP ${status} without a confirmed order (got: ${got})`,
			String(status),
		),
	serverError: (status: number, got: string) =>
		unknown(
			`StatProxies failed with HTTP ${status} while placing the order (got: ${got})`,
			String(status),
		),
	// 303 is how a server answers a POST it has processed: the order most likely exists.
	seeOther: () =>
		unknown(
			'StatProxies answered HTTP 303 See Other, its usual answer to an order it has processed',
			'303',
			' The redirect was not followed, so that the key never goes to another address.',
		),
	ambiguousRedirect: (status: number) =>
		unknown(
			`StatProxies answered the order with a redirect (HTTP ${status}), which does not say whether it was processed`,
			String(status),
			` The redirect was not followed, so that the key never goes to another address. ${CHECK_BASE_URL}`,
		),
	// 307 and 308 ask for the same request at another address: this one was not processed.
	repeatElsewhere: (status: number) =>
		refused(
			`StatProxies asked for the order to be sent to another address (HTTP ${status}); the node does not follow redirects, so nothing was bought`,
			`${CHECK_BASE_URL} The node never sends the key to an address it was redirected to.`,
			String(status),
		),
	invalidKey: (status: number) =>
		refused(
			'StatProxies rejected the API key (invalid_api_key)',
			'Check the API key in the StatProxies API credential: it may be mistyped, revoked or expired.',
			String(status),
		),
	noOrderService: (status: number) =>
		refused(
			'The API key is not allowed to create orders (insufficient_permissions)',
			'Enable the "order" service for this key in the StatProxies dashboard, or use a key that has it.',
			String(status),
		),
	badRequest: (answer: string) =>
		refused(
			`StatProxies refused the order: ${answer}`,
			BAD_REQUEST_HELP[answer] ?? 'Check the order fields against the StatProxies documentation.',
			'400',
		),
	rateLimited: () =>
		refused(
			'StatProxies is limiting requests (HTTP 429 Too Many Requests)',
			'Wait a little and run again, or make the workflow order less often.',
			'429',
		),
	clientError: (status: number, got: string) =>
		refused(
			`StatProxies refused the order with HTTP ${status} (got: ${got})`,
			`${CHECK_BASE_URL} Check that the key may create orders.`,
			String(status),
		),
	notReached: (code: string): Failure => ({
		kind: 'not_sent',
		message: `Could not reach StatProxies (${code})`,
		description: `The request did not reach StatProxies, so nothing was ordered. ${CHECK_BASE_URL} Check this machine's network, then run again.`,
	}),
	notStarted: (why: string): Failure => ({
		kind: 'not_sent',
		message: `The order was not sent: ${why}`,
		description: `n8n stopped before the request left this machine. ${NOTHING_SENT}`,
	}),
	timeout: () =>
		unknown(
			'StatProxies did not answer within the timeout while placing the order',
			undefined,
			' To wait longer next time, raise Options > Timeout (Milliseconds).',
		),
	connectionLost: (code: string | undefined) =>
		unknown(
			`The connection to StatProxies failed while placing the order (${code ?? 'no error code'})`,
		),
};

/** The node's own refusals and notes, decided before or instead of a request. */
export const guard = {
	retriedExecution: (parent: boolean) =>
		notSent(
			parent
				? "this runs in a sub-workflow of an execution that n8n's Retry button started"
				: "this execution is a retry of a failed one (n8n's Retry button)",
			"The node cannot see what the failed execution already bought, so ordering again could buy those items twice. Read the failed execution's error (it lists the orders it placed) and check your StatProxies dashboard. Then run the workflow from its trigger with only the items still needed, or turn on Options > Order In Retried Executions.",
		),
	earlierTryUnknown: (failure: Failure): Failure => ({
		...failure,
		description: `An earlier try of this run already sent this order and could not tell whether it was placed, so it was not sent again. ${failure.description}`,
	}),
	parametersChanged: (was: OrderBody, now: OrderBody | undefined) =>
		`An earlier try of this run ordered this item as ${describeOrder(was)}; its parameters changed since (now ${now ? describeOrder(now) : 'no valid order, or a dry run'}), and it was not ordered again.`,
	overBudget: (quantity: number, left: number, budget: number) =>
		notSent(
			`ordering ${quantity} more proxies would go over Max Proxies Per Execution (${budget} per execution; ${left} left in this execution)`,
			`This node has already ordered (or may have ordered) ${budget - left} proxies in this execution. Raise Options > Max Proxies Per Execution if this execution really needs more.`,
			'over_budget',
		),
	repeatAfterUnknown: () =>
		notSent(
			'an identical order earlier in this execution ended with an unknown outcome, so it may already have been bought',
			'Check the StatProxies dashboard. To order the same thing again on purpose, run a new execution (with a new order key, when Options > Order Key is set).',
		),
	duplicateKey: (key: string, inRun: boolean) =>
		notSent(
			inRun
				? `order key "${key}" is used by an earlier item of this run`
				: `order key "${key}" was already used by an earlier execution`,
			'Each order key orders once. To order anyway, give this order another key (Options > Order Key).',
			'duplicate',
		),
	credentialUnreadable: (why: string) => ({
		message: `Not ordered: the StatProxies credential could not be read (${why})`,
		description:
			'Select a StatProxies API credential on the node, or check that it still exists and that its fields resolve.',
	}),
	keyStoreMissing: () =>
		notSent(
			"Options > Order Key needs n8n's deduplication store, which this n8n does not offer to nodes (n8n 1.64 or later has it)",
			'Update n8n, or remove Options > Order Key to order without the at-most-once guarantee.',
		),
	keyStoreFailed: (why: string) =>
		notSent(
			`the order key could not be recorded in n8n's deduplication store (${why})`,
			"The node orders only once it has recorded the key. Check n8n's database and run again.",
		),
};

/** In tool mode the model reads the message alone: tell it what it may do next. */
export const FOR_THE_MODEL: Record<FailureKind, string> = {
	invalid: 'Nothing was bought. Call again only with corrected arguments.',
	refused: 'Nothing was bought. Do not call again with the same arguments; tell the user.',
	not_sent: 'Nothing was bought. Do not call again with the same arguments; tell the user.',
	over_budget:
		'Nothing was bought. The spending limit of this execution is reached: do not call this tool again; tell the user.',
	duplicate:
		'Nothing was sent: this order key was used earlier. Do not call this tool again for it; tell the user.',
	unknown:
		'Do not call this tool again for this order: ask the user to check the StatProxies dashboard first.',
};

/** What a run that stops has bought so far, in the words its error description ends with. */
export function runSoFar(placed: { item: number; orderId: string }[], stoppedOnUnknown: boolean) {
	if (placed.length === 0) {
		return stoppedOnUnknown
			? ''
			: 'Nothing was ordered in this run, so it is safe to fix this and run again.';
	}
	const list = placed.map(({ item, orderId }) => `item ${item} (${orderId})`).join(', ');
	return `Before it stopped, this run already ordered ${list}: those were bought. Running the workflow again with the same items buys them again.`;
}
