'use strict';
// The one builder of what the lab imports into n8n: workflows (with fixed ids, so that
// `n8n execute --id` can run them) and decrypted credentials (as `n8n import:credentials`
// takes them). Used by the e2e and queue suites, the benchmarks and `npm start`.
const crypto = require('node:crypto');

const ORDER_NODE = 'Order Proxies';
const ORDER_TYPE = 'n8n-nodes-statproxies.orderProxies';
const EXCHANGE_NODE = 'Exchange Proxies';
const EXCHANGE_TYPE = 'n8n-nodes-statproxies.exchangeProxies';
// The ids and names the examples (examples/*.json) refer to.
const SANDBOX_CREDENTIAL = { id: 'spSandboxCred', name: 'StatProxies sandbox' };
const MATTERMOST_CREDENTIAL = { id: 'spMattermostCred', name: 'Team Mattermost' };

// --- credentials ---------------------------------------------------------------------------

function statProxiesCredential(ref, { apiKey, baseUrl }) {
	return { id: ref.id, name: ref.name, type: 'statProxiesApi', data: { apiKey, baseUrl } };
}

function mattermostCredential(ref, { baseUrl, accessToken = 'local-listener-token' }) {
	return {
		id: ref.id,
		name: ref.name,
		type: 'mattermostApi',
		data: { accessToken, baseUrl, allowUnauthorizedCerts: false },
	};
}

function headerAuthCredential(ref, { name, value }) {
	return { id: ref.id, name: ref.name, type: 'httpHeaderAuth', data: { name, value } };
}

// --- nodes ---------------------------------------------------------------------------------

/** A node; its id and position are given by workflow(). */
function node(name, type, typeVersion, parameters = {}, extra = {}) {
	return { name, type, typeVersion, parameters, ...extra };
}

const manualTrigger = (name = 'Start') => node(name, 'n8n-nodes-base.manualTrigger', 1);

/** A Code node emitting `items` (json objects), or the items `jsCode` returns. */
function codeNode(name, { items, jsCode }) {
	const code = jsCode ?? `return ${JSON.stringify(items.map((json) => ({ json })))};`;
	return node(name, 'n8n-nodes-base.code', 2, { jsCode: code });
}

function webhookNode(path, { name = 'Webhook', responseMode = 'onReceived' } = {}) {
	return node(
		name,
		'n8n-nodes-base.webhook',
		2.1,
		{ httpMethod: 'POST', path, responseMode, responseData: 'firstEntryJson', options: {} },
		{ webhookId: uuid(`webhook ${path}`) },
	);
}

function mattermostPostNode(name, { channelId, message, credential }) {
	return node(
		name,
		'n8n-nodes-base.mattermost',
		1,
		{
			resource: 'message',
			operation: 'post',
			channelId,
			message,
			attachments: [],
			otherOptions: {},
		},
		{ credentials: { mattermostApi: ref(credential) } },
	);
}

/**
 * An Order Proxies node. `settings` are node settings such as onError, retryOnFail, maxTries.
 */
function orderNode({
	name = ORDER_NODE,
	parameters = {},
	credential = SANDBOX_CREDENTIAL,
	settings = {},
} = {}) {
	return node(
		name,
		ORDER_TYPE,
		1,
		{ additionalFields: {}, options: {}, ...parameters },
		{ credentials: { statProxiesApi: ref(credential) }, ...settings },
	);
}

/** An Exchange Proxies node. `settings` are node settings such as onError, retryOnFail, maxTries. */
function exchangeNode({
	name = EXCHANGE_NODE,
	parameters = {},
	credential = SANDBOX_CREDENTIAL,
	settings = {},
} = {}) {
	return node(
		name,
		EXCHANGE_TYPE,
		1,
		{ options: {}, ...parameters },
		{ credentials: { statProxiesApi: ref(credential) }, ...settings },
	);
}

// --- workflows -----------------------------------------------------------------------------

const link = (to, index = 0) => ({ node: to, type: 'main', index });

/** Connections that run `names` one after another. */
function chain(names) {
	const connections = {};
	for (let i = 0; i < names.length - 1; i++)
		connections[names[i]] = { main: [[link(names[i + 1])]] };
	return connections;
}

/**
 * A workflow of `nodes`, chained in order unless `connections` are given. Node ids are UUIDs
 * derived from the workflow id and node name (n8n's PostgreSQL schema takes 36 characters).
 * @param {string} id at most 21 characters (n8n's limit for a CLI-run workflow id)
 */
function workflow(id, nodes, { name = `lab ${id}`, connections } = {}) {
	if (id.length > 21) throw new Error(`Workflow id "${id}" is longer than 21 characters`);
	return {
		id,
		name,
		active: false,
		nodes: nodes.map((n, i) => ({ id: uuid(`${id} ${n.name}`), position: [i * 200, 0], ...n })),
		connections: connections ?? chain(nodes.map((n) => n.name)),
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * Manual Trigger -> (Items) -> Order Proxies -> (downstream nodes).
 * @param {object} spec
 * @param {object} [spec.parameters] Order Proxies parameters
 * @param {object[]} [spec.items] input items' json, emitted by a Code node named "Items"
 * @param {{id, name}} [spec.credential]
 * @param {object} [spec.settings] node settings such as onError, retryOnFail, maxTries
 * @param {boolean} [spec.errorBranch] adds "Orders" (success) and "Failures" (error output)
 */
function orderWorkflow(id, { parameters, items, credential, settings, errorBranch = false }) {
	const nodes = [manualTrigger()];
	if (items) nodes.push(codeNode('Items', { items }));
	nodes.push(orderNode({ parameters, credential, settings }));
	const connections = chain(nodes.map((n) => n.name));
	if (errorBranch) {
		nodes.push(node('Orders', 'n8n-nodes-base.noOp', 1));
		// Reads the input item through pairedItem: it only resolves if the node paired its
		// error items with the items they came from.
		nodes.push(
			node('Failures', 'n8n-nodes-base.set', 3.4, {
				assignments: {
					assignments: [
						{ id: 'f1', name: 'error', value: '={{ $json.error.message }}', type: 'string' },
						{
							id: 'f2',
							name: 'input_customer',
							value: "={{ $('Items').item.json.customer }}",
							type: 'string',
						},
					],
				},
				options: {},
			}),
		);
		connections[ORDER_NODE] = { main: [[link('Orders')], [link('Failures')]] };
	}
	return workflow(id, nodes, { name: `e2e ${id}`, connections });
}

/**
 * Manual Trigger -> (Items) -> Exchange Proxies, or Manual Trigger -> Order Proxies ->
 * Exchange Proxies with `order` (Order Proxies parameters): the order just bought is exchanged.
 * @param {object} spec
 * @param {object} [spec.parameters] Exchange Proxies parameters
 * @param {object[]} [spec.items] input items' json, emitted by a Code node named "Items"
 * @param {object} [spec.order] Order Proxies parameters: order first, then exchange
 * @param {{id, name}} [spec.credential]
 * @param {object} [spec.settings] node settings such as onError, retryOnFail, maxTries
 */
function exchangeWorkflow(id, { parameters, items, order, credential, settings }) {
	const nodes = [manualTrigger()];
	if (items) nodes.push(codeNode('Items', { items }));
	if (order) nodes.push(orderNode({ parameters: order, credential }));
	nodes.push(exchangeNode({ parameters, credential, settings }));
	return workflow(id, nodes, { name: `e2e ${id}` });
}

function ref(credential) {
	return { id: credential.id, name: credential.name };
}

function uuid(seed) {
	const hex = crypto.createHash('sha256').update(seed).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * One order per customer (x1, Timeout 1000 ms: short enough for a hanging answer, within the
 * node's minimum) under Retry On Fail, 3 tries a second apart.
 */
function retryWorkflow(id, { customers, quantity = 1 }) {
	return orderWorkflow(id, {
		items: customers.map((customer) => ({ customer })),
		parameters: {
			quantity,
			productType: 'x1',
			additionalFields: { customer: '={{ $json.customer }}' },
			options: { timeout: 1000 },
		},
		settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 },
	});
}

module.exports = {
	retryWorkflow,
	ORDER_NODE,
	ORDER_TYPE,
	EXCHANGE_NODE,
	EXCHANGE_TYPE,
	SANDBOX_CREDENTIAL,
	MATTERMOST_CREDENTIAL,
	statProxiesCredential,
	mattermostCredential,
	headerAuthCredential,
	node,
	manualTrigger,
	codeNode,
	webhookNode,
	mattermostPostNode,
	orderNode,
	exchangeNode,
	chain,
	workflow,
	orderWorkflow,
	exchangeWorkflow,
};
