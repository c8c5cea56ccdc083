'use strict';
// What the queue-mode suite imports into n8n: the two credentials and the workflows, the way
// a user would build them in the editor (Webhook -> Order Proxies -> Mattermost).

const ORDER_NODE_TYPE = 'n8n-nodes-statproxies.orderProxies';
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
		{
			...STATPROXIES_CREDENTIAL,
			type: 'statProxiesApi',
			data: { apiKey, baseUrl: statProxiesUrl },
		},
		{
			...MATTERMOST_CREDENTIAL,
			type: 'mattermostApi',
			data: {
				accessToken: 'queue-suite-token',
				baseUrl: mattermostUrl,
				allowUnauthorizedCerts: false,
			},
		},
	];
}

// Node ids are UUIDs in the editor; n8n's PostgreSQL schema stores them as varchar(36).
function webhookNode(path, id, webhookId, responseMode = 'onReceived') {
	return {
		id,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId,
		parameters: {
			httpMethod: 'POST',
			path,
			responseMode,
			responseData: 'firstEntryJson',
			options: {},
		},
	};
}

function orderNode(customerExpression, settings = {}) {
	return {
		id: '6d1f0c52-3f7e-4c1e-9a51-0c0a5f1e2001',
		name: 'Order Proxies',
		type: ORDER_NODE_TYPE,
		typeVersion: 1,
		position: [440, 0],
		parameters: {
			quantity: 1,
			productType: 'captcha',
			additionalFields: { customer: customerExpression },
			options: {},
		},
		credentials: { statProxiesApi: STATPROXIES_CREDENTIAL },
		...settings,
	};
}

function notifyNode() {
	return {
		id: '6d1f0c52-3f7e-4c1e-9a51-0c0a5f1e3001',
		name: 'Notify Mattermost',
		type: 'n8n-nodes-base.mattermost',
		typeVersion: 1,
		position: [660, 0],
		parameters: {
			resource: 'message',
			operation: 'post',
			channelId: CHANNEL_ID,
			message:
				'=Ordered {{ $json.quantity }} x {{ $json.product_type }}: order {{ $json.order_id }} for {{ $json.customer }}',
			attachments: [],
			otherOptions: {},
		},
		credentials: { mattermostApi: MATTERMOST_CREDENTIAL },
	};
}

function chain(names) {
	const connections = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

function workflows() {
	const ordersNodes = [
		// The caller waits for the run and gets the notification (with the order id) back.
		webhookNode(
			ORDERS.path,
			'6d1f0c52-3f7e-4c1e-9a51-0c0a5f1e1001',
			'6d1f0c52-3f7e-4c1e-9a51-0c0a5f1e0001',
			'lastNode',
		),
		orderNode('={{ $json.body.customer }}'),
		notifyNode(),
	];
	const retryNodes = [
		webhookNode(
			RETRY.path,
			'6d1f0c52-3f7e-4c1e-9a51-0c0a5f1e1002',
			'6d1f0c52-3f7e-4c1e-9a51-0c0a5f1e0002',
		),
		{
			id: '6d1f0c52-3f7e-4c1e-9a51-0c0a5f1e4001',
			name: 'Split Out',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [220, 0],
			parameters: { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} },
		},
		// The unit suite's RETRY_AT_MAX (test/harness/helpers.ts): n8n's largest number of tries.
		orderNode('={{ $json.customer }}', { retryOnFail: true, maxTries: 5, waitBetweenTries: 1 }),
		notifyNode(),
	];
	const common = { active: false, settings: { executionOrder: 'v1' }, pinData: {} };
	return [
		{
			...common,
			id: ORDERS.id,
			name: ORDERS.name,
			nodes: ordersNodes,
			connections: chain(['Webhook', 'Order Proxies', 'Notify Mattermost']),
		},
		{
			...common,
			id: RETRY.id,
			name: RETRY.name,
			nodes: retryNodes,
			connections: chain(['Webhook', 'Split Out', 'Order Proxies', 'Notify Mattermost']),
		},
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

module.exports = { ORDERS, RETRY, CHANNEL_ID, credentials, workflows, tag };
