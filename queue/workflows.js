'use strict';
// What the queue-mode suite imports into n8n (built with lab/fixtures.js): two credentials
// and two workflows, as a user would build them in the editor (Webhook -> Order Proxies ->
// Mattermost).
const fixtures = require('../lab/fixtures');

const STATPROXIES_CREDENTIAL = { id: 'qStatProxies', name: 'StatProxies (queue sandbox)' };
const MATTERMOST_CREDENTIAL = { id: 'qMattermost', name: 'Mattermost (queue listener)' };
const CHANNEL_ID = 'statproxiesorders';

/** Every call tags its order with its own customer, so that orders, posts and executions can be matched. */
const ORDERS = {
	id: 'qOrders',
	path: 'statproxies-queue-orders',
	name: 'Queue: order per webhook',
};
/** Several items per call and Retry On Fail on the node: the unit suite's retry cases, on a worker. */
const RETRY = { id: 'qRetry', path: 'statproxies-queue-retry', name: 'Queue: Retry On Fail' };

function credentials({ statProxiesUrl, apiKey, mattermostUrl }) {
	return [
		fixtures.statProxiesCredential(STATPROXIES_CREDENTIAL, { apiKey, baseUrl: statProxiesUrl }),
		fixtures.mattermostCredential(MATTERMOST_CREDENTIAL, {
			baseUrl: mattermostUrl,
			accessToken: 'queue-suite-token',
		}),
	];
}

function orderNode(customerExpression, settings = {}) {
	return fixtures.orderNode({
		parameters: {
			quantity: 1,
			productType: 'captcha',
			additionalFields: { customer: customerExpression },
		},
		credential: STATPROXIES_CREDENTIAL,
		settings,
	});
}

const notifyNode = () =>
	fixtures.mattermostPostNode('Notify Mattermost', {
		channelId: CHANNEL_ID,
		message:
			'=Ordered {{ $json.quantity }} x {{ $json.product_type }}: order {{ $json.order_id }} for {{ $json.customer }}',
		credential: MATTERMOST_CREDENTIAL,
	});

function workflows() {
	return [
		fixtures.workflow(
			ORDERS.id,
			[
				// The caller waits for the run and gets the notification (with the order id) back.
				fixtures.webhookNode(ORDERS.path, { responseMode: 'lastNode' }),
				orderNode('={{ $json.body.customer }}'),
				notifyNode(),
			],
			{ name: ORDERS.name },
		),
		fixtures.workflow(
			RETRY.id,
			[
				fixtures.webhookNode(RETRY.path),
				fixtures.node('Split Out', 'n8n-nodes-base.splitOut', 1, {
					fieldToSplitOut: 'body.items',
					include: 'noOtherFields',
					options: {},
				}),
				// The unit suite's RETRY_AT_MAX (test/harness/helpers.ts): n8n's largest number of tries.
				orderNode('={{ $json.customer }}', { retryOnFail: true, maxTries: 5, waitBetweenTries: 1 }),
				notifyNode(),
			],
			{ name: RETRY.name },
		),
	];
}

/** A customer name (a-z only) unique to one call: `prefix` + the index written in letters. */
function tag(prefix, index) {
	let letters = '';
	let n = index;
	do {
		letters = String.fromCharCode(97 + (n % 26)) + letters;
		n = Math.floor(n / 26);
	} while (n > 0);
	return `${prefix}x${letters.padStart(3, 'a')}`;
}

module.exports = { ORDERS, RETRY, CHANNEL_ID, STATPROXIES_CREDENTIAL, credentials, workflows, tag };
