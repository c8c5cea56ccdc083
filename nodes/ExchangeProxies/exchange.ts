import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readKey, type Action, type Done, type Prepared } from '../shared/action';
import type { Words } from '../shared/outcomes';
import type { Checked } from '../shared/rules';
import { checkExchange, type ExchangeField } from './exchange.schema';

export const EXCHANGE_PATH = '/api/v2/order/exchange/';

const words: Words = {
	thing: 'exchange',
	during: 'while exchanging the proxies',
	confirmed: 'a confirmed exchange',
	mayExist:
		'the proxies may have been exchanged (the old IPs may already be gone); check the StatProxies dashboard before exchanging again',
	checkDashboard:
		'The proxies may or may not have been exchanged: the old IPs may already be gone. Check the order in your StatProxies dashboard before running this again: running it again could exchange them a second time, another outage for every job using them.',
	notDone: 'StatProxies did not exchange these proxies: the old IPs still work.',
	nothingDone: 'nothing was exchanged',
	done: 'exchanged',
	identical: 'an exchange of the same order',
	mayAlready: 'may already have gone through',
	bought: 'exchanged',
	doing: 'exchanging',
	acts: 'exchanges',
	mayDo: 'exchange proxies',
	lessOften: 'exchange less often',
	whetherDone: 'whether it went through',
	keyOption: 'Exchange Key',
	retriesOption: 'Exchange In Retried Executions',
	listed: 'the exchanges it made',
	twice: 'exchange those proxies twice',
	noPermission: {
		message: 'The API key may not exchange these proxies (insufficient_permissions)',
		fix: 'The key needs the "order" service and the order must belong to its account; your organization also needs the proxy_exchange feature (ask StatProxies support to enable it).',
	},
	overBudget: (_cost, left, budget) => ({
		message: `one more exchange would go over Max Exchanges Per Execution (${budget} per execution; ${left} left in this execution)`,
		description: `This node has already exchanged (or may have exchanged) ${budget - left} times in this execution, each an outage for the jobs using those proxies. Raise Options > Max Exchanges Per Execution if this execution really needs more.`,
	}),
	changed: (was, now) =>
		`An earlier try of this run exchanged this item's proxies (${was}); its parameters changed since (now ${now ?? 'no valid exchange, or a dry run'}), and it was not exchanged again.`,
	not: 'Not exchanged',
	forTheModel: {
		invalid: 'Nothing was exchanged. Call again only with a corrected order id.',
		refused:
			'Nothing was exchanged: the old IPs still work. Do not call again with the same arguments; tell the user.',
		not_sent:
			'Nothing was exchanged: the old IPs still work. Do not call again with the same arguments; tell the user.',
		over_budget:
			'Nothing was exchanged. The exchange limit of this execution is reached: do not call this tool again; tell the user.',
		duplicate:
			'Nothing was sent: this exchange key was used earlier. Do not call this tool again for it; tell the user.',
		unknown:
			'Do not call this tool again for this order: its proxies may already have been exchanged; ask the user to check the StatProxies dashboard first.',
	},
	soFar: (done) => {
		const list = done.map(({ item, id }) => `item ${item} (order ${id})`).join(', ');
		return `Before it stopped, this run already exchanged the proxies of ${list}: their old IPs are gone. Running the workflow again with the same items exchanges them again.`;
	},
	nothingSoFar: 'Nothing was exchanged in this run, so it is safe to fix this and run again.',
	doneBefore: (spent) =>
		`Before this run, this execution had already made (or may have made) ${spent} exchanges, in other runs of this node or in its sub-workflows: running the workflow again exchanges those again.`,
	logDone: (id) => `exchanged the proxies of order ${id}`,
	already: (id) =>
		`Already exchanged in this execution: the proxies of order ${id}. This is that exchange, not done again (Options > Repeat Identical Exchanges as a Tool allows a second one).`,
};

/** A count from the answer, or null when StatProxies left it out. */
const count = (value: unknown) =>
	typeof value === 'number' && Number.isFinite(value) ? value : null;

function readParameters(ctx: IExecuteFunctions, itemIndex: number) {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		orderId: ctx.getNodeParameter('orderId', itemIndex),
		maxExchangesPerExecution: options.maxExchangesPerExecution,
		dryRun: options.dryRun,
		exchangeInRetries: options.exchangeInRetries,
		timeout: options.timeout,
		exchangeKey: readKey(ctx, options, 'exchangeKey'),
		repeatIdentical: options.repeatIdentical,
	};
}

/** Exchange Proxies: POST /api/v2/order/exchange/{order_id}, every IP of the order replaced. */
export const exchangeAction: Action = {
	words,
	fields: {
		key: 'exchangeKey',
		budget: 'maxExchangesPerExecution',
		inRetries: 'exchangeInRetries',
	},
	check(ctx, itemIndex): Checked<Prepared, ExchangeField> {
		const checked = checkExchange(readParameters(ctx, itemIndex));
		if (!checked.ok) return checked;
		const exchange = checked.value;
		return {
			ok: true,
			value: {
				ask: { order_id: exchange.orderId },
				cost: 1,
				dryRun: exchange.dryRun,
				inRetries: exchange.exchangeInRetries,
				timeout: exchange.timeout,
				budget: exchange.maxExchangesPerExecution,
				key: exchange.exchangeKey,
				repeat: exchange.repeatIdentical,
			},
		};
	},
	// The order id passed the schema's rule (sub_ and [a-z0-9]): nothing in it can change the path.
	request: (ask, baseUrl) => ({
		method: 'POST',
		url: `${baseUrl}${EXCHANGE_PATH}${String(ask.order_id)}`,
		headers: { Accept: 'application/json' },
	}),
	// A "success" about another order confirms nothing about the one asked: unknown.
	confirmed(body, ask): Done | undefined {
		const details = body?.details as Record<string, unknown> | undefined;
		if (body?.response !== 'success' || !details || typeof details !== 'object') return;
		const orderId = details.order_id;
		if (typeof orderId !== 'string' || orderId !== ask.order_id) return;
		return {
			id: orderId,
			fields: {
				order_id: orderId,
				previous_count: count(details.previous_count),
				new_count: count(details.new_count),
				requested_count: count(details.requested_count),
				overlapping_ips: count(details.overlapping_ips),
				message: typeof body.message === 'string' ? body.message : '',
			},
		};
	},
	refusal(said, status, body, got) {
		const text = [body?.error, body?.response, body?.message].find((v) => typeof v === 'string');
		if (status === 404) {
			return said.refused(
				`StatProxies does not know this order (HTTP 404; got: ${got})`,
				"Check Order ID: it must be the order_id of an order of this API key's account.",
				'404',
			);
		}
		if (status === 403) {
			return said.refused(
				`StatProxies refused the exchange with HTTP 403 (got: ${got})`,
				'Your organization may not have the proxy_exchange feature (ask StatProxies support to enable it), or the order may belong to another account.',
				'403',
			);
		}
		if (status === 400 && text) {
			return said.refused(
				`StatProxies refused the exchange: ${String(text)}`,
				'Check Order ID against the order in your StatProxies dashboard.',
				'400',
			);
		}
		return undefined;
	},
	/**
	 * A partial exchange (fewer new IPs than requested) or one that kept some old IPs is said
	 * in the item: `complete` is false and `warning` says what happened.
	 */
	output(done) {
		const { new_count: got, requested_count: wanted, overlapping_ips: kept } = done.fields;
		const warnings = [];
		if (typeof got === 'number' && typeof wanted === 'number' && got < wanted) {
			warnings.push(`only ${got} of ${wanted} IPs were replaced`);
		}
		if (typeof kept === 'number' && kept > 0) warnings.push(`${kept} IPs are the same as before`);
		return {
			...done.fields,
			complete: warnings.length === 0,
			...(warnings.length ? { warning: `Partial exchange: ${warnings.join('; ')}.` } : {}),
		};
	},
	describe: (ask) => `order ${String(ask.order_id)}`,
};
